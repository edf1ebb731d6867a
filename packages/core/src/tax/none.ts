/** `none`: nothing is withheld (the promoter declares the income, or the program pays businesses). */
import { z } from "zod";
import { withholdIncrement } from "./increment.ts";
import type { WithholdingRule } from "./rule.ts";

export const NoneTaxSchema = z.strictObject({});

export const noneTaxRule: WithholdingRule<z.infer<typeof NoneTaxSchema>> = {
  type: "none",
  configSchema: NoneTaxSchema,
  window: "payment",
  evaluate(_config, input) {
    return withholdIncrement(
      { ...input, priorIncomeMinor: 0, priorTaxMinor: 0 },
      {
        method: "none",
        window: "payment",
        incomeMinor: input.amountMinor,
        expense: null,
        deductionMinor: null,
        continuousMonths: null,
        tax: { rateBps: 0, quickDeductionMinor: 0, exact: "0", taxMinor: 0, bracket: null, taxableExact: null },
      },
    );
  },
};
