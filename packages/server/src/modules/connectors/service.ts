/**
 * A shop's webhook delivery, from the raw request to Fenxiao order events:
 *
 *   1. the connector, active, and its secret (sealed at rest, opened with the key ring)
 *   2. the platform's signature over the raw body (signature.ts)        → 401, logged
 *   3. a delivery already applied under the same platform id            → 200 duplicate, logged, nothing done again
 *   4. the whole payload mapped in memory (shopify.ts, woocommerce.ts, youzan.ts) and every paid order validated
 *      against the order API's own schema                               → 422 naming the field, logged, nothing written
 *   5. each event ingested by the order API's own service functions (submitPaidOrder, runOrderEvent), each in its
 *      own transaction under an Idempotency-Key made of the platform's ids, so a retried delivery changes nothing
 *
 * Every delivery leaves one row in the connector's log (time, topic, outcome, error).
 */
import { createHash } from "node:crypto";
import type { AppContext } from "../../context.ts";
import { secretsOf } from "../../context.ts";
import { open } from "../../crypto/sealed.ts";
import { ApiError, ERRORS, type ErrorCode } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { merchantStatus } from "../merchants/status.ts";
import { type PaidOrderBody, paidOrderBody, type RefundBody, refundBody } from "../orders/schema.ts";
import { orderView } from "../orders/service.ts";
import { runOrderEvent, submitPaidOrder } from "../orders/units.ts";
import { type ConnectorAction, type Delivery, type Mapped, type Platform, Unmappable } from "./mapping.ts";
import { type ConnectorRow, connectorById, deliveryDone, knownOrder, type Outcome, recordDelivery, rememberOrder } from "./repository.ts";
import { mapShopify } from "./shopify.ts";
import { signatureValid } from "./signature.ts";
import { mapWoo } from "./woocommerce.ts";
import { mapYouzan } from "./youzan.ts";

/** The default prefix of the orderRef of an order a connector ingests: `<prefix><the platform's order id>`. */
export const ORDER_REF_PREFIX: Record<Platform, string> = { shopify: "shopify-", woocommerce: "wc-", youzan: "yz-" };

const MAPPERS: Record<Platform, (d: Delivery) => Mapped> = { shopify: mapShopify, woocommerce: mapWoo, youzan: mapYouzan };

export const secretAad = (connectorId: string) => `connector:secret:${connectorId}`;

export interface WebhookAnswer {
  statusCode: number;
  body: unknown;
}

/** A refusal that is logged with the delivery and answered to the shop. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly outcome: Outcome,
    readonly status: number,
  ) {
    super(message);
  }
}

function answer(platform: Platform, statusCode: number, outcome: Outcome, error?: { code: string; message: string }): WebhookAnswer {
  if (error) return { statusCode, body: { error: { code: error.code, message: error.message, details: {} } } };
  // Youzan expects this body to count a push as received.
  if (platform === "youzan") return { statusCode, body: { code: 0, msg: "success" } };
  return { statusCode, body: { received: true, outcome } };
}

export async function receiveWebhook(ctx: AppContext, connectorId: string, d: Delivery): Promise<WebhookAnswer> {
  const now = ctx.clock.now();
  const c = await ctx.db.read((q) => connectorById(q, connectorId));
  if (!c) throw new ApiError("NOT_FOUND", "No connector with this id.", { connectorId });
  const log = (
    topic: string,
    ref: string,
    outcome: Outcome,
    statusCode: number,
    err?: { code: string; message: string },
    orderRef?: string,
  ) =>
    ctx.db.tx((q) =>
      recordDelivery(q, c.merchant_id, {
        id: deliveryId(),
        connectorId: c.id,
        deliveryRef: ref,
        topic: topic.slice(0, 100),
        outcome,
        statusCode,
        errorCode: err?.code || null,
        error: err?.message.slice(0, 1000) ?? null,
        orderRef: orderRef ?? null,
        receivedAt: now,
      }),
    );
  const bodyRef = `sha256:${createHash("sha256").update(d.raw).digest("hex")}`;
  if (c.status !== "active") {
    const e = { code: "CONNECTOR_DISABLED", message: "This connector is disabled." };
    await log("(disabled)", bodyRef, "rejected", 410, e);
    return answer(c.platform, 410, "rejected", e);
  }
  const secret = open(secretsOf(ctx), c.secret_sealed, secretAad(c.id));
  if (!signatureValid(c.platform, secret, d)) {
    const e = { code: "CONNECTOR_SIGNATURE_INVALID", message: `The ${c.platform} signature does not match this connector's secret.` };
    await log("(unverified)", bodyRef, "rejected", 401, e);
    return answer(c.platform, 401, "rejected", e);
  }
  // Checked once the delivery is the shop's own, so that a stranger learns nothing of the merchant.
  if ((await ctx.db.read((q) => merchantStatus(q, c.merchant_id))) === "suspended") {
    // Refused, not dropped: the shop retries its delivery, and it is accepted again once the merchant is reactivated.
    const e = { code: "MERCHANT_SUSPENDED", message: ERRORS.MERCHANT_SUSPENDED.message };
    await log("(suspended)", bodyRef, "rejected", 403, e);
    return answer(c.platform, 403, "rejected", e);
  }
  let mapped: Mapped;
  try {
    mapped = MAPPERS[c.platform](d);
  } catch (err) {
    if (!(err instanceof Unmappable)) throw err;
    const e = { code: "CONNECTOR_PAYLOAD_UNMAPPABLE", message: err.message };
    await log("(unmappable)", bodyRef, "rejected", 422, e);
    return answer(c.platform, 422, "rejected", e);
  }
  const ref = mapped.deliveryRef ?? bodyRef;
  if (await ctx.db.read((q) => deliveryDone(q, c.merchant_id, c.id, ref))) {
    await log(mapped.topic, ref, "duplicate", 200);
    return answer(c.platform, 200, "duplicate");
  }
  if (mapped.ignored) {
    await log(mapped.topic, ref, "ignored", 200, { code: "", message: mapped.ignored }); // the reason, not an error
    return answer(c.platform, 200, "ignored");
  }
  const firstRef = mapped.actions[0] ? orderRefOf(c, mapped.actions[0].platformOrderId) : undefined;
  try {
    const paid = validatePaid(c, mapped.actions);
    for (const a of mapped.actions) await apply(ctx, c, a, paid.get(a), now);
  } catch (err) {
    const r = refusalOf(err);
    if (!r) {
      await log(mapped.topic, ref, "failed", 500, { code: "INTERNAL", message: "internal error while ingesting" }, firstRef);
      throw err;
    }
    await log(mapped.topic, ref, r.outcome, r.status, { code: r.code, message: r.message }, firstRef);
    return answer(c.platform, r.status, r.outcome, { code: r.code, message: r.message });
  }
  await log(mapped.topic, ref, "applied", 200, undefined, firstRef);
  return answer(c.platform, 200, "applied");
}

function refusalOf(err: unknown): Refusal | null {
  if (err instanceof Refusal) return err;
  if (err instanceof Unmappable) return new Refusal("CONNECTOR_PAYLOAD_UNMAPPABLE", err.message, "rejected", 422);
  if (err instanceof ApiError) {
    // A state the shop may resolve by retrying later (a program paused, a backlog) is answered with its own status.
    const retry = err.status === 409 || err.status === 429;
    return retry
      ? new Refusal(err.code, err.message, "failed", err.status)
      : new Refusal("CONNECTOR_PAYLOAD_UNMAPPABLE", `${err.code}: ${err.message}`, "rejected", 422);
  }
  return null;
}

let lastMicros = 0;
/** Delivery ids sort in the order deliveries arrive in this process (the log lists newest first). */
function deliveryId(): string {
  lastMicros = Math.max(lastMicros + 1, Math.floor((performance.timeOrigin + performance.now()) * 1000));
  return `dlv_${lastMicros.toString(36).padStart(11, "0")}${newId("").slice(1, 9)}`;
}

const orderRefOf = (c: ConnectorRow, platformOrderId: string) => `${c.order_ref_prefix}${platformOrderId}`.slice(0, 128);

/** Every paid order of the delivery, checked against the order API's schema before anything is ingested. */
function validatePaid(c: ConnectorRow, actions: readonly ConnectorAction[]): Map<ConnectorAction, PaidOrderBody> {
  const out = new Map<ConnectorAction, PaidOrderBody>();
  for (const a of actions) {
    if (a.kind !== "paid") continue;
    const r = paidOrderBody.safeParse({ ...a.order, orderRef: orderRefOf(c, a.platformOrderId), programId: c.program_id });
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Unmappable(issue?.path.join(".") || "order", issue?.message ?? "not a valid order");
    }
    out.set(a, r.data);
  }
  return out;
}

const keyOf = (c: ConnectorRow, ...parts: string[]) => `connector:${c.id}:${parts.join(":")}`;

async function apply(ctx: AppContext, c: ConnectorRow, a: ConnectorAction, paid: PaidOrderBody | undefined, now: Date): Promise<void> {
  const merchantId = c.merchant_id;
  if (a.kind === "paid" && paid) {
    try {
      await submitPaidOrder(ctx.db, secretsOf(ctx), merchantId, paid, keyOf(c, "paid", a.platformOrderId), now);
    } catch (err) {
      // Already received (through this connector with another payload, or through the API or an import): unchanged.
      if (!(err instanceof ApiError && (err.code === "ORDER_EXISTS" || err.code === "IDEMPOTENCY_KEY_REUSED"))) throw err;
    }
    await ctx.db.tx((q) => rememberOrder(q, merchantId, c.id, a.platformOrderId, paid.orderRef, a.lineIds, now));
    return;
  }
  const known = await ctx.db.read((q) => knownOrder(q, merchantId, c.id, a.platformOrderId));
  const orderRef = known?.orderRef ?? orderRefOf(c, a.platformOrderId);
  const unknown = () =>
    new Refusal("CONNECTOR_ORDER_UNKNOWN", `Order ${a.platformOrderId} has not been received by this connector yet.`, "failed", 409);
  const run = async (kind: "complete" | "cancel" | "refunds", key: string, body: unknown) => {
    try {
      await runOrderEvent(ctx.db, { kind, merchantId, orderRef, key, body, now });
    } catch (err) {
      if (err instanceof ApiError && err.code === "NOT_FOUND") {
        if (a.kind === "cancel") return; // an order Fenxiao never had: nothing to cancel
        throw unknown();
      }
      // completed twice, cancelled after a full refund…: the order is already past this event; a platform refund id
      // already applied (a shop re-sends its earlier refunds with every update): applied once, unchanged
      if (err instanceof ApiError && (err.code === "ORDER_STATE" || err.code === "IDEMPOTENCY_KEY_REUSED")) return;
      throw err;
    }
  };
  if (a.kind === "complete") return run("complete", keyOf(c, "complete", a.platformOrderId), a.at ? { completedAt: a.at } : {});
  if (a.kind === "cancel")
    return run("cancel", keyOf(c, "cancel", a.platformOrderId), {
      ...(a.at ? { cancelledAt: a.at } : {}),
      ...(a.reason ? { reason: a.reason } : {}),
    });
  if (a.kind !== "refund") return;
  if (!known) throw unknown();
  const body = await refundBodyOf(ctx, merchantId, orderRef, known.lineIds, a);
  if (body) await run("refunds", keyOf(c, "refund", a.refundRef), body);
}

/** The refund as the order API takes it: platform lines as line numbers, or an amount capped at what remains. */
async function refundBodyOf(
  ctx: AppContext,
  merchantId: string,
  orderRef: string,
  lineIds: readonly string[],
  a: Extract<ConnectorAction, { kind: "refund" }>,
): Promise<RefundBody | null> {
  const base = { refundRef: a.refundRef.slice(0, 128), ...(a.at ? { refundedAt: a.at } : {}) };
  let body: unknown;
  if (a.lines) {
    body = {
      ...base,
      lines: a.lines.map((l, i) => {
        const at = lineIds.indexOf(l.lineId);
        if (at < 0) throw new Unmappable(`refund lines.${i}`, `line ${l.lineId} is not a line of order ${a.platformOrderId}`);
        return { lineNo: at + 1, amountMinor: l.amountMinor };
      }),
    };
  } else {
    const o = await ctx.db.read((q) => orderView(q, merchantId, orderRef));
    const left = o.amountMinor - o.refundedMinor;
    const amount = a.rest ? left : Math.min(a.amountMinor ?? 0, left);
    if (amount <= 0) return null;
    body = { ...base, amountMinor: amount };
  }
  const r = refundBody.safeParse(body);
  if (!r.success) throw new Unmappable("refund", r.error.issues[0]?.message ?? "not a valid refund");
  return r.data;
}
