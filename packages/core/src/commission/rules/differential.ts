/** P8: differential (级差): each upline earns its rank's rate minus the highest rate already paid below it, never negative. */
import { DifferentialSchema, UPLINE_LEVELS_MAX } from "../../plan/schema.ts";
import { roundedMulDiv } from "../amount.ts";
import { uplineChannelUplift } from "../rate.ts";
import type { LineTrace } from "../types.ts";
import type { OrderRule, OrderState } from "./rule.ts";

export const differentialRule: OrderRule = {
  type: "differential",
  configSchema: DifferentialSchema,
  enabled: (p) => p.differential !== undefined,
  evaluate(s: OrderState): void {
    const d = s.plan.differential;
    if (!d || !s.paySale) return;
    const levelsMax = Math.min(d.levels, UPLINE_LEVELS_MAX, s.ctx.uplines.length);
    const lines = s.order.lines;
    const uplift = uplineChannelUplift(s.cp, s.order.channel);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const seller = s.sellerLines[i];
      const r = s.rates[i];
      // the seller's paid rate: its rate plus additions; a fixed amount counts as its implied rate (rounded down)
      let paidBelow = 0;
      if (r && seller) {
        paidBelow =
          r.perUnitMinor === null
            ? r.rateBps + r.addBps
            : line.netAmountMinor > 0
              ? Math.trunc((seller.amountMinor * 10_000) / line.netAmountMinor)
              : 0;
      }
      for (let k = 0; k < levelsMax; k++) {
        const up = s.ctx.uplines[k]!;
        if (up.status !== "active") continue;
        const rankRate = (up.rank === null ? undefined : d.rankRates[up.rank]) ?? d.defaultRateBps;
        const rateBps = rankRate > paidBelow ? rankRate - paidBelow : 0;
        const before = paidBelow;
        if (rankRate > paidBelow) paidBelow = rankRate;
        if (rateBps === 0) continue;
        const rounded = uplift
          ? roundedMulDiv(line.netAmountMinor, rateBps * uplift.multiplierBps, 100_000_000, s.mode)
          : roundedMulDiv(line.netAmountMinor, rateBps, 10_000, s.mode);
        const level = (k + 1) as 1 | 2;
        const trace: LineTrace = {
          rule: "differential",
          baseMinor: line.netAmountMinor,
          rateBps,
          lineAmountMinor: line.netAmountMinor,
          level,
          rank: up.rank,
          differential: { rankRateBps: rankRate, paidBelowBps: before },
          variant: s.variant,
          ...(uplift ? { channel: uplift } : {}),
          cap: null,
          rounding: { mode: s.mode, exact: rounded.exact },
        };
        s.out.push({
          beneficiaryId: up.promoterId,
          level,
          kind: "differential",
          lineNo: line.lineNo,
          baseMinor: line.netAmountMinor,
          amountMinor: rounded.amountMinor,
          trace,
        });
      }
    }
  },
};
