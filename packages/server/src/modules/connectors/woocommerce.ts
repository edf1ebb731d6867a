/**
 * WooCommerce order webhooks (woocommerce.github.io/woocommerce-rest-api-docs, "Webhooks" and the Order properties):
 * topics order.created and order.updated carry the whole order; what it means follows its status:
 *
 *   processing  → paid order
 *   completed   → paid order (if not received yet) and completed
 *   refunded    → everything still refundable is refunded
 *   cancelled   → cancelled
 *   other       → ignored (pending, on-hold, failed: not paid)
 *
 * Each entry of the order's `refunds` ({ id, total }) is a refund of that amount, spread by Fenxiao over the lines
 * still refundable (the order webhook does not say which line a refund was for); each refund is applied once, by its
 * id. A line's net amount is its `total` (after coupons, without tax); shipping lines are not lines. The click token
 * is the `fx_click` (or `_fx_click`) order meta, the promo code the `fx_code` meta or the first coupon code.
 * Deliveries are told apart by X-WC-Webhook-Delivery-ID.
 */
import {
  amountOf,
  arr,
  type ConnectorAction,
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

export const WOO_TOPICS = ["order.created", "order.updated"] as const;

function wooPaid(o: Record<string, unknown>): PaidAction {
  const id = idOf(o.id, "id");
  const items = arr(o.line_items, "line_items");
  if (items.length === 0) throw new Unmappable("line_items", "the order has no lines");
  const lines = items.map((v, i) => {
    const f = `line_items.${i}`;
    const li = obj(v, f);
    const net = amountOf(li.total, `${f}.total`);
    if (net < 0) throw new Unmappable(`${f}.total`, "negative line total");
    const productId = str(li.variation_id) && str(li.variation_id) !== "0" ? str(li.variation_id) : str(li.product_id);
    return {
      lineId: idOf(li.id, `${f}.id`),
      line: {
        productId: (productId ?? str(li.sku) ?? `line-${idOf(li.id, `${f}.id`)}`).slice(0, 64),
        productName: str(li.name)?.slice(0, 200),
        quantity: quantityOf(li.quantity, `${f}.quantity`),
        netAmountMinor: net,
      },
    };
  });
  const meta = pairs(o.meta_data, "key", "value");
  const billing = o.billing && typeof o.billing === "object" ? (o.billing as Record<string, unknown>) : {};
  const customerId = str(o.customer_id);
  const email = str(billing.email);
  const customerRef = customerId && customerId !== "0" ? `wc-customer-${customerId}` : email ? emailRef("wc", email) : null;
  if (!customerRef) throw new Unmappable("customer_id", "a guest order without billing.email names no customer");
  const coupons = Array.isArray(o.coupon_lines) ? o.coupon_lines.map((c) => (c as Record<string, unknown>)?.code) : [];
  const paidAt = o.date_paid_gmt ?? o.date_paid ?? o.date_created_gmt ?? o.date_created;
  const currency = str(o.currency);
  return {
    kind: "paid",
    platformOrderId: id,
    lineIds: lines.map((l) => l.lineId),
    order: {
      customer: { ref: customerRef },
      channel: "online",
      currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined,
      paidAt: timeOf(paidAt, "date_paid_gmt"),
      promoCode: promoCodeOf(meta.get("fx_code"), meta.get("_fx_code"), ...coupons),
      clickToken: clickTokenOf(meta.get("fx_click") ?? meta.get("_fx_click")),
      shippingMinor: o.shipping_total === undefined ? 0 : amountOf(o.shipping_total, "shipping_total"),
      lines: lines.map((l) => l.line),
    },
  };
}

function partialRefunds(o: Record<string, unknown>, id: string): ConnectorAction[] {
  if (!Array.isArray(o.refunds)) return [];
  return o.refunds.map((v, i) => {
    const r = obj(v, `refunds.${i}`);
    const total = Math.abs(amountOf(r.total, `refunds.${i}.total`));
    return { kind: "refund", platformOrderId: id, refundRef: `wc-refund-${idOf(r.id, `refunds.${i}.id`)}`, amountMinor: total };
  });
}

export function mapWoo(d: Delivery): Mapped {
  const topic = header(d, "x-wc-webhook-topic") ?? "";
  const deliveryRef = header(d, "x-wc-webhook-delivery-id") ?? null;
  // On saving a webhook WooCommerce sends a ping: `webhook_id=<id>`, form-encoded.
  if (/^webhook_id=\d+$/.test(d.raw.toString("utf8").trim()))
    return ignore(topic || "ping", deliveryRef, "WooCommerce's ping on saving the webhook");
  if (!(WOO_TOPICS as readonly string[]).includes(topic))
    return ignore(topic || "(none)", deliveryRef, `topic ${topic || "(missing X-WC-Webhook-Topic)"} is not an order event Fenxiao uses`);
  const o = obj(parseJson(d.raw), "body");
  const id = idOf(o.id, "id");
  const status = String(o.status ?? "");
  const at = (v: unknown, f: string) => (v ? timeOf(v, f) : undefined);
  switch (status) {
    case "processing":
      return { topic, deliveryRef, actions: [wooPaid(o), ...partialRefunds(o, id)] };
    case "completed":
      return {
        topic,
        deliveryRef,
        actions: [
          wooPaid(o),
          ...partialRefunds(o, id),
          { kind: "complete", platformOrderId: id, at: at(o.date_completed_gmt, "date_completed_gmt") },
        ],
      };
    case "refunded":
      return { topic, deliveryRef, actions: [{ kind: "refund", platformOrderId: id, refundRef: `wc-order-${id}-refunded`, rest: true }] };
    case "cancelled":
      return { topic, deliveryRef, actions: [{ kind: "cancel", platformOrderId: id, unknownIsIgnored: true }] };
    default:
      return ignore(topic, deliveryRef, `status ${status || "(none)"} is not paid: nothing to ingest yet`);
  }
}
