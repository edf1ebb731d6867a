import { describe, expect, it } from "vitest";
import { DEMO_PLAN, lintPlan } from "../../src/index.ts";

describe("lintPlan", () => {
  it("passes the demo plan under the standard policy and refuses its level 2 under wechat", () => {
    expect(lintPlan(DEMO_PLAN, "standard").errors).toEqual([]);
    const w = lintPlan(DEMO_PLAN, "wechat");
    expect(w.ok).toBe(false);
    expect(w.errors.map((e) => [e.code, e.path])).toEqual([["UPLINE_LEVELS_EXCEEDED", "team.levels[1]"]]);
    expect(w.errors[0]?.messageZh).toContain("最多允许 1 级");
    expect(w.errors[0]?.messageEn).toContain("at most 1 upline level");
  });
  it("under wechat, a team bonus must count one level of the team (level-2 sales would pay a second upline level)", () => {
    const bonus = { id: "sup", form: "leader_rate", rateBps: 200, teamSalesAtLeastMinor: 10_000 };
    const deep = lintPlan({ version: 1, teamBonuses: [bonus] }, "wechat");
    expect(deep.errors.map((e) => [e.code, e.path])).toEqual([["UPLINE_LEVELS_EXCEEDED", "teamBonuses[0].levels"]]);
    expect(deep.errors[0]?.messageEn).toContain("set levels: 1");
    expect(lintPlan({ version: 1, teamBonuses: [{ ...bonus, levels: 1 }] }, "wechat").errors).toEqual([]);
    expect(lintPlan({ version: 1, teamBonuses: [bonus] }, "standard").errors).toEqual([]);
  });
  it("refuses three levels under the standard policy with a compliance message, not only a schema one", () => {
    const r = lintPlan({ version: 1, team: { levels: [{ rateBps: 300 }, { rateBps: 200 }, { rateBps: 100 }] } });
    expect(r.errors.map((e) => [e.code, e.path])).toEqual([["UPLINE_LEVELS_EXCEEDED", "team.levels[2]"]]);
  });
  it("refuses fees anywhere in the document", () => {
    const r = lintPlan({ version: 1, entryFeeMinor: 9_900, ranks: [{ key: "vip", membershipFeeMinor: 1 }] });
    expect(r.errors.filter((e) => e.code === "FEE_FORBIDDEN").map((e) => e.path)).toEqual(["entryFeeMinor", "ranks[0].membershipFeeMinor"]);
  });
  it("refuses rewards for recruiting promoters", () => {
    const r = lintPlan({
      version: 1,
      events: [{ trigger: "promoter_invited", amountMinor: 1000 }],
      contests: [{ id: "c", metric: "invites", prizesMinor: [100] }],
      contributionPool: { amountMinor: 100, pointsPerEvent: { team_building: 10, valid_click: 1 } },
    });
    expect(r.errors.filter((e) => e.code === "HEADCOUNT_REWARD").map((e) => e.path)).toEqual([
      "events[0].trigger",
      "contests[0].metric",
      "contributionPool.pointsPerEvent.team_building",
    ]);
  });
  it("warns when the worst case exceeds the cap", () => {
    const r = lintPlan({
      version: 1,
      base: { defaultRateBps: 1000, productRates: { x: 2000 } },
      channels: { community: { multiplierBps: 11_000 } },
      team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
      cap: { orderRateBps: 2500 },
    });
    // worst: 20 % × 1.1 = 22 % + 3 % + 1 % = 26 % > 25 %
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([["CAP_MAY_BE_EXCEEDED", "cap.orderRateBps"]]);
    expect(r.warnings[0]?.messageEn).toContain("26%");
  });
  it("reports schema problems as errors", () => {
    const r = lintPlan({ version: 1, base: { defaultRateBps: -1 } });
    expect(r.errors.map((e) => [e.code, e.path])).toEqual([["PLAN_INVALID", "base.defaultRateBps"]]);
  });
});
