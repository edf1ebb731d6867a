/**
 * closePeriod: the period's rows in, the records to post out. Pure and idempotent by construction: the result depends
 * only on the input, input records that are not order-time lines are ignored, and every output carries a stable key
 * (period + rule + beneficiary [+ order line]) under which the caller stores it exactly once.
 *
 * A large period need not be held at once: the rules of order lines (SELLER_RULES: tier true-ups, qualification) read
 * only the sales of the seller they decide for and the lines of that seller's orders, plus the period's totals (the
 * tree, everyone's net sales); the others (PERIOD_LEVEL_RULES) read the totals only. So a caller may build the totals
 * first (periodTotalsFrom), run closeSellers over the sellers a part at a time — each part with every order-time line
 * of its sellers' orders — and closePeriodLevel once: the records are closePeriod's, in another order.
 */
import { contestRule } from "./rules/contest.ts";
import { poolRule } from "./rules/pool.ts";
import { qualificationRule } from "./rules/qualification.ts";
import type { PeriodRule } from "./rules/rule.ts";
import { teamBonusRule } from "./rules/team-bonus.ts";
import { thresholdRule } from "./rules/threshold.ts";
import { tierRule } from "./rules/tiers.ts";
import { buildCloseState, type PeriodTotals, periodTotals } from "./state.ts";
import type { ClosePeriodInput, ClosePeriodResult, PeriodAdjustment, RankPromotion } from "./types.ts";

export { type PeriodTotals, periodTotals, periodTotalsFrom, type SellerTotal } from "./state.ts";

/** Rules of order lines: each record is decided by one seller's sales and the lines of that seller's orders. */
export const SELLER_RULES: readonly PeriodRule[] = [tierRule, qualificationRule];
/** Rules of the whole period: they read the period's totals only. */
export const PERIOD_LEVEL_RULES: readonly PeriodRule[] = [thresholdRule, teamBonusRule, contestRule, poolRule];
export const PERIOD_RULES: readonly PeriodRule[] = [...SELLER_RULES, ...PERIOD_LEVEL_RULES];

export interface CloseRecords {
  adjustments: PeriodAdjustment[];
  promotions: RankPromotion[];
}

function run(rules: readonly PeriodRule[], input: ClosePeriodInput, totals: PeriodTotals): CloseRecords {
  const s = buildCloseState(input, totals);
  const out: CloseRecords = { adjustments: [], promotions: [] };
  for (const rule of rules) {
    const r = rule.evaluate(s);
    // a loop, not push(...xs): a large period has more records than a call can take arguments
    for (const a of r.adjustments) out.adjustments.push(a);
    for (const p of r.promotions ?? []) out.promotions.push(p);
  }
  return out;
}

/**
 * The records of some sellers: `input.sales` are all of their sales in the period, `input.lines` every order-time line of
 * their orders; `totals` are the whole period's.
 */
export function closeSellers(input: ClosePeriodInput, totals: PeriodTotals): CloseRecords {
  return run(SELLER_RULES, input, totals);
}

/** The period-level records (bonuses, team bonus, contests, pool): from the totals; `input.sales` and `lines` are not read. */
export function closePeriodLevel(input: ClosePeriodInput, totals: PeriodTotals): CloseRecords {
  return run(PERIOD_LEVEL_RULES, { ...input, sales: [], lines: [] }, totals);
}

/** Per promoter: net sales of the period, in id order (for statements and dashboards). */
export function salesByPromoterOf(totals: PeriodTotals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of [...totals.netSales.keys()].sort()) out[id] = totals.netSales.get(id) ?? 0;
  return out;
}

export function closePeriod(input: ClosePeriodInput): ClosePeriodResult {
  const totals = periodTotals(input.promoters, input.sales);
  const sellers = closeSellers(input, totals);
  const period = closePeriodLevel(input, totals);
  const result: ClosePeriodResult = {
    periodKey: input.period.key,
    adjustments: sellers.adjustments,
    promotions: sellers.promotions,
    salesByPromoter: salesByPromoterOf(totals),
  };
  for (const a of period.adjustments) result.adjustments.push(a);
  for (const p of period.promotions) result.promotions.push(p);
  const seen = new Set<string>();
  for (const a of result.adjustments) {
    if (seen.has(a.key)) throw new Error(`period close produced the key ${a.key} twice`);
    seen.add(a.key);
  }
  return result;
}
