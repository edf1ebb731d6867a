/** Reads of the merchant's ledger for statements: opening balances, a month's postings, totals by kind. */
import { promoterAccount } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { BUCKETS, type Buckets, type PostingRow, zeroBuckets } from "./compute.ts";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export interface MerchantInfo {
  id: string;
  name: string;
  timeZone: string;
}

/**
 * The merchant, with the time zone its statements use: the time zone of its first program (programs of one merchant
 * share one ledger, so one zone cuts its months; Asia/Shanghai when it has no program). Null when unknown.
 */
export async function merchantInfo(q: Sql, merchantId: string): Promise<MerchantInfo | null> {
  const [row] = await q.query<{ id: string; name: string; timezone: string | null }>(
    `SELECT m.id, m.name, (SELECT p.timezone FROM programs p WHERE p.merchant_id = m.id ORDER BY p.created_at, p.id LIMIT 1) AS timezone
     FROM merchants m WHERE m.id = $1`,
    [merchantId],
  );
  return row ? { id: row.id, name: row.name, timeZone: row.timezone ?? DEFAULT_TIME_ZONE } : null;
}

/** Merchants whose ledger has accounts of this promoter (through the promoter's memberships). */
export async function merchantsOfPromoter(q: Sql, promoterId: string): Promise<string[]> {
  const rows = await q.query<{ merchant_id: string }>(
    "SELECT DISTINCT merchant_id FROM memberships WHERE promoter_id = $1 ORDER BY merchant_id",
    [promoterId],
  );
  return rows.map((r) => r.merchant_id);
}

export async function promoterNames(q: Sql, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await q.query<{ id: string; name: string }>("SELECT id, name FROM promoters WHERE id = ANY($1)", [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every promoter with an account in the merchant's ledger, in id order (code-point order, whatever the collation). */
export async function promotersWithAccounts(q: Sql, merchantId: string): Promise<string[]> {
  const rows = await q.query<{ promoter_id: string }>(
    "SELECT DISTINCT split_part(account, ':', 2) AS promoter_id FROM account_balances WHERE merchant_id = $1 AND account LIKE 'promoter:%'",
    [merchantId],
  );
  return rows.map((r) => r.promoter_id).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function accountsOf(promoterIds: readonly string[]): string[] {
  return promoterIds.flatMap((id) => BUCKETS.map((b) => promoterAccount(id, b)));
}

/**
 * The promoters' balances at the month's start and the month's postings, from one statement (one snapshot): the stored
 * balances and every posting of a transaction created since `from`. Opening = stored − everything since `from`; the
 * month's lines are the postings before `to`. `fromSeq`, when given, is the first transaction created at or after `from`
 * (firstSeqSince): postings of earlier transactions are skipped in the index instead of being joined and dropped.
 */
export async function monthActivity(
  q: Sql,
  merchantId: string,
  promoterIds: readonly string[],
  from: Date,
  to: Date,
  fromSeq: number | null = null,
): Promise<{ opening: Map<string, Map<string, Buckets>>; rows: PostingRow[] }> {
  const found = await q.query<{
    seq: string | number | null;
    kind: string | null;
    cause_ref: string | null;
    memo: string | null;
    created_at: Date | null;
    account: string;
    currency: string;
    amount_minor: string | number;
  }>(
    `WITH b AS MATERIALIZED (SELECT account, currency, balance_minor FROM account_balances WHERE merchant_id = $1 AND account = ANY($2))
     SELECT NULL::bigint AS seq, NULL::text AS kind, NULL::text AS cause_ref, NULL::text AS memo, NULL::timestamptz AS created_at,
            b.account, b.currency, b.balance_minor AS amount_minor FROM b
     UNION ALL
     SELECT t.seq, t.kind, t.cause_ref, t.memo, t.created_at, p.account, p.currency, p.amount_minor
     FROM (SELECT DISTINCT account FROM b) a
     JOIN ledger_postings p ON p.merchant_id = $1 AND p.account = a.account AND ($4::bigint IS NULL OR p.tx_seq >= $4)
     JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
     WHERE t.created_at >= $3`,
    [merchantId, accountsOf(promoterIds), from, fromSeq],
  );
  const opening = new Map<string, Map<string, Buckets>>();
  const bucketsOf = (account: string, currency: string): [Buckets, keyof Buckets] => {
    const [, promoterId, bucket] = account.split(":") as [string, string, keyof Buckets];
    let per = opening.get(promoterId);
    if (!per) {
      per = new Map();
      opening.set(promoterId, per);
    }
    let b = per.get(currency);
    if (!b) {
      b = zeroBuckets();
      per.set(currency, b);
    }
    return [b, bucket];
  };
  const rows: PostingRow[] = [];
  const toMs = to.getTime();
  for (const r of found) {
    const [b, bucket] = bucketsOf(r.account, r.currency);
    const amount = Number(r.amount_minor);
    if (r.seq === null) {
      b[bucket] += amount;
      continue;
    }
    b[bucket] -= amount;
    const createdAt = new Date(r.created_at as Date);
    if (createdAt.getTime() < toMs)
      rows.push({
        seq: Number(r.seq),
        kind: r.kind as string,
        causeRef: r.cause_ref as string,
        memo: r.memo as string,
        createdAt,
        account: r.account,
        currency: r.currency,
        amountMinor: amount,
      });
  }
  rows.sort((x, y) => x.seq - y.seq);
  return { opening, rows };
}

/** Account classes of the merchant statement. */
export const ACCOUNT_CLASSES = ["owed", "paid", "tax", "expense", "fee_income", "platform_fee", "other"] as const;
export type AccountClass = (typeof ACCOUNT_CLASSES)[number];

const CLASS_SQL = `CASE
  WHEN p.account LIKE 'promoter:%' AND split_part(p.account, ':', 3) IN ('pending', 'available', 'held', 'locked') THEN 'owed'
  WHEN p.account LIKE 'promoter:%' AND split_part(p.account, ':', 3) = 'paid' THEN 'paid'
  WHEN p.account LIKE 'promoter:%' AND split_part(p.account, ':', 3) = 'tax' THEN 'tax'
  WHEN p.account LIKE 'merchant:%' AND split_part(p.account, ':', 3) IN ('commission_expense', 'reward_expense') THEN 'expense'
  WHEN p.account LIKE 'merchant:%' AND split_part(p.account, ':', 3) = 'fee_income' THEN 'fee_income'
  WHEN p.account = 'platform:fee' THEN 'platform_fee'
  ELSE 'other' END`;

export interface KindTotals {
  kind: string;
  currency: string;
  transactions: number;
  /** Sum of the positive legs: the money the kind moved. */
  volumeMinor: number;
  sums: Record<AccountClass, number>;
}

/** The month's postings of the whole merchant ledger summed by transaction kind, currency and account class. */
export async function totalsByKind(q: Sql, merchantId: string, from: Date, to: Date): Promise<KindTotals[]> {
  const rows = await q.query<{ kind: string; currency: string; cls: AccountClass; total: string | number; volume: string | number }>(
    `SELECT t.kind, p.currency, ${CLASS_SQL} AS cls, sum(p.amount_minor)::bigint AS total, sum(greatest(p.amount_minor, 0))::bigint AS volume
     FROM ledger_postings p JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
     WHERE t.merchant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [merchantId, from, to],
  );
  const txCounts = await q.query<{ kind: string; n: string | number }>(
    "SELECT kind, count(*) AS n FROM ledger_transactions WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY kind",
    [merchantId, from, to],
  );
  const counts = new Map(txCounts.map((c) => [c.kind, Number(c.n)]));
  const out = new Map<string, KindTotals>();
  for (const r of rows) {
    const k = `${r.kind}|${r.currency}`;
    let e = out.get(k);
    if (!e) {
      e = {
        kind: r.kind,
        currency: r.currency,
        transactions: 0,
        volumeMinor: 0,
        sums: Object.fromEntries(ACCOUNT_CLASSES.map((c) => [c, 0])) as KindTotals["sums"],
      };
      out.set(k, e);
    }
    e.sums[r.cls] += Number(r.total);
    e.volumeMinor += Number(r.volume);
  }
  for (const e of out.values()) e.transactions = counts.get(e.kind) ?? 0;
  return [...out.values()].sort((a, b) => (a.currency + a.kind < b.currency + b.kind ? -1 : 1));
}

/** Sum of every promoter's balance owed (pending + available + held + locked) at `at`, per currency. */
export async function owedTotalAt(q: Sql, merchantId: string, at: Date): Promise<Map<string, number>> {
  const rows = await q.query<{ currency: string; total: string | number }>(
    `WITH since AS (
       SELECT p.currency, sum(p.amount_minor) AS s FROM ledger_postings p
       JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
       WHERE p.merchant_id = $1 AND t.created_at >= $2 AND p.account LIKE 'promoter:%'
         AND split_part(p.account, ':', 3) IN ('pending', 'available', 'held', 'locked') GROUP BY p.currency),
     now AS (
       SELECT currency, sum(balance_minor) AS s FROM account_balances WHERE merchant_id = $1 AND account LIKE 'promoter:%'
         AND split_part(account, ':', 3) IN ('pending', 'available', 'held', 'locked') GROUP BY currency)
     SELECT coalesce(n.currency, s.currency) AS currency, (coalesce(n.s, 0) - coalesce(s.s, 0))::bigint AS total
     FROM now n FULL OUTER JOIN since s ON s.currency = n.currency`,
    [merchantId, at],
  );
  return new Map(rows.map((r) => [r.currency, Number(r.total)]));
}

/**
 * The lowest transaction number created at or after `at` (null when none): every transaction created since `at` has a
 * number at least this, whatever order the times were written in. One scan of the merchant's transactions.
 */
export async function firstSeqSince(q: Sql, merchantId: string, at: Date): Promise<number | null> {
  const [row] = await q.query<{ seq: string | number | null }>(
    "SELECT min(seq) AS seq FROM ledger_transactions WHERE merchant_id = $1 AND created_at >= $2",
    [merchantId, at],
  );
  return row?.seq == null ? null : Number(row.seq);
}
