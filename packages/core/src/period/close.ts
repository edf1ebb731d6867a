/**
 * closePeriod: the period's rows in, the records to post out. Pure and idempotent by construction: the result depends
 * only on the input, input records that are not order-time lines are ignored, and every output carries a stable key
 * (period + rule + beneficiary [+ order line]) under which the caller stores it exactly once.
 */
import { contestRule } from "./rules/contest.ts";
import { poolRule } from "./rules/pool.ts";
import { qualificationRule } from "./rules/qualification.ts";
import type { PeriodRule } from "./rules/rule.ts";
import { teamBonusRule } from "./rules/team-bonus.ts";
import { thresholdRule } from "./rules/threshold.ts";
import { tierRule } from "./rules/tiers.ts";
import { buildCloseState } from "./state.ts";
import type { ClosePeriodInput, ClosePeriodResult } from "./types.ts";

export const PERIOD_RULES: readonly PeriodRule[] = [tierRule, qualificationRule, thresholdRule, teamBonusRule, contestRule, poolRule];

export function closePeriod(input: ClosePeriodInput): ClosePeriodResult {
  const s = buildCloseState(input);
  const result: ClosePeriodResult = { periodKey: input.period.key, adjustments: [], promotions: [], salesByPromoter: {} };
  for (const rule of PERIOD_RULES) {
    const out = rule.evaluate(s);
    // a loop, not push(...xs): a large period has more records than a call can take arguments
    for (const a of out.adjustments) result.adjustments.push(a);
    for (const p of out.promotions ?? []) result.promotions.push(p);
  }
  for (const id of [...s.netSales.keys()].sort()) result.salesByPromoter[id] = s.netSales.get(id) ?? 0;
  const seen = new Set<string>();
  for (const a of result.adjustments) {
    if (seen.has(a.key)) throw new Error(`period close produced the key ${a.key} twice`);
    seen.add(a.key);
  }
  return result;
}
