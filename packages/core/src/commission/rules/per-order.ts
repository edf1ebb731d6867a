/** P2: a fixed amount per paid order, to the seller. */
import type { Minor } from "../../money/money.ts";
import { BaseSchema } from "../../plan/schema.ts";
import type { OrderRule, OrderState } from "./rule.ts";

export const perOrderRule: OrderRule = {
  type: "fixed_per_order",
  configSchema: BaseSchema,
  enabled: (p) => (p.base.perOrderMinor ?? 0) > 0,
  evaluate(s: OrderState): void {
    if (!s.paySale) return;
    const amount = s.plan.base.perOrderMinor ?? 0;
    let total = 0;
    for (const l of s.order.lines) total += l.netAmountMinor;
    s.out.push({
      beneficiaryId: s.ctx.seller.promoterId,
      level: 0,
      kind: "sale",
      lineNo: null,
      baseMinor: total as Minor,
      amountMinor: amount as Minor,
      trace: { rule: "fixed_per_order", baseMinor: total, rateBps: null, fixedMinor: amount, level: 0, variant: s.variant, cap: null },
    });
  },
};
