/**
 * P16 at close: a contribution pool (a fixed amount, or a rate of the period's net sales rounded down) split pro rata to
 * contribution points (count × points per event type) over promoters with at least minPoints, by largest remainder.
 */
import { allocate, applyRate, type Bps, type Minor } from "../../money/money.ts";
import { ContributionPoolSchema } from "../../plan/schema.ts";
import type { CloseState } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const poolRule: PeriodRule = {
  type: "pool",
  configSchema: ContributionPoolSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const cfg = s.input.plan.contributionPool;
    if (!cfg) return { adjustments };
    const pk = s.input.period.key;
    const points = new Map<string, number>();
    for (const c of s.input.contributions ?? []) {
      const per = cfg.pointsPerEvent[c.type] ?? 0;
      if (per === 0 || c.count <= 0) continue;
      points.set(c.promoterId, (points.get(c.promoterId) ?? 0) + per * c.count);
    }
    const ids = [...points.keys()]
      .filter((id) => (points.get(id) ?? 0) >= cfg.minPoints && (s.promoters.get(id)?.status ?? "active") === "active")
      .sort();
    if (ids.length === 0) return { adjustments };
    const pool =
      cfg.amountMinor !== undefined ? cfg.amountMinor : applyRate(s.totalNetSales as Minor, (cfg.rateOfSalesBps ?? 0) as Bps, "down");
    const weights = ids.map((id) => points.get(id) ?? 0);
    const total = weights.reduce((a, x) => a + x, 0);
    const parts = allocate(pool as Minor, weights);
    ids.forEach((id, i) => {
      const amount = parts[i] ?? 0;
      if (amount === 0) return;
      adjustments.push({
        key: `${pk}:pool:${id}`,
        periodKey: pk,
        orderId: null,
        refundBaseMinor: null,
        beneficiaryId: id,
        level: 0,
        kind: "pool",
        lineNo: null,
        baseMinor: pool as Minor,
        amountMinor: amount as Minor,
        trace: { rule: "pool", periodKey: pk, baseMinor: pool, poolMinor: pool, points: weights[i], totalPoints: total },
      });
    });
    return { adjustments };
  },
};
