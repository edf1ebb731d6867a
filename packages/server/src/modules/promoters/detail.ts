/**
 * A promoter's page for the merchant: profile, inviter chain, rank history, sales by month, balances and recent commission
 * lines in one read; and the rank change of an action (a rank_history row with the reason).
 */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { newId } from "../../ids.ts";
import { requireMembership } from "./repository.ts";

/** The inviter chain is walked at most this far up (chains are short; a loop cannot make it run on). */
export const INVITER_CHAIN_MAX = 20;

export async function changeRank(
  q: Sql,
  merchantId: string,
  programId: string,
  promoterId: string,
  rank: string | null,
  actor: string,
  reason: string | undefined,
  at: Date,
): Promise<void> {
  const [before] = await q.query<{ rank: string | null }>(
    "SELECT rank FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 FOR UPDATE",
    [merchantId, programId, promoterId],
  );
  await q.query("UPDATE memberships SET rank = $4 WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3", [
    merchantId,
    programId,
    promoterId,
    rank,
  ]);
  if (rank !== null && before?.rank !== rank)
    await q.query(
      "INSERT INTO rank_history (merchant_id, id, program_id, promoter_id, from_rank, to_rank, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      [
        merchantId,
        newId("rnk"),
        programId,
        promoterId,
        before?.rank ?? null,
        rank,
        JSON.stringify({ kind: "manual", actor, reason: reason ?? null }),
        at,
      ],
    );
}

async function inviterChain(q: Sql, merchantId: string, programId: string, inviterId: string | null) {
  const chain: { promoterId: string; name: string | null; code: string; rank: string | null; status: string }[] = [];
  const seen = new Set<string>();
  let next = inviterId;
  while (next && !seen.has(next) && chain.length < INVITER_CHAIN_MAX) {
    seen.add(next);
    const [r] = await q.query<{
      promoterId: string;
      name: string | null;
      code: string;
      rank: string | null;
      status: string;
      inviterId: string | null;
    }>(
      `SELECT m.promoter_id AS "promoterId", p.name, m.code, m.rank, m.status, m.inviter_id AS "inviterId"
       FROM memberships m JOIN promoters p ON p.id = m.promoter_id WHERE m.merchant_id = $1 AND m.program_id = $2 AND m.promoter_id = $3`,
      [merchantId, programId, next],
    );
    if (!r) break;
    const { inviterId: up, ...rest } = r;
    chain.push(rest);
    next = up;
  }
  return chain;
}

export async function promoterOverview(q: Sql, merchantId: string, programId: string, promoterId: string) {
  const m = await requireMembership(q, merchantId, programId, promoterId);
  const [pr] = await q.query<{ name: string; phone: string | null }>("SELECT name, phone_masked AS phone FROM promoters WHERE id = $1", [
    promoterId,
  ]);
  const rankHistory = await q.query(
    `SELECT from_rank AS "fromRank", to_rank AS "toRank", reason, created_at AS "at" FROM rank_history
     WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 ORDER BY created_at DESC, id DESC LIMIT 100`,
    [merchantId, programId, promoterId],
  );
  const salesByPeriod = (
    await q.query<{ periodKey: string; salesMinor: string; refundedMinor: string; orders: number }>(
      `SELECT period_key AS "periodKey", sales_minor AS "salesMinor", refunded_minor AS "refundedMinor", orders FROM promoter_period_stats
       WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 ORDER BY period_key DESC LIMIT 36`,
      [merchantId, programId, promoterId],
    )
  ).map((r) => ({
    ...r,
    salesMinor: Number(r.salesMinor),
    refundedMinor: Number(r.refundedMinor),
    netMinor: Number(r.salesMinor) - Number(r.refundedMinor),
  }));
  const prefix = `promoter:${promoterId}:`;
  const balances = Object.fromEntries(
    (
      await q.query<{ account: string; balance: string }>(
        "SELECT account, balance_minor AS balance FROM account_balances WHERE merchant_id = $1 AND account LIKE $2",
        [merchantId, `${prefix}%`],
      )
    ).map((r) => [r.account.slice(prefix.length), Number(r.balance)]),
  );
  const [team] = await q.query<{ l1: number; l2: number }>(
    `SELECT count(*) FILTER (WHERE inviter_id = $3)::int AS l1, count(*) FILTER (WHERE inviter2_id = $3)::int AS l2 FROM memberships
     WHERE merchant_id = $1 AND program_id = $2 AND (inviter_id = $3 OR inviter2_id = $3)`,
    [merchantId, programId, promoterId],
  );
  return {
    ...m,
    name: pr?.name ?? null,
    phone: pr?.phone ?? null,
    inviterChain: await inviterChain(q, merchantId, programId, m.inviterId ?? null),
    rankHistory,
    salesByPeriod,
    balances,
    team: { level1: team?.l1 ?? 0, level2: team?.l2 ?? 0 },
  };
}

export function registerPromoterDetailRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/promoters/:promoterId/overview",
    {
      schema: {
        tags: ["promoters"],
        summary: "A promoter's page: profile (phone masked), inviter chain, rank history, sales by period, balances, team counts",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
        querystring: z.object({ programId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => promoterOverview(q, merchantId, req.query.programId, req.params.promoterId));
    },
  );
}
