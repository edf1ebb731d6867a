/**
 * P7 at close: an upline keeps the period's team (and differential) commission only if its own net sales reach the
 * threshold. Otherwise each of its lines is forfeited (a negative record tied to the order line), or compressed: the same
 * amount goes to the next qualified upline of the seller within level 2.
 */
import type { Minor } from "../../money/money.ts";
import { QualificationSchema } from "../../plan/schema.ts";
import { type CloseState, lineKey } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const qualificationRule: PeriodRule = {
  type: "qualification",
  configSchema: QualificationSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const pk = s.input.period.key;
    for (const l of s.lines) {
      if (l.level === 0 || (l.kind !== "team" && l.kind !== "differential")) continue;
      const q = forfeitedBy(s, l.beneficiaryId);
      if (!q) continue;
      const own = s.netSales.get(l.beneficiaryId) ?? 0;
      const net = l.amountMinor - l.reversedMinor;
      if (net === 0) continue;
      const sale = l.lineNo === null ? undefined : s.saleByLine.get(lineKey(l.orderId, l.lineNo));
      const base = sale?.remainingAmountMinor ?? null;
      const lk = lineKey(l.orderId, l.lineNo);
      adjustments.push({
        key: `${pk}:qualification_forfeit:${l.beneficiaryId}:${l.kind}:${lk}`,
        periodKey: pk,
        orderId: l.orderId,
        refundBaseMinor: base,
        beneficiaryId: l.beneficiaryId,
        level: l.level,
        kind: "qualification_forfeit",
        lineNo: l.lineNo,
        baseMinor: net as Minor,
        amountMinor: -net as Minor,
        trace: {
          rule: "qualification_forfeit",
          periodKey: pk,
          baseMinor: net,
          level: l.level,
          ownSalesMinor: own,
          thresholdMinor: q.ownSalesAtLeastMinor,
          onFail: q.onFail,
          lineAmountMinor: base,
        },
      });
      if (q.onFail !== "compress") continue;
      const dest = compressRecipient(s, l);
      if (dest) {
        const { to, level } = dest;
        adjustments.push({
          key: `${pk}:qualification_compress:${to}:${l.beneficiaryId}:${l.kind}:${lk}`,
          periodKey: pk,
          orderId: l.orderId,
          refundBaseMinor: base,
          beneficiaryId: to,
          level: level as 1 | 2,
          kind: "qualification_compress",
          lineNo: l.lineNo,
          baseMinor: net as Minor,
          amountMinor: net as Minor,
          trace: {
            rule: "qualification_compress",
            periodKey: pk,
            baseMinor: net,
            level,
            fromPromoterId: l.beneficiaryId,
            fromLevel: l.level,
            lineAmountMinor: base,
          },
        });
      }
    }
    adjustments.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { adjustments };
  },
};

/** Does the promoter qualify for team commission this period (P7): active, and its own net sales reach the plan's threshold if there is one. */
export function teamQualified(s: CloseState, id: string): boolean {
  const q = s.planOf(id).body.team?.qualification;
  const p = s.promoters.get(id);
  return (p?.status ?? "active") === "active" && (!q || (s.netSales.get(id) ?? 0) >= q.ownSalesAtLeastMinor);
}

/** The upline's threshold when its team lines are forfeited this period (own net sales below it), else null. */
export function forfeitedBy(s: CloseState, uplineId: string): { ownSalesAtLeastMinor: number; onFail: string } | null {
  const q = s.planOf(uplineId).body.team?.qualification;
  return q && (s.netSales.get(uplineId) ?? 0) < q.ownSalesAtLeastMinor ? q : null;
}

/** Under `onFail: "compress"`, where an unqualified upline's line goes: the seller's next qualified upline within level 2. */
export function compressRecipient(s: CloseState, l: { sellerId: string; level: number }): { to: string; level: 1 | 2 } | null {
  // the seller's chain: level 1 = inviter, level 2 = inviter's inviter
  const u1 = s.promoters.get(l.sellerId)?.inviterId ?? null;
  const u2 = u1 === null ? null : (s.promoters.get(u1)?.inviterId ?? null);
  const chain = [u1, u2];
  for (let level = l.level + 1; level <= 2; level++) {
    const to = chain[level - 1];
    if (to && teamQualified(s, to)) return { to, level: level as 1 | 2 };
  }
  return null;
}
