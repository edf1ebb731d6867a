/** The withholding calculators by type, and the program setting that picks one (`tax` in the program's settings). */
import { z } from "zod";
import { CnLabourCumulativeSchema, cnLabourCumulativeRule } from "./cn-labour-cumulative.ts";
import { CnLabourMonthlySchema, cnLabourMonthlyRule } from "./cn-labour-monthly.ts";
import { FlatTaxSchema, flatTaxRule } from "./flat.ts";
import { NoneTaxSchema, noneTaxRule } from "./none.ts";
import { type WithholdingInput, WithholdingInputSchema, type WithholdingResult, type WithholdingRule } from "./rule.ts";

export const WITHHOLDING_RULES: readonly WithholdingRule[] = [noneTaxRule, flatTaxRule, cnLabourMonthlyRule, cnLabourCumulativeRule];

/** A program's withholding setting: the method and its configuration. */
export const TaxConfigSchema = z.discriminatedUnion("type", [
  NoneTaxSchema.extend({ type: z.literal("none") }),
  FlatTaxSchema.extend({ type: z.literal("flat") }),
  CnLabourMonthlySchema.extend({ type: z.literal("cn-labour-monthly") }),
  CnLabourCumulativeSchema.extend({ type: z.literal("cn-labour-cumulative") }),
]);
export type TaxConfig = z.infer<typeof TaxConfigSchema>;
export type TaxMethod = TaxConfig["type"];
export const TAX_METHODS: readonly TaxMethod[] = ["none", "flat", "cn-labour-monthly", "cn-labour-cumulative"];

export function withholdingRule(type: TaxMethod): WithholdingRule {
  const r = WITHHOLDING_RULES.find((x) => x.type === type);
  if (!r) throw new RangeError(`unknown withholding method: ${type}`);
  return r;
}

/**
 * The tax to withhold from a payment now. Config and input are validated; invalid ones are a caller's bug and throw
 * (the API validates the program's setting when it is saved, and builds the input from the ledger).
 */
export function computeWithholding(config: TaxConfig, input: WithholdingInput): WithholdingResult {
  const c = TaxConfigSchema.parse(config);
  const rule = withholdingRule(c.type);
  const { type: _type, ...ruleConfig } = c;
  return rule.evaluate(rule.configSchema.parse(ruleConfig), WithholdingInputSchema.parse(input));
}
