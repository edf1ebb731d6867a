/**
 * The SQL of the analytics figures (docs/analytics.md). Every query runs over one program and one period: the calendar
 * dates `from` … `to` of the program's time zone, and the same period as the half-open interval [start, end) of
 * instants. The figures are read from the daily summaries of migration 0020 (analytics_days, analytics_promoter_days,
 * analytics_product_days, analytics_hist), which the database keeps in the same transaction as every order, line,
 * commission line and click: a period costs its days (≤ 366 per key), not its orders. Sums come back as text from
 * PostgreSQL (bigint/numeric) and are turned into numbers here.
 */
import type { Sql } from "../../db/client.ts";

export interface Scope {
  merchantId: string;
  programId: string;
  /** First and last calendar day of the period in the program's time zone (YYYY-MM-DD). */
  from: string;
  to: string;
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

/**
 * The number of distinct entities of a kind present in the period ($1 merchant, $2 program, $3 from, $4 to): Σ over
 * the period's days of h[day − from + 1], the presences of that day whose previous presence is before `from`
 * (migration 0020 explains the histogram).
 */
const distinctOf = (kind: string) =>
  `(SELECT coalesce(sum(h[day - $3::date + 1]), 0) FROM analytics_hist
    WHERE merchant_id = $1 AND program_id = $2 AND kind = '${kind}' AND scope = '' AND day BETWEEN $3::date AND $4::date)`;

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
 * The period's sums from the program's days; referred customers as distinct (seller, customer) pairs; participation as
 * the distinct sellers who are active members now (the presences follow the membership's status) less those who
 * joined after the period (looked up one by one: few, and none for a recent period).
 */
export async function salesFigures(q: Sql, s: Scope): Promise<SalesRow> {
  const [r] = await q.query<Record<string, unknown>>(
    `WITH totals AS (
       SELECT coalesce(sum(orders), 0) AS orders, coalesce(sum(sales_minor), 0) AS sales,
              coalesce(sum(u_orders), 0) AS u_orders, coalesce(sum(u_sales_minor), 0) AS u_sales
       FROM analytics_days WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date
     ), people AS (
       SELECT count(*) AS active FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND status = 'active' AND joined_at < $5
     ), outside AS (
       SELECT count(*) AS n FROM memberships m
       WHERE m.merchant_id = $1 AND m.program_id = $2 AND m.status = 'active' AND m.joined_at >= $5
         AND EXISTS (SELECT 1 FROM analytics_presence p WHERE p.merchant_id = $1 AND p.program_id = $2 AND p.kind = 'seller'
                       AND p.scope = '' AND p.entity = m.promoter_id AND p.day BETWEEN $3::date AND $4::date)
     )
     SELECT totals.*, people.active, ${distinctOf("seller")} - outside.n AS participating, ${distinctOf("pair")} AS referred
     FROM totals, people, outside`,
    [s.merchantId, s.programId, s.from, s.to, s.end],
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
    `SELECT coalesce(sum(commission_minor), 0) AS cost FROM analytics_days
     WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date`,
    [s.merchantId, s.programId, s.from, s.to],
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
export async function trends(q: Sql, s: Scope, g: Granularity): Promise<TrendRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH buckets AS (
       SELECT to_char(b, 'YYYY-MM-DD') AS bucket
       FROM generate_series(date_trunc($5, $3::date::timestamp), $4::date::timestamp, ('1 ' || $5)::interval) b
     ), d AS (
       SELECT to_char(date_trunc($5, day::timestamp), 'YYYY-MM-DD') AS bucket, sum(orders) AS orders, sum(sales_minor) AS sales,
              sum(u_sales_minor) AS u_sales, sum(commission_minor) AS cost
       FROM analytics_days WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date
       GROUP BY 1
     )
     SELECT b.bucket, coalesce(d.orders, 0) AS orders, coalesce(d.sales, 0) AS sales, coalesce(d.u_sales, 0) AS u_sales, coalesce(d.cost, 0) AS cost
     FROM buckets b LEFT JOIN d ON d.bucket = b.bucket ORDER BY b.bucket`,
    [s.merchantId, s.programId, s.from, s.to, g],
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
 * Sellers by attributed net sales in the period (ties by id), with what they earned in it as seller or upline, from
 * the promoters' days; the distinct customers of the few promoters shown from their orders (index-only).
 */
export async function topPromoters(q: Sql, s: Scope, limit: number): Promise<TopPromoterRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH top AS (
       SELECT promoter_id, sum(orders) AS orders, sum(sales_minor) AS sales, sum(commission_minor) AS cost
       FROM analytics_promoter_days WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date
       GROUP BY promoter_id HAVING sum(orders) > 0 ORDER BY sales DESC, promoter_id LIMIT $5
     )
     SELECT t.promoter_id, p.name, m.code, t.orders, t.sales, t.cost,
            (SELECT count(DISTINCT o.customer_id) FROM orders o
             WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.promoter_id = t.promoter_id
               AND o.paid_at >= $6 AND o.paid_at < $7 AND o.status <> 'cancelled') AS customers
     FROM top t JOIN promoters p ON p.id = t.promoter_id
     LEFT JOIN memberships m ON m.merchant_id = $1 AND m.program_id = $2 AND m.promoter_id = t.promoter_id
     ORDER BY t.sales DESC, t.promoter_id`,
    [s.merchantId, s.programId, s.from, s.to, limit, s.start, s.end],
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

/**
 * Products by net line amount over the lines of attributed orders paid in the period (ties by id), from the product
 * days. A product missing from the catalogue takes the last name an order gave it in the period, read from the lines.
 */
export async function topProducts(q: Sql, s: Scope, limit: number): Promise<TopProductRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `WITH top AS (
       SELECT product_id, sum(quantity) AS quantity, sum(orders) AS orders, sum(sales_minor) AS sales
       FROM analytics_product_days WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date
       GROUP BY product_id HAVING sum(orders) > 0 ORDER BY sales DESC, product_id LIMIT $5
     )
     SELECT t.*, p.name FROM top t LEFT JOIN products p ON p.merchant_id = $1 AND p.id = t.product_id ORDER BY t.sales DESC, t.product_id`,
    [s.merchantId, s.programId, s.from, s.to, limit],
  );
  const unnamed = rows.filter((r) => r.name === null || r.name === undefined).map((r) => String(r.product_id));
  const lineNames = unnamed.length === 0 ? new Map<string, string | null>() : await lineNamesOf(q, s, unnamed);
  return rows.map((r) => ({
    productId: String(r.product_id),
    name: ((r.name ?? lineNames.get(String(r.product_id))) as string | null | undefined) ?? null,
    quantity: n(r.quantity),
    orders: n(r.orders),
    salesMinor: n(r.sales),
  }));
}

/** The name the lines of the period's attributed orders gave each product (the greatest, as the figures define it). */
async function lineNamesOf(q: Sql, s: Scope, productIds: string[]): Promise<Map<string, string | null>> {
  const rows = await q.query<{ product_id: string; name: string | null }>(
    `SELECT l.product_id, max(l.product_name) AS name
     FROM orders o JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
     WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.paid_at >= $3 AND o.paid_at < $4 AND o.status <> 'cancelled'
       AND o.promoter_id IS NOT NULL AND l.product_id = ANY($5)
     GROUP BY l.product_id`,
    [s.merchantId, s.programId, s.start, s.end, productIds],
  );
  return new Map(rows.map((r) => [r.product_id, r.name]));
}

export interface FunnelRows {
  clicks: number;
  clickCustomers: number;
  clickCustomersOrdered: number;
  orderCustomers: number;
  orders: number;
  byChannel: { channel: string; customers: number; orders: number; clickOrders: number; salesMinor: number }[];
}

/**
 * The click → customer → order funnel of the period. The program's funnel comes from the summaries: click customers who
 * ordered are |clicked ∩ ordered| = clicked + ordered − reached (customers with a click or an order). `promoterId`
 * restricts it to one promoter's links and sales, read from that promoter's own rows (a month for the portal).
 */
export async function funnel(q: Sql, s: Scope, promoterId: string | null): Promise<FunnelRows> {
  if (promoterId !== null) return promoterFunnel(q, s, promoterId);
  const args = [s.merchantId, s.programId, s.from, s.to];
  const [c] = await q.query<Record<string, unknown>>(
    `SELECT (SELECT coalesce(sum(clicks), 0) FROM analytics_days
             WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date AND channel = '') AS clicks,
            ${distinctOf("click_customer")} AS click_customers, ${distinctOf("customer")} AS order_customers,
            ${distinctOf("reach")} AS reached`,
    args,
  );
  const channels = await q.query<Record<string, unknown>>(
    `WITH d AS (
       SELECT channel, sum(orders) AS orders, sum(click_orders) AS click_orders, sum(sales_minor) AS sales FROM analytics_days
       WHERE merchant_id = $1 AND program_id = $2 AND day BETWEEN $3::date AND $4::date AND channel <> ''
       GROUP BY channel HAVING sum(orders) > 0
     ), c AS (
       SELECT scope AS channel, sum(h[day - $3::date + 1]) AS customers FROM analytics_hist
       WHERE merchant_id = $1 AND program_id = $2 AND kind = 'channel_customer' AND day BETWEEN $3::date AND $4::date
       GROUP BY scope
     )
     SELECT d.*, coalesce(c.customers, 0) AS customers FROM d LEFT JOIN c USING (channel)`,
    args,
  );
  const clickCustomers = n(c?.click_customers);
  const orderCustomers = n(c?.order_customers);
  const byChannel = channels
    .map((r) => ({
      channel: String(r.channel),
      customers: n(r.customers),
      orders: n(r.orders),
      clickOrders: n(r.click_orders),
      salesMinor: n(r.sales),
    }))
    .sort((a, b) => b.orders - a.orders || a.channel.localeCompare(b.channel));
  return {
    clicks: n(c?.clicks),
    clickCustomers,
    clickCustomersOrdered: clickCustomers + orderCustomers - n(c?.reached),
    orderCustomers,
    orders: byChannel.reduce((t, r) => t + r.orders, 0),
    byChannel,
  };
}

/** One promoter's funnel from their clicks and orders of the period (clicks_promoter, orders_promoter_customers). */
async function promoterFunnel(q: Sql, s: Scope, promoterId: string): Promise<FunnelRows> {
  const args = [s.merchantId, s.programId, s.start, s.end, promoterId];
  const [c] = await q.query<Record<string, unknown>>(
    `WITH k AS (
       SELECT customer_id FROM clicks WHERE merchant_id = $1 AND program_id = $2 AND clicked_at >= $3 AND clicked_at < $4
         AND promoter_id = $5
     ), kc AS (SELECT DISTINCT customer_id FROM k WHERE customer_id IS NOT NULL)
     SELECT (SELECT count(*) FROM k) AS clicks, (SELECT count(*) FROM kc) AS click_customers,
            (SELECT count(*) FROM kc WHERE EXISTS (
               SELECT 1 FROM orders o WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.customer_id = kc.customer_id
                 AND o.paid_at >= $3 AND o.paid_at < $4 AND o.status <> 'cancelled' AND o.promoter_id = $5)) AS click_customers_ordered`,
    args,
  );
  const channels = await q.query<Record<string, unknown>>(
    `SELECT channel, count(DISTINCT customer_id) AS customers, count(*) AS orders, count(*) FILTER (WHERE attribution_path = 'click') AS click_orders,
            sum(amount_minor - refunded_minor)::bigint AS sales, GROUPING(channel) AS total
     FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3 AND paid_at < $4 AND status <> 'cancelled'
       AND promoter_id = $5
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
