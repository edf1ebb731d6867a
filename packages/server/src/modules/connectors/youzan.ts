/**
 * Youzan (有赞云) push messages. The body is JSON: { client_id, id, kdt_id, type, status, msg, sign, test, mode,
 * version }, where `msg` is the URL-encoded JSON of the event and `sign` = MD5(client_id + msg + client_secret).
 * The format is that of Youzan's message push documentation (doc.youzanyun.com, 消息推送) as public integrations
 * of it implement it; the documentation itself could not be consulted, see docs/integrations.md.
 *
 *   trade_TradePaid             → paid order (full_order_info: order_info.tid, pay_time in Beijing time, orders[] with
 *                                 oid, num and payment — the line's amount after discounts, without postage)
 *   trade_TradeSuccess          → completed
 *   trade_TradeClose            → cancelled
 *   trade_refund_RefundSuccess  → refund of refunded_fee on the line(s) named by oids
 *
 * The customer is `yz-<yz_open_id>` (or the fans id); the click token and promo code are `fx_click` / `fx_code` of
 * order_info.order_extra, where a shop page that keeps them puts them.
 */
import {
  amountOf,
  arr,
  clickTokenOf,
  type Delivery,
  idOf,
  ignore,
  type Mapped,
  obj,
  type PaidAction,
  parseJson,
  promoCodeOf,
  quantityOf,
  str,
  timeOf,
  Unmappable,
} from "./mapping.ts";

export const YOUZAN_TYPES = ["trade_TradePaid", "trade_TradeSuccess", "trade_TradeClose", "trade_refund_RefundSuccess"] as const;

/** Youzan writes times in Beijing time without an offset. */
const BEIJING = "+08:00";

export interface YouzanPush {
  clientId: string;
  msg: string;
  sign: string;
}

/** The parts of a push that its signature covers. */
export function youzanEnvelope(raw: Buffer): YouzanPush {
  const b = obj(parseJson(raw), "body");
  const clientId = str(b.client_id);
  const msg = typeof b.msg === "string" ? b.msg : undefined;
  const sign = str(b.sign);
  if (!clientId || msg === undefined || !sign) throw new Unmappable("body", "not a Youzan push (client_id, msg and sign are required)");
  return { clientId, msg, sign };
}

function decodeMsg(msg: string): Record<string, unknown> {
  try {
    return obj(JSON.parse(decodeURIComponent(msg.replace(/\+/g, "%20"))), "msg");
  } catch (e) {
    if (e instanceof Unmappable) throw e;
    throw new Unmappable("msg", "not URL-encoded JSON");
  }
}

function youzanPaid(m: Record<string, unknown>): PaidAction {
  const full = obj(m.full_order_info, "msg.full_order_info");
  const info = obj(full.order_info, "msg.full_order_info.order_info");
  const tid = idOf(info.tid, "msg.full_order_info.order_info.tid");
  const orders = arr(full.orders, "msg.full_order_info.orders");
  if (orders.length === 0) throw new Unmappable("msg.full_order_info.orders", "the trade has no lines");
  const lines = orders.map((v, i) => {
    const f = `msg.full_order_info.orders.${i}`;
    const o = obj(v, f);
    return {
      lineId: idOf(o.oid, `${f}.oid`),
      line: {
        productId: (str(o.outer_item_id) ?? str(o.item_id) ?? `line-${idOf(o.oid, `${f}.oid`)}`).slice(0, 64),
        productName: str(o.title)?.slice(0, 200),
        quantity: quantityOf(o.num, `${f}.num`),
        netAmountMinor: amountOf(o.payment, `${f}.payment`),
      },
    };
  });
  const buyer = full.buyer_info && typeof full.buyer_info === "object" ? (full.buyer_info as Record<string, unknown>) : {};
  const who = str(buyer.yz_open_id) ?? str(buyer.fans_id) ?? str(buyer.buyer_id);
  if (!who) throw new Unmappable("msg.full_order_info.buyer_info", "names no buyer (yz_open_id, fans_id or buyer_id)");
  const extra = info.order_extra && typeof info.order_extra === "object" ? (info.order_extra as Record<string, unknown>) : {};
  const pay = full.pay_info && typeof full.pay_info === "object" ? (full.pay_info as Record<string, unknown>) : {};
  return {
    kind: "paid",
    platformOrderId: tid,
    lineIds: lines.map((l) => l.lineId),
    order: {
      customer: { ref: `yz-${who}`.slice(0, 128) },
      channel: "online",
      currency: "CNY",
      paidAt: timeOf(info.pay_time ?? info.created, "msg.full_order_info.order_info.pay_time", BEIJING),
      promoCode: promoCodeOf(extra.fx_code),
      clickToken: clickTokenOf(extra.fx_click),
      shippingMinor: pay.post_fee === undefined ? 0 : amountOf(pay.post_fee, "msg.full_order_info.pay_info.post_fee"),
      lines: lines.map((l) => l.line),
    },
  };
}

function tidOf(m: Record<string, unknown>, fallback: unknown): string {
  const full = m.full_order_info as { order_info?: { tid?: unknown } } | undefined;
  return idOf(full?.order_info?.tid ?? m.tid ?? fallback, "msg.tid");
}

export function mapYouzan(d: Delivery): Mapped {
  const b = obj(parseJson(d.raw), "body");
  const type = str(b.type) ?? "(none)";
  if (b.test === true || b.test === "true") return ignore(type, null, "a test push from the Youzan console");
  if (!(YOUZAN_TYPES as readonly string[]).includes(type))
    return ignore(type, null, `message type ${type} is not an order event Fenxiao uses`);
  const m = decodeMsg(String(b.msg));
  switch (type) {
    case "trade_TradePaid":
      return { topic: type, deliveryRef: null, actions: [youzanPaid(m)] };
    case "trade_TradeSuccess":
      return { topic: type, deliveryRef: null, actions: [{ kind: "complete", platformOrderId: tidOf(m, b.id) }] };
    case "trade_TradeClose":
      return { topic: type, deliveryRef: null, actions: [{ kind: "cancel", platformOrderId: tidOf(m, b.id), unknownIsIgnored: true }] };
    default: {
      const oids = (str(m.oids) ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const amount = amountOf(m.refunded_fee, "msg.refunded_fee");
      const base = {
        kind: "refund" as const,
        platformOrderId: tidOf(m, b.id),
        refundRef: `yz-refund-${idOf(m.refund_id, "msg.refund_id")}`,
      };
      const at = m.update_time ? timeOf(m.update_time, "msg.update_time", BEIJING) : undefined;
      if (amount <= 0) return ignore(type, null, "the refund refunds no amount");
      return {
        topic: type,
        deliveryRef: null,
        actions: [
          oids.length === 1
            ? { ...base, at, lines: [{ lineId: oids[0] as string, amountMinor: amount }] }
            : { ...base, at, amountMinor: amount },
        ],
      };
    }
  }
}
