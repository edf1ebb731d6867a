import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

// Seed 004 customer referral: customer A (bound to a guide) shares to friend B; B orders.
// A gets a ¥10 coupon (a reward event for the shop), the guide gets ¥5.
const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000 },
  referral: { promoterAmountMinor: 500, customerReward: { kind: "coupon", valueMinor: 1000 } },
};

let h: Harness;
let m: MerchantFixture;
let guide: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Referral", { plan: PLAN });
  guide = await promoterFixture(h, m, "Guide");
  await h.call("POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "A", promoCode: guide.code } });
});
afterAll(async () => h?.close());

describe("customer-to-customer referral", () => {
  it("pays the referrer's guide ¥5 and emits a ¥10 coupon for A", async () => {
    const r = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: {
        orderRef: "REF-1",
        customer: { ref: "B" },
        referrerCustomerRef: "A",
        paidAt: "2026-03-02T02:00:00Z",
        lines: [{ productId: "X", quantity: 1, netAmountMinor: 20_000 }],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.attributionPath).toBe("referral");
    expect(r.body.promoterId).toBe(guide.promoterId);
    const paid = r.body.commissions.filter((c: { amountMinor: number }) => c.amountMinor !== 0);
    expect(paid).toHaveLength(1);
    expect(paid[0].kind).toBe("referral");
    expect(paid[0].amountMinor).toBe(500);
    expect(r.body.rewardEvents).toEqual([expect.objectContaining({ kind: "coupon", valueMinor: 1000, customerRef: "A" })]);
    const again = await h.call("GET", "/v1/orders/REF-1", { token: m.apiKey });
    expect(again.body.rewardEvents).toEqual(r.body.rewardEvents);
  });

  it("an unknown referrer is a validation error naming the field", async () => {
    const r = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: {
        orderRef: "REF-2",
        customer: { ref: "C" },
        referrerCustomerRef: "nobody",
        paidAt: "2026-03-02T02:00:00Z",
        lines: [{ productId: "X", quantity: 1, netAmountMinor: 100 }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("referrerCustomerRef");
  });
});
