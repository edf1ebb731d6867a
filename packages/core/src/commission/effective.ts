/**
 * Effective rates: what the plan in force pays on a product or a category, and why. Not a second reading of the plan:
 * a one-line probe order (one unit at the product's price) runs through `evaluateOrder`, the same code path as a
 * real order, and the rates are read back from the lines' traces with their sentences (`explainLine`).
 *
 * The probe's seller has the base rank unless one is given, joined long ago (no new-promoter boost) and sits under two
 * active uplines of the base rank; the seller's period sales before it are zero (the first tier step). What else would
 * change the figure for a real order is named in `variesBy`.
 */

import { explainLine } from "../explain/explain.ts";
import type { Minor, RoundingMode } from "../money/money.ts";
import type { PlanDocument } from "../plan/schema.ts";
import { evaluateOrder } from "./evaluate.ts";
import { MULTIPLIER_ONE_BPS } from "./rate.ts";
import type { CommissionLineDraft, LineTrace, OrderInput, PromoterNode, RateAddition, RateSource } from "./types.ts";

/** A product id no product has: the probe of a category's rate (a product of the category without a rate of its own). */
export const CATEGORY_PROBE_PRODUCT = "\u0000category-probe";
/** The probe's amount when the product has no price (¥100.00): rates do not depend on it, amounts do. */
export const PROBE_DEFAULT_PRICE_MINOR = 10_000;

export interface RateProbe {
  /** null: a category's rate (a product of it with no rate of its own). */
  productId: string | null;
  categoryId: string | null;
  /** The product's price in minor units; 0 or absent uses PROBE_DEFAULT_PRICE_MINOR. */
  priceMinor?: number;
  productName?: string | null;
}

export interface RateProbeOptions {
  /** ISO instant: which campaigns are in force (the plan version is the caller's choice for the same instant). */
  at: string;
  /** Default true: the customer's first order (P4 first/repeat). */
  isFirstOrder?: boolean;
  /** Default "online" (the order API's default channel). */
  channel?: string;
  /** The seller's rank key; default the base rank. */
  rank?: string | null;
  roundingMode?: RoundingMode;
  currency?: string;
}

/** One commission line of the probe: who (level), how much on one unit at the price, the rate and its reason. */
export interface EffectiveLine {
  level: 0 | 1 | 2;
  kind: string;
  /** The seller's rate source (precedence table); null on upline lines. */
  source: RateSource | null;
  /** The rate the line's rule selected (the source's rate; the team level's rate), before additions and uplift. */
  rateBps: number | null;
  additions: RateAddition[];
  /** Channel uplift multiplier, 10 000 = none. */
  multiplierBps: number;
  /** Team share of the seller's commission (P6 share form). */
  shareBps: number | null;
  /** Fixed amount per unit (P2). */
  perUnitMinor: number | null;
  campaignId: string | null;
  tierStep: number | null;
  /**
   * The share of the line amount the line pays, in basis points, before any cap: (rate + additions) × uplift, a share of
   * the seller's effective rate, or null for fixed amounts. Not rounded (may have decimals: 1 012.5 = 10.125 %).
   */
  effectiveBps: number | null;
  /** The amount on one unit at the price (after the cap, as the engine rounds it). */
  amountMinor: number;
  explanation: { zh: string; en: string };
}

export type RateVariation =
  | "first_order"
  | "tier"
  | "rank"
  | "new_promoter_boost"
  | "channel"
  | "campaign"
  | "experiment"
  | "qualification"
  | "cap";

export interface EffectiveRate {
  baseMinor: number;
  lines: EffectiveLine[];
  /** The seller's, level-1 and level-2 uplines' effective rates (sum of their lines; null when fixed or none). */
  sellerBps: number | null;
  level1Bps: number | null;
  level2Bps: number | null;
  /** The per-order cap's rate of the order when the plan has one. */
  cap: { orderRateBps: number | null; marginRateBps: number | null; appliedOnProbe: boolean } | null;
  /** What else changes the figure on a real order (the probe holds these fixed). */
  variesBy: RateVariation[];
}

const PROBE_SELLER: PromoterNode = { promoterId: "probe:seller", rank: null, joinedAt: "1970-01-01T00:00:00.000Z", status: "active" };
const PROBE_UPLINES: PromoterNode[] = [
  { promoterId: "probe:level1", rank: null, joinedAt: "1970-01-01T00:00:00.000Z", status: "active" },
  { promoterId: "probe:level2", rank: null, joinedAt: "1970-01-01T00:00:00.000Z", status: "active" },
];

function probeOrder(p: RateProbe, o: RateProbeOptions, baseMinor: number): OrderInput {
  return {
    orderId: "probe",
    orderRef: "probe",
    paidAt: o.at,
    channel: o.channel ?? "online",
    currency: o.currency ?? "CNY",
    customerRef: "probe",
    isFirstOrder: o.isFirstOrder ?? true,
    attributionPath: "code",
    lines: [
      {
        lineNo: 1,
        productId: p.productId ?? CATEGORY_PROBE_PRODUCT,
        productName: p.productName ?? null,
        categoryId: p.categoryId,
        quantity: 1,
        netAmountMinor: baseMinor as Minor,
      },
    ],
  };
}

function effectiveOf(tr: LineTrace, sellerBps: number | null): number | null {
  const mult = tr.channel?.multiplierBps ?? MULTIPLIER_ONE_BPS;
  if (tr.shareBps !== null && tr.shareBps !== undefined) return sellerBps === null ? null : (sellerBps * tr.shareBps) / 10_000;
  if (tr.fixedMinor !== null && tr.fixedMinor !== undefined) return null;
  if (tr.rateBps === null || tr.rateBps === undefined) return null;
  const add = (tr.additions ?? []).reduce((s, a) => s + a.bps, 0);
  return ((tr.rateBps + add) * mult) / MULTIPLIER_ONE_BPS;
}

function lineOf(d: CommissionLineDraft, sellerBps: number | null, o: RateProbeOptions, name: string | null): EffectiveLine {
  const tr = d.trace as LineTrace;
  const extras = { currency: o.currency ?? "CNY", productName: name };
  return {
    level: d.level,
    kind: d.kind,
    source: d.level === 0 ? (tr.source ?? null) : null,
    rateBps: tr.rateBps ?? null,
    additions: tr.additions ?? [],
    multiplierBps: tr.channel?.multiplierBps ?? MULTIPLIER_ONE_BPS,
    shareBps: tr.shareBps ?? null,
    perUnitMinor: tr.fixedMinor ?? null,
    campaignId: tr.campaignId ?? null,
    tierStep: tr.tier?.step ?? null,
    effectiveBps: effectiveOf(tr, sellerBps),
    amountMinor: d.amountMinor,
    explanation: { zh: explainLine(d, "zh", extras), en: explainLine(d, "en", extras) },
  };
}

function variationsOf(doc: PlanDocument, probe: RateProbe, atMs: number): RateVariation[] {
  const v: RateVariation[] = [];
  if (doc.firstOrder) v.push("first_order");
  if ((doc.tiers?.steps.length ?? 0) > 0) v.push("tier");
  if ((doc.ranks ?? []).some((r) => r.rateBps !== undefined || r.teamLevels !== undefined)) v.push("rank");
  if (doc.newPromoterBoost) v.push("new_promoter_boost");
  if (Object.keys(doc.channels ?? {}).length > 0) v.push("channel");
  const covers = (c: NonNullable<PlanDocument["campaigns"]>[number]) =>
    (!c.productIds && !c.categoryIds) ||
    (probe.productId !== null && c.productIds?.includes(probe.productId)) ||
    (probe.categoryId !== null && c.categoryIds?.includes(probe.categoryId));
  if ((doc.campaigns ?? []).some((c) => covers(c) && Date.parse(c.endsAt) > atMs)) v.push("campaign");
  if (doc.experiment) v.push("experiment");
  if (doc.team?.qualification) v.push("qualification");
  if (doc.cap) v.push("cap");
  return v;
}

const sumBps = (lines: EffectiveLine[], level: 0 | 1 | 2): number | null => {
  const at = lines.filter((l) => l.level === level);
  if (at.length === 0 || at.some((l) => l.effectiveBps === null)) return null;
  return at.reduce((s, l) => s + (l.effectiveBps as number), 0);
};

/**
 * The rates the plan document pays on one unit of a product (or a product of a category), as evaluateOrder pays them.
 * Experiments: the document's own plan (the control), as a promoter outside the experiment would be paid.
 */
export function effectiveRate(doc: PlanDocument, probe: RateProbe, o: RateProbeOptions): EffectiveRate {
  const baseMinor = probe.priceMinor && probe.priceMinor > 0 ? probe.priceMinor : PROBE_DEFAULT_PRICE_MINOR;
  const { experiment: _control, ...plan } = doc;
  const seller = { ...PROBE_SELLER, rank: o.rank ?? null };
  const drafts = evaluateOrder(plan, probeOrder(probe, o, baseMinor), {
    seller,
    uplines: PROBE_UPLINES,
    periodSalesBeforeMinor: 0 as Minor,
    roundingMode: o.roundingMode ?? "half-up",
  });
  const name = probe.productName ?? null;
  const sellerDrafts = drafts.filter((d) => d.level === 0);
  const sellerLines = sellerDrafts.map((d) => lineOf(d, null, o, name));
  const sellerBps = sumBps(sellerLines, 0);
  const lines = [...sellerLines, ...drafts.filter((d) => d.level !== 0).map((d) => lineOf(d, sellerBps, o, name))];
  const capped = drafts.some((d) => (d.trace as LineTrace).cap);
  return {
    baseMinor,
    lines,
    sellerBps,
    level1Bps: sumBps(lines, 1),
    level2Bps: sumBps(lines, 2),
    cap: doc.cap
      ? { orderRateBps: doc.cap.orderRateBps ?? null, marginRateBps: doc.cap.marginRateBps ?? null, appliedOnProbe: capped }
      : null,
    variesBy: variationsOf(doc, probe, Date.parse(o.at)),
  };
}
