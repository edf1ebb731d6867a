/**
 * The contract between the engine (pure) and its callers (server, CLI, replay, tests).
 * Plans are evaluated by `evaluateOrder` in ./evaluate.ts; this file only names the shapes.
 */
import type { Minor, RoundingMode } from "../money/money.ts";

/** How an order came to belong to a promoter (SPEC §3). */
export type AttributionPath = "code" | "click" | "binding" | "referral";

export interface OrderLineInput {
  /** 1-based position of the line in the order; unique within the order. */
  lineNo: number;
  productId: string;
  productName?: string | null;
  categoryId: string | null;
  quantity: number;
  /** Line amount after discounts, excluding shipping, in minor units. Commission base for P1. */
  netAmountMinor: Minor;
  /** Gross margin of the line when the shop sends it (used by margin-based caps, P17). */
  marginMinor?: Minor | null;
}

export interface OrderInput {
  /** Fenxiao's id of the order. */
  orderId: string;
  /** The merchant's order number, shown to people ("订单 #1024"). */
  orderRef: string;
  /** ISO-8601 instant the order was paid; selects the plan version and the period. */
  paidAt: string;
  channel: string;
  currency: string;
  customerRef: string;
  /** The customer's first paid, not fully refunded order at this merchant (P4). */
  isFirstOrder: boolean;
  attributionPath: AttributionPath;
  lines: OrderLineInput[];
  /** Customer-to-customer referral (attributionPath "referral"): the referring customer's reference. */
  referrerCustomerRef?: string | null;
}

export interface PromoterNode {
  promoterId: string;
  /** Rank key in the program's ladder, or null for the base rank. */
  rank: string | null;
  /** ISO instant the promoter joined the program (new-promoter boost, P9). */
  joinedAt: string;
  status: "active" | "suspended" | "left";
}

export interface EvaluateContext {
  seller: PromoterNode;
  /** Uplines nearest first: [level-1 inviter, level-2]. Never longer than the plan allows. */
  uplines: PromoterNode[];
  /** The seller's net sales in the current period before this order (provisional tiers, P5). */
  periodSalesBeforeMinor: Minor;
  roundingMode: RoundingMode;
}

/** Machine-readable trace; every commission line stores one (house rule 7). */
export interface Trace {
  rule: string;
  baseMinor: number;
  rateBps?: number | null;
  fixedMinor?: number | null;
  [k: string]: unknown;
}

export interface CommissionLineDraft {
  beneficiaryId: string;
  /** 0 = the seller, 1 = inviter, 2 = inviter's inviter. */
  level: 0 | 1 | 2;
  /** sale | team | differential | tier_trueup | team_trueup | step_bonus | threshold_bonus | team_bonus | contest | event | pool | referral | adjustment */
  kind: string;
  /** The order line this amount belongs to, or null for order- or period-level amounts. */
  lineNo: number | null;
  baseMinor: Minor;
  amountMinor: Minor;
  trace: Trace;
}

/** Where the seller's rate of a line came from (the precedence table in docs/plan-language.md). */
export type RateSource =
  | "campaign"
  | "product"
  | "product_fixed"
  | "category"
  | "rank"
  | "tier"
  | "first_order"
  | "repeat_order"
  | "default";

/** An addition of points to the seller's rate (campaign addBps, new-promoter boost). */
export interface RateAddition {
  reason: "campaign" | "new_promoter_boost";
  bps: number;
  campaignId?: string;
}

/** One portion of a marginal tier computation. */
export interface TierPortion {
  step: number;
  baseMinor: number;
  rateBps: number;
}

/** The trace of an order-time line (a structured superset of `Trace`). */
export interface LineTrace extends Trace {
  /** The order line's net amount (the refund base of P19). */
  lineAmountMinor?: number;
  source?: RateSource;
  level?: number;
  rank?: string | null;
  tier?: { mode: "retroactive" | "marginal"; step: number; salesBeforeMinor: number; portions?: TierPortion[] } | null;
  additions?: RateAddition[];
  channel?: { channel: string; multiplierBps: number } | null;
  campaignId?: string | null;
  variant?: { experimentId: string; key: string } | null;
  /** Team share of the seller's commission (P6 share form). */
  shareBps?: number | null;
  /** Differential: the rank rate and the highest rate already paid below. */
  differential?: { rankRateBps: number; paidBelowBps: number } | null;
  cap?: { capMinor: number; basis: "order" | "margin"; totalBeforeMinor: number; uncappedMinor: number } | null;
  /** The order's cap when the plan has one (also on lines that were not scaled); period true-ups stay within it. */
  orderCap?: { capMinor: number; orderAmountMinor: number } | null;
  rounding?: { mode: RoundingMode; exact: string };
}
