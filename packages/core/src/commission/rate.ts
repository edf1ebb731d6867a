/**
 * The seller's rate of one order line, following the precedence table (docs/plan-language.md):
 *   1 campaign override > 2 product (rate or fixed per unit) > 3 category > 4 rank > 5 tier > 6 first/repeat > 7 default,
 * then additions (campaign addBps, new-promoter boost), then the channel multiplier.
 */
import { DAY_MS } from "../attribution/resolve.ts";
import { type CompiledPlan, campaignCovers, stepIndexFor } from "../plan/compiled.ts";
import type { TierStep } from "../plan/schema.ts";
import type { OrderInput, OrderLineInput, PromoterNode, RateAddition, RateSource, TierPortion } from "./types.ts";

export const MULTIPLIER_ONE_BPS = 10_000;

export interface RateResolution {
  source: RateSource;
  /** The source's rate (for marginal tiers: the rate of the highest step touched). */
  rateBps: number;
  /** Set when the source is a fixed amount per unit (P2). */
  perUnitMinor: number | null;
  campaignId: string | null;
  tier: { mode: "retroactive" | "marginal"; step: number; salesBeforeMinor: number; portions?: TierPortion[] } | null;
  additions: RateAddition[];
  addBps: number;
  multiplierBps: number;
  channel: string | null;
}

const NO_ADDITIONS: RateAddition[] = [];

export function marginalPortions(steps: readonly TierStep[], fromMinor: number, amountMinor: number): TierPortion[] {
  const portions: TierPortion[] = [];
  let cursor = fromMinor;
  let left = amountMinor;
  let i = stepIndexFor(steps, cursor);
  while (left > 0) {
    const next = steps[i + 1];
    const room = next ? next.fromMinor - cursor : left;
    const take = Math.min(room, left);
    portions.push({ step: i + 1, baseMinor: take, rateBps: (steps[i] as TierStep).rateBps });
    cursor += take;
    left -= take;
    i++;
    if (i >= steps.length) i = steps.length - 1;
  }
  if (portions.length === 0)
    portions.push({
      step: stepIndexFor(steps, fromMinor) + 1,
      baseMinor: 0,
      rateBps: (steps[stepIndexFor(steps, fromMinor)] as TierStep).rateBps,
    });
  return portions;
}

/**
 * @param salesBeforeLineMinor the seller's period net sales before this line (period sales before the order + earlier lines of the order).
 */
export function resolveSellerRate(
  cp: CompiledPlan,
  order: OrderInput,
  paidAtMs: number,
  line: OrderLineInput,
  seller: PromoterNode,
  salesBeforeLineMinor: number,
): RateResolution {
  const body = cp.body;
  let source: RateSource = "default";
  let rateBps = body.base.defaultRateBps;
  let perUnitMinor: number | null = null;
  let campaignId: string | null = null;
  let tier: RateResolution["tier"] = null;
  let additions = NO_ADDITIONS;
  let addBps = 0;

  let overridden = false;
  if (cp.campaigns.length > 0) {
    for (const cc of cp.campaigns) {
      if (!campaignCovers(cc, paidAtMs, line.productId, line.categoryId)) continue;
      if (cc.c.rateBps !== undefined) {
        if (!overridden) {
          overridden = true;
          source = "campaign";
          rateBps = cc.c.rateBps;
          campaignId = cc.c.id;
        }
      } else if (cc.c.addBps !== undefined) {
        if (additions === NO_ADDITIONS) additions = [];
        additions.push({ reason: "campaign", bps: cc.c.addBps, campaignId: cc.c.id });
        addBps += cc.c.addBps;
      }
    }
  }
  if (!overridden) {
    const pr = cp.productRates.get(line.productId);
    const pf = pr === undefined ? cp.productFixed.get(line.productId) : undefined;
    const cr = line.categoryId === null ? undefined : cp.categoryRates.get(line.categoryId);
    const rr = seller.rank === null ? undefined : cp.rankRates.get(seller.rank);
    if (pr !== undefined) {
      source = "product";
      rateBps = pr;
    } else if (pf !== undefined) {
      source = "product_fixed";
      rateBps = 0;
      perUnitMinor = pf;
    } else if (cr !== undefined) {
      source = "category";
      rateBps = cr;
    } else if (rr !== undefined) {
      source = "rank";
      rateBps = rr;
    } else if (cp.steps.length > 0) {
      source = "tier";
      const mode = body.tiers?.mode ?? "retroactive";
      if (mode === "retroactive") {
        const idx = stepIndexFor(cp.steps, salesBeforeLineMinor + line.netAmountMinor);
        rateBps = (cp.steps[idx] as TierStep).rateBps;
        tier = { mode, step: idx + 1, salesBeforeMinor: salesBeforeLineMinor };
      } else {
        const portions = marginalPortions(cp.steps, salesBeforeLineMinor, line.netAmountMinor);
        const last = portions[portions.length - 1] as TierPortion;
        rateBps = last.rateBps;
        tier = { mode, step: last.step, salesBeforeMinor: salesBeforeLineMinor, portions };
      }
    } else if (body.firstOrder) {
      source = order.isFirstOrder ? "first_order" : "repeat_order";
      rateBps = order.isFirstOrder ? body.firstOrder.firstRateBps : body.firstOrder.repeatRateBps;
    }
  }
  const boost = body.newPromoterBoost;
  if (boost && perUnitMinor === null) {
    const joinedMs = Date.parse(seller.joinedAt);
    if (paidAtMs >= joinedMs && paidAtMs < joinedMs + boost.days * DAY_MS) {
      if (additions === NO_ADDITIONS) additions = [];
      additions.push({ reason: "new_promoter_boost", bps: boost.addBps });
      addBps += boost.addBps;
    }
  }
  if (perUnitMinor !== null && addBps !== 0) {
    // additions are points of a rate; they do not apply to fixed amounts
    additions = NO_ADDITIONS;
    addBps = 0;
  }
  let multiplierBps = MULTIPLIER_ONE_BPS;
  let channel: string | null = null;
  if (cp.channelMultipliers.size > 0) {
    const m = cp.channelMultipliers.get(order.channel);
    if (m !== undefined) {
      multiplierBps = m;
      channel = order.channel;
    }
  }
  return { source, rateBps, perUnitMinor, campaignId, tier, additions, addBps, multiplierBps, channel };
}

/**
 * P11 for the uplines: the order's channel uplift when the plan applies it to every line (`appliesTo: "all"`), else
 * null (uplines are paid without it).
 */
export function uplineChannelUplift(cp: CompiledPlan, channel: string): { channel: string; multiplierBps: number } | null {
  if (!cp.channelUpliftAll.has(channel)) return null;
  const m = cp.channelMultipliers.get(channel);
  return m === undefined ? null : { channel, multiplierBps: m };
}
