/**
 * The plan document (提成方案): one versioned JSON document per program version, validated by zod.
 * Rates are integer basis points (`…Bps`, 100 = 1 %), amounts integer minor units (`…Minor`, fen).
 * Every object is strict: an unknown key is an error, so a typo never silently changes pay.
 * The syntax is documented with one example per rule in docs/plan-language.md.
 */
import { z } from "zod";
import { AMOUNT_MAX_MINOR, ROUNDING_MODES } from "../money/money.ts";

/** Hard engine limit on upline levels (house rule 5); compliance policies may allow fewer. */
export const UPLINE_LEVELS_MAX = 2;
/** Most steps a tier table may have. */
export const TIER_STEPS_MAX = 20;
/** Most entries in any list of a plan (campaigns, bonuses, contests, ranks, variants). */
export const PLAN_LIST_MAX = 100;
/** Most keyed entries (product or category rates). */
export const PLAN_MAP_MAX = 100_000;
/** Largest rate of any single rule: 100 %. */
export const RATE_MAX_BPS = 10_000;
/** Largest channel multiplier: ×3. */
export const MULTIPLIER_MAX_BPS = 30_000;
/** Most contest places. */
export const CONTEST_PLACES_MAX = 100;

const rateBps = z.int().min(0).max(RATE_MAX_BPS);
const amountMinor = z.int().min(0).max(AMOUNT_MAX_MINOR);
const key = z.string().min(1).max(128);
const instant = z.iso.datetime({ offset: true });
const rateMap = z.record(key, rateBps).refine((m) => Object.keys(m).length <= PLAN_MAP_MAX, "too many entries");

/** P1 P2 P3: the base rule of the seller's commission. */
export const BaseSchema = z.strictObject({
  /** P1: rate of the line's net amount when nothing more specific applies. */
  defaultRateBps: rateBps.default(0),
  /** P3: product id → rate (most specific). */
  productRates: rateMap.optional(),
  /** P3: category id → rate. */
  categoryRates: rateMap.optional(),
  /** P2: product id → fixed amount per unit (same precedence as a product rate; a product may not have both). */
  productFixed: z
    .record(key, z.strictObject({ perUnitMinor: amountMinor }))
    .refine((m) => Object.keys(m).length <= PLAN_MAP_MAX, "too many entries")
    .optional(),
  /** P2: fixed amount per paid order, paid to the seller in addition to line commission. */
  perOrderMinor: amountMinor.optional(),
});

/** P4: first vs repeat order rates (first = the customer's first paid, not fully refunded order at this merchant). */
export const FirstOrderSchema = z.strictObject({ firstRateBps: rateBps, repeatRateBps: rateBps });

export const TierStepSchema = z.strictObject({
  /** Lower bound of the step on the seller's period net sales (inclusive). The first step starts at 0. */
  fromMinor: amountMinor,
  rateBps,
  /** Earned once per period when the step is reached; kept when a higher step is reached. */
  bonusMinor: amountMinor.optional(),
  /** Rank the seller is promoted to when the period closes at or above this step. */
  promoteToRank: key.optional(),
});

/** P5: tiers by period volume. */
export const TiersSchema = z
  .strictObject({
    mode: z.enum(["retroactive", "marginal"]),
    steps: z.array(TierStepSchema).min(1).max(TIER_STEPS_MAX),
  })
  .superRefine((t, ctx) => {
    if (t.steps[0] && t.steps[0].fromMinor !== 0)
      ctx.addIssue({ code: "custom", path: ["steps", 0, "fromMinor"], message: "the first step must start at 0" });
    for (let i = 1; i < t.steps.length; i++) {
      if ((t.steps[i] as { fromMinor: number }).fromMinor <= (t.steps[i - 1] as { fromMinor: number }).fromMinor) {
        ctx.addIssue({ code: "custom", path: ["steps", i, "fromMinor"], message: "steps must be strictly increasing" });
      }
    }
  });

/** P6: one upline level: a rate of the line's net amount, or a share of the seller's commission on the line. */
export const TeamLevelSchema = z.union([z.strictObject({ rateBps }), z.strictObject({ shareBps: rateBps })]);

/** P7: the upline's own net sales in the period must reach a threshold to keep team commission. */
export const QualificationSchema = z.strictObject({
  ownSalesAtLeastMinor: amountMinor,
  /** forfeit: unqualified lines are reversed; compress: moved to the next qualified upline within the level limit. */
  onFail: z.enum(["forfeit", "compress"]).default("forfeit"),
});

export const TeamSchema = z.strictObject({
  /** levels[0] = level 1 (inviter), levels[1] = level 2 (inviter's inviter). */
  levels: z.array(TeamLevelSchema).max(UPLINE_LEVELS_MAX),
  qualification: QualificationSchema.optional(),
});

/** P8: differential (级差): each upline earns its rank's rate minus the highest rate already paid below it. */
export const DifferentialSchema = z.strictObject({
  /** rank key → rate; promoters whose rank is not listed use defaultRateBps. */
  rankRates: rateMap,
  defaultRateBps: rateBps.default(0),
  /** How many uplines take part (≤ 2). */
  levels: z.int().min(1).max(UPLINE_LEVELS_MAX).default(UPLINE_LEVELS_MAX),
});

/** P9: one rank of the ladder (listed lowest first). */
export const RankSchema = z.strictObject({
  key,
  name: z.string().max(64).optional(),
  /** Seller rate for promoters of this rank (see the precedence table). */
  rateBps: rateBps.optional(),
  /** Team levels used when a promoter of this rank is the upline. */
  teamLevels: z.array(TeamLevelSchema).max(UPLINE_LEVELS_MAX).optional(),
});

/** P9: new-promoter boost (新手期加成): extra points during the first N days after joining. */
export const NewPromoterBoostSchema = z.strictObject({ days: z.int().min(1).max(366), addBps: rateBps });

/** P10: campaign: products/categories within a date window get an override rate or added points. */
export const CampaignSchema = z
  .strictObject({
    id: key,
    name: z.string().max(128).optional(),
    startsAt: instant,
    /** Exclusive end. */
    endsAt: instant,
    productIds: z.array(key).max(PLAN_MAP_MAX).optional(),
    categoryIds: z.array(key).max(PLAN_MAP_MAX).optional(),
    rateBps: rateBps.optional(),
    addBps: rateBps.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.rateBps === undefined) === (c.addBps === undefined))
      ctx.addIssue({ code: "custom", message: "give exactly one of rateBps or addBps" });
    if (Date.parse(c.endsAt) <= Date.parse(c.startsAt))
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be after startsAt" });
  });

/**
 * P11: channel uplift: the seller's commission × multiplierBps / 10 000 (11 000 = +10 %); with `appliesTo: "all"` the
 * uplines' rate-based team and differential lines too (a share of the seller's commission already carries it).
 */
export const ChannelSchema = z.strictObject({
  multiplierBps: z.int().min(0).max(MULTIPLIER_MAX_BPS),
  appliesTo: z.enum(["seller", "all"]).default("seller"),
});

/** P12: personal period sales ≥ X → bonus Y, once per period. */
export const ThresholdBonusSchema = z.strictObject({ id: key, salesAtLeastMinor: amountMinor, bonusMinor: amountMinor });

const teamBonusCommon = {
  id: key,
  teamSalesAtLeastMinor: amountMinor,
  /** Count the leader's own sales in the team's sales. */
  includeSelf: z.boolean().default(false),
  /** Only leaders of these ranks qualify (e.g. supervisors); absent = everyone with a team. */
  leaderRanks: z.array(key).max(PLAN_LIST_MAX).optional(),
  /**
   * How deep the team goes: 1 = the leader's own invitees, 2 = their invitees too (the default). Under the `wechat`
   * compliance policy (one upline level) it must be 1, since a bonus on level-2 sales pays a second upline level.
   */
  levels: z.int().min(1).max(2).default(2),
};
/** P13: team goal bonus: a fixed pool shared pro rata by sales, or an extra rate on the team's sales to the leader. */
export const TeamBonusSchema = z.discriminatedUnion("form", [
  z.strictObject({ ...teamBonusCommon, form: z.literal("shared"), amountMinor }),
  z.strictObject({ ...teamBonusCommon, form: z.literal("leader_rate"), rateBps }),
]);

/** P14: contest: top N by a metric in the period, optionally within rank groups. */
export const ContestSchema = z
  .strictObject({
    id: key,
    name: z.string().max(128).optional(),
    metric: z.enum(["sales", "orders", "customers"]),
    /** Prize per place, first place first. */
    prizesMinor: z.array(amountMinor).min(1).max(CONTEST_PLACES_MAX),
    byRank: z.boolean().default(false),
    /** A promoter needs at least this metric value to place. */
    minMetric: z.int().min(0).default(1),
  })
  .strict();

/** P15: event rewards for customer events brought by the promoter. */
export const EventRewardSchema = z.strictObject({
  trigger: z.enum(["customer_registered", "community_joined"]),
  amountMinor,
});

/** P15 / SPEC §3: customer-to-customer referral. */
export const ReferralSchema = z.strictObject({
  /** Paid once per referred order to the referring customer's promoter. */
  promoterAmountMinor: amountMinor,
  /** Non-cash reward for the referring customer, emitted as a reward event for the shop. */
  customerReward: z.strictObject({ kind: z.enum(["coupon", "points"]), valueMinor: amountMinor }).optional(),
  /** Also pay the normal sale commission (and team lines) on a referred order. */
  alsoPaySale: z.boolean().default(false),
});

/** P16: contribution pool split pro rata to contribution points. */
export const ContributionPoolSchema = z
  .strictObject({
    amountMinor: amountMinor.optional(),
    rateOfSalesBps: rateBps.optional(),
    /** contribution type → points per event (e.g. valid_click 1, consultation 5, content_share 2, training 3). */
    pointsPerEvent: z.record(key, z.int().min(0).max(1_000_000)),
    minPoints: z.int().min(0).default(1),
  })
  .superRefine((p, ctx) => {
    if ((p.amountMinor === undefined) === (p.rateOfSalesBps === undefined))
      ctx.addIssue({ code: "custom", message: "give exactly one of amountMinor or rateOfSalesBps" });
  });

/** P17: per-order cap on all commission of an order. When both are given, the lower cap applies. */
export const CapSchema = z
  .strictObject({ orderRateBps: rateBps.optional(), marginRateBps: rateBps.optional() })
  .refine((c) => c.orderRateBps !== undefined || c.marginRateBps !== undefined, "give orderRateBps or marginRateBps");

export const RoundingSchema = z.strictObject({ mode: z.enum(ROUNDING_MODES as unknown as ["half-up", "half-even", "down"]) });

export const PeriodSchema = z.strictObject({ unit: z.enum(["month", "week", "quarter"]).default("month") });

const planBodyShape = {
  version: z.literal(1),
  name: z.string().max(128).optional(),
  base: BaseSchema.default({ defaultRateBps: 0 }),
  firstOrder: FirstOrderSchema.optional(),
  tiers: TiersSchema.optional(),
  team: TeamSchema.optional(),
  differential: DifferentialSchema.optional(),
  ranks: z.array(RankSchema).max(PLAN_LIST_MAX).optional(),
  newPromoterBoost: NewPromoterBoostSchema.optional(),
  campaigns: z.array(CampaignSchema).max(PLAN_LIST_MAX).optional(),
  channels: z.record(key, ChannelSchema).optional(),
  thresholdBonuses: z.array(ThresholdBonusSchema).max(PLAN_LIST_MAX).optional(),
  teamBonuses: z.array(TeamBonusSchema).max(PLAN_LIST_MAX).optional(),
  contests: z.array(ContestSchema).max(PLAN_LIST_MAX).optional(),
  events: z.array(EventRewardSchema).max(PLAN_LIST_MAX).optional(),
  referral: ReferralSchema.optional(),
  contributionPool: ContributionPoolSchema.optional(),
  cap: CapSchema.optional(),
  rounding: RoundingSchema.optional(),
  period: PeriodSchema.optional(),
};

function checkBody(
  p: {
    base: z.infer<typeof BaseSchema>;
    ranks?: { key: string }[] | undefined;
    tiers?: z.infer<typeof TiersSchema> | undefined;
    differential?: { rankRates: Record<string, number> } | undefined;
    teamBonuses?: { leaderRanks?: string[] | undefined }[] | undefined;
  },
  ctx: z.RefinementCtx,
  prefix: (string | number)[],
): void {
  const fixed = p.base.productFixed ?? {};
  for (const id of Object.keys(p.base.productRates ?? {})) {
    if (id in fixed)
      ctx.addIssue({
        code: "custom",
        path: [...prefix, "base", "productFixed", id],
        message: "a product has either a rate or a fixed amount, not both",
      });
  }
  const seen = new Set<string>();
  (p.ranks ?? []).forEach((r, i) => {
    if (seen.has(r.key)) ctx.addIssue({ code: "custom", path: [...prefix, "ranks", i, "key"], message: `duplicate rank ${r.key}` });
    seen.add(r.key);
  });
  (p.tiers?.steps ?? []).forEach((s, i) => {
    if (s.promoteToRank !== undefined && !seen.has(s.promoteToRank)) {
      ctx.addIssue({ code: "custom", path: [...prefix, "tiers", "steps", i, "promoteToRank"], message: `unknown rank ${s.promoteToRank}` });
    }
  });
  // with a ladder, every rank the plan names is one of its ranks (without one, rank keys are the merchant's own)
  if (seen.size === 0) return;
  for (const k of Object.keys(p.differential?.rankRates ?? {})) {
    if (!seen.has(k)) ctx.addIssue({ code: "custom", path: [...prefix, "differential", "rankRates", k], message: `unknown rank ${k}` });
  }
  (p.teamBonuses ?? []).forEach((b, i) => {
    (b.leaderRanks ?? []).forEach((k, j) => {
      if (!seen.has(k))
        ctx.addIssue({ code: "custom", path: [...prefix, "teamBonuses", i, "leaderRanks", j], message: `unknown rank ${k}` });
    });
  });
}

/** The rank keys a plan document defines: its ladder and its experiment variants' ladders. */
export function planRankKeys(doc: PlanDocument): Set<string> {
  const keys = new Set<string>();
  for (const r of doc.ranks ?? []) keys.add(r.key);
  for (const v of doc.experiment?.variants ?? []) for (const r of v.plan?.ranks ?? []) keys.add(r.key);
  return keys;
}

export const PlanBodySchema = z.strictObject(planBodyShape).superRefine((p, ctx) => checkBody(p, ctx, []));

/** P20: A/B experiment: promoters are split deterministically between variants (hash of experiment id and promoter id). */
export const ExperimentSchema = z
  .strictObject({
    id: key,
    variants: z
      .array(
        z.strictObject({
          key,
          /** Share of promoters, in bps; the shares sum to 10 000. */
          weightBps: z.int().min(0).max(10_000),
          /** The variant's whole plan; absent = the document's own rules (control). */
          plan: PlanBodySchema.optional(),
        }),
      )
      .min(2)
      .max(10),
  })
  .superRefine((e, ctx) => {
    const total = e.variants.reduce((s, v) => s + v.weightBps, 0);
    if (total !== 10_000) ctx.addIssue({ code: "custom", path: ["variants"], message: `variant weights sum to ${total}, not 10000` });
    const keys = new Set(e.variants.map((v) => v.key));
    if (keys.size !== e.variants.length) ctx.addIssue({ code: "custom", path: ["variants"], message: "variant keys must be unique" });
  });

export const PlanDocumentSchema = z
  .strictObject({ ...planBodyShape, experiment: ExperimentSchema.optional() })
  .superRefine((p, ctx) => checkBody(p, ctx, []));

export type PlanBody = z.infer<typeof PlanBodySchema>;
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;
export type PlanInput = z.input<typeof PlanDocumentSchema>;
export type TeamLevel = z.infer<typeof TeamLevelSchema>;
export type TierStep = z.infer<typeof TierStepSchema>;
export type Campaign = z.infer<typeof CampaignSchema>;
export type TeamBonus = z.infer<typeof TeamBonusSchema>;
export type Contest = z.infer<typeof ContestSchema>;

export interface PlanIssue {
  /** JSON path in the document, e.g. "team.levels[1].rateBps". */
  path: string;
  message: string;
}
export type ParsePlanResult = { ok: true; plan: PlanDocument } | { ok: false; issues: PlanIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "$" : out;
}

/** Validate a plan document (already JSON-parsed, or a JSON string). Never throws on bad input. */
export function parsePlan(json: unknown): ParsePlanResult {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      return { ok: false, issues: [{ path: "$", message: `not JSON: ${(e as Error).message}` }] };
    }
  }
  const r = PlanDocumentSchema.safeParse(value);
  if (r.success) return { ok: true, plan: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** Parse or throw (for literals in code and tests). */
export function plan(json: unknown): PlanDocument {
  const r = parsePlan(json);
  if (!r.ok) throw new Error(`invalid plan: ${r.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return r.plan;
}
