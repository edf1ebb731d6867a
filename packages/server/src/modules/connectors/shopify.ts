/**
 * Shopify order webhooks (shopify.dev, "Webhooks" and the Order and Refund resources):
 *
 *   orders/paid       → paid order
 *   orders/fulfilled  → paid order (if not received yet) and completed
 *   refunds/create    → refund per line: each refund_line_item's subtotal (after discounts, without tax) on its line
 *   orders/cancelled  → cancelled
 *
 * A line's net amount is price × quantity − its discount_allocations; shipping lines are not lines. The customer is
 * `shopify-customer-<id>` (or a hash of the e-mail for a guest), the click token the `fx_click` note attribute (set
 * on the cart by /fx.js, docs/integrations.md), the promo code the `fx_code` note attribute or the first discount code.
 * Deliveries are told apart by X-Shopify-Webhook-Id (the same on every retry of one delivery).
 */
import {
  amountOf,
  arr,
  clickTokenOf,
  type Delivery,
  emailRef,
  header,
  idOf,
  ignore,
  type Mapped,
  obj,
  type PaidAction,
  pairs,
  parseJson,
  promoCodeOf,
  quantityOf,
  str,
  timeOf,
  Unmappable,
} from "./mapping.ts";

export const SHOPIFY_TOPICS = ["orders/paid", "orders/fulfilled", "refunds/create", "orders/cancelled"] as const;

const PAID_STATUSES = new Set(["paid", "partially_paid", "partially_refunded", "refunded"]);

function lineOf(v: unknown, i: number) {
  const f = `line_items.${i}`;
  const li = obj(v, f);
  const quantity = quantityOf(li.quantity, `${f}.quantity`);
  const price = amountOf(li.price, `${f}.price`);
  const discounts = Array.isArray(li.discount_allocations)
    ? li.discount_allocations.reduce<number>(
        (s, d, k) => s + amountOf(obj(d, `${f}.discount_allocations.${k}`).amount, `${f}.discount_allocations.${k}.amount`),
        0,
      )
    : 0;
  const net = price * quantity - discounts;
  if (net < 0) throw new Unmappable(`${f}.discount_allocations`, "the discounts exceed the line's price");
  const productId = str(li.product_id) ?? str(li.variant_id) ?? str(li.sku) ?? `line-${idOf(li.id, `${f}.id`)}`;
  return {
    lineId: idOf(li.id, `${f}.id`),
    line: { productId: productId.slice(0, 64), productName: str(li.title)?.slice(0, 200), quantity, netAmountMinor: net },
  };
}

export function shopifyPaid(body: unknown): PaidAction {
  const o = obj(body, "body");
  const id = idOf(o.id, "id");
  const items = arr(o.line_items, "line_items");
  if (items.length === 0) throw new Unmappable("line_items", "the order has no lines");
  const lines = items.map(lineOf);
  const attrs = pairs(o.note_attributes, "name", "value");
  const customer = o.customer && typeof o.customer === "object" ? (o.customer as Record<string, unknown>) : null;
  const email = str(o.email) ?? str(customer?.email);
  const customerRef =
    customer?.id != null ? `shopify-customer-${idOf(customer.id, "customer.id")}` : email ? emailRef("shopify", email) : null;
  if (!customerRef) throw new Unmappable("customer", "the order names no customer and no e-mail");
  const codes = Array.isArray(o.discount_codes) ? o.discount_codes.map((d) => (d as Record<string, unknown>)?.code) : [];
  const shipping = Array.isArray(o.shipping_lines)
    ? o.shipping_lines.reduce<number>((s, l, k) => s + amountOf(obj(l, `shipping_lines.${k}`).price, `shipping_lines.${k}.price`), 0)
    : 0;
  const currency = str(o.currency);
  return {
    kind: "paid",
    platformOrderId: id,
    lineIds: lines.map((l) => l.lineId),
    order: {
      customer: { ref: customerRef },
      channel: "online",
      currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined,
      paidAt: timeOf(o.processed_at ?? o.created_at, "processed_at"),
      promoCode: promoCodeOf(attrs.get("fx_code"), ...codes),
      clickToken: clickTokenOf(attrs.get("fx_click")),
      shippingMinor: shipping,
      lines: lines.map((l) => l.line),
    },
  };
}

function refundOf(body: unknown, deliveryRef: string | null, topic: string): Mapped {
  const r = obj(body, "body");
  const items = arr(r.refund_line_items, "refund_line_items");
  const orderId = idOf(r.order_id, "order_id");
  if (items.length === 0)
    return ignore(topic, deliveryRef, "a refund of no line (shipping or an adjustment only): line amounts are unchanged");
  const lines = items.map((v, i) => {
    const f = `refund_line_items.${i}`;
    const it = obj(v, f);
    const set = it.subtotal_set as { shop_money?: { amount?: unknown } } | undefined;
    return {
      lineId: idOf(it.line_item_id, `${f}.line_item_id`),
      amountMinor: amountOf(it.subtotal ?? set?.shop_money?.amount, `${f}.subtotal`),
    };
  });
  const positive = lines.filter((l) => l.amountMinor > 0);
  if (positive.length === 0) return ignore(topic, deliveryRef, "the refund's lines refund no amount (a restock only)");
  return {
    topic,
    deliveryRef,
    actions: [
      {
        kind: "refund",
        platformOrderId: orderId,
        refundRef: `shopify-refund-${idOf(r.id, "id")}`,
        at: r.created_at ? timeOf(r.created_at, "created_at") : undefined,
        lines: positive,
      },
    ],
  };
}

export function mapShopify(d: Delivery): Mapped {
  const topic = header(d, "x-shopify-topic") ?? "";
  const deliveryRef = header(d, "x-shopify-webhook-id") ?? header(d, "x-shopify-event-id") ?? null;
  if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic))
    return ignore(topic || "(none)", deliveryRef, `topic ${topic || "(missing X-Shopify-Topic)"} is not an order event Fenxiao uses`);
  const body = parseJson(d.raw);
  if (topic === "refunds/create") return refundOf(body, deliveryRef, topic);
  const o = obj(body, "body");
  const id = idOf(o.id, "id");
  if (topic === "orders/cancelled")
    return {
      topic,
      deliveryRef,
      actions: [
        {
          kind: "cancel",
          platformOrderId: id,
          at: o.cancelled_at ? timeOf(o.cancelled_at, "cancelled_at") : undefined,
          reason: str(o.cancel_reason)?.slice(0, 200),
          unknownIsIgnored: true,
        },
      ],
    };
  if (topic === "orders/paid") return { topic, deliveryRef, actions: [shopifyPaid(body)] };
  // orders/fulfilled: completed (received by the customer); paid first when the order has been paid
  const paid = PAID_STATUSES.has(String(o.financial_status ?? "paid"));
  const fulfilledAt = Array.isArray(o.fulfillments)
    ? (o.fulfillments.at(-1) as Record<string, unknown> | undefined)?.created_at
    : undefined;
  return {
    topic,
    deliveryRef,
    actions: [
      ...(paid ? [shopifyPaid(body)] : []),
      { kind: "complete", platformOrderId: id, at: fulfilledAt ? timeOf(fulfilledAt, "fulfillments.created_at") : undefined },
    ],
  };
}
