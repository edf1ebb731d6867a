import type { PromoterNode } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { codeOwner } from "../codes/repository.ts";

export interface MembershipRow {
  merchantId: string;
  programId: string;
  promoterId: string;
  code: string;
  inviterId: string | null;
  inviter2Id: string | null;
  rank: string | null;
  status: "active" | "suspended" | "left";
  joinedAt: string;
}

export const MEMBERSHIP_COLS = `m.merchant_id AS "merchantId", m.program_id AS "programId", m.promoter_id AS "promoterId", m.code,
  m.inviter_id AS "inviterId", m.inviter2_id AS "inviter2Id", m.rank, m.status, m.joined_at AS "joinedAt"`;

/**
 * The membership that owns a promo / invite code. Within one merchant it is a lookup on that merchant's rows; without
 * one, the code registry (public_codes) names the merchant first, so the lookup reaches one shard, and a code can
 * never have two owners.
 */
export async function membershipByCode(q: Sql, code: string, merchantId?: string): Promise<MembershipRow | null> {
  const upper = code.toUpperCase();
  let merchant = merchantId;
  if (merchant === undefined) {
    const owner = await codeOwner(q, upper);
    if (owner?.kind !== "membership") return null;
    merchant = owner.merchantId;
  }
  const rows = await q.query<MembershipRow & Record<string, unknown>>(
    `SELECT ${MEMBERSHIP_COLS} FROM memberships m WHERE m.merchant_id = $1 AND m.code = $2`,
    [merchant, upper],
  );
  return rows[0] ?? null;
}

export async function getMembership(q: Sql, merchantId: string, programId: string, promoterId: string): Promise<MembershipRow | null> {
  const [row] = await q.query<MembershipRow & Record<string, unknown>>(
    `SELECT ${MEMBERSHIP_COLS} FROM memberships m WHERE m.merchant_id = $1 AND m.program_id = $2 AND m.promoter_id = $3`,
    [merchantId, programId, promoterId],
  );
  return row ?? null;
}

export async function requireMembership(q: Sql, merchantId: string, programId: string, promoterId: string): Promise<MembershipRow> {
  const m = await getMembership(q, merchantId, programId, promoterId);
  if (!m) fail("NOT_FOUND", "No such promoter in this program.", { promoterId });
  return m;
}

/** The seller and up to two uplines as engine nodes, in one query. */
export async function chainOf(
  q: Sql,
  merchantId: string,
  programId: string,
  sellerId: string,
): Promise<{ seller: PromoterNode; uplines: PromoterNode[] } | null> {
  const rows = await q.query<{
    promoter_id: string;
    rank: string | null;
    status: PromoterNode["status"];
    joined_at: Date;
    inviter_id: string | null;
    inviter2_id: string | null;
  }>(
    `SELECT promoter_id, rank, status, joined_at, inviter_id, inviter2_id FROM memberships
     WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = ANY(
       SELECT unnest(ARRAY[promoter_id, inviter_id, inviter2_id]) FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3)`,
    [merchantId, programId, sellerId],
  );
  const byId = new Map(rows.map((r) => [r.promoter_id, r]));
  const s = byId.get(sellerId);
  if (!s) return null;
  const node = (r: (typeof rows)[number]): PromoterNode => ({
    promoterId: r.promoter_id,
    rank: r.rank,
    status: r.status,
    joinedAt: new Date(r.joined_at).toISOString(),
  });
  const uplines: PromoterNode[] = [];
  for (const id of [s.inviter_id, s.inviter2_id]) {
    const r = id ? byId.get(id) : undefined;
    if (!r) break;
    uplines.push(node(r));
  }
  return { seller: node(s), uplines };
}
