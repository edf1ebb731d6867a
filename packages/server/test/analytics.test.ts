/**
 * Analytics (docs/analytics.md) over a small fixed dataset sent through the real order API, every expectation computed
 * by hand below. Plan: seller 10 %, level 1 3 %, level 2 1 %.
 *
 * Merchant SH (Asia/Shanghai): promoters Ann; Bob (invited by Ann); Eve (invited by Bob); Cat (no sales).
 *   O6 Ann  C1 online    8,000  paid 2026-01-31T16:30Z = 02-01 00:30 Shanghai (in February there)   Ann 800
 *   O1 Ann  C1 online   10,000  2026-02-10T02:00Z by a click on Ann's code                            Ann 1,000
 *   O2 Bob  C2 community 20,000 2026-02-10T03:00Z                                                     Bob 2,000, Ann 600
 *   O3 Bob  C2 community  5,000 2026-02-11T03:00Z, refunded 2,000 → net 3,000                         Bob 500−200, Ann 150−60
 *   O4 —    C3 online   40,000  2026-02-12T03:00Z unattributed                                          —
 *   O5 Ann  C4 online    7,000  2026-02-28T16:30Z = 03-01 00:30 Shanghai (in March there)             Ann 700
 *   O7 Ann  C1 online    1,000  2026-03-02T01:00Z                                                      Ann 100
 * February (Shanghai): attributed O6 O1 O2 O3 = 4 orders, sales 8,000+10,000+20,000+3,000 = 41,000; unattributed 1,
 * 40,000; commission 800+1,000+2,600+390 = 4,790; ratio 4,790/41,000 = 1,168.3 → 1168 bps; ROI 41,000/4,790 = 8.559 →
 * 855; active 4, participating 2 → 5000 bps; referred pairs (Ann,C1) (Bob,C2) = 2 → 2×30/(4×28) = 0.5357 → 54.
 *
 * Merchant NY (America/New_York), promoter Dan: N1 5,000 at 2026-02-01T03:00Z (01-31 22:00 in New York),
 * N2 6,000 at 2026-02-28T16:30Z (02-28 11:30 there): February in New York is N2 alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;
let sh: MerchantFixture;
let ny: MerchantFixture;
let ann: Awaited<ReturnType<typeof promoterFixture>>;
let bob: Awaited<ReturnType<typeof promoterFixture>>;

const FEB = "from=2026-02-01&to=2026-02-28";

async function order(
  m: MerchantFixture,
  ref: string,
  customer: string,
  paidAt: string,
  amount: number,
  extra: Record<string, unknown> = {},
) {
  const r = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    headers: { "idempotency-key": `k-${ref}` },
    body: {
      orderRef: ref,
      customer: { ref: customer },
      channel: "online",
      paidAt,
      lines: [{ productId: extra.productId ?? "P1", quantity: 1, netAmountMinor: amount }],
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "productId")),
    },
  });
  if (r.status !== 201) throw new Error(`${ref}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const get = async (m: MerchantFixture, path: string) => {
  const r = await h.call("GET", path, { token: m.apiKey });
  return r;
};

beforeAll(async () => {
  h = await startHarness("2026-01-01T00:00:00Z");
  sh = await merchantFixture(h, "Shanghai");
  ny = await merchantFixture(h, "NewYork", { program: { timezone: "America/New_York" } });
  h.clock.set("2026-01-20T00:00:00Z");
  ann = await promoterFixture(h, sh, "Ann");
  bob = await promoterFixture(h, sh, "Bob", ann.code);
  await promoterFixture(h, sh, "Eve", bob.code);
  await promoterFixture(h, sh, "Cat");
  const dan = await promoterFixture(h, ny, "Dan");

  h.clock.set("2026-02-09T12:00:00Z");
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await h.call("GET", `/r/${ann.code}`);
    tokens.push(new URL(c.headers.get("location") as string).searchParams.get("fx_click") as string);
  }
  h.clock.set("2026-02-20T00:00:00Z");
  await order(sh, "O6", "C1", "2026-01-31T16:30:00Z", 8_000, { promoCode: ann.code, productId: "P2" });
  await order(sh, "O1", "C1", "2026-02-10T02:00:00Z", 10_000, { clickToken: tokens[0] });
  await order(sh, "O2", "C2", "2026-02-10T03:00:00Z", 20_000, { promoCode: bob.code, channel: "community", productId: "P2" });
  await order(sh, "O3", "C2", "2026-02-11T03:00:00Z", 5_000, { promoCode: bob.code, channel: "community" });
  await order(sh, "O4", "C3", "2026-02-12T03:00:00Z", 40_000);
  const refund = await h.call("POST", "/v1/orders/O3/refunds", {
    token: sh.apiKey,
    headers: { "idempotency-key": "r-O3" },
    body: { amountMinor: 2_000, refundedAt: "2026-02-15T00:00:00Z" },
  });
  expect(refund.status).toBe(200);
  await order(ny, "N1", "D1", "2026-02-01T03:00:00Z", 5_000, { promoCode: dan.code });
  h.clock.set("2026-03-01T12:00:00Z");
  await order(sh, "O5", "C4", "2026-02-28T16:30:00Z", 7_000, { promoCode: ann.code });
  await order(ny, "N2", "D2", "2026-02-28T16:30:00Z", 6_000, { promoCode: dan.code });
  h.clock.set("2026-03-02T02:00:00Z");
  await order(sh, "O7", "C1", "2026-03-02T01:00:00Z", 1_000, { promoCode: ann.code });
});
afterAll(async () => h?.close());

describe("analytics summary", () => {
  it("counts attributed orders net of refunds in the program's time zone, apart from unattributed sales", async () => {
    const r = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&${FEB}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      timezone: "Asia/Shanghai",
      days: 28,
      orders: 4,
      salesMinor: 41_000,
      unattributedOrders: 1,
      unattributedSalesMinor: 40_000,
      commissionMinor: 4_790,
      costRatioBps: 1168,
      activePromoters: 4,
      participatingPromoters: 2,
      participationBps: 5000,
      referredCustomers: 2,
      referredPerPromoterMonthX100: 54,
      roiX100: 855,
      incrementalRoiX100: null,
      baseline: null,
    });
  });

  it("puts the same instant in another day in New York", async () => {
    const r = await get(ny, `/v1/analytics/summary?programId=${ny.programId}&${FEB}`);
    expect(r.body).toMatchObject({ timezone: "America/New_York", orders: 1, salesMinor: 6_000, commissionMinor: 600, roiX100: 1000 });
    const jan = await get(ny, `/v1/analytics/summary?programId=${ny.programId}&from=2026-01-31&to=2026-01-31`);
    expect(jan.body).toMatchObject({ orders: 1, salesMinor: 5_000 });
    const shMar1 = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&from=2026-03-01&to=2026-03-01`);
    expect(shMar1.body).toMatchObject({ orders: 1, salesMinor: 7_000, commissionMinor: 700 });
  });

  it("refuses a reversed or too long range, an impossible date and an unknown program, naming the field", async () => {
    const back = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&from=2026-02-10&to=2026-02-09`);
    expect(back.status).toBe(400);
    expect(back.body.error.details.issues[0].path).toBe("querystring.to");
    const long = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&from=2025-01-01&to=2026-02-09`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain("366");
    const bad = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&from=2026-02-30&to=2026-03-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe("querystring.from");
    const extra = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&${FEB}&colour=red`);
    expect(extra.status).toBe(400);
    const other = await get(ny, `/v1/analytics/summary?programId=${sh.programId}&${FEB}`);
    expect(other.status).toBe(404);
    const anon = await h.call("GET", `/v1/analytics/summary?programId=${sh.programId}&${FEB}`);
    expect(anon.status).toBe(401);
  });
});

describe("trends", () => {
  it("buckets days in the time zone, every day present", async () => {
    const r = await get(sh, `/v1/analytics/trends?programId=${sh.programId}&${FEB}&granularity=day`);
    expect(r.status).toBe(200);
    const b = r.body.buckets as {
      bucket: string;
      orders: number;
      salesMinor: number;
      unattributedSalesMinor: number;
      commissionMinor: number;
    }[];
    expect(b).toHaveLength(28);
    const nonEmpty = b.filter((x) => x.orders > 0 || x.unattributedSalesMinor > 0);
    expect(nonEmpty).toEqual([
      { bucket: "2026-02-01", orders: 1, salesMinor: 8_000, unattributedSalesMinor: 0, commissionMinor: 800 },
      { bucket: "2026-02-10", orders: 2, salesMinor: 30_000, unattributedSalesMinor: 0, commissionMinor: 3_600 },
      { bucket: "2026-02-11", orders: 1, salesMinor: 3_000, unattributedSalesMinor: 0, commissionMinor: 390 },
      { bucket: "2026-02-12", orders: 0, salesMinor: 0, unattributedSalesMinor: 40_000, commissionMinor: 0 },
    ]);
    expect(b.reduce((a, x) => a + x.salesMinor, 0)).toBe(41_000);
  });

  it("ISO weeks from Monday and calendar months, partial at the edges", async () => {
    const w = await get(sh, `/v1/analytics/trends?programId=${sh.programId}&${FEB}&granularity=week`);
    expect(w.body.buckets.map((x: { bucket: string }) => x.bucket)).toEqual([
      "2026-01-26",
      "2026-02-02",
      "2026-02-09",
      "2026-02-16",
      "2026-02-23",
    ]);
    expect(w.body.buckets[2]).toMatchObject({ orders: 3, salesMinor: 33_000, unattributedSalesMinor: 40_000, commissionMinor: 3_990 });
    const m = await get(sh, `/v1/analytics/trends?programId=${sh.programId}&from=2026-01-15&to=2026-03-10&granularity=month`);
    expect(m.body.buckets).toEqual([
      { bucket: "2026-01-01", orders: 0, salesMinor: 0, unattributedSalesMinor: 0, commissionMinor: 0 },
      { bucket: "2026-02-01", orders: 4, salesMinor: 41_000, unattributedSalesMinor: 40_000, commissionMinor: 4_790 },
      { bucket: "2026-03-01", orders: 2, salesMinor: 8_000, unattributedSalesMinor: 0, commissionMinor: 800 },
    ]);
    const ny1 = await get(ny, `/v1/analytics/trends?programId=${ny.programId}&from=2026-01-31&to=2026-02-28&granularity=month`);
    expect(ny1.body.buckets.map((x: { salesMinor: number }) => x.salesMinor)).toEqual([5_000, 6_000]);
  });

  it("refuses an unknown granularity", async () => {
    const r = await get(sh, `/v1/analytics/trends?programId=${sh.programId}&${FEB}&granularity=year`);
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0].path).toBe("querystring.granularity");
  });
});

describe("top promoters, top products, funnel", () => {
  it("ranks promoters by sales through them, with what they earned in the period", async () => {
    const r = await get(sh, `/v1/analytics/top-promoters?programId=${sh.programId}&${FEB}`);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        promoterId: bob.promoterId,
        name: "Bob",
        orders: 2,
        customers: 1,
        salesMinor: 23_000,
        commissionMinor: 2_300,
      }),
      expect.objectContaining({
        promoterId: ann.promoterId,
        name: "Ann",
        orders: 2,
        customers: 1,
        salesMinor: 18_000,
        commissionMinor: 2_490,
      }),
    ]);
    const one = await get(sh, `/v1/analytics/top-promoters?programId=${sh.programId}&${FEB}&limit=1`);
    expect(one.body.items).toHaveLength(1);
    const bad = await get(sh, `/v1/analytics/top-promoters?programId=${sh.programId}&${FEB}&limit=0`);
    expect(bad.status).toBe(400);
  });

  it("ranks products by net line amount of attributed orders", async () => {
    const r = await get(sh, `/v1/analytics/top-products?programId=${sh.programId}&${FEB}`);
    expect(r.body.items).toEqual([
      expect.objectContaining({ productId: "P2", quantity: 2, orders: 2, salesMinor: 28_000 }),
      expect.objectContaining({ productId: "P1", quantity: 2, orders: 2, salesMinor: 13_000 }),
    ]);
  });

  it("counts clicks, the customers they identified and orders by channel", async () => {
    const r = await get(sh, `/v1/analytics/funnel?programId=${sh.programId}&${FEB}`);
    expect(r.body).toMatchObject({
      clicks: 3,
      clickCustomers: 1,
      clickCustomersOrdered: 1,
      orderCustomers: 2,
      orders: 4,
      clickToCustomerBps: 3333,
      clickCustomerOrderBps: 10000,
      byChannel: [
        { channel: "community", customers: 1, orders: 2, clickOrders: 0, salesMinor: 23_000 },
        { channel: "online", customers: 1, orders: 2, clickOrders: 1, salesMinor: 18_000 },
      ],
    });
  });
});

describe("baseline and alerts", () => {
  it("raises the seeds' targets and no swing when the previous period is empty", async () => {
    const r = await get(sh, `/v1/analytics/alerts?programId=${sh.programId}&${FEB}`);
    expect(r.status).toBe(200);
    expect(r.body.previous).toEqual({ from: "2026-01-04", to: "2026-01-31" });
    expect(r.body.alerts).toEqual([
      { kind: "target", metric: "participationBps", value: 5000, target: 8000 },
      { kind: "target", metric: "referredPerPromoterMonthX100", value: 54, target: 300 },
    ]);
  });

  it("raises swings of more than the share asked against the previous period", async () => {
    // March 1–28: O5 O7, sales 8,000, commission 800, ratio 1000, ROI 1000, participation 1/4, pairs (Ann,C4) (Ann,C1) → 54.
    const r = await get(sh, `/v1/analytics/alerts?programId=${sh.programId}&from=2026-03-01&to=2026-03-28`);
    const swings = r.body.alerts.filter((a: { kind: string }) => a.kind === "swing");
    expect(swings).toEqual([
      { kind: "swing", metric: "salesMinor", value: 8_000, previous: 41_000, changeBps: -8048, direction: "down" },
      { kind: "swing", metric: "orders", value: 2, previous: 4, changeBps: -5000, direction: "down" },
      { kind: "swing", metric: "commissionMinor", value: 800, previous: 4_790, changeBps: -8329, direction: "down" },
      { kind: "swing", metric: "participationBps", value: 2500, previous: 5000, changeBps: -5000, direction: "down" },
    ]);
    const loose = await get(sh, `/v1/analytics/alerts?programId=${sh.programId}&from=2026-03-01&to=2026-03-28&swingBps=9000`);
    expect(loose.body.alerts.filter((a: { kind: string }) => a.kind === "swing")).toEqual([]);
  });

  it("records a baseline for incremental ROI, replays with the same key, removes it with null", async () => {
    const put = (body: unknown, key: string) =>
      h.call("PUT", `/v1/programs/${sh.programId}/analytics-baseline`, { token: sh.apiKey, headers: { "idempotency-key": key }, body });
    const a = await put({ dailySalesMinor: 1_000, note: "before launch" }, "b1");
    expect(a.status).toBe(200);
    expect(a.body.baseline).toMatchObject({ dailySalesMinor: 1_000, note: "before launch" });
    const again = await put({ dailySalesMinor: 1_000, note: "before launch" }, "b1");
    expect(again.body).toEqual(a.body);
    const reused = await put({ dailySalesMinor: 2_000 }, "b1");
    expect(reused.status).toBe(409);
    // (41,000 − 1,000 × 28) ÷ 4,790 = 2.714 → 271
    const s = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&${FEB}`);
    expect(s.body).toMatchObject({ roiX100: 855, incrementalRoiX100: 271, baseline: { dailySalesMinor: 1_000 } });
    const al = await get(sh, `/v1/analytics/alerts?programId=${sh.programId}&${FEB}`);
    expect(al.body.alerts).toContainEqual({ kind: "target", metric: "incrementalRoiX100", value: 271, target: 500 });
    const neg = await put({ dailySalesMinor: -1 }, "b2");
    expect(neg.status).toBe(400);
    const off = await put({ dailySalesMinor: null }, "b3");
    expect(off.body.baseline).toBeNull();
    const s2 = await get(sh, `/v1/analytics/summary?programId=${sh.programId}&${FEB}`);
    expect(s2.body.incrementalRoiX100).toBeNull();
  });
});

describe("promoter figures", () => {
  it("orders, earnings today / this month / total, team and funnel of the calling promoter", async () => {
    // Now 2026-03-02 10:00 Shanghai. Ann's lines: Feb-created 800+1,000+600+(150−60) = 2,490; O5 700 on 03-01; O7 100 today.
    const r = await h.call("GET", `/v1/me/analytics?merchantId=${sh.merchantId}&programId=${sh.programId}`, { token: ann.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      orders: { today: 1, month: 2, total: 4 },
      salesMinor: { today: 1_000, month: 8_000, total: 26_000 },
      earnings: { todayMinor: 100, monthMinor: 800, totalMinor: 3_290 },
      teamSize: { level1: 1, level2: 1 },
      rank: { current: null, next: null, progress: [] },
      funnel: {
        from: "2026-03-01",
        to: "2026-03-31",
        clicks: 0,
        orders: 2,
        byChannel: [{ channel: "online", orders: 2, salesMinor: 8_000 }],
      },
    });
    const bobs = await h.call("GET", `/v1/me/analytics?merchantId=${sh.merchantId}&programId=${sh.programId}`, { token: bob.token });
    expect(bobs.body).toMatchObject({ orders: { total: 2 }, earnings: { totalMinor: 2_300 }, teamSize: { level1: 1, level2: 0 } });
    const merchant = await h.call("GET", `/v1/me/analytics?merchantId=${sh.merchantId}&programId=${sh.programId}`, { token: sh.apiKey });
    expect(merchant.status).toBe(403);
    const notMine = await h.call("GET", `/v1/me/analytics?merchantId=${ny.merchantId}&programId=${ny.programId}`, { token: ann.token });
    expect(notMine.status).toBe(404);
  });
});
