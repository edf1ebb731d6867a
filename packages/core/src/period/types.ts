/** Inputs and outputs of period close (pure; the caller loads the period's rows and stores the result keyed by `key`). */
import type { CommissionLineDraft, PromoterNode, Trace } from "../commission/types.ts";
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
