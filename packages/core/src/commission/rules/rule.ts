/**
 * An order-time commission rule: `{ type, configSchema, evaluate }` (house rule 6).
 * Rules run in the registry's order over one shared, per-order state; each appends lines to `out`.
 */
import type { ZodType } from "zod";
import type { RoundingMode } from "../../money/money.ts";
import type { CompiledPlan } from "../../plan/compiled.ts";
import type { PlanBody } from "../../plan/schema.ts";
import type { RateResolution } from "../rate.ts";
import type { CommissionLineDraft, EvaluateContext, LineTrace, OrderInput } from "../types.ts";

export interface OrderState {
  cp: CompiledPlan;
  plan: PlanBody;
  order: OrderInput;
  ctx: EvaluateContext;
  mode: RoundingMode;
  paidAtMs: number;
  variant: LineTrace["variant"];
  /** False when a referral replaces the sale commission (referral.alsoPaySale = false). */
  paySale: boolean;
  /** Per order line (same index as order.lines): the seller's line and its rate, once the sale rule has run. */
  sellerLines: (CommissionLineDraft | null)[];
  rates: (RateResolution | null)[];
  out: CommissionLineDraft[];
}

export interface OrderRule {
  type: string;
  /** The part of the plan document this rule reads. */
  configSchema: ZodType;
  /** True when the plan uses this rule at all (skips the rule cheaply). */
  enabled(plan: PlanBody): boolean;
  evaluate(state: OrderState): void;
}
