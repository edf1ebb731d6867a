import { experimentBucket } from "@fenxiao/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, START, startHarness } from "./helpers.ts";

// P20: half of the promoters on 10 %, half on 12 %, assigned by a hash of experiment and promoter.
const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000 },
  experiment: {
    id: "rate-test",
    variants: [
      { key: "control", weightBps: 5000 },
      { key: "higher", weightBps: 5000, plan: { version: 1, base: { defaultRateBps: 1200 } } },
    ],
  },
};

let h: Harness;
let m: MerchantFixture;
const promoters: Awaited<ReturnType<typeof promoterFixture>>[] = [];

beforeAll(async () => {
  h = await startHarness();
  h.clock.set("2026-03-02T00:00:00Z"); // the program exists before the orders are paid (01:00)
  m = await merchantFixture(h, "AB", { plan: PLAN });
  for (let i = 0; i < 8; i++) promoters.push(await promoterFixture(h, m, `P${i}`));
  h.clock.set(START);
});
afterAll(async () => h?.close());

describe("A/B plan experiment", () => {
  it("pays each promoter under the variant their hash assigns, and reports KPIs per variant", async () => {
    const expected = { control: { sales: 0, cost: 0, promoters: 0 }, higher: { sales: 0, cost: 0, promoters: 0 } };
    for (const [i, p] of promoters.entries()) {
      const variant = experimentBucket("rate-test", p.promoterId) < 5000 ? "control" : "higher";
      const amount = 10_000 * (i + 1);
      const r = await h.call("POST", "/v1/orders", {
        token: m.apiKey,
        body: {
          orderRef: `AB-${i}`,
          customer: { ref: `c${i}` },
          promoCode: p.code,
          paidAt: "2026-03-02T01:00:00Z",
          lines: [{ productId: "X", quantity: 1, netAmountMinor: amount }],
        },
      });
      const rate = variant === "control" ? 10 : 12;
      expect(r.body.commissions[0].amountMinor).toBe((amount * rate) / 100);
      expected[variant].sales += amount;
      expected[variant].cost += (amount * rate) / 100;
      expected[variant].promoters++;
    }
    const k = await h.call("GET", `/v1/programs/${m.programId}/experiment`, { token: m.apiKey });
    expect(k.status, JSON.stringify(k.body)).toBe(200);
    for (const v of k.body.variants) {
      const e = expected[v.key as "control" | "higher"];
      expect(v.salesMinor).toBe(e.sales);
      expect(v.commissionMinor).toBe(e.cost);
      expect(v.promoters).toBe(e.promoters);
      expect(v.activePromoters).toBe(e.promoters);
    }
  });
});
