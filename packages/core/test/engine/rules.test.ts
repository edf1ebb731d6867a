import { describe, expect, it } from "vitest";
import { evaluateOrder, experimentBucket, type LineTrace, plan, planForPromoter } from "../../src/index.ts";
import { ctx, line, order, promoter, tuples } from "./helpers.ts";

describe("P9 rank rates and new-promoter boost", () => {
  const p = plan({
    version: 1,
    base: { defaultRateBps: 500 },
    ranks: [{ key: "basic" }, { key: "senior", rateBps: 800, teamLevels: [{ rateBps: 400 }] }],
    team: { levels: [{ rateBps: 200 }] },
    newPromoterBoost: { days: 30, addBps: 200 },
  });
  it("uses the seller's rank rate, the upline's rank team rate, and the boost in the first 30 days", () => {
    const out = evaluateOrder(p, order([line(1, 10_000)], { paidAt: "2025-04-10T00:00:00Z" }), {
      ...ctx(),
      seller: promoter("S", "senior", "2025-03-20T00:00:00Z"),
      uplines: [promoter("U1", "senior")],
    });
    // 8 % + 2 % boost = 10 % → 1000; U1 senior team 4 % → 400
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 1_000],
      ["U1", "team", 1, 400],
    ]);
    expect((out[0]!.trace as LineTrace).additions).toEqual([{ reason: "new_promoter_boost", bps: 200 }]);
  });
  it("no boost after N days; a basic-rank upline gets the plan's team rate", () => {
    const out = evaluateOrder(p, order([line(1, 10_000)], { paidAt: "2025-04-20T00:00:00Z" }), {
      ...ctx(),
      seller: promoter("S", "basic", "2025-03-20T00:00:00Z"),
      uplines: [promoter("U1", "basic")],
    });
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 500],
      ["U1", "team", 1, 200],
    ]);
  });
});

describe("P10 campaigns and the precedence table", () => {
  const p = plan({
    version: 1,
    base: { defaultRateBps: 1000, productRates: { newbie: 1200 }, categoryRates: { toys: 600 } },
    firstOrder: { firstRateBps: 2000, repeatRateBps: 300 },
    campaigns: [
      { id: "launch", startsAt: "2025-04-01T00:00:00+08:00", endsAt: "2025-05-01T00:00:00+08:00", productIds: ["newbie"], rateBps: 1500 },
      { id: "toys-week", startsAt: "2025-04-01T00:00:00+08:00", endsAt: "2025-04-08T00:00:00+08:00", categoryIds: ["toys"], addBps: 100 },
    ],
  });
  it("campaign override > product; campaign addition on a category rate; first/repeat below category", () => {
    const o = order([line(1, 10_000, { productId: "newbie" }), line(2, 10_000, { categoryId: "toys" }), line(3, 10_000)], {
      paidAt: "2025-04-05T12:00:00+08:00",
    });
    const out = evaluateOrder(p, o, ctx({ uplines: [] }));
    expect(out.map((l) => [(l.trace as LineTrace).source, l.amountMinor])).toEqual([
      ["campaign", 1_500],
      ["category", 700],
      ["repeat_order", 300],
    ]);
  });
  it("outside the window the product rate applies again (end is exclusive)", () => {
    const o = order([line(1, 10_000, { productId: "newbie" })], { paidAt: "2025-05-01T00:00:00+08:00" });
    expect(evaluateOrder(p, o, ctx({ uplines: [] }))[0]?.amountMinor).toBe(1_200);
  });
});

describe("P20 A/B variants", () => {
  const doc = plan({
    version: 1,
    base: { defaultRateBps: 1000 },
    experiment: {
      id: "exp-2025-04",
      variants: [
        { key: "control", weightBps: 5000 },
        { key: "rich", weightBps: 5000, plan: { version: 1, base: { defaultRateBps: 1500 } } },
      ],
    },
  });
  it("assigns promoters deterministically by hash and evaluates under their variant", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
    const keys = ids.map((id) => planForPromoter(doc, id).variant?.key);
    expect(ids.map((id) => planForPromoter(doc, id).variant?.key)).toEqual(keys);
    const rich = keys.filter((k) => k === "rich").length;
    expect(rich).toBeGreaterThan(70);
    expect(rich).toBeLessThan(130);
    for (const id of ids.slice(0, 10)) {
      const out = evaluateOrder(doc, order([line(1, 10_000)]), ctx({ seller: promoter(id), uplines: [] }));
      const expected = experimentBucket("exp-2025-04", id) < 5000 ? 1_000 : 1_500;
      expect(out[0]?.amountMinor).toBe(expected);
      expect((out[0]!.trace as LineTrace).variant?.key).toBe(expected === 1_000 ? "control" : "rich");
    }
  });
});

describe("P11 channel uplift and P15 events", () => {
  it("the uplift multiplies the seller's commission only", () => {
    const p = plan({
      version: 1,
      base: { defaultRateBps: 1000 },
      team: { levels: [{ rateBps: 300 }] },
      channels: { live: { multiplierBps: 12_000 } },
    });
    expect(tuples(evaluateOrder(p, order([line(1, 10_000)], { channel: "live" }), ctx({ uplines: [promoter("U1")] })))).toEqual([
      ["S", "sale", 1, 1_200],
      ["U1", "team", 1, 300],
    ]);
  });
});
