/**
 * P5 at close: per tier-rated order line, the true-up to the final step (retroactive) or to the recomputed brackets
 * (marginal: differs from order time only when refunds moved the brackets); step bonuses of every step reached; rank
 * promotion of the highest step reached. Lines scaled by an order cap are left as they are (the cap stays whole).
 *
 * P6 with a share: an upline paid a share of the seller's commission on an order line (`shareBps`) is trued up with
 * it, to the share of the seller's line after its true-up. The true-up follows its order-time line (P7): to the upline
 * that holds the line's level after compression, to no one when the line is forfeited or its holder does not qualify.
 */
import { roundedMulDiv, roundedSumDiv } from "../../commission/amount.ts";
import { marginalPortions } from "../../commission/rate.ts";
import { type Minor, mulDiv, type RoundingMode } from "../../money/money.ts";
import { stepIndexFor } from "../../plan/compiled.ts";
import { type TierStep, TiersSchema } from "../../plan/schema.ts";
import { type CloseState, lineKey } from "../state.ts";
import type { CloseTrace, PeriodAdjustment, PeriodLine, PeriodSale, RankPromotion } from "../types.ts";
import { type LineRecipient, lineRecipient } from "./qualification.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

const BPS2 = 100_000_000;

function addBps(t: CloseTrace): number {
  let a = 0;
  for (const x of t.additions ?? []) a += x.bps;
  return a;
}

export const tierRule: PeriodRule = {
  type: "tiers",
  configSchema: TiersSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const promotions: RankPromotion[] = [];
    const pk = s.input.period.key;
    const mode = s.input.roundingMode;
    // the seller's tier-rated sale line of each order line, grouped by order (no key string built per line or lookup)
    const tierLines = new Map<string, PeriodLine | PeriodLine[]>();
    let capped = false;
    for (const l of s.lines) {
      const t = l.trace as CloseTrace;
      if (l.kind === "sale" && l.level === 0 && t.source === "tier" && !t.cap) {
        const had = tierLines.get(l.orderId);
        if (had === undefined) tierLines.set(l.orderId, l);
        else if (Array.isArray(had)) had.push(l);
        else tierLines.set(l.orderId, [had, l]);
        if (t.orderCap) capped = true;
      }
    }
    const tierLineOf = (sellerId: string, sale: PeriodSale): PeriodLine | undefined => {
      const had = tierLines.get(sale.orderId);
      if (had === undefined) return undefined;
      if (!Array.isArray(had)) return had.beneficiaryId === sellerId && had.lineNo === sale.lineNo ? had : undefined;
      // the last one wins, as when keyed by seller and order line
      for (let i = had.length - 1; i >= 0; i--) {
        const l = had[i] as PeriodLine;
        if (l.beneficiaryId === sellerId && l.lineNo === sale.lineNo) return l;
      }
      return undefined;
    };
    // per order: commission still paid on it (order-time lines net of reversals), and the remaining order amount; read
    // only to bound true-ups by an order cap, so kept only when some tier line carries one
    const paidByOrder = new Map<string, number>();
    const remainingByOrder = new Map<string, number>();
    if (capped) {
      for (const l of s.lines) paidByOrder.set(l.orderId, (paidByOrder.get(l.orderId) ?? 0) + l.amountMinor - l.reversedMinor);
      for (const x of s.saleByLine.values())
        remainingByOrder.set(x.orderId, (remainingByOrder.get(x.orderId) ?? 0) + x.remainingAmountMinor);
    }
    // uplines' lines paid as a share of the seller's commission (P6), by order line; not those scaled by a cap
    const shareLines = new Map<string, PeriodLine[]>();
    for (const l of s.lines) {
      const t = l.trace as CloseTrace;
      if (l.kind !== "team" || l.level === 0 || l.lineNo === null || typeof t.shareBps !== "number" || t.cap) continue;
      const k = lineKey(l.orderId, l.lineNo);
      const had = shareLines.get(k);
      if (had) had.push(l);
      else shareLines.set(k, [l]);
    }
    // who gets a share line's true-up: whoever is paid its order-time line this period (P7, compression included)
    const shareRecipient = (l: PeriodLine): LineRecipient | null => lineRecipient(s, l);
    // P17 holds after close too: the order's cap shrinks with refunds (rounded down) and bounds every true-up
    const capHeadroom = (orderId: string, oc: NonNullable<CloseTrace["orderCap"]>): number => {
      const capNow = oc.orderAmountMinor === 0 ? 0 : mulDiv(oc.capMinor, remainingByOrder.get(orderId) ?? 0, oc.orderAmountMinor, "down");
      return Math.max(0, capNow - (paidByOrder.get(orderId) ?? 0));
    };
    const sellers = [...s.salesBySeller.keys()].sort();
    for (const sellerId of sellers) {
      const { body } = s.planOf(sellerId);
      const tiers = body.tiers;
      if (!tiers) continue;
      const rmode = body.rounding?.mode ?? mode;
      const steps = tiers.steps;
      const net = s.netSales.get(sellerId) ?? 0;
      const finalIdx = stepIndexFor(steps, net);
      const finalStep = steps[finalIdx] as TierStep;
      let cursor = 0;
      for (const sale of s.salesBySeller.get(sellerId) ?? []) {
        const from = cursor;
        cursor += sale.remainingAmountMinor;
        const l = tierLineOf(sellerId, sale);
        if (!l) continue;
        const t = l.trace as CloseTrace;
        const add = addBps(t);
        const mult = t.channel?.multiplierBps ?? 10_000;
        // retroactive: the amount alone first (most lines need no true-up), its exact value only for a record
        let target: { amountMinor: Minor; exact: string } | null = null;
        let targetMinor: Minor;
        let step = finalIdx + 1;
        let rateBps = finalStep.rateBps;
        if (tiers.mode === "retroactive") targetMinor = mulDiv(sale.remainingAmountMinor, (finalStep.rateBps + add) * mult, BPS2, rmode);
        else {
          const portions = marginalPortions(steps, from, sale.remainingAmountMinor);
          target = roundedSumDiv(
            portions.map((p) => ({ a: p.baseMinor, b: (p.rateBps + add) * mult })),
            BPS2,
            rmode,
          );
          targetMinor = target.amountMinor;
          const last = portions[portions.length - 1];
          step = last?.step ?? step;
          rateBps = last?.rateBps ?? rateBps;
        }
        const provisional = l.amountMinor - l.reversedMinor;
        let delta = targetMinor - provisional;
        let capHeadroomMinor: number | null = null;
        if (delta > 0 && t.orderCap) {
          capHeadroomMinor = capHeadroom(sale.orderId, t.orderCap);
          if (delta > capHeadroomMinor) delta = capHeadroomMinor;
        }
        if (delta === 0) continue;
        // roundedMulDiv's amount is mulDiv's: the same target, now with its exact value for the trace
        target ??= roundedMulDiv(sale.remainingAmountMinor, (finalStep.rateBps + add) * mult, BPS2, rmode);
        if (capped) paidByOrder.set(sale.orderId, (paidByOrder.get(sale.orderId) ?? 0) + delta);
        adjustments.push({
          key: `${pk}:tier_trueup:${sellerId}:${lineKey(sale.orderId, sale.lineNo)}`,
          periodKey: pk,
          orderId: sale.orderId,
          refundBaseMinor: sale.remainingAmountMinor,
          beneficiaryId: sellerId,
          level: 0,
          kind: "tier_trueup",
          lineNo: sale.lineNo,
          baseMinor: sale.remainingAmountMinor as Minor,
          amountMinor: delta as Minor,
          trace: {
            rule: "tier_trueup",
            periodKey: pk,
            mode: tiers.mode,
            baseMinor: sale.remainingAmountMinor,
            rateBps,
            step,
            salesMinor: net,
            targetMinor,
            provisionalMinor: provisional,
            provisionalRateBps: t.rateBps ?? null,
            capHeadroomMinor,
            lineAmountMinor: sale.remainingAmountMinor,
            rounding: { mode: rmode, exact: target.exact },
          },
        });
        const shares = shareLines.get(lineKey(sale.orderId, sale.lineNo));
        if (shares) {
          for (const a of shareTrueUps(pk, sale, shares, provisional + delta, rmode, shareRecipient, (oc) =>
            oc && capped ? capHeadroom(sale.orderId, oc) : null,
          )) {
            if (capped) paidByOrder.set(sale.orderId, (paidByOrder.get(sale.orderId) ?? 0) + a.amountMinor);
            adjustments.push(a);
          }
        }
      }
      if (net <= 0) continue;
      let promoteTo: { rank: string; step: number } | null = null;
      for (let i = 0; i <= finalIdx; i++) {
        const st = steps[i] as TierStep;
        if (st.bonusMinor && st.bonusMinor > 0) {
          adjustments.push({
            key: `${pk}:step_bonus:${sellerId}:${i + 1}`,
            periodKey: pk,
            orderId: null,
            refundBaseMinor: null,
            beneficiaryId: sellerId,
            level: 0,
            kind: "step_bonus",
            lineNo: null,
            baseMinor: net as Minor,
            amountMinor: st.bonusMinor as Minor,
            trace: {
              rule: "step_bonus",
              periodKey: pk,
              baseMinor: net,
              fixedMinor: st.bonusMinor,
              step: i + 1,
              salesMinor: net,
              fromMinor: st.fromMinor,
            },
          });
        }
        if (st.promoteToRank) promoteTo = { rank: st.promoteToRank, step: i + 1 };
      }
      if (promoteTo) {
        const p = s.promoters.get(sellerId);
        const ranks = body.ranks ?? [];
        const cur = p?.rank ? ranks.findIndex((r) => r.key === p.rank) : -1;
        const to = ranks.findIndex((r) => r.key === promoteTo.rank);
        if (to > cur) {
          promotions.push({
            promoterId: sellerId,
            fromRank: p?.rank ?? null,
            toRank: promoteTo.rank,
            reason: { rule: "tier_step", step: promoteTo.step, salesMinor: net },
          });
        }
      }
    }
    return { adjustments, promotions };
  },
};

/**
 * The true-ups of the uplines paid a share of the seller's commission on one order line, once the seller's line is
 * `sellerAfterMinor` after its own true-up: each to its share of that, less what the line holds now (net of
 * reversals), paid to whoever keeps the line this period (`recipientOf`). A rise is bounded by the order's cap
 * headroom (P17) when the order has a cap; the caller counts each as paid before the next is bounded.
 */
function* shareTrueUps(
  pk: string,
  sale: PeriodSale,
  shares: readonly PeriodLine[],
  sellerAfterMinor: number,
  rmode: RoundingMode,
  recipientOf: (l: PeriodLine) => LineRecipient | null,
  headroomOf: (orderCap: CloseTrace["orderCap"]) => number | null,
): Generator<PeriodAdjustment> {
  for (const tl of shares) {
    const dest = recipientOf(tl);
    if (!dest) continue;
    const moved = dest.to !== tl.beneficiaryId;
    const tt = tl.trace as CloseTrace;
    const shareBps = tt.shareBps as number;
    const target = roundedMulDiv(sellerAfterMinor, shareBps, 10_000, rmode);
    const provisional = tl.amountMinor - tl.reversedMinor;
    let delta = target.amountMinor - provisional;
    let capHeadroomMinor: number | null = null;
    if (delta > 0) {
      capHeadroomMinor = headroomOf(tt.orderCap);
      if (capHeadroomMinor !== null && delta > capHeadroomMinor) delta = capHeadroomMinor;
    }
    if (delta === 0) continue;
    const lk = lineKey(sale.orderId, sale.lineNo);
    yield {
      key: moved ? `${pk}:team_trueup:${dest.to}:from:${tl.beneficiaryId}:${lk}` : `${pk}:team_trueup:${dest.to}:${tl.level}:${lk}`,
      periodKey: pk,
      orderId: sale.orderId,
      refundBaseMinor: sale.remainingAmountMinor,
      beneficiaryId: dest.to,
      level: dest.level,
      kind: "team_trueup",
      lineNo: sale.lineNo,
      baseMinor: sellerAfterMinor as Minor,
      amountMinor: delta as Minor,
      trace: {
        rule: "team_trueup",
        periodKey: pk,
        baseMinor: sellerAfterMinor,
        shareBps,
        level: tl.level,
        ...(moved ? { fromPromoterId: tl.beneficiaryId, fromLevel: tl.level, reason: dest.moved } : {}),
        targetMinor: target.amountMinor,
        provisionalMinor: provisional,
        capHeadroomMinor,
        lineAmountMinor: sale.remainingAmountMinor,
        rounding: { mode: rmode, exact: target.exact },
      },
    };
  }
}
