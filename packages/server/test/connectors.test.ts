/**
 * Shop connectors through the real HTTP route: the platforms' sample payloads (test/fixtures/connectors/, shaped like
 * their documentation's samples) signed as each platform signs them, replayed against a real server and database.
 * A bad signature, a duplicate delivery, a refund of one line, a cancellation, and an unmappable payload are each
 * checked to leave the orders as they should (and a refused delivery to write no order).
 */
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type Json, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures/connectors");
const fixture = (name: string, vars: Record<string, string> = {}) => {
  let text = readFileSync(join(FIXTURES, name), "utf8");
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(k, v);
  return text;
};

let h: Harness;
let m: MerchantFixture;
let alice: Awaited<ReturnType<typeof promoterFixture>>;
let bob: Awaited<ReturnType<typeof promoterFixture>>;
let bobClick: string;

const SHOPIFY_SECRET = "shpss_0123456789abcdef0123456789abcdef";
const WOO_SECRET = "wc-webhook-secret-5d41402abc4b2a76";
const YOUZAN_SECRET = "yz-client-secret-a1b2c3d4e5f6";

async function connector(platform: string, secret: string): Promise<{ id: string; webhookUrl: string }> {
  const r = await h.call("POST", "/v1/connectors", {
    token: m.apiKey,
    body: { platform, programId: m.programId, name: `${platform} shop`, secret },
    headers: { "idempotency-key": `create-${platform}-${secret.slice(-8)}` },
  });
  expect(r.status).toBe(201);
  return r.body;
}

async function deliver(id: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${h.base}/v1/connectors/${id}/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : null };
}

const b64hmac = (secret: string, body: string) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

async function order(ref: string) {
  return h.call("GET", `/v1/orders/${ref}`, { token: m.apiKey });
}

async function deliveries(id: string) {
  const r = await h.call("GET", `/v1/connectors/${id}/deliveries`, { token: m.apiKey });
  expect(r.status).toBe(200);
  return r.body.items as { topic: string; outcome: string; errorCode: string | null; error: string | null; statusCode: number }[];
}

beforeAll(async () => {
  h = await startHarness("2026-03-01T00:00:00.000Z");
  m = await merchantFixture(h, "Connectors");
  alice = await promoterFixture(h, m, "Alice");
  bob = await promoterFixture(h, m, "Bob");
  const link = await h.call("POST", "/v1/me/links", { token: bob.token, body: { merchantId: m.merchantId, programId: m.programId } });
  const r = await fetch(`${h.base}/r/${link.body.code}`, { redirect: "manual" });
  bobClick = new URL(r.headers.get("location") as string).searchParams.get("fx_click") as string;
  expect(bobClick).toMatch(/^clk_/);
  h.clock.set("2026-03-10T00:00:00.000Z");
});
afterAll(async () => h?.close());

describe("connectors", () => {
  it("creates a connector with its webhook URL, seals the secret and never shows it", async () => {
    const c = await connector("shopify", "shpss_create_only_secret_0001");
    expect(c.webhookUrl).toBe(`http://localhost/v1/connectors/${c.id}/webhook`);
    const [row] = await h.db.read((q) => q.query<{ secret_sealed: string }>("SELECT secret_sealed FROM connectors WHERE id = $1", [c.id]));
    expect(row?.secret_sealed).toMatch(/^v1\./);
    expect(row?.secret_sealed).not.toContain("shpss_create_only_secret_0001");
    const list = await h.call("GET", "/v1/connectors", { token: m.apiKey });
    expect(JSON.stringify(list.body)).not.toContain("shpss_create_only_secret_0001");
    expect(list.body.items.find((x: { id: string }) => x.id === c.id).secretHint).toBe("…0001");
    // a retry with the same Idempotency-Key answers the same connector; another secret under that key is a 409
    const again = await connector("shopify", "shpss_create_only_secret_0001");
    expect(again.id).toBe(c.id);
    const other = await h.call("POST", "/v1/connectors", {
      token: m.apiKey,
      body: { platform: "shopify", programId: m.programId, name: "shopify shop", secret: "shpss_another_secret_00001" },
      headers: { "idempotency-key": "create-shopify-ret_0001" },
    });
    expect(other.status).toBe(409);
    const bad = await h.call("POST", "/v1/connectors", {
      token: m.apiKey,
      body: { platform: "magento", programId: m.programId, name: "x", secret: "12345678" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe("platform");
  });
});

describe("Shopify", () => {
  let c: { id: string };
  const vars = () => ({ __FX_CODE__: alice.code, __FX_CLICK__: bobClick });
  const send = (topic: string, body: string, webhookId: string, secret = SHOPIFY_SECRET) =>
    deliver(c.id, body, {
      "x-shopify-topic": topic,
      "x-shopify-hmac-sha256": b64hmac(secret, body),
      "x-shopify-shop-domain": "fenxiao-test.myshopify.com",
      "x-shopify-webhook-id": webhookId,
      "x-shopify-api-version": "2025-07",
    });

  beforeAll(async () => {
    c = await connector("shopify", SHOPIFY_SECRET);
  });

  it("refuses a bad signature with 401, logs it, and writes no order", async () => {
    const body = fixture("shopify-orders-paid.json", vars());
    const r = await send("orders/paid", body, "wh-bad-1", "not-the-secret");
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("CONNECTOR_SIGNATURE_INVALID");
    expect((await order("shopify-820982911946154508")).status).toBe(404);
    // a body changed after signing is refused too
    const signed = b64hmac(SHOPIFY_SECRET, body);
    const tampered = await deliver(c.id, body.replace('"199.00"', '"1.00"'), {
      "x-shopify-topic": "orders/paid",
      "x-shopify-hmac-sha256": signed,
    });
    expect(tampered.status).toBe(401);
    const log = await deliveries(c.id);
    expect(log[0]).toMatchObject({ outcome: "rejected", errorCode: "CONNECTOR_SIGNATURE_INVALID", statusCode: 401 });
  });

  it("orders/paid: net line amounts after discounts, without shipping; the promo code wins over the click", async () => {
    const r = await send("orders/paid", fixture("shopify-orders-paid.json", vars()), "wh-paid-1");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: true, outcome: "applied" });
    const o = await order("shopify-820982911946154508");
    expect(o.status).toBe(200);
    // 199.00 − 13.33 and 2 × 99.50 − 6.67; the 30.00 of shipping is not commissionable
    expect(o.body.amountMinor).toBe(18_567 + 19_233);
    expect(o.body.promoterId).toBe(alice.promoterId);
    expect(o.body.attributionPath).toBe("code");
    const lines = o.body.commissions.filter((x: { beneficiaryId: string }) => x.beneficiaryId === alice.promoterId);
    expect(lines.map((x: { amountMinor: number }) => x.amountMinor)).toEqual([1857, 1923]);
  });

  it("a duplicate delivery (the same X-Shopify-Webhook-Id) changes nothing and is logged as a duplicate", async () => {
    const before = await order("shopify-820982911946154508");
    const r = await send("orders/paid", fixture("shopify-orders-paid.json", vars()), "wh-paid-1");
    expect(r.status).toBe(200);
    expect(r.body.outcome).toBe("duplicate");
    // the same order under another delivery id (Shopify sends some events twice) is not ingested twice either
    const again = await send("orders/paid", fixture("shopify-orders-paid.json", vars()), "wh-paid-1-bis");
    expect(again.status).toBe(200);
    expect(await order("shopify-820982911946154508")).toMatchObject({ body: before.body });
    expect((await deliveries(c.id)).slice(0, 2).map((d) => d.outcome)).toEqual(["applied", "duplicate"]);
  });

  it("refunds/create refunds one line only", async () => {
    const r = await send("refunds/create", fixture("shopify-refunds-create.json"), "wh-refund-1");
    expect(r.status).toBe(200);
    const o = await order("shopify-820982911946154508");
    expect(o.body.refundedMinor).toBe(9616);
    const line = (n: number) => o.body.commissions.filter((x: { lineNo: number }) => x.lineNo === n);
    for (const x of line(1)) expect(x.reversedMinor).toBe(0);
    for (const x of line(2)) expect(x.reversedMinor).toBeGreaterThan(0);
    // kept = round(1923 × (19233 − 9616) / 19233) = 962
    expect(line(2).find((x: { beneficiaryId: string }) => x.beneficiaryId === alice.promoterId).reversedMinor).toBe(961);
    // re-sent under another delivery id: the refund id is applied once
    await send("refunds/create", fixture("shopify-refunds-create.json"), "wh-refund-1-again");
    expect((await order("shopify-820982911946154508")).body.refundedMinor).toBe(9616);
  });

  it("orders/fulfilled completes the order", async () => {
    const r = await send("orders/fulfilled", fixture("shopify-orders-fulfilled.json", vars()), "wh-ful-1");
    expect(r.status).toBe(200);
    expect((await order("shopify-820982911946154508")).body.status).toBe("completed");
  });

  it("orders/cancelled reverses the whole order; the click decides an order without code", async () => {
    const p = await send("orders/paid", fixture("shopify-orders-paid-2.json", { __FX_CLICK__: bobClick }), "wh-paid-2");
    expect(p.status).toBe(200);
    const paid = await order("shopify-450789469");
    expect(paid.body.attributionPath).toBe("click");
    expect(paid.body.promoterId).toBe(bob.promoterId);
    const r = await send("orders/cancelled", fixture("shopify-orders-cancelled.json", { __FX_CLICK__: bobClick }), "wh-cancel-2");
    expect(r.status).toBe(200);
    const o = await order("shopify-450789469");
    expect(o.body.status).toBe("cancelled");
    for (const x of o.body.commissions) expect(x.reversedMinor).toBe(x.amountMinor);
  });

  it("an unmappable payload is refused with 422 naming the field, logged, and writes nothing", async () => {
    const body = fixture("shopify-orders-paid.json", vars()).replace('"99.50"', '"99.505"').replace("820982911946154508", "999");
    const r = await send("orders/paid", body, "wh-bad-amount");
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("CONNECTOR_PAYLOAD_UNMAPPABLE");
    expect(r.body.error.message).toContain("line_items.1.price");
    expect((await order("shopify-999")).status).toBe(404);
    const [last] = await deliveries(c.id);
    expect(last).toMatchObject({ outcome: "rejected", errorCode: "CONNECTOR_PAYLOAD_UNMAPPABLE" });
    expect(last?.error).toContain("more than 2 decimals");
    const other = await send("products/update", "{}", "wh-product");
    expect(other.status).toBe(200);
    expect(other.body.outcome).toBe("ignored");
  });

  it("a delivery without a Content-Type is still read raw and verified", async () => {
    const body = fixture("shopify-orders-paid.json", vars()).replace("820982911946154508", "555");
    const u = new URL(`${h.base}/v1/connectors/${c.id}/webhook`);
    const status = await new Promise<number>((ok, bad) => {
      const r = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: {
            "x-shopify-topic": "products/create",
            "x-shopify-hmac-sha256": b64hmac(SHOPIFY_SECRET, body),
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        },
      );
      r.on("error", bad);
      r.end(body);
    });
    expect(status).toBe(200);
  });

  it("a refund of an order the connector never received is a 409 (the shop retries later)", async () => {
    const body = fixture("shopify-refunds-create.json").replaceAll("820982911946154508", "777");
    const r = await send("refunds/create", body, "wh-refund-unknown");
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("CONNECTOR_ORDER_UNKNOWN");
  });
});

describe("WooCommerce", () => {
  let c: { id: string };
  const send = (topic: string, body: string, deliveryId: string, secret = WOO_SECRET) =>
    deliver(c.id, body, {
      "x-wc-webhook-topic": topic,
      "x-wc-webhook-resource": "order",
      "x-wc-webhook-event": topic.split(".")[1] as string,
      "x-wc-webhook-signature": b64hmac(secret, body),
      "x-wc-webhook-id": "12",
      "x-wc-webhook-delivery-id": deliveryId,
      "x-wc-webhook-source": "https://shop.example/",
    });
  const vars = () => ({ __FX_CODE__: "", __FX_CLICK__: bobClick });

  beforeAll(async () => {
    c = await connector("woocommerce", WOO_SECRET);
  });

  it("answers the ping of a new webhook and ignores orders not paid yet", async () => {
    const ping = await send("action.woocommerce_webhook_ping", "webhook_id=12", "d-ping");
    expect(ping.status).toBe(200);
    const pending = await send("order.created", fixture("woocommerce-order-pending.json", vars()), "d-pending");
    expect(pending.body.outcome).toBe("ignored");
    expect((await order("wc-729")).status).toBe(404);
    const bad = await send("order.created", fixture("woocommerce-order-processing.json", vars()), "d-bad", "wrong-secret");
    expect(bad.status).toBe(401);
  });

  it("processing → paid with line totals after coupons; completed with a refund → completed and refunded once", async () => {
    const r = await send("order.updated", fixture("woocommerce-order-processing.json", vars()), "d-1");
    expect(r.status).toBe(200);
    let o = await order("wc-727");
    expect(o.body.amountMinor).toBe(5400 + 6600);
    expect(o.body.attributionPath).toBe("click");
    expect(o.body.promoterId).toBe(bob.promoterId);
    const done = await send("order.updated", fixture("woocommerce-order-completed.json", vars()), "d-2");
    expect(done.status).toBe(200);
    o = await order("wc-727");
    expect(o.body.status).toBe("completed");
    expect(o.body.refundedMinor).toBe(2000);
    await send("order.updated", fixture("woocommerce-order-completed.json", vars()), "d-3");
    expect((await order("wc-727")).body.refundedMinor).toBe(2000);
  });

  it("refunded → everything left is refunded and every commission reversed", async () => {
    const r = await send("order.updated", fixture("woocommerce-order-refunded.json", vars()), "d-4");
    expect(r.status).toBe(200);
    const o = await order("wc-727");
    expect(o.body.status).toBe("refunded");
    expect(o.body.refundedMinor).toBe(12_000);
    for (const x of o.body.commissions) expect(x.reversedMinor).toBe(x.amountMinor);
  });

  it("cancelled for an order never paid is ignored without error", async () => {
    const r = await send("order.updated", fixture("woocommerce-order-cancelled.json", vars()), "d-5");
    expect(r.status).toBe(200);
    expect((await order("wc-728")).status).toBe(404);
  });
});

describe("Youzan", () => {
  let c: { id: string };
  const signed = (name: string, vars: Record<string, string> = {}, secret = YOUZAN_SECRET) => {
    const push = JSON.parse(fixture(name, vars));
    push.sign = createHash("md5").update(`${push.client_id}${push.msg}${secret}`, "utf8").digest("hex");
    return JSON.stringify(push);
  };

  beforeAll(async () => {
    c = await connector("youzan", YOUZAN_SECRET);
  });

  it("trade_TradePaid → paid (payment per line, postage excluded), answered as Youzan expects", async () => {
    const bad = await deliver(c.id, signed("youzan-trade-paid.json", { __FX_CLICK__: bobClick }, "wrong"), {});
    expect(bad.status).toBe(401);
    const r = await deliver(c.id, signed("youzan-trade-paid.json", { __FX_CLICK__: bobClick }), {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 0, msg: "success" });
    const o = await order("yz-E20260305103000000100001");
    expect(o.body.amountMinor).toBe(16_000 + 9000);
    expect(o.body.promoterId).toBe(bob.promoterId);
    // the same push again: a duplicate
    await deliver(c.id, signed("youzan-trade-paid.json", { __FX_CLICK__: bobClick }), {});
    expect((await deliveries(c.id))[0]?.outcome).toBe("duplicate");
  });

  it("trade_refund_RefundSuccess refunds the named line; trade_TradeSuccess completes", async () => {
    const r = await deliver(c.id, signed("youzan-refund-success.json"), {});
    expect(r.status).toBe(200);
    let o = await order("yz-E20260305103000000100001");
    expect(o.body.refundedMinor).toBe(3000);
    for (const x of o.body.commissions.filter((x: { lineNo: number }) => x.lineNo === 1)) expect(x.reversedMinor).toBe(0);
    const s = await deliver(c.id, signed("youzan-trade-success.json"), {});
    expect(s.status).toBe(200);
    o = await order("yz-E20260305103000000100001");
    expect(o.body.status).toBe("completed");
  });
});

describe("disabled connector", () => {
  it("answers 410 and ingests nothing", async () => {
    const c = await connector("woocommerce", "another-secret-for-disable");
    const d = await h.call("POST", `/v1/connectors/${c.id}/disable`, { token: m.apiKey, body: {} });
    expect(d.status).toBe(200);
    expect(d.body.status).toBe("disabled");
    const body = fixture("woocommerce-order-processing.json", { __FX_CODE__: "", __FX_CLICK__: "" }).replace('"id": 727', '"id": 9727');
    const r = await deliver(c.id, body, {
      "x-wc-webhook-topic": "order.created",
      "x-wc-webhook-signature": b64hmac("another-secret-for-disable", body),
    });
    expect(r.status).toBe(410);
    expect((await order("wc-9727")).status).toBe(404);
    const unknown = await deliver("con_nope", body, {});
    expect(unknown.status).toBe(404);
  });
});
