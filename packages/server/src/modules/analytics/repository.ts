/**
 * The SQL of the analytics figures (docs/analytics.md). Every query runs over one program and one half-open interval
 * [start, end) of paid times; the caller has turned the period's calendar dates into those instants in the program's
 * time zone. Sums come back as text from PostgreSQL (bigint/numeric) and are turned into numbers here.
 */
import type { Sql } from "../../db/client.ts";

export interface Scope {
  merchantId: string;
  programId: string;
  start: Date;
  end: Date;
  /** The program's time zone: a period of whole local days, read from the summaries (migration 0025). */
  timeZone?: string;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The instants of a period of calendar dates in a time zone: [from 00:00, to + 1 day 00:00). */
export async function periodBounds(q: Sql, from: string, to: string, timeZone: string): Promise<{ start: Date; end: Date }> {
  const [r] = await q.query<{ s: Date; e: Date }>(
    "SELECT ($1::date::timestamp AT TIME ZONE $3) AS s, (($2::date + 1)::timestamp AT TIME ZONE $3) AS e",
    [from, to, timeZone],
  );
  if (!r) throw new Error("period bounds: no row");
  return { start: new Date(r.s), end: new Date(r.e) };
}

/**
 * The common head of every summary read ($1 merchant, $2 program, $3 start, $4 end, $5 time zone): the program's
 * watermark (none when it was never folded in its present time zone: then no summary row counts and every day is read
 * from its rows), the
 * period's local days `[lo, hi)`, and the tail — the period's days that have an order or a commission line changed at
 * or after the watermark, with their instants [s, e). A figure is the summaries of the other days plus the rows of the
 * tail days, all in one statement (one snapshot), so it is exact whatever the fold has reached (migration 0025).
 */
const FOLDED = `
  fold AS (SELECT coalesce(f.folded_xid, '0'::xid8) AS x, f.folded_xid IS NOT NULL AS ok FROM (SELECT 1) one
            LEFT JOIN analytics_folds f ON f.merchant_id = $1 AND f.program_id = $2 AND f.timezone = $5),
  span AS (SELECT ($3::timestamptz AT TIME ZONE $5)::date AS lo, ($4::timestamptz AT TIME ZONE $5)::date AS hi),
  tail AS (
    SELECT t.day, (t.day::timestamp AT TIME ZONE $5) AS s, ((t.day + 1)::timestamp AT TIME ZONE $5) AS e
    FROM (SELECT (o.paid_at AT TIME ZONE $5)::date AS day FROM orders o
          WHERE o.merchant_id = $1 AND o.analytics_xid >= (SELECT x FROM fold) AND o.program_id = $2
          UNION
          SELECT (coalesce(o.paid_at, cl.created_at) AT TIME ZONE $5)::date FROM commission_lines cl
          LEFT JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
          WHERE cl.merchant_id = $1 AND cl.analytics_xid >= (SELECT x FROM fold) AND (cl.program_id = $2 OR o.program_id = $2)) t, span
    WHERE t.day >= span.lo AND t.day < span.hi
    LIMIT 366
  )`;
// The tail's joins are LATERAL subqueries (OFFSET 0 keeps each one a nested loop on a day's range of an index): the
// planner cannot know the tail holds a few days, and with a join it read every order of the program to keep none.
// LIMIT 366 is the most days a period has; it only tells the planner so.

/** The scope's parameters for FOLDED. */
function foldedArgs(s: Scope): unknown[] {
  if (!s.timeZone) throw new Error("analytics: a period scope needs its time zone");
  return [s.merchantId, s.programId, s.start, s.end, s.timeZone];
}

/** Summary rows of table `t` in the period, outside the tail. */
const folded = (t: string, alias: string) =>
  `${t} ${alias} CROSS JOIN span WHERE ${alias}.merchant_id = $1 AND ${alias}.program_id = $2 AND ${alias}.day >= span.lo AND ${alias}.day < span.hi
   AND (SELECT ok FROM fold) AND NOT EXISTS (SELECT 1 FROM tail WHERE tail.day = ${alias}.day)`;

/** The program's counted orders of the tail days, with their local day. */
const TAIL_ORDERS = `tail_orders AS (
    SELECT tail.day, o.* FROM tail CROSS JOIN LATERAL (
      SELECT * FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= tail.s AND paid_at < tail.e AND status <> 'cancelled'
      OFFSET 0) o)`;

/** Commission cost by day over the tail days: lines of the program's orders by paid day, lines without an order by creation day. */
const TAIL_COST = `tail_cost AS (
    SELECT tail.day, c.cost FROM tail CROSS JOIN LATERAL (
      SELECT cl.amount_minor - cl.reversed_minor AS cost FROM orders o
      JOIN commission_lines cl ON cl.merchant_id = o.merchant_id AND cl.order_id = o.id
      WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= tail.s AND o.paid_at < tail.e
      UNION ALL
      SELECT amount_minor - reversed_minor FROM commission_lines
      WHERE merchant_id = $1 AND program_id = $2 AND order_id IS NULL AND created_at >= tail.s AND created_at < tail.e
      OFFSET 0) c)`;

/** Per day of the period: attributed orders and sales, unattributed ones, commission cost (summaries + tail). */
const DAY_FIGURES = `day_figures AS (
    SELECT d.day, d.orders, d.sales_minor AS sales, d.u_orders, d.u_sales_minor AS u_sales, d.commission_minor AS cost FROM ${folded("analytics_days", "d")}
    UNION ALL
    SELECT day, count(*) FILTER (WHERE promoter_id IS NOT NULL), coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NOT NULL), 0),
           count(*) FILTER (WHERE promoter_id IS NULL), coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NULL), 0), 0
    FROM tail_orders GROUP BY day
    UNION ALL
    SELECT day, 0, 0, 0, 0, sum(cost) FROM tail_cost GROUP BY day)`;

export interface SalesRow {
  orders: number;
  salesMinor: number;
  unattributedOrders: number;
  unattributedSalesMinor: number;
  referredCustomers: number;
  activePromoters: number;
  participatingPromoters: number;
}

/**
 * The period's order totals and participating sellers from the summaries and the tail; the referred (promoter,
 * customer) pairs, a distinct count that does not add up over days, from the period's rows (the index of migration
 * 0017 holds every column they need); the active memberships (active now, joined before the end).
 */
export async function salesFigures(q: Sql, s: Scope): Promise<SalesRow> {
  const [r] = await q.query<Record<string, unknown>>(
    `WITH ${FOLDED}, ${TAIL_ORDERS}, ${TAIL_COST}, ${DAY_FIGURES},
     totals AS (
       SELECT coalesce(sum(orders), 0) AS orders, coalesce(sum(sales), 0)::bigint AS sales,
              coalesce(sum(u_orders), 0) AS u_orders, coalesce(sum(u_sales), 0)::bigint AS u_sales FROM day_figures
     ), sellers AS (
       SELECT p.promoter_id FROM ${folded("analytics_promoter_days", "p")} AND p.orders > 0
       UNION SELECT promoter_id FROM tail_orders WHERE promoter_id IS NOT NULL
     ), referred AS (
       SELECT count(*) AS referred FROM (
         SELECT DISTINCT promoter_id, customer_id FROM orders
         WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled' AND promoter_id IS NOT NULL) x
     ), people AS (
       SELECT count(*) AS active, count(x.promoter_id) AS participating
       FROM memberships m LEFT JOIN sellers x ON x.promoter_id = m.promoter_id
       WHERE m.merchant_id = $1 AND m.program_id = $2 AND m.status = 'active' AND m.joined_at < $4
     )
     SELECT * FROM totals, referred, people`,
    foldedArgs(s),
  );
  return {
    orders: n(r?.orders),
    salesMinor: n(r?.sales),
    unattributedOrders: n(r?.u_orders),
    unattributedSalesMinor: n(r?.u_sales),
    referredCustomers: n(r?.referred),
    activePromoters: n(r?.active),
    participatingPromoters: n(r?.participating),
  };
}

/** Commission cost of the period: lines of orders paid in it, plus lines without an order created in it. */
export async function commissionCost(q: Sql, s: Scope): Promise<number> {
  const [r] = await q.query<Record<string, unknown>>(
    `WITH ${FOLDED}, ${TAIL_COST}
     SELECT (SELECT coalesce(sum(d.commission_minor), 0) FROM ${folded("analytics_days", "d")})
          + (SELECT coalesce(sum(cost), 0) FROM tail_cost) AS cost`,
    foldedArgs(s),
  );
  return n(r?.cost);
}

export type Granularity = "day" | "week" | "month";

export interface TrendRow {
  bucket: string;
  orders: number;
  salesMinor: number;
  unattributedSalesMinor: number;
  commissionMinor: number;
}

/** Every bucket of the period (day, ISO week, month of the time zone), empty ones with zeros, oldest first. */
export async function trends(q: Sql, s: Scope, g: Granularity, timeZone: string): Promise<TrendRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH ${FOLDED}, ${TAIL_ORDERS}, ${TAIL_COST}, ${DAY_FIGURES},
     buckets AS (
       SELECT to_char(b, 'YYYY-MM-DD') AS bucket
       FROM generate_series(date_trunc($6, ($3::timestamptz AT TIME ZONE $5)), ($4::timestamptz AT TIME ZONE $5) - interval '1 microsecond',
                            ('1 ' || $6)::interval) b
     ),
     f AS (
       SELECT to_char(date_trunc($6, day::timestamp), 'YYYY-MM-DD') AS bucket, sum(orders) AS orders, sum(sales)::bigint AS sales,
              sum(u_sales)::bigint AS u_sales, sum(cost)::bigint AS cost
       FROM day_figures GROUP BY 1
     )
     SELECT b.bucket, coalesce(f.orders, 0) AS orders, coalesce(f.sales, 0) AS sales, coalesce(f.u_sales, 0) AS u_sales, coalesce(f.cost, 0) AS cost
     FROM buckets b LEFT JOIN f ON f.bucket = b.bucket ORDER BY b.bucket`,
    [...foldedArgs({ ...s, timeZone }), g],
  );
  return rows.map((r) => ({
    bucket: String(r.bucket),
    orders: n(r.orders),
    salesMinor: n(r.sales),
    unattributedSalesMinor: n(r.u_sales),
    commissionMinor: n(r.cost),
  }));
}

export interface TopPromoterRow {
  promoterId: string;
  name: string;
  code: string | null;
  orders: number;
  customers: number;
  salesMinor: number;
  commissionMinor: number;
}

/**
 * Sellers by attributed net sales in the period (ties by id), with what they earned in it as seller or upline: the
 * months the period covers whole and without a tail day from the seller-month rows, its other days from the seller-day
 * rows, the tail days from the rows; then the distinct customers of the chosen few from their own orders.
 */
export async function topPromoters(q: Sql, s: Scope, limit: number): Promise<TopPromoterRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH ${FOLDED}, ${TAIL_ORDERS},
     months AS (
       SELECT m::date AS month, greatest(m::date, span.lo) AS lo, least((m + interval '1 month')::date, span.hi) AS hi
       FROM span, generate_series(date_trunc('month', span.lo::timestamp), span.hi::timestamp - interval '1 day', interval '1 month') m
     ),
     whole AS (
       SELECT month FROM months WHERE lo = month AND hi = (month + interval '1 month')::date AND (SELECT ok FROM fold)
         AND NOT EXISTS (SELECT 1 FROM tail WHERE date_trunc('month', tail.day::timestamp)::date = months.month)
     ),
     tail_cost AS (
       SELECT c.promoter_id, c.cost FROM tail CROSS JOIN LATERAL (
         SELECT cl.beneficiary_id AS promoter_id, cl.amount_minor - cl.reversed_minor AS cost FROM orders o
         JOIN commission_lines cl ON cl.merchant_id = o.merchant_id AND cl.order_id = o.id AND cl.program_id = $2
         WHERE o.merchant_id = $1 AND o.paid_at >= tail.s AND o.paid_at < tail.e
         UNION ALL
         SELECT beneficiary_id, amount_minor - reversed_minor FROM commission_lines
         WHERE merchant_id = $1 AND program_id = $2 AND order_id IS NULL AND created_at >= tail.s AND created_at < tail.e
         OFFSET 0) c
     ),
     parts AS (
       SELECT pm.promoter_id, pm.orders, pm.sales_minor AS sales, pm.commission_minor AS cost FROM whole CROSS JOIN LATERAL (
         SELECT * FROM analytics_promoter_months WHERE merchant_id = $1 AND program_id = $2 AND month = whole.month OFFSET 0) pm
       UNION ALL
       SELECT p.promoter_id, p.orders, p.sales_minor, p.commission_minor
       FROM months CROSS JOIN LATERAL (
         SELECT * FROM analytics_promoter_days WHERE merchant_id = $1 AND program_id = $2 AND day >= months.lo AND day < months.hi OFFSET 0) p
       WHERE NOT EXISTS (SELECT 1 FROM whole WHERE whole.month = months.month) AND (SELECT ok FROM fold)
         AND NOT EXISTS (SELECT 1 FROM tail WHERE tail.day = p.day)
       UNION ALL
       SELECT promoter_id, count(*), sum(amount_minor - refunded_minor), 0 FROM tail_orders WHERE promoter_id IS NOT NULL GROUP BY promoter_id
       UNION ALL
       SELECT promoter_id, 0, 0, sum(cost) FROM tail_cost GROUP BY promoter_id
     ),
     top AS (
       SELECT promoter_id, sum(orders) AS orders, sum(sales)::bigint AS sales, sum(cost)::bigint AS cost FROM parts
       GROUP BY promoter_id HAVING sum(orders) > 0 ORDER BY sales DESC, promoter_id LIMIT $6
     )
     SELECT t.promoter_id, p.name, m.code, t.orders, t.sales, t.cost,
            (SELECT count(DISTINCT o.customer_id) FROM orders o
             WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.promoter_id = t.promoter_id AND o.paid_at >= $3 AND o.paid_at < $4
               AND o.status <> 'cancelled') AS customers
     FROM top t JOIN promoters p ON p.id = t.promoter_id
     LEFT JOIN memberships m ON m.merchant_id = $1 AND m.program_id = $2 AND m.promoter_id = t.promoter_id
     ORDER BY t.sales DESC, t.promoter_id`,
    [...foldedArgs(s), limit],
  );
  return rows.map((r) => ({
    promoterId: String(r.promoter_id),
    name: String(r.name),
    code: (r.code as string | null) ?? null,
    orders: n(r.orders),
    customers: n(r.customers),
    salesMinor: n(r.sales),
    commissionMinor: n(r.cost),
  }));
}

export interface TopProductRow {
  productId: string;
  name: string | null;
  quantity: number;
  orders: number;
  salesMinor: number;
}

/** Products by net line amount over the lines of attributed orders paid in the period (ties by id): product-days + tail. */
export async function topProducts(q: Sql, s: Scope, limit: number): Promise<TopProductRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH ${FOLDED}, ${TAIL_ORDERS},
     parts AS (
       SELECT d.product_id, d.quantity, d.orders, d.sales_minor AS sales, d.line_name FROM ${folded("analytics_product_days", "d")}
       UNION ALL
       SELECT l.product_id, sum(l.quantity), count(DISTINCT l.order_id), sum(l.net_amount_minor - l.refunded_minor), max(l.product_name)
       FROM tail_orders o CROSS JOIN LATERAL (
         SELECT * FROM order_lines WHERE merchant_id = o.merchant_id AND order_id = o.id OFFSET 0) l
       WHERE o.promoter_id IS NOT NULL GROUP BY l.product_id
     ),
     top AS (
       SELECT product_id, sum(quantity)::bigint AS quantity, sum(orders)::bigint AS orders, sum(sales)::bigint AS sales, max(line_name) AS line_name
       FROM parts GROUP BY product_id ORDER BY sales DESC, product_id LIMIT $6
     )
     SELECT t.*, p.name FROM top t LEFT JOIN products p ON p.merchant_id = $1 AND p.id = t.product_id ORDER BY t.sales DESC, t.product_id`,
    [...foldedArgs(s), limit],
  );
  return rows.map((r) => ({
    productId: String(r.product_id),
    name: ((r.name ?? r.line_name) as string | null) ?? null,
    quantity: n(r.quantity),
    orders: n(r.orders),
    salesMinor: n(r.sales),
  }));
}

export interface FunnelRows {
  clicks: number;
  clickCustomers: number;
  clickCustomersOrdered: number;
  orderCustomers: number;
  orders: number;
  byChannel: { channel: string; customers: number; orders: number; clickOrders: number; salesMinor: number }[];
}

/** The click → customer → order funnel of the period; `promoterId` restricts it to one promoter's links and sales. */
export async function funnel(q: Sql, s: Scope, promoterId: string | null): Promise<FunnelRows> {
  const args = [s.merchantId, s.programId, s.start, s.end, promoterId];
  const [c] = await q.query<Record<string, unknown>>(
    `WITH k AS (
       SELECT customer_id FROM clicks WHERE merchant_id = $1 AND program_id = $2 AND clicked_at >= $3 AND clicked_at < $4
         AND ($5::text IS NULL OR promoter_id = $5)
     ), kc AS (SELECT DISTINCT customer_id FROM k WHERE customer_id IS NOT NULL)
     SELECT (SELECT count(*) FROM k) AS clicks, (SELECT count(*) FROM kc) AS click_customers,
            (SELECT count(*) FROM kc WHERE EXISTS (
               SELECT 1 FROM orders o WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.customer_id = kc.customer_id
                 AND o.paid_at >= $3 AND o.paid_at < $4 AND o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
                 AND ($5::text IS NULL OR o.promoter_id = $5))) AS click_customers_ordered`,
    args,
  );
  const channels = await q.query<Record<string, unknown>>(
    `SELECT channel, count(DISTINCT customer_id) AS customers, count(*) AS orders, count(*) FILTER (WHERE attribution_path = 'click') AS click_orders,
            sum(amount_minor - refunded_minor)::bigint AS sales, GROUPING(channel) AS total
     FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled' AND promoter_id IS NOT NULL
       AND ($5::text IS NULL OR promoter_id = $5)
     GROUP BY GROUPING SETS ((channel), ())`,
    args,
  );
  const total = channels.find((r) => n(r.total) === 1);
  return {
    clicks: n(c?.clicks),
    clickCustomers: n(c?.click_customers),
    clickCustomersOrdered: n(c?.click_customers_ordered),
    orderCustomers: n(total?.customers),
    orders: n(total?.orders),
    byChannel: channels
      .filter((r) => n(r.total) === 0)
      .map((r) => ({
        channel: String(r.channel),
        customers: n(r.customers),
        orders: n(r.orders),
        clickOrders: n(r.click_orders),
        salesMinor: n(r.sales),
      }))
      .sort((a, b) => b.orders - a.orders || a.channel.localeCompare(b.channel)),
  };
}
