/**
 * P13 at close: a leader's team is their level-1 and level-2 invitees (level-1 only with `levels: 1`; plus themselves
 * with includeSelf). When the team's
 * net sales reach the goal: `leader_rate` pays the leader rate × team sales; `shared` splits a fixed amount over the members
 * pro rata to their sales (largest remainder, exact).
 */
import { roundedMulDiv } from "../../commission/amount.ts";
import { allocate, type Minor } from "../../money/money.ts";
import { TeamBonusSchema } from "../../plan/schema.ts";
import { type CloseState, teamOf } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const teamBonusRule: PeriodRule = {
  type: "team_bonus",
  configSchema: TeamBonusSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const pk = s.input.period.key;
    for (const leader of s.input.promoters) {
      const { body } = s.planOf(leader.promoterId);
      const bonuses = body.teamBonuses;
      if (!bonuses || leader.status !== "active") continue;
      for (const b of bonuses) {
        if (b.leaderRanks && (leader.rank === null || !b.leaderRanks.includes(leader.rank))) continue;
        const team = teamOf(s, leader.promoterId, b.levels === 1 ? 1 : 2);
        if (team.length === 0) continue;
        const members = b.includeSelf ? [leader.promoterId, ...team] : team;
        const sales = members.map((m) => s.netSales.get(m) ?? 0);
        const teamSales = sales.reduce((a, x) => a + x, 0);
        if (teamSales <= 0 || teamSales < b.teamSalesAtLeastMinor) continue;
        if (b.form === "leader_rate") {
          const r = roundedMulDiv(teamSales, b.rateBps, 10_000, body.rounding?.mode ?? s.input.roundingMode);
          if (r.amountMinor === 0) continue;
          adjustments.push({
            key: `${pk}:team_bonus:${b.id}:${leader.promoterId}`,
            periodKey: pk,
            orderId: null,
            refundBaseMinor: null,
            beneficiaryId: leader.promoterId,
            level: 0,
            kind: "team_bonus",
            lineNo: null,
            baseMinor: teamSales as Minor,
            amountMinor: r.amountMinor,
            trace: {
              rule: "team_bonus",
              form: "leader_rate",
              periodKey: pk,
              bonusId: b.id,
              baseMinor: teamSales,
              rateBps: b.rateBps,
              teamSalesMinor: teamSales,
              thresholdMinor: b.teamSalesAtLeastMinor,
              members: members.length,
              teamLevels: b.levels,
              rounding: { mode: body.rounding?.mode ?? s.input.roundingMode, exact: r.exact },
            },
          });
        } else {
          const parts = allocate(b.amountMinor as Minor, sales);
          members.forEach((m, i) => {
            const amount = parts[i] ?? 0;
            if (amount === 0) return;
            adjustments.push({
              key: `${pk}:team_bonus:${b.id}:${leader.promoterId}:${m}`,
              periodKey: pk,
              orderId: null,
              refundBaseMinor: null,
              beneficiaryId: m,
              level: 0,
              kind: "team_bonus",
              lineNo: null,
              baseMinor: teamSales as Minor,
              amountMinor: amount as Minor,
              trace: {
                rule: "team_bonus",
                form: "shared",
                periodKey: pk,
                bonusId: b.id,
                leaderId: leader.promoterId,
                baseMinor: teamSales,
                poolMinor: b.amountMinor,
                memberSalesMinor: sales[i] ?? 0,
                teamSalesMinor: teamSales,
                thresholdMinor: b.teamSalesAtLeastMinor,
                teamLevels: b.levels,
              },
            });
          });
        }
      }
    }
    return { adjustments };
  },
};
