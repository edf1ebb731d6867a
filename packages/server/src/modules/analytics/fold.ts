/**
 * The fold of the analytics summaries (migration 0025): per merchant, one REPEATABLE READ transaction recomputes from
 * the rows every day of a program that has an order or a commission line changed by a transaction at or after the
 * program's watermark, and moves the watermark to the oldest transaction still running at its snapshot. Every
 * transaction below the new watermark has ended, so its changes are in the snapshot; a change the snapshot misses has
 * a transaction id at or above it and is read from the rows by the endpoints (the tail) until the next fold. The fold
 * locks only its own watermark rows (FOR UPDATE: two folds of a merchant take turns), never a row a writer waits on.
 * A fold that fails or is killed rolls back whole; the next one recomputes the same days again from the rows, so
 * nothing is counted twice.
 *
 * What it buys: an endpoint reads a period's summary rows (one per day, per seller-day or seller-month, per
 * product-day) and the rows of the few tail days, instead of every order of the period.
 */
import type { Db, Sql } from "../../db/client.ts";

export interface FoldResult {
  programs: number;
  days: number;
}

/** The days of a program (local dates) that have a row changed at or after `xid`: orders by paid day, lines by the cost rule. */
export const CHANGED_DAYS_SQL = `
  SELECT (o.paid_at AT TIME ZONE $3)::date AS day FROM orders o
  WHERE o.merchant_id = $1 AND o.analytics_xid >= $4::xid8 AND o.program_id = $2
  UNION
  SELECT (coalesce(o.paid_at, cl.created_at) AT TIME ZONE $3)::date FROM commission_lines cl
  LEFT JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
  WHERE cl.merchant_id = $1 AND cl.analytics_xid >= $4::xid8 AND (cl.program_id = $2 OR o.program_id = $2)`;

/** The local days $4 (date[]) of program $2 in time zone $3 as instants [s, e). */
const RANGES = `r AS (SELECT d AS day, (d::timestamp AT TIME ZONE $3) AS s, ((d + 1)::timestamp AT TIME ZONE $3) AS e FROM unnest($4::date[]) d)`;

const DAYS_SQL = `
WITH ${RANGES}
INSERT INTO analytics_days (merchant_id, program_id, day, orders, sales_minor, u_orders, u_sales_minor, commission_minor)
SELECT $1, $2, r.day, o.orders, o.sales, o.u_orders, o.u_sales, c.cost + u.cost FROM r
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE promoter_id IS NOT NULL) AS orders,
         coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NOT NULL), 0) AS sales,
         count(*) FILTER (WHERE promoter_id IS NULL) AS u_orders,
         coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NULL), 0) AS u_sales
  FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= r.s AND paid_at < r.e AND status <> 'cancelled') o
CROSS JOIN LATERAL (
  SELECT coalesce(sum(cl.amount_minor - cl.reversed_minor), 0) AS cost
  FROM orders x JOIN commission_lines cl ON cl.merchant_id = x.merchant_id AND cl.order_id = x.id
  WHERE x.merchant_id = $1 AND x.program_id = $2 AND x.paid_at >= r.s AND x.paid_at < r.e) c
CROSS JOIN LATERAL (
  SELECT coalesce(sum(amount_minor - reversed_minor), 0) AS cost FROM commission_lines
  WHERE merchant_id = $1 AND program_id = $2 AND order_id IS NULL AND created_at >= r.s AND created_at < r.e) u
WHERE o.orders + o.u_orders > 0 OR c.cost <> 0 OR u.cost <> 0`;

/** Sellers' counted orders and net sales, and beneficiaries' commission by top promoters' rule (the line's program). */
const PROMOTER_DAYS_SQL = `
WITH ${RANGES},
s AS (
  SELECT r.day, o.promoter_id, count(*) AS orders, sum(o.amount_minor - o.refunded_minor) AS sales FROM r
  JOIN orders o ON o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= r.s AND o.paid_at < r.e
  WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL GROUP BY 1, 2
), c AS (
  SELECT day, beneficiary_id AS promoter_id, sum(cost) AS cost FROM (
    SELECT r.day, cl.beneficiary_id, cl.amount_minor - cl.reversed_minor AS cost FROM r
    JOIN orders x ON x.merchant_id = $1 AND x.paid_at >= r.s AND x.paid_at < r.e
    JOIN commission_lines cl ON cl.merchant_id = x.merchant_id AND cl.order_id = x.id AND cl.program_id = $2
    UNION ALL
    SELECT r.day, cl.beneficiary_id, cl.amount_minor - cl.reversed_minor FROM r
    JOIN commission_lines cl ON cl.merchant_id = $1 AND cl.program_id = $2 AND cl.order_id IS NULL AND cl.created_at >= r.s AND cl.created_at < r.e
  ) y GROUP BY 1, 2
)
INSERT INTO analytics_promoter_days (merchant_id, program_id, day, promoter_id, orders, sales_minor, commission_minor)
SELECT $1, $2, day, promoter_id, coalesce(s.orders, 0), coalesce(s.sales, 0), coalesce(c.cost, 0)
FROM s FULL JOIN c USING (day, promoter_id)`;

const PRODUCT_DAYS_SQL = `
WITH ${RANGES}
INSERT INTO analytics_product_days (merchant_id, program_id, day, product_id, quantity, orders, sales_minor, line_name)
SELECT $1, $2, r.day, l.product_id, sum(l.quantity), count(DISTINCT l.order_id), sum(l.net_amount_minor - l.refunded_minor), max(l.product_name)
FROM r JOIN orders o ON o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= r.s AND o.paid_at < r.e
JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
GROUP BY r.day, l.product_id`;

/** The months ($4: first days) recomputed from the seller days. */
const PROMOTER_MONTHS_SQL = `
INSERT INTO analytics_promoter_months (merchant_id, program_id, month, promoter_id, orders, sales_minor, commission_minor)
SELECT $1, $2, date_trunc('month', day)::date, promoter_id, sum(orders), sum(sales_minor), sum(commission_minor)
FROM analytics_promoter_days
WHERE merchant_id = $1 AND program_id = $2 AND day >= $3::date AND day < ($3::date + interval '1 month')::date
GROUP BY 3, 4`;

type FoldRow = {
  program_id: string;
  program_tz: string;
  folded_xid: string | null;
  timezone: string | null;
};

/** Recompute one program's days from the rows (and the months that hold them). */
async function refoldDays(q: Sql, merchantId: string, programId: string, tz: string, days: string[]): Promise<void> {
  if (days.length === 0) return;
  for (const t of ["analytics_days", "analytics_promoter_days", "analytics_product_days"])
    await q.query(`DELETE FROM ${t} WHERE merchant_id = $1 AND program_id = $2 AND day = ANY($3::date[])`, [merchantId, programId, days]);
  const args = [merchantId, programId, tz, days];
  await q.query(DAYS_SQL, args);
  await q.query(PROMOTER_DAYS_SQL, args);
  await q.query(PRODUCT_DAYS_SQL, args);
  const months = [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];
  await q.query("DELETE FROM analytics_promoter_months WHERE merchant_id = $1 AND program_id = $2 AND month = ANY($3::date[])", [
    merchantId,
    programId,
    months,
  ]);
  for (const m of months) await q.query(PROMOTER_MONTHS_SQL, [merchantId, programId, m]);
}

/** The days of a program to recompute: all of them when it was never folded in its present time zone. */
async function daysToFold(q: Sql, merchantId: string, f: FoldRow): Promise<string[]> {
  const since = f.folded_xid !== null && f.timezone === f.program_tz ? f.folded_xid : "0";
  if (since === "0") {
    // Whole history: the days of its rows, then the summaries of the old time zone are dropped with the new ones'.
    for (const t of ["analytics_days", "analytics_promoter_days", "analytics_product_days"])
      await q.query(`DELETE FROM ${t} WHERE merchant_id = $1 AND program_id = $2`, [merchantId, f.program_id]);
    await q.query("DELETE FROM analytics_promoter_months WHERE merchant_id = $1 AND program_id = $2", [merchantId, f.program_id]);
  }
  const rows = await q.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM (${CHANGED_DAYS_SQL}) x ORDER BY 1`, [
    merchantId,
    f.program_id,
    f.program_tz,
    since,
  ]);
  return rows.map((r) => r.day);
}

export interface FoldOptions {
  /** Called after the summaries are written, before the watermark moves (a test stops a fold there). */
  beforeCommit?: () => Promise<void>;
}

/** Fold one merchant's programs. */
export async function foldMerchant(db: Db, merchantId: string, now: Date, opts: FoldOptions = {}): Promise<FoldResult> {
  return db.tx(async (q) => {
    await q.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    // The snapshot's oldest running transaction: the first statement of the transaction takes its snapshot.
    const [w] = await q.query<{ xid: string }>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xid");
    const watermark = w?.xid as string;
    await q.query(
      `INSERT INTO analytics_folds (merchant_id, program_id, folded_xid, timezone, folded_at)
       SELECT merchant_id, id, '0', timezone, $2 FROM programs WHERE merchant_id = $1 ON CONFLICT DO NOTHING`,
      [merchantId, now],
    );
    const folds = await q.query<FoldRow>(
      `SELECT f.program_id, p.timezone AS program_tz, f.folded_xid::text AS folded_xid, f.timezone
       FROM analytics_folds f JOIN programs p ON p.merchant_id = f.merchant_id AND p.id = f.program_id
       WHERE f.merchant_id = $1 ORDER BY f.program_id FOR UPDATE OF f`,
      [merchantId],
    );
    let days = 0;
    for (const f of folds) {
      const d = await daysToFold(q, merchantId, f);
      await refoldDays(q, merchantId, f.program_id, f.program_tz, d);
      days += d.length;
    }
    if (opts.beforeCommit) await opts.beforeCommit();
    await q.query(
      `UPDATE analytics_folds f SET folded_xid = $2::xid8, timezone = p.timezone, folded_at = $3
       FROM programs p WHERE f.merchant_id = $1 AND p.merchant_id = f.merchant_id AND p.id = f.program_id`,
      [merchantId, watermark, now],
    );
    return { programs: folds.length, days };
  });
}

/** Job: fold every merchant that has programs. */
export async function foldAll(db: Db, now: Date): Promise<FoldResult> {
  const merchants = await db.read((q) => q.query<{ merchant_id: string }>("SELECT DISTINCT merchant_id FROM programs ORDER BY 1"));
  const total = { programs: 0, days: 0 };
  for (const { merchant_id } of merchants) {
    const r = await foldMerchant(db, merchant_id, now);
    total.programs += r.programs;
    total.days += r.days;
  }
  return total;
}

/**
 * Run an endpoint's reads in one READ ONLY, REPEATABLE READ transaction: every figure of a response from one snapshot,
 * and without JIT compilation. The planner cannot know that the tail holds a few days at most, so its cost estimates
 * of the tail's joins cross `jit_above_cost` and PostgreSQL spent 2.4 s compiling a statement that ran in 5 ms
 * (`EXPLAIN ANALYZE` of the commission cost over 1,000,000 orders). What it buys: that 2.4 s on every request.
 */
export function readFigures<T>(db: Db, f: (q: Sql) => Promise<T>): Promise<T> {
  return db.tx(async (q) => {
    await q.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await q.query("SET LOCAL jit = off");
    return f(q);
  });
}
