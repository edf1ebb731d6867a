/**
 * P16 at close: a contribution pool (a fixed amount, or a rate of the period's net sales rounded down) split pro rata to
 * contribution points (count × points per event type) over promoters with at least minPoints, by largest remainder.
 * Under an experiment (P20) each variant's cohort has its own pool: its plan's, of its sellers' net sales.
 */
import { allocate, applyRate, type Bps, type Minor } from "../../money/money.ts";
import { ContributionPoolSchema } from "../../plan/schema.ts";
import { byCohort, type CloseState } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const poolRule: PeriodRule = {
  type: "pool",
  configSchema: ContributionPoolSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const doc = s.input.plan;
    if (!(doc.contributionPool || doc.experiment?.variants.some((v) => v.plan?.contributionPool))) return { adjustments };
    const pk = s.input.period.key;
    const experiment = doc.experiment !== undefined;
    // Each experiment cohort has its own pool (its plan's), funded by its own sales and split among its own promoters.
    const cohortSales = new Map<string, number>();
    if (experiment)
      for (const g of byCohort(s, s.netSales.keys(), (id) => id))
        cohortSales.set(
          g.cohort,
          g.items.reduce((a, id) => a + (s.netSales.get(id) ?? 0), 0),
        );
    for (const { cohort, plan, items: contributions } of byCohort(s, s.input.contributions ?? [], (c) => c.promoterId)) {
      const cfg = plan.contributionPool;
      if (!cfg) continue;
      const points = new Map<string, number>();
      for (const c of contributions) {
        const per = cfg.pointsPerEvent[c.type] ?? 0;
        if (per === 0 || c.count <= 0) continue;
        points.set(c.promoterId, (points.get(c.promoterId) ?? 0) + per * c.count);
      }
      const ids = [...points.keys()]
        .filter((id) => (points.get(id) ?? 0) >= cfg.minPoints && (s.promoters.get(id)?.status ?? "active") === "active")
        .sort();
      if (ids.length === 0) continue;
      const sales = experiment ? (cohortSales.get(cohort) ?? 0) : s.totalNetSales;
      const pool = cfg.amountMinor !== undefined ? cfg.amountMinor : applyRate(sales as Minor, (cfg.rateOfSalesBps ?? 0) as Bps, "down");
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
          trace: {
            rule: "pool",
            periodKey: pk,
            baseMinor: pool,
            poolMinor: pool,
            points: weights[i],
            totalPoints: total,
            ...(experiment ? { variant: cohort } : {}),
          },
        });
      });
    }
    return { adjustments };
  },
};
