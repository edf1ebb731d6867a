/** The identity and payout-account tables (migration 0009): sealed values, their masked forms and blind indexes. */
import type { Sql } from "../../db/client.ts";
import type { IdType } from "./validate.ts";

export interface IdentityRow {
  promoter_id: string;
  legal_name_sealed: string;
  legal_name_masked: string;
  id_type: IdType;
  id_number_sealed: string;
  id_number_masked: string;
  id_number_index: string;
  phone_sealed: string | null;
  phone_masked: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PayoutAccountRow {
  id: string;
  promoter_id: string;
  kind: "wechat" | "alipay" | "bank";
  details_sealed: string;
  details_masked: MaskedDetails;
  account_index: string;
  status: "active" | "removed";
  created_at: Date;
  removed_at: Date | null;
}

/** What is stored for views: the line shown (display) and the kind's masked fields. */
export interface MaskedDetails {
  display: string;
  fields: Record<string, string | null>;
}

/** States of a withdrawal whose money is still on its way to the payout account. */
export const WITHDRAWAL_IN_PROGRESS = ["requested", "approved", "awaiting_funds", "paying"] as const;

export async function getIdentityRow(q: Sql, promoterId: string): Promise<IdentityRow | null> {
  const [row] = await q.query<IdentityRow & Record<string, unknown>>("SELECT * FROM promoter_identities WHERE promoter_id = $1", [
    promoterId,
  ]);
  return row ?? null;
}

/** The identities of these promoters (those that have one). */
export async function getIdentityRows(q: Sql, promoterIds: readonly string[]): Promise<IdentityRow[]> {
  return q.query<IdentityRow & Record<string, unknown>>("SELECT * FROM promoter_identities WHERE promoter_id = ANY($1::text[])", [
    promoterIds,
  ]);
}

/** Another promoter whose identity has one of these ID-number indexes (one per key of the ring). */
export async function otherHolderOfIdNumber(q: Sql, promoterId: string, indexes: readonly string[]): Promise<boolean> {
  const rows = await q.query("SELECT 1 FROM promoter_identities WHERE id_number_index = ANY($1::text[]) AND promoter_id <> $2 LIMIT 1", [
    indexes,
    promoterId,
  ]);
  return rows.length > 0;
}

export type IdentityWrite = Omit<IdentityRow, "created_at" | "updated_at">;

/** Insert or replace the promoter's identity; returns the stored row. */
export async function upsertIdentity(q: Sql, w: IdentityWrite, at: Date): Promise<IdentityRow> {
  const [row] = await q.query<IdentityRow & Record<string, unknown>>(
    `INSERT INTO promoter_identities (promoter_id, legal_name_sealed, legal_name_masked, id_type, id_number_sealed, id_number_masked,
       id_number_index, phone_sealed, phone_masked, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (promoter_id) DO UPDATE SET legal_name_sealed = EXCLUDED.legal_name_sealed, legal_name_masked = EXCLUDED.legal_name_masked,
       id_type = EXCLUDED.id_type, id_number_sealed = EXCLUDED.id_number_sealed, id_number_masked = EXCLUDED.id_number_masked,
       id_number_index = EXCLUDED.id_number_index, phone_sealed = EXCLUDED.phone_sealed, phone_masked = EXCLUDED.phone_masked,
       updated_at = EXCLUDED.updated_at
     RETURNING *`,
    [
      w.promoter_id,
      w.legal_name_sealed,
      w.legal_name_masked,
      w.id_type,
      w.id_number_sealed,
      w.id_number_masked,
      w.id_number_index,
      w.phone_sealed,
      w.phone_masked,
      at,
    ],
  );
  if (!row) throw new Error("identity upsert returned nothing");
  return row;
}

export async function listPayoutAccountRows(q: Sql, promoterId: string, opts: { activeOnly: boolean }): Promise<PayoutAccountRow[]> {
  return q.query<PayoutAccountRow & Record<string, unknown>>(
    `SELECT * FROM payout_accounts WHERE promoter_id = $1 AND ($2::boolean IS FALSE OR status = 'active')
     ORDER BY created_at, id LIMIT 200`,
    [promoterId, opts.activeOnly],
  );
}

/** Payout accounts by id (whoever's they are: the caller checks the promoter). */
export async function getPayoutAccountRows(q: Sql, accountIds: readonly string[]): Promise<PayoutAccountRow[]> {
  return q.query<PayoutAccountRow & Record<string, unknown>>("SELECT * FROM payout_accounts WHERE id = ANY($1::text[])", [accountIds]);
}

export async function getPayoutAccountRow(
  q: Sql,
  promoterId: string,
  accountId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<PayoutAccountRow | null> {
  const [row] = await q.query<PayoutAccountRow & Record<string, unknown>>(
    `SELECT * FROM payout_accounts WHERE id = $1 AND promoter_id = $2${opts.forUpdate ? " FOR UPDATE" : ""}`,
    [accountId, promoterId],
  );
  return row ?? null;
}

/** The promoter's active account with one of these indexes (the same account added twice). */
export async function ownActiveAccountWith(q: Sql, promoterId: string, indexes: readonly string[]): Promise<string | null> {
  const [row] = await q.query<{ id: string }>(
    "SELECT id FROM payout_accounts WHERE promoter_id = $1 AND status = 'active' AND account_index = ANY($2::text[]) LIMIT 1",
    [promoterId, indexes],
  );
  return row?.id ?? null;
}

export async function countActiveAccounts(q: Sql, promoterId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM payout_accounts WHERE promoter_id = $1 AND status = 'active'",
    [promoterId],
  );
  return Number(row?.n ?? 0);
}

export async function insertPayoutAccount(
  q: Sql,
  row: Omit<PayoutAccountRow, "status" | "created_at" | "removed_at">,
  at: Date,
): Promise<PayoutAccountRow> {
  const [out] = await q.query<PayoutAccountRow & Record<string, unknown>>(
    `INSERT INTO payout_accounts (id, promoter_id, kind, details_sealed, details_masked, account_index, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7) RETURNING *`,
    [row.id, row.promoter_id, row.kind, row.details_sealed, JSON.stringify(row.details_masked), row.account_index, at],
  );
  if (!out) throw new Error("payout account insert returned nothing");
  return out;
}

export async function markAccountRemoved(q: Sql, accountId: string, at: Date): Promise<void> {
  await q.query("UPDATE payout_accounts SET status = 'removed', removed_at = $2 WHERE id = $1 AND status = 'active'", [accountId, at]);
}

/** A withdrawal still paying to this account (any merchant), or null. */
export async function withdrawalInProgressFor(
  q: Sql,
  accountId: string,
): Promise<{ merchantId: string; id: string; state: string } | null> {
  const [row] = await q.query<{ merchantId: string; id: string; state: string }>(
    `SELECT merchant_id AS "merchantId", id, state FROM withdrawals
     WHERE payout_account_id = $1 AND state = ANY($2::text[]) LIMIT 1`,
    [accountId, WITHDRAWAL_IN_PROGRESS],
  );
  return row ?? null;
}

/**
 * For each of the promoter's accounts, how many other promoters have an account with the same index, and how many
 * of those are members of `merchantId` (the duplicate-payout-account signal).
 */
export async function sharedAccountCounts(
  q: Sql,
  promoterId: string,
  merchantId: string,
): Promise<Map<string, { promoters: number; promotersHere: number }>> {
  const rows = await q.query<{ id: string; promoters: number; here: number }>(
    `SELECT a.id, count(DISTINCT o.promoter_id)::int AS promoters,
            count(DISTINCT o.promoter_id) FILTER (WHERE EXISTS (
              SELECT 1 FROM memberships m WHERE m.merchant_id = $2 AND m.promoter_id = o.promoter_id))::int AS here
     FROM payout_accounts a JOIN payout_accounts o ON o.account_index = a.account_index AND o.promoter_id <> a.promoter_id
     WHERE a.promoter_id = $1 GROUP BY a.id`,
    [promoterId, merchantId],
  );
  return new Map(rows.map((r) => [r.id, { promoters: Number(r.promoters), promotersHere: Number(r.here) }]));
}

/** Whether the promoter is a member of any of the merchant's programs. */
export async function isMemberOf(q: Sql, merchantId: string, promoterId: string): Promise<boolean> {
  const rows = await q.query("SELECT 1 FROM memberships WHERE merchant_id = $1 AND promoter_id = $2 LIMIT 1", [merchantId, promoterId]);
  return rows.length > 0;
}
