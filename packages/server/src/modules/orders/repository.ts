import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";

export interface OrderRow {
  id: string;
  program_id: string;
  order_ref: string;
  customer_id: string;
  channel: string;
  currency: string;
  status: "paid" | "completed" | "refunded" | "cancelled";
  amount_minor: number;
  refunded_minor: number;
  promoter_id: string | null;
  attribution_path: string | null;
  period_key: string;
  paid_at: Date;
  completed_at: Date | null;
}

export interface OrderLineRow {
  line_no: number;
  product_id: string;
  product_name: string | null;
  category_id: string | null;
  quantity: number;
  net_amount_minor: number;
  refunded_minor: number;
}

/** The order and its lines, locked for the rest of the transaction. */
export async function lockOrder(q: Sql, merchantId: string, orderRef: string): Promise<{ order: OrderRow; lines: OrderLineRow[] }> {
  const [order] = await q.query<OrderRow & Record<string, unknown>>(
    `SELECT id, program_id, order_ref, customer_id, channel, currency, status, amount_minor, refunded_minor, promoter_id, attribution_path, period_key, paid_at, completed_at
     FROM orders WHERE merchant_id = $1 AND order_ref = $2 FOR UPDATE`,
    [merchantId, orderRef],
  );
  if (!order) fail("NOT_FOUND", "No order with this orderRef.", { orderRef });
  const lines = await q.query<OrderLineRow & Record<string, unknown>>(
    `SELECT line_no, product_id, product_name, category_id, quantity, net_amount_minor, refunded_minor FROM order_lines
     WHERE merchant_id = $1 AND order_id = $2 ORDER BY line_no`,
    [merchantId, order.id],
  );
  return {
    order: { ...order, amount_minor: Number(order.amount_minor), refunded_minor: Number(order.refunded_minor) },
    lines: lines.map((l) => ({ ...l, net_amount_minor: Number(l.net_amount_minor), refunded_minor: Number(l.refunded_minor) })),
  };
}

export interface CommissionRow {
  id: string;
  line_no: number | null;
  beneficiary_id: string;
  amount_minor: number;
  reversed_minor: number;
  state: "pending" | "available" | "held" | "reversed";
  refund_base_minor: number | null;
  trace: { lineAmountMinor?: number } & Record<string, unknown>;
}

export async function lockOrderCommissions(q: Sql, merchantId: string, orderId: string): Promise<CommissionRow[]> {
  const rows = await q.query<CommissionRow & Record<string, unknown>>(
    `SELECT id, line_no, beneficiary_id, amount_minor, reversed_minor, state, refund_base_minor, trace FROM commission_lines
     WHERE merchant_id = $1 AND order_id = $2 ORDER BY id FOR UPDATE`,
    [merchantId, orderId],
  );
  return rows.map((r) => ({
    ...r,
    amount_minor: Number(r.amount_minor),
    reversed_minor: Number(r.reversed_minor),
    refund_base_minor: r.refund_base_minor === null ? null : Number(r.refund_base_minor),
  }));
}

export async function insertEvent(
  q: Sql,
  merchantId: string,
  e: { id: string; orderId: string; type: string; eventRef: string | null; payload: unknown; occurredAt: Date; at: Date },
) {
  await q.query(
    "INSERT INTO order_events (merchant_id, id, order_id, type, event_ref, payload, occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [merchantId, e.id, e.orderId, e.type, e.eventRef, JSON.stringify(e.payload), e.occurredAt, e.at],
  );
}

/** Add to a promoter's period sales (negative for nothing: refunds go to refunded_minor). */
export async function bumpPeriodStats(
  q: Sql,
  merchantId: string,
  programId: string,
  promoterId: string,
  periodKey: string,
  d: { salesMinor?: number; refundedMinor?: number; orders?: number },
) {
  await q.query(
    `INSERT INTO promoter_period_stats (merchant_id, program_id, promoter_id, period_key, sales_minor, refunded_minor, orders) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (merchant_id, program_id, promoter_id, period_key) DO UPDATE SET sales_minor = promoter_period_stats.sales_minor + EXCLUDED.sales_minor,
       refunded_minor = promoter_period_stats.refunded_minor + EXCLUDED.refunded_minor, orders = promoter_period_stats.orders + EXCLUDED.orders`,
    [merchantId, programId, promoterId, periodKey, d.salesMinor ?? 0, d.refundedMinor ?? 0, d.orders ?? 0],
  );
}
