import { describe, expect, it } from "vitest";
import { DEMO_PLAN, evaluateOrder, type LineTrace, parsePlan, plan } from "../../src/index.ts";
import { ctx, line, order, promoter, tuples } from "./helpers.ts";

describe("parsePlan", () => {
  it("accepts the demo plan and fills defaults", () => {
    expect(DEMO_PLAN.base.defaultRateBps).toBe(1000);
    expect(parsePlan(JSON.stringify(DEMO_PLAN)).ok).toBe(true);
  });
  it("reports every issue with a JSON path", () => {
    const r = parsePlan({
      version: 1,
      base: { defaultRateBps: 10.5, bogus: 1 },
      team: { levels: [{ rateBps: 1 }, { rateBps: 1 }, { rateBps: 1 }] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain("base.defaultRateBps");
    expect(paths).toContain("base");
    expect(paths).toContain("team.levels");
  });
  it("with a rank ladder, every rank the plan names is on it", () => {
    const ladder = [{ key: "basic" }, { key: "gold" }];
    const paths = (doc: unknown) => {
      const r = parsePlan(doc);
      return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    };
    const cases: [string, unknown, string[]][] = [
      [
        "promoteToRank off the ladder",
        { tiers: { mode: "retroactive", steps: [{ fromMinor: 0, rateBps: 1, promoteToRank: "x" }] } },
        ["tiers.steps[0].promoteToRank: unknown rank x"],
      ],
      [
        "differential rank off the ladder",
        { differential: { rankRates: { gold: 800, silver: 500 } } },
        ["differential.rankRates.silver: unknown rank silver"],
      ],
      [
        "team bonus leader rank off the ladder",
        { teamBonuses: [{ id: "t", form: "leader_rate", rateBps: 200, teamSalesAtLeastMinor: 1, leaderRanks: ["gold", "boss"] }] },
        ["teamBonuses[0].leaderRanks[1]: unknown rank boss"],
      ],
      ["all on the ladder", { differential: { rankRates: { gold: 800 } } }, []],
    ];
    for (const [name, extra, want] of cases) expect(paths({ version: 1, ranks: ladder, ...(extra as object) }), name).toEqual(want);
    // without a ladder, rank keys are the merchant's own (non-empty)
    expect(paths({ version: 1, differential: { rankRates: { silver: 500 } } })).toEqual([]);
    expect(paths({ version: 1, differential: { rankRates: { "": 500 } } }).length).toBeGreaterThan(0);
    expect(paths({ version: 1, ranks: [{ key: "" }] }).length).toBeGreaterThan(0);
  });
  it("rejects non-JSON text and tiers that do not start at 0", () => {
    expect(parsePlan("{").ok).toBe(false);
    const r = parsePlan({ version: 1, tiers: { mode: "marginal", steps: [{ fromMinor: 5, rateBps: 1 }] } });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(["tiers.steps[0].fromMinor"]);
  });
  it("rejects a product with both a rate and a fixed amount", () => {
    const r = parsePlan({ version: 1, base: { defaultRateBps: 0, productRates: { a: 1 }, productFixed: { a: { perUnitMinor: 1 } } } });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(["base.productFixed.a"]);
  });
});

describe("evaluateOrder: P1 P3 P6 on the demo plan", () => {
  it("pays default, category rates and two team levels per line", () => {
    const o = order([line(1, 200_000), line(2, 33_333, { categoryId: "milk-powder" }), line(3, 10_005, { categoryId: "strollers" })]);
    const out = evaluateOrder(DEMO_PLAN, o, ctx());
    // seller: 2000.00×10% = 200.00; 333.33×5% = 16.6665 → 16.67; 100.05×12% = 12.006 → 12.01
    // L1 3%: 60.00; 9.9999 → 10.00; 3.0015 → 3.00 · L2 1%: 20.00; 3.3333 → 3.33; 1.0005 → 1.00
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 20_000],
      ["S", "sale", 2, 1_667],
      ["S", "sale", 3, 1_201],
      ["U1", "team", 1, 6_000],
      ["U1", "team", 2, 1_000],
      ["U1", "team", 3, 300],
      ["U2", "team", 1, 2_000],
      ["U2", "team", 2, 333],
      ["U2", "team", 3, 100],
    ]);
    const t = out[1]?.trace as LineTrace;
    expect(t).toMatchObject({
      rule: "sale",
      source: "category",
      baseMinor: 33_333,
      rateBps: 500,
      level: 0,
      rounding: { mode: "half-up", exact: "1666.65" },
    });
  });
  it("product beats category beats default (P3)", () => {
    const p = plan({ version: 1, base: { defaultRateBps: 1000, productRates: { x: 2000 }, categoryRates: { c: 1500 } } });
    const out = evaluateOrder(
      p,
      order([line(1, 10_000, { productId: "x", categoryId: "c" }), line(2, 10_000, { categoryId: "c" }), line(3, 10_000)]),
      ctx({ uplines: [] }),
    );
    expect(out.map((l) => [l.amountMinor, (l.trace as LineTrace).source])).toEqual([
      [2_000, "product"],
      [1_500, "category"],
      [1_000, "default"],
    ]);
  });
  it("skips uplines that are not active and levels the plan does not define", () => {
    const p = plan({ version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }] } });
    const out = evaluateOrder(p, order([line(1, 10_000)]), ctx({ uplines: [{ ...promoter("U1"), status: "suspended" }, promoter("U2")] }));
    expect(tuples(out)).toEqual([["S", "sale", 1, 1_000]]);
  });
});

describe("evaluateOrder: P2 fixed amounts, P4 first/repeat, P6 share form", () => {
  it("pays fixed per unit and per order", () => {
    const p = plan({ version: 1, base: { defaultRateBps: 0, productFixed: { x: { perUnitMinor: 500 } }, perOrderMinor: 300 } });
    const out = evaluateOrder(p, order([line(1, 9_900, { productId: "x", quantity: 3 }), line(2, 1_000)]), ctx({ uplines: [] }));
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 1_500],
      ["S", "sale", 2, 0],
      ["S", "sale", null, 300],
    ]);
  });
  it("first order 15 %, repeat 8 % (seed 004 mother-and-baby)", () => {
    const p = plan({ version: 1, firstOrder: { firstRateBps: 1500, repeatRateBps: 800 } });
    const first = evaluateOrder(p, order([line(1, 12_345)], { isFirstOrder: true }), ctx({ uplines: [] }));
    const repeat = evaluateOrder(p, order([line(1, 12_345)]), ctx({ uplines: [] }));
    // 123.45 × 15% = 18.5175 → 18.52 ; × 8% = 9.876 → 9.88
    expect(first[0]?.amountMinor).toBe(1_852);
    expect((first[0]!.trace as LineTrace).source).toBe("first_order");
    expect(repeat[0]?.amountMinor).toBe(988);
    expect((repeat[0]!.trace as LineTrace).source).toBe("repeat_order");
  });
  it("team share of the seller's commission", () => {
    const p = plan({ version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ shareBps: 2000 }, { shareBps: 1000 }] } });
    const out = evaluateOrder(p, order([line(1, 12_345)]), ctx());
    // seller 12.345 → 12.35 (1235); L1 20% of 1235 = 247; L2 10% = 123.5 → 124
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 1_235],
      ["U1", "team", 1, 247],
      ["U2", "team", 1, 124],
    ]);
    expect(out[1]?.trace).toMatchObject({ rule: "team", shareBps: 2000, baseMinor: 1_235, level: 1 });
  });
});

describe("evaluateOrder: P18 rounding", () => {
  const p = plan({ version: 1, base: { defaultRateBps: 1000 } });
  // 1.25 → 0.125 fen ×... use 125 fen × 10% = 12.5 fen; 135 × 10% = 13.5; 119 × 10% = 11.9
  const o = order([line(1, 125), line(2, 135), line(3, 119)]);
  it.each([
    ["half-up", [13, 14, 12]],
    ["half-even", [12, 14, 12]],
    ["down", [12, 13, 11]],
  ] as const)("%s", (mode, expected) => {
    expect(evaluateOrder(p, o, ctx({ uplines: [], roundingMode: mode })).map((l) => l.amountMinor)).toEqual(expected);
  });
  it("the plan's rounding mode wins over the program's", () => {
    const q = plan({ version: 1, base: { defaultRateBps: 1000 }, rounding: { mode: "down" } });
    expect(evaluateOrder(q, o, ctx({ uplines: [] })).map((l) => l.amountMinor)).toEqual([12, 13, 11]);
  });
});

describe("evaluateOrder: P17 cap", () => {
  it("scales all lines so they sum to the cap to the fen", () => {
    const p = plan({
      version: 1,
      base: { defaultRateBps: 2000 },
      team: { levels: [{ rateBps: 500 }, { rateBps: 300 }] },
      cap: { orderRateBps: 2500 },
    });
    const o = order([line(1, 10_001), line(2, 3_333)]);
    const out = evaluateOrder(p, o, ctx());
    // cap = 13334 × 25% = 3333.5 → down 3333
    // uncapped: S 2000.2→2000, 666.6→667; U1 500.05→500, 166.65→167; U2 300.03→300, 99.99→100 ; total 3734
    const total = out.reduce((s, l) => s + l.amountMinor, 0);
    expect(total).toBe(3_333);
    // exact shares: 2000×3333/3734=1785.22, 667→595.35, 500→446.30, 167→149.06, 300→267.78, 100→89.26
    // floors 1785+595+446+149+267+89 = 3331; remainders .22 .35 .30 .06 .78 .26 → +1 to 267 (.78) and 595 (.35)
    expect(tuples(out)).toEqual([
      ["S", "sale", 1, 1_785],
      ["S", "sale", 2, 596],
      ["U1", "team", 1, 446],
      ["U1", "team", 2, 149],
      ["U2", "team", 1, 268],
      ["U2", "team", 2, 89],
    ]);
    expect((out[0]!.trace as LineTrace).cap).toEqual({ capMinor: 3_333, basis: "order", totalBeforeMinor: 3_734, uncappedMinor: 2_000 });
  });
  it("uses the margin cap when every line carries a margin and it is lower", () => {
    const p = plan({ version: 1, base: { defaultRateBps: 1000 }, cap: { orderRateBps: 2500, marginRateBps: 2000 } });
    const out = evaluateOrder(p, order([line(1, 10_000, { marginMinor: 3_000 as never })]), ctx({ uplines: [] }));
    // margin cap 3000 × 20% = 600 < commission 1000 < order cap 2500
    expect(out[0]?.amountMinor).toBe(600);
    expect((out[0]!.trace as LineTrace).cap?.basis).toBe("margin");
  });
  it("leaves orders under the cap untouched", () => {
    const out = evaluateOrder(DEMO_PLAN, order([line(1, 10_000)]), ctx());
    expect(out.every((l) => (l.trace as LineTrace).cap === null)).toBe(true);
  });
});
