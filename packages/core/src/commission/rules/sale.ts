/** P1 P2 P3 P4 P5 P9 P10 P11: the seller's commission on each order line. */
import type { Minor } from "../../money/money.ts";
import { BaseSchema } from "../../plan/schema.ts";
import { roundedMulDiv, roundedSumDiv } from "../amount.ts";
import { resolveSellerRate } from "../rate.ts";
import type { CommissionLineDraft, LineTrace } from "../types.ts";
import type { OrderRule, OrderState } from "./rule.ts";

const BPS2 = 100_000_000; // bps × bps

export const saleRule: OrderRule = {
  type: "sale",
  configSchema: BaseSchema,
  enabled: () => true,
  evaluate(s: OrderState): void {
    if (!s.paySale) return;
    const seller = s.ctx.seller;
    let salesBefore = s.ctx.periodSalesBeforeMinor as number;
    const lines = s.order.lines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const r = resolveSellerRate(s.cp, s.order, s.paidAtMs, line, seller, salesBefore);
      salesBefore += line.netAmountMinor;
      let rounded: { amountMinor: Minor; exact: string };
      if (r.perUnitMinor !== null) rounded = roundedMulDiv(r.perUnitMinor * line.quantity, r.multiplierBps, 10_000, s.mode);
      else if (r.tier?.portions) {
        const terms = r.tier.portions.map((p) => ({ a: p.baseMinor, b: (p.rateBps + r.addBps) * r.multiplierBps }));
        rounded = roundedSumDiv(terms, BPS2, s.mode);
      } else rounded = roundedMulDiv(line.netAmountMinor, (r.rateBps + r.addBps) * r.multiplierBps, BPS2, s.mode);
      const trace: LineTrace = {
        rule: "sale",
        source: r.source,
        baseMinor: line.netAmountMinor,
        rateBps: r.perUnitMinor === null ? r.rateBps : null,
        fixedMinor: r.perUnitMinor,
        quantity: line.quantity,
        lineAmountMinor: line.netAmountMinor,
        level: 0,
        rank: seller.rank,
        tier: r.tier,
        additions: r.additions,
        channel: r.channel === null ? null : { channel: r.channel, multiplierBps: r.multiplierBps },
        campaignId: r.campaignId,
        variant: s.variant,
        cap: null,
        rounding: { mode: s.mode, exact: rounded.exact },
      };
      const draft: CommissionLineDraft = {
        beneficiaryId: seller.promoterId,
        level: 0,
        kind: "sale",
        lineNo: line.lineNo,
        baseMinor: line.netAmountMinor,
        amountMinor: rounded.amountMinor,
        trace,
      };
      s.sellerLines[i] = draft;
      s.rates[i] = r;
      s.out.push(draft);
    }
  },
};
