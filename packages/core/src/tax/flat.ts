/**
 * `flat`: a fixed rate of each payment, tax = amount × rateBps ÷ 10,000 rounded half-up to the fen. Each payment
 * stands alone (no window), so the tax of several payments may differ by a fen from the tax of their total.
 */
import { z } from "zod";
import { roundedMulDiv } from "../commission/amount.ts";
import { BPS_ONE } from "../money/money.ts";
import { withholdIncrement } from "./increment.ts";
import type { WithholdingRule } from "./rule.ts";

/** Highest flat rate accepted: 45 %, the top marginal rate of Chinese individual income tax (house rule 5). */
export const FLAT_TAX_RATE_BPS_MAX = 4_500;

export const FlatTaxSchema = z.strictObject({ rateBps: z.number().int().min(0).max(FLAT_TAX_RATE_BPS_MAX) });

export const flatTaxRule: WithholdingRule<z.infer<typeof FlatTaxSchema>> = {
  type: "flat",
  configSchema: FlatTaxSchema,
  window: "payment",
  evaluate(config, input) {
    const r = roundedMulDiv(input.amountMinor, config.rateBps, BPS_ONE, "half-up");
    return withholdIncrement(
      { ...input, priorIncomeMinor: 0, priorTaxMinor: 0 },
      {
        method: "flat",
        window: "payment",
        incomeMinor: input.amountMinor,
        expense: null,
        deductionMinor: null,
        continuousMonths: null,
        tax: {
          rateBps: config.rateBps,
          quickDeductionMinor: 0,
          exact: r.exact,
          taxMinor: r.amountMinor,
          bracket: null,
          taxableExact: String(input.amountMinor),
        },
      },
    );
  },
};
