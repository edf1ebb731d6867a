/** A period-close rule: `{ type, configSchema, evaluate }`; reads the close state, returns records to post. */
import type { ZodType } from "zod";
import type { CloseState } from "../state.ts";
import type { PeriodAdjustment, RankPromotion } from "../types.ts";

export interface PeriodRuleOutput {
  adjustments: PeriodAdjustment[];
  promotions?: RankPromotion[];
}

export interface PeriodRule {
  type: string;
  configSchema: ZodType;
  evaluate(s: CloseState): PeriodRuleOutput;
}
