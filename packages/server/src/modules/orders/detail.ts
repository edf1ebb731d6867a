/**
 * One order in full for the merchant's console: the order view (commission lines with explanations) plus its lines, the
 * customer (phone masked), channel, paid time, the attribution path in full (the code, the click and when, the binding
 * and when) and the order's event history.
 */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { orderView } from "./service.ts";

export async function orderDetail(q: Sql, merchantId: string, orderRef: string) {
  const view = await orderView(q, merchantId, orderRef);
  const [o] = await q.query<{
    customer_id: string;
    channel: string;
    currency: string;
    paid_at: Date;
    completed_at: Date | null;
    period_key: string;
    plan_version: number | null;
    attribution: { clickId?: string | null; promoCode?: string | null; notes?: string[]; bound?: unknown } | null;
  }>(
    "SELECT customer_id, channel, currency, paid_at, completed_at, period_key, plan_version, attribution FROM orders WHERE merchant_id = $1 AND id = $2",
    [merchantId, view.orderId],
  );
  if (!o) return view;
  const [customer] = await q.query<{ customerRef: string; name: string | null; phone: string | null }>(
    `SELECT customer_ref AS "customerRef", name_masked AS name, phone_masked AS phone FROM customers WHERE merchant_id = $1 AND id = $2`,
    [merchantId, o.customer_id],
  );
  const lines = await q.query(
    `SELECT line_no AS "lineNo", product_id AS "productId", product_name AS "productName", category_id AS "categoryId", quantity,
            net_amount_minor AS "netAmountMinor", refunded_minor AS "refundedMinor" FROM order_lines WHERE merchant_id = $1 AND order_id = $2 ORDER BY line_no`,
    [merchantId, view.orderId],
  );
  const clickId = o.attribution?.clickId ?? null;
  const [click] = clickId
    ? await q.query(
        `SELECT id, link_code AS "linkCode", promoter_id AS "promoterId", clicked_at AS "clickedAt" FROM clicks WHERE merchant_id = $1 AND id = $2`,
        [merchantId, clickId],
      )
    : [];
  const [binding] = await q.query(
    `SELECT promoter_id AS "promoterId", source, bound_at AS "boundAt", expires_at AS "expiresAt" FROM bindings
     WHERE merchant_id = $1 AND program_id = $2 AND customer_id = $3`,
    [merchantId, view.programId, o.customer_id],
  );
  const events = await q.query(
    `SELECT type, event_ref AS "eventRef", payload, occurred_at AS "occurredAt", created_at AS "recordedAt" FROM order_events
     WHERE merchant_id = $1 AND order_id = $2 ORDER BY created_at, id LIMIT 500`,
    [merchantId, view.orderId],
  );
  return {
    ...view,
    channel: o.channel,
    currency: o.currency,
    paidAt: o.paid_at,
    completedAt: o.completed_at,
    periodKey: o.period_key,
    planVersion: o.plan_version,
    customer: customer ? { customerRef: customer.customerRef, phone: customer.phone } : null,
    lines: lines.map((l) => ({ ...l, netAmountMinor: Number(l.netAmountMinor), refundedMinor: Number(l.refundedMinor) })),
    attribution: {
      path: view.attributionPath,
      promoterId: view.promoterId,
      promoCode: o.attribution?.promoCode ?? null,
      click: click ?? null,
      boundByThisOrder: o.attribution?.bound ?? null,
      currentBinding: binding ?? null,
      notes: o.attribution?.notes ?? [],
    },
    events,
  };
}

export function registerOrderDetailRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/orders/:orderRef/detail",
    {
      schema: {
        tags: ["orders"],
        summary: "One order in full: lines, customer (masked), channel, paid time, attribution path, events, commission lines",
        params: z.object({ orderRef: z.string().min(1).max(128) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => orderDetail(q, merchantId, req.params.orderRef));
    },
  );
}
