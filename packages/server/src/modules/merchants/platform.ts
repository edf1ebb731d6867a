/**
 * The platform console's figures, in SQL (docs/analytics.md "Platform figures"). "This month" is the calendar month of
 * PLATFORM_TIME_ZONE that holds `now`; sales and commission follow the merchant figures' definitions (attributed
 * orders, net of refunds, cancelled ones left out; commission lines of orders paid in the month plus lines without an
 * order created in it), summed over all the merchant's programs.
 */
import type { Sql } from "../../db/client.ts";

export const PLATFORM_TIME_ZONE = "Asia/Shanghai";

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** [start, end) of the calendar month of PLATFORM_TIME_ZONE holding `now`. */
export async function monthBounds(q: Sql, now: Date): Promise<{ start: Date; end: Date; month: string }> {
  const [r] = await q.query<{ s: Date; e: Date; m: string }>(
    `SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2) AS s,
            ((date_trunc('month', $1::timestamptz AT TIME ZONE $2) + interval '1 month') AT TIME ZONE $2) AS e,
            to_char($1::timestamptz AT TIME ZONE $2, 'YYYY-MM') AS m`,
    [now, PLATFORM_TIME_ZONE],
  );
  if (!r) throw new Error("month bounds: no row");
  return { start: new Date(r.s), end: new Date(r.e), month: r.m };
}

export interface MerchantRow {
  id: string;
  name: string;
  slug: string | null;
  status: "active" | "suspended";
  statusReason: string | null;
  statusChangedAt: string | null;
  createdAt: string;
  promoters: number;
  salesMinor: number;
  commissionMinor: number;
}

/** Per merchant: its active promoters (distinct, over its programs), attributed sales and commission of the month. */
const PER_MERCHANT = `
  promoters AS (
    SELECT merchant_id, count(DISTINCT promoter_id) AS n FROM memberships WHERE status = 'active' GROUP BY merchant_id
  ), sales AS (
    SELECT merchant_id, sum(amount_minor - refunded_minor)::bigint AS n FROM orders
    WHERE paid_at >= $1 AND paid_at < $2 AND status <> 'cancelled' AND promoter_id IS NOT NULL GROUP BY merchant_id
  ), commission AS (
    SELECT merchant_id, sum(cost)::bigint AS n FROM (
      SELECT o.merchant_id, cl.amount_minor - cl.reversed_minor AS cost
      FROM orders o JOIN commission_lines cl ON cl.merchant_id = o.merchant_id AND cl.order_id = o.id
      WHERE o.paid_at >= $1 AND o.paid_at < $2
      UNION ALL
      SELECT merchant_id, amount_minor - reversed_minor FROM commission_lines WHERE order_id IS NULL AND created_at >= $1 AND created_at < $2
    ) x GROUP BY merchant_id
  )`;

export interface MerchantFilter {
  search: string | null;
  status: "active" | "suspended" | null;
  limit: number;
  offset: number;
}

/** The merchants matching the filter (name, slug or id containing `search`), newest first, with the month's figures. */
export async function listMerchants(
  q: Sql,
  f: MerchantFilter,
  month: { start: Date; end: Date },
): Promise<{ items: MerchantRow[]; total: number }> {
  const pattern = f.search ? `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await q.query<Record<string, unknown>>(
    `WITH ${PER_MERCHANT}
     SELECT m.id, m.name, m.slug, m.status, m.status_reason, m.status_changed_at, m.created_at,
            coalesce(p.n, 0) AS promoters, coalesce(s.n, 0) AS sales, coalesce(c.n, 0) AS commission, count(*) OVER () AS total
     FROM merchants m LEFT JOIN promoters p ON p.merchant_id = m.id LEFT JOIN sales s ON s.merchant_id = m.id
       LEFT JOIN commission c ON c.merchant_id = m.id
     WHERE ($3::text IS NULL OR m.name ILIKE $3 OR m.slug ILIKE $3 OR m.id ILIKE $3) AND ($4::text IS NULL OR m.status = $4)
     ORDER BY m.created_at DESC, m.id DESC LIMIT $5 OFFSET $6`,
    [month.start, month.end, pattern, f.status, f.limit, f.offset],
  );
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      slug: (r.slug as string | null) ?? null,
      status: r.status as MerchantRow["status"],
      statusReason: (r.status_reason as string | null) ?? null,
      statusChangedAt: r.status_changed_at ? new Date(r.status_changed_at as string).toISOString() : null,
      createdAt: new Date(r.created_at as string).toISOString(),
      promoters: n(r.promoters),
      salesMinor: n(r.sales),
      commissionMinor: n(r.commission),
    })),
    total: rows.length > 0 ? n(rows[0]?.total) : await countMerchants(q, pattern, f.status),
  };
}

/** The total when the page asked for is past the end (no row carries it). */
async function countMerchants(q: Sql, pattern: string | null, status: string | null): Promise<number> {
  const [r] = await q.query<{ n: unknown }>(
    `SELECT count(*) AS n FROM merchants m
     WHERE ($1::text IS NULL OR m.name ILIKE $1 OR m.slug ILIKE $1 OR m.id ILIKE $1) AND ($2::text IS NULL OR m.status = $2)`,
    [pattern, status],
  );
  return n(r?.n);
}

export interface PlatformKpis {
  month: string;
  timeZone: string;
  merchants: number;
  activeMerchants: number;
  promoters: number;
  salesMinor: number;
  commissionMinor: number;
  payoutsMinor: number;
  payouts: number;
}

/** The platform-wide figures of the month, in one statement. */
export async function platformKpis(q: Sql, month: { start: Date; end: Date; month: string }): Promise<PlatformKpis> {
  const [r] = await q.query<Record<string, unknown>>(
    `WITH ${PER_MERCHANT}
     SELECT (SELECT count(*) FROM merchants) AS merchants,
            (SELECT count(*) FROM merchants WHERE status = 'active') AS active_merchants,
            (SELECT count(DISTINCT promoter_id) FROM memberships WHERE status = 'active') AS promoters,
            (SELECT coalesce(sum(n), 0) FROM sales) AS sales,
            (SELECT coalesce(sum(n), 0) FROM commission) AS commission,
            (SELECT coalesce(sum(net_minor), 0) FROM withdrawals WHERE state = 'paid' AND finished_at >= $1 AND finished_at < $2) AS payouts_minor,
            (SELECT count(*) FROM withdrawals WHERE state = 'paid' AND finished_at >= $1 AND finished_at < $2) AS payouts`,
    [month.start, month.end],
  );
  return {
    month: month.month,
    timeZone: PLATFORM_TIME_ZONE,
    merchants: n(r?.merchants),
    activeMerchants: n(r?.active_merchants),
    promoters: n(r?.promoters),
    salesMinor: n(r?.sales),
    commissionMinor: n(r?.commission),
    payoutsMinor: n(r?.payouts_minor),
    payouts: n(r?.payouts),
  };
}

export interface ProgramFeeRow {
  merchantId: string;
  merchantName: string;
  programId: string;
  programName: string;
  rateBps: number;
}

/** Every program's platform service fee (program_money_settings.fee; no row or no rate is 0). */
export async function programFees(q: Sql, merchantId: string | null): Promise<ProgramFeeRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT p.merchant_id, m.name AS merchant_name, p.id AS program_id, p.name AS program_name,
            coalesce((s.fee->>'rateBps')::int, 0) AS rate_bps
     FROM programs p JOIN merchants m ON m.id = p.merchant_id
       LEFT JOIN program_money_settings s ON s.merchant_id = p.merchant_id AND s.program_id = p.id
     WHERE ($1::text IS NULL OR p.merchant_id = $1)
     ORDER BY m.created_at DESC, p.merchant_id, p.id LIMIT 1000`,
    [merchantId],
  );
  return rows.map((r) => ({
    merchantId: String(r.merchant_id),
    merchantName: String(r.merchant_name),
    programId: String(r.program_id),
    programName: String(r.program_name),
    rateBps: n(r.rate_bps),
  }));
}
