/**
 * Every replay of an Idempotency-Key returns exactly the first response's body: the same JSON text, keys in the same
 * order, for single and batch ingest, whether the order earned commission or not (it has no promoter, or its
 * promoter's program pays nothing on it), and for refunds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let seller: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Replay");
  const up = await promoterFixture(h, m, "Up");
  seller = await promoterFixture(h, m, "Seller", up.code);
});
afterAll(async () => h?.close());

const text = (v: unknown) => JSON.stringify(v);

async function post(body: unknown, key: string) {
  return h.call("POST", "/v1/orders", { token: m.apiKey, body, headers: { "idempotency-key": key } });
}

describe("replayed responses are the first responses, byte for byte", () => {
  it("single ingest: an order without a promoter, and one with commission", async () => {
    const none = paidOrder("RP-NONE", "rp-c1");
    const first = await post(none, "rp-none");
    expect(first.status).toBe(201);
    expect(first.body.promoterId).toBeNull();
    expect(first.body.commissions).toEqual([]);
    const again = await post(none, "rp-none");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).not.toHaveProperty("$paidOrder");
    expect(text(again.body)).toBe(text(first.body));

    const paid = paidOrder("RP-PAID", "rp-c2", { promoCode: seller.code });
    const f2 = await post(paid, "rp-paid");
    expect(f2.body.commissions.length).toBeGreaterThan(0);
    await h.call("POST", "/v1/orders/RP-PAID/refunds", { token: m.apiKey, body: { amountMinor: 500 } });
    const a2 = await post(paid, "rp-paid");
    expect(a2.headers.get("idempotent-replayed")).toBe("true");
    expect(text(a2.body)).toBe(text(f2.body));
  });

  it("batch ingest, replayed through the batch and through POST /v1/orders", async () => {
    const orders = [
      { ...paidOrder("RB-NONE", "rb-c1"), idempotencyKey: "rb-none" },
      { ...paidOrder("RB-PAID", "rb-c2", { promoCode: seller.code }), idempotencyKey: "rb-paid" },
    ];
    const first = await h.call("POST", "/v1/orders/batch", { token: m.apiKey, body: { orders } });
    expect(first.status).toBe(200);
    const again = await h.call("POST", "/v1/orders/batch", { token: m.apiKey, body: { orders } });
    expect(again.body.results.map((r: { replayed: boolean }) => r.replayed)).toEqual([true, true]);
    for (const [i, r] of again.body.results.entries()) {
      expect(text(r.order)).toBe(text(first.body.results[i].order));
      expect(text({ ...r, replayed: false })).toBe(text(first.body.results[i]));
    }
    for (const [i, o] of orders.entries()) {
      const { idempotencyKey, ...body } = o;
      const single = await post(body, idempotencyKey);
      expect(single.headers.get("idempotent-replayed")).toBe("true");
      expect(text(single.body)).toBe(text(first.body.results[i].order));
    }
  });

  it("a replayed refund is the first refund's response", async () => {
    await post(paidOrder("RR-1", "rr-c1", { promoCode: seller.code }), "rr-1");
    const refund = (key: string) =>
      h.call("POST", "/v1/orders/RR-1/refunds", { token: m.apiKey, body: { amountMinor: 700 }, headers: { "idempotency-key": key } });
    const first = await refund("rr-refund-1");
    expect(first.status).toBe(200);
    const again = await refund("rr-refund-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(text(again.body)).toBe(text(first.body));
  });
});
