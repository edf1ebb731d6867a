import { describe, expect, it } from "vitest";
import { evaluateOrder, experimentBucket, explainLine, type LineTrace, lintPlan, plan, planForPromoter } from "../../src/index.ts";
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

  it('appliesTo "all": rate-based team and differential lines take the uplift too; a share of the seller\'s commission carries it already', () => {
    const doc = {
      version: 1,
      base: { defaultRateBps: 1000 },
      team: { levels: [{ rateBps: 300 }, { shareBps: 1000 }] },
      channels: { live: { multiplierBps: 12_000, appliesTo: "all" } },
    };
    const p = plan(doc);
    const live = evaluateOrder(p, order([line(1, 12_345)], { channel: "live" }), ctx());
    // seller 123.45 × 10 % × 120 % = 14.814 → 14.81; level 1: 123.45 × 3 % × 120 % = 4.4442 → 4.44;
    // level 2: 10 % of the seller's 14.81 = 1.481 → 1.48 (not uplifted again)
    expect(tuples(live)).toEqual([
      ["S", "sale", 1, 1_481],
      ["U1", "team", 1, 444],
      ["U2", "team", 1, 148],
    ]);
    const [, team1, team2] = live;
    if (!team1 || !team2) throw new Error("expected three lines");
    expect(team1.trace).toMatchObject({ rule: "team", rateBps: 300, channel: { channel: "live", multiplierBps: 12_000 } });
    expect((team2.trace as LineTrace).channel).toBeUndefined();
    expect(explainLine(team1, "en", { orderRef: "7" })).toContain("× 3% (team level 1) × 120% (live channel uplift) = ¥4.44");
    // another channel: nothing is uplifted
    expect(tuples(evaluateOrder(p, order([line(1, 12_345)]), ctx()))).toEqual([
      ["S", "sale", 1, 1_235],
      ["U1", "team", 1, 370],
      ["U2", "team", 1, 124],
    ]);
    // differential: (rank rate − rate paid below) × the uplift
    const d = plan({
      version: 1,
      base: { defaultRateBps: 500 },
      differential: { levels: 2, defaultRateBps: 800, rankRates: {} },
      channels: { live: { multiplierBps: 15_000, appliesTo: "all" } },
    });
    // seller 100.00 × 5 % × 150 % = 7.50; upline: (8 % − 5 %) × 150 % of 100.00 = 4.50
    expect(tuples(evaluateOrder(d, order([line(1, 10_000)], { channel: "live" }), ctx({ uplines: [promoter("U1")] })))).toEqual([
      ["S", "sale", 1, 750],
      ["U1", "differential", 1, 450],
    ]);
    // the linter's worst case counts the uplines' uplift: 10 % × 1.2 + 3 % × 1.2 + 10 % of 12 % = 16.8 % > a 16.5 % cap;
    // seller only it is 12 % + 3 % + 1.2 % = 16.2 %
    const capWarned = (x: object) => lintPlan({ ...x, cap: { orderRateBps: 1650 } }).warnings.some((w) => w.code === "CAP_MAY_BE_EXCEEDED");
    expect(capWarned(doc)).toBe(true);
    expect(capWarned({ ...doc, channels: { live: { multiplierBps: 12_000 } } })).toBe(false);
  });
});
