/** P15 / SPEC §3: customer-to-customer referral: the referring customer's promoter earns a fixed amount per referred order. */
import type { Minor } from "../../money/money.ts";
import { ReferralSchema } from "../../plan/schema.ts";
import type { OrderRule, OrderState } from "./rule.ts";

export const referralRule: OrderRule = {
  type: "referral",
  configSchema: ReferralSchema,
  enabled: (p) => p.referral !== undefined,
  evaluate(s: OrderState): void {
    const ref = s.plan.referral;
    if (!ref || s.order.attributionPath !== "referral") return;
    let total = 0;
    for (const l of s.order.lines) total += l.netAmountMinor;
    s.out.push({
      beneficiaryId: s.ctx.seller.promoterId,
      level: 0,
      kind: "referral",
      lineNo: null,
      baseMinor: total as Minor,
      amountMinor: ref.promoterAmountMinor as Minor,
      trace: {
        rule: "referral",
        baseMinor: total,
        rateBps: null,
        fixedMinor: ref.promoterAmountMinor,
        level: 0,
        referrerCustomerRef: s.order.referrerCustomerRef ?? null,
        variant: s.variant,
        cap: null,
      },
    });
  },
};
