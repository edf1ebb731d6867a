/**
 * The last step every calculator shares: tax now = the window's tax (rounded once, half-up, to the fen) − tax already
 * withheld in the window; below zero → 0 (what was withheld already covers it), above the payment → the payment
 * (an agent cannot withhold more than it pays; the rest falls due on the next payment of the window).
 */
import type { BracketTax } from "./brackets.ts";
import type { WithholdingInputParsed, WithholdingResult, WithholdingTrace, WithholdingWindow } from "./rule.ts";

export interface WindowTax {
  method: string;
  window: WithholdingWindow;
  incomeMinor: number;
  expense: WithholdingTrace["expense"];
  deductionMinor: number | null;
  continuousMonths: number | null;
  tax: Pick<BracketTax, "rateBps" | "quickDeductionMinor" | "exact" | "taxMinor"> & { bracket: number | null; taxableExact: string | null };
}

export function withholdIncrement(input: WithholdingInputParsed, w: WindowTax): WithholdingResult {
  const due = w.tax.taxMinor - input.priorTaxMinor;
  let taxMinor = due;
  let clamped: WithholdingTrace["clamped"] = null;
  if (taxMinor < 0) {
    taxMinor = 0;
    clamped = "zero";
  }
  if (taxMinor > input.amountMinor) {
    taxMinor = input.amountMinor;
    clamped = "payment";
  }
  return {
    taxMinor,
    trace: {
      method: w.method,
      month: input.month,
      window: w.window,
      amountMinor: input.amountMinor,
      priorIncomeMinor: input.priorIncomeMinor,
      incomeMinor: w.incomeMinor,
      expense: w.expense,
      deductionMinor: w.deductionMinor,
      continuousMonths: w.continuousMonths,
      taxableExact: w.tax.taxableExact,
      rateBps: w.tax.rateBps,
      bracket: w.tax.bracket,
      quickDeductionMinor: w.tax.quickDeductionMinor,
      windowTaxExact: w.tax.exact,
      windowTaxMinor: w.tax.taxMinor,
      priorTaxMinor: input.priorTaxMinor,
      dueMinor: due,
      taxMinor,
      clamped,
      rounding: { mode: "half-up", exact: w.tax.exact },
    },
  };
}
