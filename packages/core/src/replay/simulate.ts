/**
 * What-if (方案模拟): replay the same history under the current plan and under a draft, and compare cost, cost ratio,
 * rebate ROI (sales ÷ commission), per-promoter deltas and the distribution of earnings.
 */
import { mulDiv } from "../money/money.ts";
import type { PlanDocument } from "../plan/schema.ts";
import { runScenario } from "./run.ts";
import type { Scenario } from "./scenario.ts";

export interface PlanOutcome {
  totalCostMinor: number;
  salesMinor: number;
  /** Commission ÷ sales, in bps (half-even). */
  costRatioBps: number;
  /** Sales ÷ commission ×100 (680 = 6.80 : 1), half-even; null when nothing is paid. */
  roiX100: number | null;
  promoters: number;
  costPerPromoterMinor: number;
  distribution: { minMinor: number; p25Minor: number; p50Minor: number; p75Minor: number; p90Minor: number; maxMinor: number };
}

export interface PromoterDelta {
  promoterId: string;
  currentMinor: number;
  draftMinor: number;
  deltaMinor: number;
}

export interface SimulationResult {
  current: PlanOutcome;
  draft: PlanOutcome;
  deltaCostMinor: number;
  deltas: PromoterDelta[];
  largestGains: PromoterDelta[];
  largestLosses: PromoterDelta[];
}

export const SIMULATION_TOP_N = 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

function outcome(history: Scenario, plan: PlanDocument): { o: PlanOutcome; earnings: Map<string, number> } {
  const r = runScenario({ ...history, plans: [{ effectiveFrom: "1970-01-01T00:00:00Z", plan }] });
  const earnings = new Map<string, number>();
  for (const id of Object.keys(r.balances.promoters)) earnings.set(id, 0);
  for (const l of r.lines) earnings.set(l.beneficiaryId, (earnings.get(l.beneficiaryId) ?? 0) + l.amountMinor - l.reversedMinor);
  const values = [...earnings.values()].sort((a, b) => a - b);
  const cost = r.kpis.commissionMinor;
  const n = earnings.size;
  return {
    earnings,
    o: {
      totalCostMinor: cost,
      salesMinor: r.kpis.salesMinor,
      costRatioBps: r.kpis.salesMinor > 0 ? mulDiv(cost, 10_000, r.kpis.salesMinor, "half-even") : 0,
      roiX100: cost > 0 ? mulDiv(r.kpis.salesMinor, 100, cost, "half-even") : null,
      promoters: n,
      costPerPromoterMinor: n > 0 ? mulDiv(cost, 1, n, "half-even") : 0,
      distribution: {
        minMinor: values[0] ?? 0,
        p25Minor: percentile(values, 25),
        p50Minor: percentile(values, 50),
        p75Minor: percentile(values, 75),
        p90Minor: percentile(values, 90),
        maxMinor: values[values.length - 1] ?? 0,
      },
    },
  };
}

export function simulatePlans(history: Scenario, currentPlan: PlanDocument, draftPlan: PlanDocument): SimulationResult {
  const cur = outcome(history, currentPlan);
  const dft = outcome(history, draftPlan);
  const ids = [...new Set([...cur.earnings.keys(), ...dft.earnings.keys()])].sort();
  const deltas = ids.map((id) => {
    const c = cur.earnings.get(id) ?? 0;
    const d = dft.earnings.get(id) ?? 0;
    return { promoterId: id, currentMinor: c, draftMinor: d, deltaMinor: d - c };
  });
  const byDelta = [...deltas].sort((a, b) => b.deltaMinor - a.deltaMinor || (a.promoterId < b.promoterId ? -1 : 1));
  return {
    current: cur.o,
    draft: dft.o,
    deltaCostMinor: dft.o.totalCostMinor - cur.o.totalCostMinor,
    deltas,
    largestGains: byDelta.filter((d) => d.deltaMinor > 0).slice(0, SIMULATION_TOP_N),
    largestLosses: byDelta
      .filter((d) => d.deltaMinor < 0)
      .reverse()
      .slice(0, SIMULATION_TOP_N),
  };
}
