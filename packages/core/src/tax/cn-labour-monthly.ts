/**
 * `cn-labour-monthly` (个人所得税法实施条例 §14, 预扣率表二): labour remuneration per person per calendar month — continuing
 * income from one source within a month is one payment. With the month's income I (all payments this month from this
 * withholding agent, this one included):
 *   taxable = I − 800 when I ≤ 4,000, otherwise I × 80 %
 *   month tax = taxable × rate − quick deduction (≤ 20,000: 20 % / 0; ≤ 50,000: 30 % / 2,000; above: 40 % / 7,000),
 *               rounded half-up to the fen once
 *   tax now = month tax − tax already withheld this month (never below 0).
 * Worked: ¥3,000 → ¥440; then another ¥3,000 in the same month → ¥960 − ¥440 = ¥520.
 */
import { z } from "zod";
import { exactDecimal } from "../commission/amount.ts";
import { BPS_ONE, minor } from "../money/money.ts";
import { bracketTax, LABOUR_TABLE_2, TAXABLE_SCALE } from "./brackets.ts";
import { withholdIncrement } from "./increment.ts";
import type { WithholdingRule } from "./rule.ts";

/** 4,000 yuan: up to it 800 yuan of expenses are deducted, above it 20 %. */
export const LABOUR_FIXED_EXPENSE_LIMIT_MINOR = 400_000;
export const LABOUR_FIXED_EXPENSE_MINOR = 80_000;
/** 80 %: what remains after 20 % of expenses. */
export const LABOUR_INCOME_SHARE_BPS = 8_000;

export const CnLabourMonthlySchema = z.strictObject({});

export const cnLabourMonthlyRule: WithholdingRule<z.infer<typeof CnLabourMonthlySchema>> = {
  type: "cn-labour-monthly",
  configSchema: CnLabourMonthlySchema,
  window: "month",
  evaluate(_config, input) {
    const income = minor(input.priorIncomeMinor + input.amountMinor);
    const I = BigInt(income);
    const fixed = income <= LABOUR_FIXED_EXPENSE_LIMIT_MINOR;
    const taxableNum = fixed ? (I - BigInt(LABOUR_FIXED_EXPENSE_MINOR)) * TAXABLE_SCALE : I * BigInt(LABOUR_INCOME_SHARE_BPS);
    const expenseExact = fixed
      ? String(Math.min(LABOUR_FIXED_EXPENSE_MINOR, income))
      : exactDecimal(I * BigInt(BPS_ONE - LABOUR_INCOME_SHARE_BPS), BigInt(BPS_ONE));
    return withholdIncrement(input, {
      method: "cn-labour-monthly",
      window: "month",
      incomeMinor: income,
      expense: { kind: fixed ? "fixed" : "rate", exact: expenseExact },
      deductionMinor: null,
      continuousMonths: null,
      tax: bracketTax(taxableNum, LABOUR_TABLE_2),
    });
  },
};
