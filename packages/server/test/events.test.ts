import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, START, startHarness } from "./helpers.ts";

// Seed 004, mother-and-baby brand: registration ¥10, community ¥2, first order 15 %, repeat 8 %.
const PLAN = {
  version: 1,
  firstOrder: { firstRateBps: 1500, repeatRateBps: 800 },
  events: [
    { trigger: "customer_registered", amountMinor: 1000 },
    { trigger: "community_joined", amountMinor: 200 },
  ],
};

let h: Harness;
let m: MerchantFixture;
let g: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Baby", { plan: PLAN });
  g = await promoterFixture(h, m, "Guide");
});
afterAll(async () => h?.close());

const pending = async () =>
  (await h.call("GET", `/v1/balances?promoterId=${g.promoterId}`, { token: m.apiKey })).body.balances[0]?.pendingMinor ?? 0;

describe("event rewards and first/repeat orders (seed 004 mother-and-baby plan)", () => {
  it("pays ¥10 once for a registration through the guide's code", async () => {
    const r = await h.call("POST", "/v1/customers", {
      token: m.apiKey,
      body: { customerRef: "mom-1", phone: "13800001234", promoCode: g.code },
    });
    expect(r.status).toBe(201);
    expect(r.body.rewards, JSON.stringify(r.body)).toHaveLength(1);
    expect(r.body.rewards[0].amountMinor).toBe(1000);
    expect(r.body.rewards[0].explanation.zh).toContain("¥10.00");
    const again = await h.call("POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "mom-1", promoCode: g.code } });
    expect(again.status).toBe(200);
    expect(again.body.rewards).toEqual([]);
    expect(await pending()).toBe(1000);
  });

  it("pays ¥2 once when the bound customer joins the community", async () => {
    const r = await h.call("POST", "/v1/customers/mom-1/community-joins", { token: m.apiKey, body: { community: "宝妈群 3" } });
    expect(r.status).toBe(200);
    expect(r.body.path).toBe("binding");
    expect(r.body.rewards[0].amountMinor).toBe(200);
    const again = await h.call("POST", "/v1/customers/mom-1/community-joins", { token: m.apiKey, body: {} });
    expect(again.body.rewards).toEqual([]);
    expect(await pending()).toBe(1200);
  });

  it("pays 15 % on the first order and 8 % on the repeat", async () => {
    h.clock.set("2026-03-02T03:00:00Z"); // when the orders are paid
    const body = (ref: string) => ({
      orderRef: ref,
      customer: { ref: "mom-1" },
      paidAt: "2026-03-02T03:00:00Z",
      lines: [{ productId: "formula", quantity: 1, netAmountMinor: 10_000 }],
    });
    const first = await h.call("POST", "/v1/orders", { token: m.apiKey, body: body("MB-1") });
    expect(first.body.isFirstOrder).toBe(true);
    expect(first.body.commissions[0].amountMinor).toBe(1500);
    const repeat = await h.call("POST", "/v1/orders", { token: m.apiKey, body: body("MB-2") });
    expect(repeat.body.isFirstOrder).toBe(false);
    expect(repeat.body.commissions[0].amountMinor).toBe(800);
    expect(await pending()).toBe(1200 + 1500 + 800);
    const v = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(v.body.ok).toBe(true);
  });

  it("a fully refunded first order makes the next order a first order again", async () => {
    const body = (ref: string) => ({
      orderRef: ref,
      customer: { ref: "mom-2" },
      promoCode: g.code,
      paidAt: "2026-03-02T03:00:00Z",
      lines: [{ productId: "formula", quantity: 1, netAmountMinor: 10_000 }],
    });
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: body("MB-3") });
    await h.call("POST", "/v1/orders/MB-3/refunds", { token: m.apiKey, body: { amountMinor: 10_000 } });
    const next = await h.call("POST", "/v1/orders", { token: m.apiKey, body: body("MB-4") });
    expect(next.body.isFirstOrder).toBe(true);
    expect(next.body.commissions[0].amountMinor).toBe(1500);
  });
});

describe("one wallet across merchants", () => {
  it("sums a promoter's balances over every merchant they promote for", async () => {
    h.clock.set(START); // the other program is created before its order is paid
    const other = await merchantFixture(h, "Other");
    const join = await h.call("POST", "/v1/me/memberships", {
      token: g.token,
      body: { merchantId: other.merchantId, programId: other.programId },
    });
    expect(join.status).toBe(201);
    await h.call("POST", "/v1/orders", {
      token: other.apiKey,
      body: {
        orderRef: "W-1",
        customer: { ref: "w" },
        promoCode: join.body.code,
        paidAt: "2026-03-02T02:00:00Z",
        lines: [{ productId: "X", quantity: 1, netAmountMinor: 10_000 }],
      },
    });
    const w = await h.call("GET", "/v1/me/balances", { token: g.token });
    expect(w.status).toBe(200);
    expect(w.body.merchants).toHaveLength(2);
    const sum = w.body.merchants.reduce(
      (s: number, m: { balances: { pendingMinor: number }[] }) => s + (m.balances[0]?.pendingMinor ?? 0),
      0,
    );
    expect(w.body.totals[0].pendingMinor).toBe(sum);
    expect(w.body.merchants.find((m: { merchantId: string }) => m.merchantId === other.merchantId).balances[0].pendingMinor).toBe(1000);
  });
});
