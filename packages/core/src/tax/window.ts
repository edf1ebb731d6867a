/**
 * The prior figures of a calculator's window, from the person's history with this withholding agent (one entry per
 * earlier payment, or per month: income paid and tax withheld). Entries of other windows are left out — for the
 * cumulative method that is how the year restarts in January.
 */
import { parseMonth } from "./continuity.ts";
import type { WithholdingInput, WithholdingWindow } from "./rule.ts";

export interface WithholdingHistoryEntry {
  month: string;
  incomeMinor: number;
  taxMinor: number;
}

export function withholdingWindowOf(
  window: WithholdingWindow,
  history: readonly WithholdingHistoryEntry[],
  month: string,
): Pick<Required<WithholdingInput>, "priorIncomeMinor" | "priorTaxMinor" | "incomeMonths"> {
  const now = parseMonth(month);
  let priorIncomeMinor = 0;
  let priorTaxMinor = 0;
  const months = new Set<string>();
  for (const e of history) {
    const p = parseMonth(e.month);
    if (p.year !== now.year) continue;
    if (p.month > now.month) throw new RangeError(`history month ${e.month} is after the payment's month ${month}`);
    if (e.incomeMinor > 0) months.add(e.month);
    if (window === "payment" || (window === "month" && p.month !== now.month)) continue;
    priorIncomeMinor += e.incomeMinor;
    priorTaxMinor += e.taxMinor;
  }
  return { priorIncomeMinor, priorTaxMinor, incomeMonths: [...months].sort() };
}
