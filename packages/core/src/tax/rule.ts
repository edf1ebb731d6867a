/**
 * A withholding calculator (代扣个税): `{ type, configSchema, window, evaluate }` (house rule 6), one per file, in the
 * registry. It receives plain data — the amount paid now and the person's figures for this withholding agent in the
 * rule's window — and returns the tax to withhold now with a trace that explains the figure. No I/O, no clock.
 */
import { z } from "zod";
import { AMOUNT_MAX_MINOR } from "../money/money.ts";

/**
 * What the prior figures cover: `payment` (each payment on its own: none, flat), `month` (the calendar month of the
 * payment: 预扣率表二) or `year` (January up to the payment's month: 累计预扣法).
 */
export type WithholdingWindow = "payment" | "month" | "year";

/** Most months listed in `incomeMonths` (house rule 5): this year's twelve and the previous year's, with room to spare. */
export const INCOME_MONTHS_MAX = 36;

const amount = z.number().int().min(0).max(AMOUNT_MAX_MINOR);
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthKey = z.string().regex(MONTH_PATTERN, "a month as YYYY-MM");

export const WithholdingInputSchema = z.strictObject({
  /** The gross amount being paid now (fen). */
  amountMinor: amount,
  /** The payment's calendar month, "YYYY-MM" (in the withholding agent's time zone; the caller decides it). */
  month: monthKey,
  /** Income this withholding agent already paid the person in the rule's window, before this payment (fen). */
  priorIncomeMinor: amount.default(0),
  /** Tax already withheld from that income in the same window (fen). */
  priorTaxMinor: amount.default(0),
  /** Months ("YYYY-MM") in which the person had labour income from this agent before this payment; other years are ignored. */
  incomeMonths: z.array(monthKey).max(INCOME_MONTHS_MAX).default([]),
});
export type WithholdingInput = z.input<typeof WithholdingInputSchema>;
export type WithholdingInputParsed = z.output<typeof WithholdingInputSchema>;

/** One bracket of a rate table: up to `upToMinor` of taxable income (null = no upper bound). */
export interface Bracket {
  upToMinor: number | null;
  rateBps: number;
  quickDeductionMinor: number;
}

/** Everything a withheld figure is made of. Money in fen; `…Exact` are exact decimal strings of fen before rounding. */
export interface WithholdingTrace {
  method: string;
  month: string;
  window: WithholdingWindow;
  amountMinor: number;
  priorIncomeMinor: number;
  /** Income of the window including this payment (the month's for 表二, the year's for 累计预扣法). */
  incomeMinor: number;
  /** Expenses: `fixed` 800 yuan (表二 up to 4,000), `rate` 20 % of income; null where none apply. */
  expense: { kind: "fixed" | "rate"; exact: string } | null;
  /** 累计预扣法: 5,000 yuan × continuousMonths. */
  deductionMinor: number | null;
  continuousMonths: number | null;
  /** Taxable income before clamping at zero (fen, exact). */
  taxableExact: string | null;
  /** Flat rate, or the bracket's rate. */
  rateBps: number;
  bracket: number | null;
  quickDeductionMinor: number;
  /** Tax of the whole window before rounding, and rounded half-up to the fen (clamped at 0). */
  windowTaxExact: string;
  windowTaxMinor: number;
  priorTaxMinor: number;
  /** windowTax − priorTax, before the clamps. */
  dueMinor: number;
  /** The tax withheld now. */
  taxMinor: number;
  /** `zero`: what was already withheld covers the window's tax; `payment`: the tax is more than this payment. */
  clamped: "zero" | "payment" | null;
  rounding: { mode: "half-up"; exact: string };
}

export interface WithholdingResult {
  taxMinor: number;
  trace: WithholdingTrace;
}

export interface WithholdingRule<C = unknown> {
  type: string;
  configSchema: z.ZodType;
  window: WithholdingWindow;
  evaluate(config: C, input: WithholdingInputParsed): WithholdingResult;
}
