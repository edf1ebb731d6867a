/** P6 (with P9 rank team rates): level-1 and level-2 uplines earn a rate of the line or a share of the seller's commission. */
import { type TeamLevel, TeamSchema, UPLINE_LEVELS_MAX } from "../../plan/schema.ts";
import { roundedMulDiv } from "../amount.ts";
import { uplineChannelUplift } from "../rate.ts";
import type { LineTrace } from "../types.ts";
import type { OrderRule, OrderState } from "./rule.ts";

export const teamRule: OrderRule = {
  type: "team",
  configSchema: TeamSchema,
  enabled: (p) => (p.team?.levels.length ?? 0) > 0 || (p.ranks ?? []).some((r) => (r.teamLevels?.length ?? 0) > 0),
  evaluate(s: OrderState): void {
    if (!s.paySale) return;
    const uplines = s.ctx.uplines;
    const planLevels = s.plan.team?.levels;
    const n = Math.min(uplines.length, UPLINE_LEVELS_MAX);
    // a rate of the line takes the channel uplift when it applies to all lines; a share of the seller's commission
    // already carries it through the seller's amount
    const uplift = uplineChannelUplift(s.cp, s.order.channel);
    for (let k = 0; k < n; k++) {
      const up = uplines[k]!;
      if (up.status !== "active") continue;
      const levels = (up.rank === null ? undefined : s.cp.rankTeamLevels.get(up.rank)) ?? planLevels;
      const cfg: TeamLevel | undefined = levels?.[k];
      if (!cfg) continue;
      const level = (k + 1) as 1 | 2;
      const lines = s.order.lines;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const seller = s.sellerLines[i];
        let base: number;
        let rateBps: number | null = null;
        let shareBps: number | null = null;
        let rounded: ReturnType<typeof roundedMulDiv>;
        if ("rateBps" in cfg) {
          base = line.netAmountMinor;
          rateBps = cfg.rateBps;
          rounded = uplift
            ? roundedMulDiv(base, rateBps * uplift.multiplierBps, 100_000_000, s.mode)
            : roundedMulDiv(base, rateBps, 10_000, s.mode);
        } else {
          base = seller ? seller.amountMinor : 0;
          shareBps = cfg.shareBps;
          rounded = roundedMulDiv(base, shareBps, 10_000, s.mode);
        }
        const trace: LineTrace = {
          rule: "team",
          baseMinor: base,
          rateBps,
          shareBps,
          lineAmountMinor: line.netAmountMinor,
          level,
          rank: up.rank,
          variant: s.variant,
          ...(uplift && rateBps !== null ? { channel: uplift } : {}),
          cap: null,
          rounding: { mode: s.mode, exact: rounded.exact },
        };
        s.out.push({
          beneficiaryId: up.promoterId,
          level,
          kind: "team",
          lineNo: line.lineNo,
          baseMinor: base as typeof line.netAmountMinor,
          amountMinor: rounded.amountMinor,
          trace,
        });
      }
    }
  },
};
