/** Inputs and outputs of period close (pure; the caller loads the period's rows and stores the result keyed by `key`). */
import type { CommissionLineDraft, LineTrace, PromoterNode, Trace } from "../commission/types.ts";
import type { RoundingMode } from "../money/money.ts";
import type { PlanDocument } from "../plan/schema.ts";
import type { PeriodRange } from "./period.ts";

/** A promoter in the team tree. */
export interface TreePromoter extends PromoterNode {
  inviterId: string | null;
}

/** One attributed order line paid in the period. */
export interface PeriodSale {
  sellerId: string;
  orderId: string;
  lineNo: number;
  paidAt: string;
  customerRef: string;
  lineAmountMinor: number;
  /** Not refunded as of the close (refunds before close count, P5). */
  remainingAmountMinor: number;
}

/**
 * The keys of an order-time line's trace that period close reads, on the lines closeReadsTrace names only: the P5
 * true-up in ./rules/tiers.ts reads them through CloseTrace, so reading another key there does not compile.
 */
export const CLOSE_TRACE_KEYS = ["rule", "baseMinor", "source", "rateBps", "shareBps", "cap", "orderCap", "additions", "channel"] as const;

export type CloseTrace = Pick<LineTrace, (typeof CLOSE_TRACE_KEYS)[number]>;

/**
 * Does period close read this line's trace? A seller's own sale lines (level 0), and uplines' team lines paid as a share
 * of the seller's commission (no rate of their own: `rateBps` null), which are trued up with it; the others count by
 * their amounts.
 */
export function closeReadsTrace(kind: string, level: number, rateBps: number | null): boolean {
  return (kind === "sale" && level === 0) || (kind === "team" && level > 0 && rateBps === null);
}

/**
 * The trace a caller that loads a large period from storage may give the lines whose trace the close does not read
 * (closeReadsTrace false) instead of loading theirs; it may give the others theirs reduced to CLOSE_TRACE_KEYS (absent
 * and null keys left out). The result is the same.
 */
export const TRACE_NOT_LOADED: Trace = Object.freeze({ rule: "not_loaded", baseMinor: 0 });

/** An order-time commission line of the period (kinds sale, team, differential, referral) with what was reversed so far. */
export interface PeriodLine {
  beneficiaryId: string;
  sellerId: string;
  orderId: string;
  lineNo: number | null;
  level: 0 | 1 | 2;
  kind: string;
  amountMinor: number;
  reversedMinor: number;
  /** The line's trace; the close reads only what closeReadsTrace and CLOSE_TRACE_KEYS name. */
  trace: Trace;
}

export interface ContributionTotal {
  promoterId: string;
  /** Contribution type, e.g. valid_click, consultation, content_share, training. */
  type: string;
  count: number;
}

export interface ClosePeriodInput {
  /** The plan version in force at the end of the period. */
  plan: PlanDocument;
  period: PeriodRange;
  roundingMode: RoundingMode;
  promoters: readonly TreePromoter[];
  sales: readonly PeriodSale[];
  lines: readonly PeriodLine[];
  contributions?: readonly ContributionTotal[];
}

/** A commission record to post at close. Store it under `key`: the same key never posts twice. */
export interface PeriodAdjustment extends CommissionLineDraft {
  key: string;
  periodKey: string;
  /** The order line it belongs to (true-ups, forfeits, compressions), or null for period-level amounts. */
  orderId: string | null;
  /** For order-line adjustments: the line's amount at close, the base a later refund reverses against (P19). */
  refundBaseMinor: number | null;
}

export interface RankPromotion {
  promoterId: string;
  fromRank: string | null;
  toRank: string;
  reason: { rule: "tier_step"; step: number; salesMinor: number };
}

export interface ClosePeriodResult {
  periodKey: string;
  adjustments: PeriodAdjustment[];
  promotions: RankPromotion[];
  /** Per promoter: net sales of the period (for statements and dashboards). */
  salesByPromoter: Record<string, number>;
}
