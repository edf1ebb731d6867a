/** P12 at close: personal period net sales ≥ X → bonus Y, once per period per bonus. */
import type { Minor } from "../../money/money.ts";
import { ThresholdBonusSchema } from "../../plan/schema.ts";
import type { CloseState } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const thresholdRule: PeriodRule = {
  type: "threshold_bonus",
  configSchema: ThresholdBonusSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const pk = s.input.period.key;
    for (const id of [...s.netSales.keys()].sort()) {
      const net = s.netSales.get(id) ?? 0;
      if (net <= 0) continue;
      for (const b of s.planOf(id).body.thresholdBonuses ?? []) {
        if (net < b.salesAtLeastMinor || b.bonusMinor === 0) continue;
        adjustments.push({
          key: `${pk}:threshold_bonus:${b.id}:${id}`,
          periodKey: pk,
          orderId: null,
          refundBaseMinor: null,
          beneficiaryId: id,
          level: 0,
          kind: "threshold_bonus",
          lineNo: null,
          baseMinor: net as Minor,
          amountMinor: b.bonusMinor as Minor,
          trace: {
            rule: "threshold_bonus",
            periodKey: pk,
            bonusId: b.id,
            baseMinor: net,
            fixedMinor: b.bonusMinor,
            salesMinor: net,
            thresholdMinor: b.salesAtLeastMinor,
          },
        });
      }
    }
    return { adjustments };
  },
};
