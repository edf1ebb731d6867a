/**
 * A plan body prepared for fast evaluation: maps instead of records, instants parsed once.
 * Compiled forms are cached per plan object (plans are immutable after parsing).
 */
import type { Campaign, PlanBody, TeamLevel, TierStep } from "./schema.ts";

export interface CompiledCampaign {
  c: Campaign;
  startsMs: number;
  endsMs: number;
  products: Set<string> | null;
  categories: Set<string> | null;
}

export interface CompiledPlan {
  body: PlanBody;
  productRates: Map<string, number>;
  categoryRates: Map<string, number>;
  productFixed: Map<string, number>;
  rankRates: Map<string, number>;
  rankTeamLevels: Map<string, TeamLevel[]>;
  rankIndex: Map<string, number>;
  campaigns: CompiledCampaign[];
  steps: TierStep[];
  channelMultipliers: Map<string, number>;
  /** Channels whose uplift also multiplies the uplines' rate-based lines (`appliesTo: "all"`). */
  channelUpliftAll: Set<string>;
}

const cache = new WeakMap<PlanBody, CompiledPlan>();

function toMap<V>(r: Record<string, V> | undefined): Map<string, V> {
  return new Map(Object.entries(r ?? {}));
}

export function compilePlan(body: PlanBody): CompiledPlan {
  const hit = cache.get(body);
  if (hit) return hit;
  const rankRates = new Map<string, number>();
  const rankTeamLevels = new Map<string, TeamLevel[]>();
  const rankIndex = new Map<string, number>();
  (body.ranks ?? []).forEach((r, i) => {
    rankIndex.set(r.key, i);
    if (r.rateBps !== undefined) rankRates.set(r.key, r.rateBps);
    if (r.teamLevels !== undefined) rankTeamLevels.set(r.key, r.teamLevels);
  });
  const channelMultipliers = new Map<string, number>();
  const channelUpliftAll = new Set<string>();
  for (const [k, v] of Object.entries(body.channels ?? {})) {
    channelMultipliers.set(k, v.multiplierBps);
    if (v.appliesTo === "all") channelUpliftAll.add(k);
  }
  const productFixed = new Map<string, number>();
  for (const [k, v] of Object.entries(body.base.productFixed ?? {})) productFixed.set(k, v.perUnitMinor);
  const compiled: CompiledPlan = {
    body,
    productRates: toMap(body.base.productRates),
    categoryRates: toMap(body.base.categoryRates),
    productFixed,
    rankRates,
    rankTeamLevels,
    rankIndex,
    campaigns: (body.campaigns ?? []).map((c) => ({
      c,
      startsMs: Date.parse(c.startsAt),
      endsMs: Date.parse(c.endsAt),
      products: c.productIds ? new Set(c.productIds) : null,
      categories: c.categoryIds ? new Set(c.categoryIds) : null,
    })),
    steps: body.tiers?.steps ?? [],
    channelMultipliers,
    channelUpliftAll,
  };
  cache.set(body, compiled);
  return compiled;
}

/** Does a campaign cover this product/category at this instant? (No product or category list = every line.) */
export function campaignCovers(cc: CompiledCampaign, atMs: number, productId: string, categoryId: string | null): boolean {
  if (atMs < cc.startsMs || atMs >= cc.endsMs) return false;
  if (cc.products === null && cc.categories === null) return true;
  if (cc.products?.has(productId)) return true;
  return categoryId !== null && cc.categories?.has(categoryId) === true;
}

/** Index of the tier step reached by `salesMinor` (the last step whose fromMinor ≤ sales). */
export function stepIndexFor(steps: readonly TierStep[], salesMinor: number): number {
  let idx = 0;
  for (let i = 0; i < steps.length; i++) if ((steps[i] as TierStep).fromMinor <= salesMinor) idx = i;
  return idx;
}
