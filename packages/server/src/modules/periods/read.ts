/**
 * What period close reads, in the order it reads it: the team tree and per-seller totals of the period (O(promoters)),
 * then the period's sales and order-time lines a part of the sellers at a time — keyset-paged by seller id, each part
 * about CLOSE_PART_SALES sale lines — so that the close holds one part, however many orders the period has.
 */
import {
  CLOSE_TRACE_KEYS,
  closeReadsTrace,
  type PeriodLine,
  type PeriodRange,
  type PeriodSale,
  type SellerTotal,
  TRACE_NOT_LOADED,
  type Trace,
  type TreePromoter,
} from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import type { Program } from "../programs/repository.ts";

/** Sale lines (order lines) per part of the sellers, about: a part ends after the seller that reaches it. */
export const CLOSE_PART_SALES = 20_000;

/** One string per distinct value: a period repeats the same ids over many rows. */
export function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    seen.set(s, s);
    return s;
  };
}

/** The program's promoters (the team tree), with one string per id. */
export async function readTree(q: Sql, program: Program, id: (s: string) => string): Promise<TreePromoter[]> {
  const rows = await q.query<{
    promoter_id: string;
    inviter_id: string | null;
    rank: string | null;
    status: TreePromoter["status"];
    joined_at: Date;
  }>(
    "SELECT promoter_id, inviter_id, rank, status, joined_at FROM memberships WHERE merchant_id = $1 AND program_id = $2 ORDER BY promoter_id",
    [program.merchantId, program.id],
  );
  return rows.map((r) => ({
    promoterId: id(r.promoter_id),
    inviterId: r.inviter_id === null ? null : id(r.inviter_id),
    rank: r.rank,
    status: r.status,
    joinedAt: new Date(r.joined_at).toISOString(),
  }));
}

/**
 * The period's orders that pass `where`, each with its lines (l) and customer (c). Every join is a LATERAL lookup on a
 * whole key (OFFSET 0 keeps it a nested loop), as in the ingest routine: whatever the planner's statistics say — a period
 * loaded since the last ANALYZE looks empty to it — each order reads its own rows, never a scan per order.
 */
function periodOrders(where: string, customers = true): string {
  return `(SELECT o.merchant_id, o.id, o.promoter_id, o.customer_id, o.status, o.order_ref, o.paid_at, o.completed_at FROM orders o
      WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.period_key = $3 AND ${where} OFFSET 0) o,
     LATERAL (SELECT line_no, net_amount_minor, refunded_minor FROM order_lines
              WHERE merchant_id = o.merchant_id AND order_id = o.id OFFSET 0) l${
                customers
                  ? `,
     LATERAL (SELECT customer_ref FROM customers WHERE merchant_id = o.merchant_id AND id = o.customer_id OFFSET 0) c`
                  : ""
              }`;
}

/** A part of the period's sellers: ids in (after, upTo]. */
export interface SellerPart {
  after: string;
  upTo: string;
}

/** A sale line's amount left at close: nothing of a cancelled order, else its net amount less refunds (P5). */
const REMAINING_SQL = "CASE WHEN o.status = 'cancelled' THEN 0 ELSE l.net_amount_minor - l.refunded_minor END";

/**
 * Every seller's totals in the period, in id order, and the parts the sellers are read in. Distinct orders and
 * customers (the contest metrics) are counted only when `metrics` (a plan with contests): they cost a sort, and the
 * customers a lookup per order.
 */
export async function readSellerTotals(
  q: Sql,
  program: Program,
  period: PeriodRange,
  metrics: boolean,
  id: (s: string) => string,
): Promise<{ sellers: SellerTotal[]; parts: SellerPart[] }> {
  const counted = (what: string) => (metrics ? `count(DISTINCT ${what}) FILTER (WHERE ${REMAINING_SQL} > 0)::int` : "0");
  const rows = await q.query<{ promoter_id: string; net: number; sales: number; orders: number; customers: number }>(
    `SELECT o.promoter_id, sum(${REMAINING_SQL})::bigint AS net, count(*)::int AS sales,
       ${counted("o.id")} AS orders, ${counted("c.customer_ref")} AS customers
     FROM ${periodOrders("o.promoter_id IS NOT NULL", metrics)}
     GROUP BY o.promoter_id ORDER BY o.promoter_id`,
    [program.merchantId, program.id, period.key],
  );
  const sellers: SellerTotal[] = [];
  const parts: SellerPart[] = [];
  let after = "";
  let inPart = 0;
  for (const r of rows) {
    const sellerId = id(r.promoter_id);
    sellers.push({ sellerId, netSalesMinor: Number(r.net), orders: Number(r.orders), customers: Number(r.customers) });
    inPart += Number(r.sales);
    if (inPart >= CLOSE_PART_SALES) {
      parts.push({ after, upTo: sellerId });
      after = sellerId;
      inPart = 0;
    }
  }
  const last = sellers[sellers.length - 1];
  if (last && inPart > 0) parts.push({ after, upTo: last.sellerId });
  return { sellers, parts };
}

/** The orders of a part, by id: what the records posted for them need (reference, completion). */
export type PartOrders = Map<string, { orderRef: string; completedAt: Date | null }>;

type SaleRow = {
  promoter_id: string;
  order_id: string;
  line_no: number;
  paid_ms: number;
  customer_ref: string;
  net_amount_minor: number;
  refunded_minor: number;
  status: string;
  order_ref: string;
  completed_ms: number | null;
};

type LineRow = {
  beneficiary_id: string;
  seller_id: string;
  order_id: string;
  line_no: number | null;
  level: 0 | 1 | 2;
  kind: string;
  amount_minor: number;
  reversed_minor: number;
  rate_bps: number | null;
  trace: unknown[] | null;
};

/**
 * Of an order-time line's trace only what the close reads: CLOSE_TRACE_KEYS of the lines closeReadsTrace names (read as
 * one JSON array); the other lines get TRACE_NOT_LOADED.
 */
function traceOf(r: LineRow): Trace {
  if (!closeReadsTrace(r.kind, r.level, r.rate_bps)) return TRACE_NOT_LOADED;
  if (r.trace === null) throw new Error(`period close reads the trace of ${r.kind} lines at level ${r.level}: load it`);
  const t: Record<string, unknown> = {};
  for (let k = 0; k < CLOSE_TRACE_KEYS.length; k++) {
    const v = r.trace[k];
    if (v !== null && v !== undefined) t[CLOSE_TRACE_KEYS[k] as string] = v;
  }
  return t as Trace;
}

/**
 * A part's sales and every order-time line of its sellers' orders: the part's orders through an index on the program's
 * orders (index scans only: set for the close's reading transaction), their rows by key (periodOrders). The lines are
 * looked up by order alone: a condition on the program too would match the period index of commission_lines as well,
 * which a planner without statistics may take — and read all of the program's lines once per order.
 */
export async function readPart(
  q: Sql,
  program: Program,
  period: PeriodRange,
  part: SellerPart,
  id: (s: string) => string,
): Promise<{ sales: PeriodSale[]; lines: PeriodLine[]; orders: PartOrders }> {
  const params = [program.merchantId, program.id, period.key, part.after, part.upTo];
  const inPart = "o.promoter_id > $4 AND o.promoter_id <= $5";
  const orders: PartOrders = new Map();
  const orderId = interner();
  const sales: PeriodSale[] = [];
  const paidAt = new Map<string, string>();
  for (const r of await q.query<SaleRow>(
    `SELECT o.promoter_id, o.id AS order_id, l.line_no, floor(extract(epoch FROM o.paid_at) * 1000)::bigint AS paid_ms, c.customer_ref,
       l.net_amount_minor, l.refunded_minor, o.status, o.order_ref, floor(extract(epoch FROM o.completed_at) * 1000)::bigint AS completed_ms
     FROM ${periodOrders(inPart)}`,
    params,
  )) {
    const oid = orderId(r.order_id);
    let paid = paidAt.get(oid);
    if (paid === undefined) {
      paid = new Date(Number(r.paid_ms)).toISOString();
      paidAt.set(oid, paid);
      orders.set(oid, { orderRef: r.order_ref, completedAt: r.completed_ms === null ? null : new Date(Number(r.completed_ms)) });
    }
    sales.push({
      sellerId: id(r.promoter_id),
      orderId: oid,
      lineNo: r.line_no,
      paidAt: paid,
      customerRef: r.customer_ref,
      lineAmountMinor: Number(r.net_amount_minor),
      remainingAmountMinor: r.status === "cancelled" ? 0 : Number(r.net_amount_minor) - Number(r.refunded_minor),
    });
  }
  const lines: PeriodLine[] = [];
  for (const r of await q.query<LineRow>(
    `SELECT cl.beneficiary_id, o.promoter_id AS seller_id, cl.order_id, cl.line_no, cl.level, cl.kind, cl.amount_minor, cl.reversed_minor, cl.rate_bps,
       CASE WHEN (cl.kind = 'sale' AND cl.level = 0) OR (cl.kind = 'team' AND cl.level > 0 AND cl.rate_bps IS NULL)
         THEN jsonb_build_array(${CLOSE_TRACE_KEYS.map((k) => `cl.trace->'${k}'`).join(", ")}) END AS trace
     FROM (SELECT o.id, o.promoter_id FROM orders o
           WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.period_key = $3 AND ${inPart} OFFSET 0) o,
     LATERAL (SELECT beneficiary_id, order_id, line_no, level, kind, amount_minor, reversed_minor, rate_bps, trace, program_id, adjustment_key
              FROM commission_lines WHERE merchant_id = $1 AND order_id = o.id OFFSET 0) cl
     WHERE cl.program_id = $2 AND cl.adjustment_key IS NULL`,
    params,
  )) {
    lines.push({
      beneficiaryId: id(r.beneficiary_id),
      sellerId: id(r.seller_id),
      orderId: orderId(r.order_id),
      lineNo: r.line_no,
      level: r.level,
      kind: r.kind,
      amountMinor: Number(r.amount_minor),
      reversedMinor: Number(r.reversed_minor),
      trace: traceOf(r),
    });
  }
  return { sales, lines, orders };
}

/** Contribution totals of the period (P16): per promoter and type. */
export async function readContributions(q: Sql, program: Program, period: PeriodRange) {
  return (
    await q.query<{ promoter_id: string; type: string; n: number }>(
      `SELECT promoter_id, type, sum(count)::int AS n FROM contribution_events WHERE merchant_id = $1 AND program_id = $2 AND occurred_at >= $3 AND occurred_at < $4
       GROUP BY promoter_id, type ORDER BY promoter_id, type`,
      [program.merchantId, program.id, period.startsAt, period.endsAt],
    )
  ).map((r) => ({ promoterId: r.promoter_id, type: r.type, count: Number(r.n) }));
}
