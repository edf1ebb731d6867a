/** Withdrawal persistence: the rows a withdrawal is decided from and the rows it writes (migration 0009). */
import type { WithdrawalEvent, WithdrawalState } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";

export interface WithdrawalRow {
  merchantId: string;
  id: string;
  programId: string;
  promoterId: string;
  payoutAccountId: string;
  payoutKind: string;
  payeeMasked: Record<string, unknown>;
  currency: string;
  amountMinor: number;
  taxMinor: number;
  feeMinor: number;
  netMinor: number;
  taxDetail: { method?: string; agent?: "platform" | "merchant"; month?: string; trace?: unknown };
  state: WithdrawalState;
  stateReason: string | null;
  approval: "auto" | "review";
  requestedAt: Date;
  requestedDay: string;
  reviewDueAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  provider: string | null;
  providerRef: string | null;
  providerBillNo: string | null;
  providerState: string | null;
  packageInfo: string | null;
  expiresAt: Date | null;
  payoutRunId: string | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export const WITHDRAWAL_COLS = `w.merchant_id AS "merchantId", w.id, w.program_id AS "programId", w.promoter_id AS "promoterId",
  w.payout_account_id AS "payoutAccountId", w.payout_kind AS "payoutKind", w.payee_masked AS "payeeMasked", w.currency,
  w.amount_minor::bigint AS "amountMinor", w.tax_minor::bigint AS "taxMinor", w.fee_minor::bigint AS "feeMinor", w.net_minor::bigint AS "netMinor",
  w.tax_detail AS "taxDetail", w.state, w.state_reason AS "stateReason", w.approval, w.requested_at AS "requestedAt",
  to_char(w.requested_day, 'YYYY-MM-DD') AS "requestedDay", w.review_due_at AS "reviewDueAt", w.decided_by AS "decidedBy",
  w.decided_at AS "decidedAt", w.provider, w.provider_ref AS "providerRef", w.provider_bill_no AS "providerBillNo",
  w.provider_state AS "providerState", w.package_info AS "packageInfo", w.expires_at AS "expiresAt", w.payout_run_id AS "payoutRunId",
  w.finished_at AS "finishedAt", w.updated_at AS "updatedAt"`;

export function normalise(r: WithdrawalRow): WithdrawalRow {
  return {
    ...r,
    amountMinor: Number(r.amountMinor),
    taxMinor: Number(r.taxMinor),
    feeMinor: Number(r.feeMinor),
    netMinor: Number(r.netMinor),
  };
}

export async function getWithdrawal(q: Sql, merchantId: string, id: string, lock = false): Promise<WithdrawalRow | null> {
  const [row] = await q.query<WithdrawalRow & Record<string, unknown>>(
    `SELECT ${WITHDRAWAL_COLS} FROM withdrawals w WHERE w.merchant_id = $1 AND w.id = $2${lock ? " FOR UPDATE" : ""}`,
    [merchantId, id],
  );
  return row ? normalise(row) : null;
}

/** A promoter's withdrawal, whichever merchant it is at (ids are unique across the deployment). */
export async function getPromoterWithdrawal(q: Sql, promoterId: string, id: string): Promise<WithdrawalRow | null> {
  const [row] = await q.query<WithdrawalRow & Record<string, unknown>>(
    `SELECT ${WITHDRAWAL_COLS} FROM withdrawals w WHERE w.promoter_id = $1 AND w.id = $2`,
    [promoterId, id],
  );
  return row ? normalise(row) : null;
}

export interface WithdrawalListFilter {
  merchantId?: string;
  promoterId?: string;
  programId?: string;
  state?: WithdrawalState;
  from?: string;
  to?: string;
}

function filterSql(f: WithdrawalListFilter, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace("?", `$${params.length}`));
  };
  if (f.merchantId !== undefined) add("w.merchant_id = ?", f.merchantId);
  if (f.promoterId !== undefined) add("w.promoter_id = ?", f.promoterId);
  if (f.programId !== undefined) add("w.program_id = ?", f.programId);
  if (f.state !== undefined) add("w.state = ?", f.state);
  if (f.from !== undefined) add("w.requested_at >= ?::timestamptz", f.from);
  if (f.to !== undefined) add("w.requested_at < ?::timestamptz", f.to);
  return where.length ? where.join(" AND ") : "true";
}

/** Newest first, keyset on (requested_at, id); `limit + 1` rows so the caller knows whether there is a next page. */
export async function listWithdrawals(
  q: Sql,
  f: WithdrawalListFilter,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<(WithdrawalRow & { promoterName: string })[]> {
  const params: unknown[] = [];
  let where = filterSql(f, params);
  if (after) {
    params.push(after.at, after.id);
    where += ` AND (w.requested_at, w.id) < ($${params.length - 1}::timestamptz, $${params.length}::text)`;
  }
  params.push(limit + 1);
  const rows = await q.query<WithdrawalRow & { promoterName: string } & Record<string, unknown>>(
    `SELECT ${WITHDRAWAL_COLS}, p.name AS "promoterName" FROM withdrawals w JOIN promoters p ON p.id = w.promoter_id
     WHERE ${where} ORDER BY w.requested_at DESC, w.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...normalise(r), promoterName: r.promoterName }));
}

export async function countWithdrawals(q: Sql, f: WithdrawalListFilter): Promise<number> {
  const params: unknown[] = [];
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM withdrawals w WHERE ${filterSql(f, params)}`, params);
  return Number(row?.n ?? 0);
}

export interface TransitionRow {
  seq: number;
  from: WithdrawalState | null;
  event: WithdrawalEvent;
  to: WithdrawalState;
  actor: string;
  reason: string | null;
  ledgerSeq: number | null;
  at: Date;
}

export async function listTransitions(q: Sql, merchantId: string, withdrawalId: string): Promise<TransitionRow[]> {
  const rows = await q.query<TransitionRow & Record<string, unknown>>(
    `SELECT seq, from_state AS "from", event, to_state AS "to", actor, reason, ledger_seq AS "ledgerSeq", at
     FROM withdrawal_transitions WHERE merchant_id = $1 AND withdrawal_id = $2 ORDER BY seq`,
    [merchantId, withdrawalId],
  );
  return rows.map((r) => ({ ...r, ledgerSeq: r.ledgerSeq === null ? null : Number(r.ledgerSeq) }));
}

export async function insertTransition(q: Sql, merchantId: string, withdrawalId: string, t: Omit<TransitionRow, "seq">): Promise<number> {
  const [row] = await q.query<{ seq: number }>(
    `INSERT INTO withdrawal_transitions (merchant_id, withdrawal_id, seq, from_state, event, to_state, actor, reason, ledger_seq, at)
     SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9
     FROM withdrawal_transitions WHERE merchant_id = $1 AND withdrawal_id = $2 RETURNING seq`,
    [merchantId, withdrawalId, t.from, t.event, t.to, t.actor, t.reason, t.ledgerSeq, t.at],
  );
  return Number(row?.seq);
}

/** Transition rows of distinct withdrawals in one statement, each numbered after that withdrawal's last. */
export async function insertTransitions(
  q: Sql,
  merchantId: string,
  rows: readonly (Omit<TransitionRow, "seq"> & { withdrawalId: string })[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO withdrawal_transitions (merchant_id, withdrawal_id, seq, from_state, event, to_state, actor, reason, ledger_seq, at)
     SELECT $1, x.w, coalesce((SELECT max(t.seq) FROM withdrawal_transitions t WHERE t.merchant_id = $1 AND t.withdrawal_id = x.w), 0) + 1,
            x.f, x.e, x.t, x.a, x.r, x.l, x.at
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::timestamptz[]) AS x(w, f, e, t, a, r, l, at)`,
    [
      merchantId,
      rows.map((r) => r.withdrawalId),
      rows.map((r) => r.from),
      rows.map((r) => r.event),
      rows.map((r) => r.to),
      rows.map((r) => r.actor),
      rows.map((r) => r.reason),
      rows.map((r) => r.ledgerSeq),
      rows.map((r) => r.at),
    ],
  );
}

/** The withdrawals' tax returns (rejected or failed), as voidTaxWithholding does for one. */
export async function voidTaxWithholdings(q: Sql, merchantId: string, withdrawalIds: readonly string[], at: Date): Promise<void> {
  if (withdrawalIds.length === 0) return;
  await q.query(
    "UPDATE tax_withholdings SET state = 'void', voided_at = $3 WHERE merchant_id = $1 AND withdrawal_id = ANY($2::text[]) AND state = 'active'",
    [merchantId, withdrawalIds, at],
  );
}

export type NewWithdrawal = Omit<
  WithdrawalRow,
  | "state"
  | "stateReason"
  | "decidedBy"
  | "decidedAt"
  | "provider"
  | "providerRef"
  | "providerBillNo"
  | "providerState"
  | "packageInfo"
  | "expiresAt"
  | "payoutRunId"
  | "finishedAt"
  | "updatedAt"
>;

/** A new withdrawal in state `requested` (its first transition is written by the caller). */
export async function insertWithdrawal(q: Sql, w: NewWithdrawal): Promise<void> {
  await q.query(
    `INSERT INTO withdrawals (merchant_id, id, program_id, promoter_id, payout_account_id, payout_kind, payee_masked, currency,
       amount_minor, tax_minor, fee_minor, net_minor, tax_detail, state, approval, requested_at, requested_day, review_due_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'requested', $14, $15, $16::date, $17, $15)`,
    [
      w.merchantId,
      w.id,
      w.programId,
      w.promoterId,
      w.payoutAccountId,
      w.payoutKind,
      JSON.stringify(w.payeeMasked),
      w.currency,
      w.amountMinor,
      w.taxMinor,
      w.feeMinor,
      w.netMinor,
      JSON.stringify(w.taxDetail),
      w.approval,
      w.requestedAt,
      w.requestedDay,
      w.reviewDueAt,
    ],
  );
}

/** The promoter's balances in the merchant's ledger, by account type, in one currency (0 where there is no row). */
export async function promoterBalances(q: Sql, merchantId: string, promoterId: string, currency: string): Promise<Record<string, number>> {
  const rows = await q.query<{ account: string; balance: number }>(
    `SELECT account, balance_minor::bigint AS balance FROM account_balances
     WHERE merchant_id = $1 AND currency = $2 AND account LIKE $3`,
    [merchantId, currency, `promoter:${promoterId}:%`],
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[r.account.slice(`promoter:${promoterId}:`.length)] = Number(r.balance);
  return out;
}

/** The promoter's withdrawals of this program requested on `day` (the program's calendar day) that were not rejected and did not fail. */
export async function todaysWithdrawals(
  q: Sql,
  merchantId: string,
  programId: string,
  promoterId: string,
  day: string,
): Promise<{ amountMinor: number }[]> {
  const rows = await q.query<{ amountMinor: number }>(
    `SELECT amount_minor::bigint AS "amountMinor" FROM withdrawals
     WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 AND requested_day = $4::date AND state NOT IN ('rejected', 'failed')`,
    [merchantId, programId, promoterId, day],
  );
  return rows.map((r) => ({ amountMinor: Number(r.amountMinor) }));
}

/**
 * The withholding agent's tax person row, created when missing and locked until the transaction ends: two
 * withdrawals of one person under one agent (even at two merchants) compute their tax one after the other.
 */
export async function lockTaxPerson(q: Sql, agent: string, promoterId: string): Promise<void> {
  await q.query("INSERT INTO tax_people (agent, promoter_id) VALUES ($1, $2) ON CONFLICT (agent, promoter_id) DO NOTHING", [
    agent,
    promoterId,
  ]);
  await q.query("SELECT 1 FROM tax_people WHERE agent = $1 AND promoter_id = $2 FOR UPDATE", [agent, promoterId]);
}

/** The person's active (not voided) withholdings with this agent in a tax year, summed per month. */
export async function taxHistory(
  q: Sql,
  agent: string,
  promoterId: string,
  year: number,
): Promise<{ month: string; incomeMinor: number; taxMinor: number }[]> {
  const rows = await q.query<{ month: string; income: number; tax: number }>(
    `SELECT tax_month AS month, sum(income_minor)::bigint AS income, sum(tax_minor)::bigint AS tax FROM tax_withholdings
     WHERE agent = $1 AND promoter_id = $2 AND tax_year = $3 AND state = 'active' GROUP BY tax_month ORDER BY tax_month`,
    [agent, promoterId, year],
  );
  return rows.map((r) => ({ month: r.month, incomeMinor: Number(r.income), taxMinor: Number(r.tax) }));
}

export async function insertTaxWithholding(
  q: Sql,
  t: {
    merchantId: string;
    withdrawalId: string;
    agent: string;
    promoterId: string;
    method: string;
    month: string;
    incomeMinor: number;
    taxMinor: number;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO tax_withholdings (merchant_id, withdrawal_id, agent, promoter_id, method, tax_year, tax_month, income_minor, tax_minor, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [t.merchantId, t.withdrawalId, t.agent, t.promoterId, t.method, Number(t.month.slice(0, 4)), t.month, t.incomeMinor, t.taxMinor, t.at],
  );
}

/** The withdrawal's tax returns (rejected or failed): its row no longer counts in the person's figures. */
export async function voidTaxWithholding(q: Sql, merchantId: string, withdrawalId: string, at: Date): Promise<void> {
  await q.query(
    "UPDATE tax_withholdings SET state = 'void', voided_at = $3 WHERE merchant_id = $1 AND withdrawal_id = $2 AND state = 'active'",
    [merchantId, withdrawalId, at],
  );
}

export interface PayoutAccountRow {
  id: string;
  kind: "wechat" | "alipay" | "bank";
  detailsMasked: Record<string, unknown>;
}

/**
 * An active payout account of the promoter, or null. `lock` holds it FOR SHARE until the transaction ends: its removal
 * (which locks it FOR UPDATE and refuses while a withdrawal pays to it) then waits for the withdrawal, or the
 * withdrawal sees it removed.
 */
export async function activePayoutAccount(q: Sql, promoterId: string, accountId: string, lock = false): Promise<PayoutAccountRow | null> {
  const [row] = await q.query<PayoutAccountRow & Record<string, unknown>>(
    `SELECT id, kind, details_masked AS "detailsMasked" FROM payout_accounts WHERE id = $1 AND promoter_id = $2 AND status = 'active'${lock ? " FOR SHARE" : ""}`,
    [accountId, promoterId],
  );
  return row ?? null;
}

/** The merchant and program of the promoter's membership in a program, or null. */
export async function membershipProgram(q: Sql, programId: string, promoterId: string): Promise<{ merchantId: string } | null> {
  const [row] = await q.query<{ merchant_id: string }>(
    "SELECT merchant_id FROM memberships WHERE program_id = $1 AND promoter_id = $2 ORDER BY merchant_id LIMIT 1",
    [programId, promoterId],
  );
  return row ? { merchantId: row.merchant_id } : null;
}
