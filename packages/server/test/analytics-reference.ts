/**
 * The reference computation of the analytics figures, straight from the order, line, commission and click rows (the
 * endpoints' SQL before the summaries of migration 0025). analytics-folds.test.ts checks that the endpoints,
 * which read the summaries, give exactly these figures.
 *
 * The SQL of the analytics figures (docs/analytics.md). Every query runs over one program and one half-open interval
 * [start, end) of paid times; the caller has turned the period's calendar dates into those instants in the program's
 * time zone. Sums come back as text from PostgreSQL (bigint/numeric) and are turned into numbers here.
 */
import type { Sql } from "../src/db/client.ts";

export interface Scope {
  merchantId: string;
  programId: string;
  start: Date;
  end: Date;
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
 * One pass over the period's counted orders, grouped by (seller, customer) with a hash aggregate: the attributed and
 * unattributed totals, the referred (promoter, customer) pairs, and the sellers, matched against the active
 * memberships (active now, joined before the end) for participation.
 */
export async function salesFigures(q: Sql, s: Scope): Promise<SalesRow> {
  const [r] = await q.query<Record<string, unknown>>(
    `WITH pairs AS (
       SELECT promoter_id, customer_id, count(*) AS n, sum(amount_minor - refunded_minor) AS net
       FROM orders
       WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled'
       GROUP BY promoter_id, customer_id
     ), sellers AS (SELECT DISTINCT promoter_id FROM pairs WHERE promoter_id IS NOT NULL),
     totals AS (
       SELECT coalesce(sum(n) FILTER (WHERE promoter_id IS NOT NULL), 0) AS orders,
              coalesce(sum(net) FILTER (WHERE promoter_id IS NOT NULL), 0)::bigint AS sales,
              coalesce(sum(n) FILTER (WHERE promoter_id IS NULL), 0) AS u_orders,
              coalesce(sum(net) FILTER (WHERE promoter_id IS NULL), 0)::bigint AS u_sales,
              count(*) FILTER (WHERE promoter_id IS NOT NULL) AS referred
       FROM pairs
     ), people AS (
       SELECT count(*) AS active, count(x.promoter_id) AS participating
       FROM memberships m LEFT JOIN sellers x ON x.promoter_id = m.promoter_id
       WHERE m.merchant_id = $1 AND m.program_id = $2 AND m.status = 'active' AND m.joined_at < $4
     )
     SELECT * FROM totals, people`,
    [s.merchantId, s.programId, s.start, s.end],
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

/**
 * Commission cost of the period: lines of orders paid in it, plus lines without an order created in it.
 */
export async function commissionCost(q: Sql, s: Scope): Promise<number> {
  const [r] = await q.query<Record<string, unknown>>(
    `SELECT (SELECT coalesce(sum(cl.amount_minor - cl.reversed_minor), 0)::bigint
             FROM orders o JOIN commission_lines cl ON cl.merchant_id = o.merchant_id AND cl.order_id = o.id
             WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= $3 AND o.paid_at < $4)
          + (SELECT coalesce(sum(amount_minor - reversed_minor), 0)::bigint FROM commission_lines
             WHERE merchant_id = $1 AND program_id = $2 AND order_id IS NULL AND created_at >= $3 AND created_at < $4) AS cost`,
    [s.merchantId, s.programId, s.start, s.end],
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
    `WITH buckets AS (
       SELECT to_char(b, 'YYYY-MM-DD') AS bucket
       FROM generate_series(date_trunc($5, ($3::timestamptz AT TIME ZONE $6)), ($4::timestamptz AT TIME ZONE $6) - interval '1 microsecond',
                            ('1 ' || $5)::interval) b
     ),
     o AS (
       SELECT to_char(date_trunc($5, paid_at AT TIME ZONE $6), 'YYYY-MM-DD') AS bucket,
              count(*) FILTER (WHERE promoter_id IS NOT NULL) AS orders,
              coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NOT NULL), 0)::bigint AS sales,
              coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE promoter_id IS NULL), 0)::bigint AS u_sales
       FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled'
       GROUP BY 1
     ),
     c AS (
       SELECT bucket, sum(cost)::bigint AS cost FROM (
         SELECT to_char(date_trunc($5, o.paid_at AT TIME ZONE $6), 'YYYY-MM-DD') AS bucket, cl.amount_minor - cl.reversed_minor AS cost
         FROM orders o JOIN commission_lines cl ON cl.merchant_id = o.merchant_id AND cl.order_id = o.id
         WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= $3 AND o.paid_at < $4
         UNION ALL
         SELECT to_char(date_trunc($5, created_at AT TIME ZONE $6), 'YYYY-MM-DD'), amount_minor - reversed_minor FROM commission_lines
         WHERE merchant_id = $1 AND program_id = $2 AND order_id IS NULL AND created_at >= $3 AND created_at < $4
       ) x GROUP BY bucket
     )
     SELECT b.bucket, coalesce(o.orders, 0) AS orders, coalesce(o.sales, 0) AS sales, coalesce(o.u_sales, 0) AS u_sales, coalesce(c.cost, 0) AS cost
     FROM buckets b LEFT JOIN o ON o.bucket = b.bucket LEFT JOIN c ON c.bucket = b.bucket ORDER BY b.bucket`,
    [s.merchantId, s.programId, s.start, s.end, g, timeZone],
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

/** Sellers by attributed net sales in the period (ties by id), with what they earned in it as seller or upline. */
export async function topPromoters(q: Sql, s: Scope, limit: number): Promise<TopPromoterRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH top AS (
       SELECT promoter_id, count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(amount_minor - refunded_minor)::bigint AS sales
       FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled' AND promoter_id IS NOT NULL
       GROUP BY promoter_id ORDER BY sales DESC, promoter_id LIMIT $5
     )
     SELECT t.promoter_id, p.name, m.code, t.orders, t.customers, t.sales,
            (SELECT coalesce(sum(cl.amount_minor - cl.reversed_minor), 0)::bigint FROM commission_lines cl
             LEFT JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
             WHERE cl.merchant_id = $1 AND cl.program_id = $2 AND cl.beneficiary_id = t.promoter_id
               AND CASE WHEN cl.order_id IS NULL THEN cl.created_at >= $3 AND cl.created_at < $4 ELSE o.paid_at >= $3 AND o.paid_at < $4 END) AS cost
     FROM top t JOIN promoters p ON p.id = t.promoter_id
     LEFT JOIN memberships m ON m.merchant_id = $1 AND m.program_id = $2 AND m.promoter_id = t.promoter_id
     ORDER BY t.sales DESC, t.promoter_id`,
    [s.merchantId, s.programId, s.start, s.end, limit],
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

/** Products by net line amount over the lines of attributed orders paid in the period (ties by id). */
export async function topProducts(q: Sql, s: Scope, limit: number): Promise<TopProductRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH top AS (
       SELECT l.product_id, sum(l.quantity)::bigint AS quantity, count(DISTINCT l.order_id) AS orders,
              sum(l.net_amount_minor - l.refunded_minor)::bigint AS sales, max(l.product_name) AS line_name
       FROM orders o JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
       WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= $3 AND o.paid_at < $4 AND o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
       GROUP BY l.product_id ORDER BY sales DESC, l.product_id LIMIT $5
     )
     SELECT t.*, p.name FROM top t LEFT JOIN products p ON p.merchant_id = $1 AND p.id = t.product_id ORDER BY t.sales DESC, t.product_id`,
    [s.merchantId, s.programId, s.start, s.end, limit],
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
