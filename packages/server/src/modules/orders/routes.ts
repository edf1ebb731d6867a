import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { sendCsv } from "../../http/csv.ts";
import { ApiError } from "../../http/errors.ts";
import { decodeCursor, EXPORT_PAGE, page, pageQuery } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { maskRef } from "../customers/mask.ts";
import { idempotencyHeaders, keyOf, sendStored } from "../idempotency/service.ts";
import type { OrderEventKind } from "./events.ts";
import { countOrders, listOrders, ORDER_CSV, orderFilters, orderListQuery } from "./list.ts";
import { cancelBody, completeBody, paidOrderBatchBody, paidOrderBody, refundBody } from "./schema.ts";
import { orderView } from "./service.ts";
import { runOrderEvent, submitPaidOrder } from "./units.ts";

const refParams = z.object({ orderRef: z.string().min(1).max(128) });

export function registerOrderRoutes(app: Api, ctx: AppContext): void {
  app.post(
    "/v1/orders",
    {
      schema: {
        tags: ["orders"],
        summary: "Order paid: attribute, compute commission lines, post to the ledger",
        headers: idempotencyHeaders,
        body: paidOrderBody,
      },
    },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const key = keyOf(req.headers);
      const out = await submitPaidOrder(ctx.db, secretsOf(ctx), merchantId, req.body, key, ctx.clock.now());
      return sendStored(reply, out);
    },
  );

  app.post(
    "/v1/orders/batch",
    {
      schema: {
        tags: ["orders"],
        summary: "Many paid orders in one request: each is ingested exactly as by POST /v1/orders, with its own result",
        description:
          "The whole request is validated first: an invalid order fails the request with 400 (naming orders.N.field) and nothing " +
          "is written. Valid orders are ingested in order; each result carries the status and body POST /v1/orders would " +
          "have returned (201 with the order, or the error), and `replayed` when its idempotencyKey was already used with " +
          "the same order. Keys share their scope with POST /v1/orders, so a retry may go through either endpoint.",
        body: paidOrderBatchBody,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const outcomes = await Promise.allSettled(
        req.body.orders.map(({ idempotencyKey, ...order }) =>
          submitPaidOrder(ctx.db, secretsOf(ctx), merchantId, order, idempotencyKey ?? null, ctx.clock.now()),
        ),
      );
      return {
        results: outcomes.map((o, i) => {
          const orderRef = req.body.orders[i]?.orderRef;
          if (o.status === "fulfilled") return { orderRef, status: o.value.statusCode, replayed: o.value.replayed, order: o.value.body };
          if (o.reason instanceof ApiError) return { orderRef, status: o.reason.status, replayed: false, ...o.reason.toBody() };
          throw o.reason;
        }),
      };
    },
  );

  /** Refund, completion and cancellation: one shape, each under its own Idempotency-Key scope (events.ts). */
  function orderEvent(kind: OrderEventKind, summary: string, body: z.ZodType): void {
    app.post(
      `/v1/orders/:orderRef/${kind}`,
      { schema: { tags: ["orders"], summary, headers: idempotencyHeaders, params: refParams, body } },
      async (req, reply) => {
        const merchantId = merchantOf(await authenticate(ctx, req));
        const key = keyOf(req.headers);
        const out = await runOrderEvent(ctx.db, {
          kind,
          merchantId,
          orderRef: req.params.orderRef,
          key,
          body: req.body,
          now: ctx.clock.now(),
        });
        return sendStored(reply, out);
      },
    );
  }
  orderEvent("refunds", "Partial or full refund: reverses commission proportionally (P19)", refundBody);
  orderEvent("complete", "Order completed (received): commission becomes available after the hold days", completeBody);
  orderEvent("cancel", "Order cancelled: reverses all its commission", cancelBody);

  app.get(
    "/v1/orders",
    {
      schema: {
        tags: ["orders"],
        summary: "Orders, newest first, with attribution path; filters and a total count",
        querystring: orderListQuery,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const { limit, cursor, ...f } = req.query;
      return ctx.db.read(async (q) => ({
        ...(await listOrders(q, merchantId, f, limit, cursor)),
        total: await countOrders(q, merchantId, f),
      }));
    },
  );

  app.get(
    "/v1/orders/export.csv",
    { schema: { tags: ["orders"], summary: "The order list as CSV (UTF-8 with BOM), with the list's filters", querystring: orderFilters } },
    async (req, reply) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      await sendCsv(reply, "orders.csv", ORDER_CSV, (cursor) =>
        ctx.db.read((q) => listOrders(q, merchantId, req.query, EXPORT_PAGE, cursor)),
      );
    },
  );

  app.get(
    "/v1/orders/:orderRef",
    { schema: { tags: ["orders"], summary: "One order with its commission lines and their explanations", params: refParams } },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read((q) => orderView(q, merchantId, req.params.orderRef));
    },
  );

  app.get(
    "/v1/me/orders",
    {
      schema: {
        tags: ["portal"],
        summary: "Orders attributed to me (customer masked)",
        querystring: pageQuery.extend({ merchantId: z.string().min(1).max(64), programId: z.string().min(1).max(64).optional() }),
      },
    },
    async (req) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const cur = decodeCursor(req.query.cursor);
      const rows = await ctx.db.read((q) =>
        q.query<{ id: string; paidAt: Date; customerRef: string }>(
          `SELECT o.id, o.order_ref AS "orderRef", o.program_id AS "programId", c.customer_ref AS "customerRef", o.channel, o.status, o.amount_minor AS "amountMinor",
                  o.refunded_minor AS "refundedMinor", o.attribution_path AS "attributionPath", o.is_first_order AS "isFirstOrder", o.paid_at AS "paidAt"
           FROM orders o JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
           WHERE o.merchant_id = $1 AND o.promoter_id = $2 AND ($3::text IS NULL OR o.program_id = $3)
             AND ($4::timestamptz IS NULL OR (o.paid_at, o.id) < ($4::timestamptz, $5::text))
           ORDER BY o.paid_at DESC, o.id DESC LIMIT $6`,
          [req.query.merchantId, promoterId, req.query.programId ?? null, cur?.at ?? null, cur?.id ?? null, req.query.limit + 1],
        ),
      );
      const p = page(rows, req.query.limit, (r) => ({ at: r.paidAt, id: r.id }));
      const mine = await ctx.db.read((q) =>
        myOrderDetails(
          q,
          req.query.merchantId,
          promoterId,
          p.items.map((r) => r.id),
        ),
      );
      return {
        ...p,
        items: p.items.map((r) => ({ ...r, customerRef: maskRef(r.customerRef), ...(mine.get(r.id) ?? emptyDetails()) })),
      };
    },
  );
}

const emptyDetails = () => ({ lines: [] as OrderLineView[], myCommissionMinor: 0, myReversedMinor: 0 });
interface OrderLineView {
  lineNo: number;
  productId: string;
  productName: string | null;
  quantity: number;
  netAmountMinor: number;
  refundedMinor: number;
}

/** The products of a page of my orders and my commission on each (earned, and reversed since), in two queries. */
async function myOrderDetails(q: Sql, merchantId: string, promoterId: string, orderIds: string[]) {
  const out = new Map<string, ReturnType<typeof emptyDetails>>();
  if (orderIds.length === 0) return out;
  for (const id of orderIds) out.set(id, emptyDetails());
  const lines = await q.query<OrderLineView & { orderId: string } & Record<string, unknown>>(
    `SELECT ol.order_id AS "orderId", ol.line_no AS "lineNo", ol.product_id AS "productId", coalesce(ol.product_name, p.name) AS "productName",
            ol.quantity, ol.net_amount_minor AS "netAmountMinor", ol.refunded_minor AS "refundedMinor"
     FROM order_lines ol LEFT JOIN products p ON p.merchant_id = ol.merchant_id AND p.id = ol.product_id
     WHERE ol.merchant_id = $1 AND ol.order_id = ANY($2::text[]) ORDER BY ol.order_id, ol.line_no`,
    [merchantId, orderIds],
  );
  for (const { orderId, ...l } of lines)
    out.get(orderId)?.lines.push({ ...l, netAmountMinor: Number(l.netAmountMinor), refundedMinor: Number(l.refundedMinor) });
  const sums = await q.query<{ orderId: string; amount: string; reversed: string }>(
    `SELECT order_id AS "orderId", sum(amount_minor)::bigint AS amount, sum(reversed_minor)::bigint AS reversed FROM commission_lines
     WHERE merchant_id = $1 AND beneficiary_id = $2 AND order_id = ANY($3::text[]) GROUP BY order_id`,
    [merchantId, promoterId, orderIds],
  );
  for (const s of sums) {
    const d = out.get(s.orderId);
    if (d) Object.assign(d, { myCommissionMinor: Number(s.amount), myReversedMinor: Number(s.reversed) });
  }
  return out;
}
