/**
 * evaluateOrder: one paid order → its commission lines, each with a trace. Pure: same inputs, same lines.
 * The seller's variant (P20) selects the plan body; the rules of ./registry.ts run in order.
 */
import { compilePlan } from "../plan/compiled.ts";
import { planForPromoter } from "../plan/experiment.ts";
import type { PlanDocument } from "../plan/schema.ts";
import { ORDER_RULES } from "./registry.ts";
import type { OrderState } from "./rules/rule.ts";
import type { CommissionLineDraft, EvaluateContext, OrderInput } from "./types.ts";

export function evaluateOrder(doc: PlanDocument, order: OrderInput, ctx: EvaluateContext): CommissionLineDraft[] {
  const { plan, variant } = planForPromoter(doc, ctx.seller.promoterId);
  const cp = compilePlan(plan);
  const paySale = !(order.attributionPath === "referral" && plan.referral !== undefined && !plan.referral.alsoPaySale);
  const n = order.lines.length;
  const state: OrderState = {
    cp,
    plan,
    order,
    ctx,
    mode: plan.rounding?.mode ?? ctx.roundingMode,
    paidAtMs: Date.parse(order.paidAt),
    variant,
    paySale,
    sellerLines: new Array(n).fill(null),
    rates: new Array(n).fill(null),
    out: [],
  };
  for (const rule of ORDER_RULES) if (rule.enabled(plan)) rule.evaluate(state);
  return state.out;
}

/** P15 / SPEC §3: the non-cash reward a referring customer earns for a referred order, as an event for the shop. */
export interface CustomerRewardEvent {
  kind: "coupon" | "points";
  valueMinor: number;
  customerRef: string;
  orderId: string;
}

export function customerRewardFor(doc: PlanDocument, order: OrderInput, sellerId: string): CustomerRewardEvent | null {
  const { plan } = planForPromoter(doc, sellerId);
  const r = plan.referral?.customerReward;
  if (!r || order.attributionPath !== "referral" || !order.referrerCustomerRef) return null;
  return { kind: r.kind, valueMinor: r.valueMinor, customerRef: order.referrerCustomerRef, orderId: order.orderId };
}
