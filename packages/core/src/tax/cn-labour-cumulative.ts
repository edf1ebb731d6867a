/**
 * `cn-labour-cumulative` (累计预扣法 of 国家税务总局公告2018年第61号, which 国家税务总局公告2025年第16号 has internet
 * platforms use for their workers' labour remuneration from 2025-10-01). With this year's cumulative income C from this
 * withholding agent (this payment included) and n = continuous months (see continuity.ts):
 *   taxable = C − 20 % × C − 5,000 × n
 *   year tax = taxable × rate − quick deduction (预扣率表一, 3 % … 45 %), rounded half-up to the fen once
 *   tax now = year tax − tax already withheld this year (never below 0; never more than this payment).
 * Worked: ¥10,000 in each of Oct, Nov, Dec (income starting in October) → ¥90 each month.
 */
import { z } from "zod";
import { exactDecimal } from "../commission/amount.ts";
import { BPS_ONE, minor } from "../money/money.ts";
import { bracketTax, LABOUR_TABLE_1, TAXABLE_SCALE } from "./brackets.ts";
import { LABOUR_INCOME_SHARE_BPS } from "./cn-labour-monthly.ts";
import { continuousMonths } from "./continuity.ts";
import { withholdIncrement } from "./increment.ts";
import type { WithholdingRule } from "./rule.ts";

/** 5,000 yuan per continuous month (累计减除费用). */
export const MONTHLY_DEDUCTION_MINOR = 500_000;

export const CnLabourCumulativeSchema = z.strictObject({});

export const cnLabourCumulativeRule: WithholdingRule<z.infer<typeof CnLabourCumulativeSchema>> = {
  type: "cn-labour-cumulative",
  configSchema: CnLabourCumulativeSchema,
  window: "year",
  evaluate(_config, input) {
    const income = minor(input.priorIncomeMinor + input.amountMinor);
    const n = continuousMonths(input.incomeMonths, input.month);
    const deduction = MONTHLY_DEDUCTION_MINOR * n;
    const taxableNum = BigInt(income) * BigInt(LABOUR_INCOME_SHARE_BPS) - BigInt(deduction) * TAXABLE_SCALE;
    return withholdIncrement(input, {
      method: "cn-labour-cumulative",
      window: "year",
      incomeMinor: income,
      expense: { kind: "rate", exact: exactDecimal(BigInt(income) * BigInt(BPS_ONE - LABOUR_INCOME_SHARE_BPS), BigInt(BPS_ONE)) },
      deductionMinor: deduction,
      continuousMonths: n,
      tax: bracketTax(taxableNum, LABOUR_TABLE_1),
    });
  },
};
