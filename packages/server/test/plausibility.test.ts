/**
 * Careless and hostile dates on order events, and promo codes that match no promoter (docs/api.md, "Plausibility"):
 * a refusal names the field and writes nothing; an unmatched code is reported and the order still recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_FUTURE_SKEW_MAX_MS } from "../src/modules/orders/plausibility.ts";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, START, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let seller: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Plausible"); // the program is created at START (the server's clock)
  seller = await promoterFixture(h, m, "Seller");
});
afterAll(async () => h?.close());

const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();

async function counts() {
  const [r] = await h.db.read((q) =>
    q.query<{ orders: number; customers: number; lines: number; seq: number }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE merchant_id = $1) AS orders,
              (SELECT count(*)::int FROM customers WHERE merchant_id = $1) AS customers,
              (SELECT count(*)::int FROM commission_lines WHERE merchant_id = $1) AS lines,
              (SELECT coalesce(max(seq), 0)::int FROM ledger_transactions WHERE merchant_id = $1) AS seq`,
      [m.merchantId],
    ),
  );
  return r;
}

function expectNamed(r: { status: number; body: { error: { code: string; details: { issues: { path: string }[] } } } }, field: string) {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe("VALIDATION_FAILED");
  expect(r.body.error.details.issues[0]?.path).toBe(field);
}

describe("paidAt", () => {
  it("refuses a payment more than a few minutes in the future, or before the program existed, writing nothing", async () => {
    const before = await counts();
    const future = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("PF-1", "pf-c1", { promoCode: seller.code, paidAt: at(EVENT_FUTURE_SKEW_MAX_MS + 60_000) }),
    });
    expectNamed(future, "paidAt");
    const early = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("PF-2", "pf-c2", { promoCode: seller.code, paidAt: at(-86_400_000) }),
    });
    expectNamed(early, "paidAt");
    expect(early.body.error.message).toContain("before the program existed");
    const ancient = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("PF-3", "pf-c3", { paidAt: "1970-01-01T00:00:00Z" }),
    });
    expectNamed(ancient, "paidAt");
    expect(await counts()).toEqual(before);
    expect((await h.call("GET", "/v1/orders/PF-1", { token: m.apiKey })).status).toBe(404);

    // a shop's clock a little ahead of ours is fine
    const skewed = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PF-4", "pf-c4", { paidAt: at(60_000) }) });
    expect(skewed.status).toBe(201);
  });

  it("in a batch, the implausible order fails alone, naming paidAt", async () => {
    const r = await h.call("POST", "/v1/orders/batch", {
      token: m.apiKey,
      body: { orders: [paidOrder("PB-1", "pb-c1"), paidOrder("PB-2", "pb-c2", { paidAt: at(3_600_000) })] },
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0].status).toBe(201);
    expect(r.body.results[1]).toMatchObject({ orderRef: "PB-2", status: 400, error: { code: "VALIDATION_FAILED" } });
    expect(r.body.results[1].error.details.issues[0].path).toBe("paidAt");
    expect((await h.call("GET", "/v1/orders/PB-2", { token: m.apiKey })).status).toBe(404);
  });
});

describe("refunds, completions and cancellations", () => {
  it("refuses each dated before the payment, naming the field, writing nothing", async () => {
    h.clock.advanceDays(1);
    const paidAt = at(3_600_000);
    expect(
      (await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PR-1", "pr-c1", { promoCode: seller.code, paidAt }) }))
        .status,
    ).toBe(201);
    const before = await counts();
    const earlier = at(0);
    const refund = await h.call("POST", "/v1/orders/PR-1/refunds", { token: m.apiKey, body: { amountMinor: 1000, refundedAt: earlier } });
    expectNamed(refund, "refundedAt");
    expectNamed(await h.call("POST", "/v1/orders/PR-1/cancel", { token: m.apiKey, body: { cancelledAt: earlier } }), "cancelledAt");
    expectNamed(await h.call("POST", "/v1/orders/PR-1/complete", { token: m.apiKey, body: { completedAt: earlier } }), "completedAt");
    expect(await counts()).toEqual(before);
    const o = await h.call("GET", "/v1/orders/PR-1", { token: m.apiKey });
    expect(o.body).toMatchObject({ status: "paid", refundedMinor: 0 });
    expect(o.body.commissions.every((c: { reversedMinor: number }) => c.reversedMinor === 0)).toBe(true);

    const ok = await h.call("POST", "/v1/orders/PR-1/refunds", { token: m.apiKey, body: { amountMinor: 1000, refundedAt: at(7_200_000) } });
    expect(ok.status).toBe(200);
  });
});

describe("promo codes that match no promoter", () => {
  it("records the order and says the code matched no promoter", async () => {
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PU-1", "pu-c1", { promoCode: "NOSUCHCODE" }) });
    expect(r.status).toBe(201);
    expect(r.body.promoterId).toBeNull();
    expect(r.body.warnings).toEqual([
      { code: "PROMO_CODE_UNMATCHED", field: "promoCode", message: "the promo code matched no promoter of the program" },
    ]);
    expect((await h.call("GET", "/v1/orders/PU-1", { token: m.apiKey })).status).toBe(200);
  });

  it("attributes by the customer's binding when the code matched no one, still warning", async () => {
    const first = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PU-2", "pu-c2", { promoCode: seller.code }) });
    expect(first.body.warnings).toEqual([]);
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PU-3", "pu-c2", { promoCode: "TYPO1234" }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ promoterId: seller.promoterId, attributionPath: "binding" });
    expect(r.body.commissions.length).toBeGreaterThan(0);
    expect(r.body.warnings.map((w: { code: string }) => w.code)).toEqual(["PROMO_CODE_UNMATCHED"]);
  });

  it("reports it per order in a batch", async () => {
    const r = await h.call("POST", "/v1/orders/batch", {
      token: m.apiKey,
      body: { orders: [paidOrder("PU-4", "pu-c4", { promoCode: "NOPE9999" }), paidOrder("PU-5", "pu-c5", { promoCode: seller.code })] },
    });
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 201]);
    expect(r.body.results[0].order.warnings[0].code).toBe("PROMO_CODE_UNMATCHED");
    expect(r.body.results[1].order.warnings).toEqual([]);
  });
});
