/** Shapes of the API responses the app reads (see /openapi.json). Amounts are integers of minor units (fen). */

export type Role = "platform_admin" | "merchant_admin" | "promoter";

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  merchantId: string | null;
  promoterId: string | null;
  /** Logged in with a one-time initial password: a new one must be chosen before anything else. */
  passwordChangeRequired?: boolean;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface Merchant {
  id: string;
  name: string;
  status: string;
}

export type PeriodKind = "month" | "week" | "quarter";

export interface Program {
  id: string;
  merchantId: string;
  name: string;
  currency: string;
  timezone: string;
  holdDays: number;
  periodKind: PeriodKind;
  compliancePolicy: string;
  /** Who may join: anyone, with a member's invite code, or with the merchant's approval. */
  joinPolicy?: "open" | "invite" | "approval";
  status: string;
  createdAt: string;
}

export type OrderStatus = "paid" | "completed" | "refunded" | "cancelled";
export type AttributionPath = "code" | "click" | "binding" | "referral";
export type CommissionState = "pending" | "available" | "held" | "reversed";

export interface Order {
  id: string;
  orderRef: string;
  programId: string;
  customerRef: string;
  channel: string;
  status: OrderStatus;
  amountMinor: number;
  refundedMinor: number;
  promoterId: string | null;
  attributionPath: AttributionPath | null;
  isFirstOrder: boolean;
  planVersion: number | null;
  periodKey: string | null;
  paidAt: string;
  completedAt: string | null;
}

export interface OrderCommission {
  id: string;
  beneficiaryId: string;
  level: number;
  kind: string;
  lineNo: number | null;
  amountMinor: number;
  reversedMinor: number;
  state: CommissionState;
  explanation: { zh: string; en: string };
}

export interface OrderView {
  orderId: string;
  orderRef: string;
  programId: string;
  status: OrderStatus;
  amountMinor: number;
  refundedMinor: number;
  promoterId: string | null;
  attributionPath: AttributionPath | null;
  isFirstOrder: boolean;
  commissions: OrderCommission[];
  rewardEvents: { kind?: string; valueMinor?: number; customerRef?: string }[];
}

export interface CommissionLine {
  id: string;
  programId: string;
  orderId: string | null;
  orderRef: string | null;
  lineNo: number | null;
  beneficiaryId: string;
  level: number;
  kind: string;
  baseMinor: number;
  rateBps: number | null;
  amountMinor: number;
  reversedMinor: number;
  netMinor: number;
  currency: string;
  state: CommissionState;
  attributionPath: AttributionPath | null;
  planVersion: number | null;
  periodKey: string | null;
  explanationZh: string;
  explanationEn: string;
  availableAt: string | null;
  createdAt: string;
  /** What the order line this commission is on has been refunded (null when the line is not an order line's). */
  lineRefundedMinor?: number | null;
}

export interface Promoter {
  programId: string;
  promoterId: string;
  name: string;
  phone: string | null;
  code: string;
  inviterId: string | null;
  inviter2Id: string | null;
  rank: string | null;
  status: string;
  joinedAt: string;
  netSalesMinor: number;
  pendingMinor: number;
  availableMinor: number;
}

/** A page of a team list, with the team's size per level (the whole team, whatever the page). */
export interface TeamPage extends Page<TeamMember> {
  counts: { level1: number; level2: number };
}

export interface TeamMember {
  promoterId: string;
  name: string;
  phone: string | null;
  level: number;
  rank: string | null;
  status: string;
  joinedAt: string;
  salesMinor: number;
}

export interface LintIssue {
  code: string;
  severity: "error" | "warning";
  path: string;
  messageZh: string;
  messageEn: string;
}

export interface LintResult {
  valid: boolean;
  issues: { path: string; message: string }[];
  errors: LintIssue[];
  warnings: LintIssue[];
}

export interface PlanVersion {
  version: number;
  status: "draft" | "published";
  effectiveFrom: string | null;
  document: unknown;
  lint: { ok: boolean; errors: LintIssue[]; warnings: LintIssue[] } | null;
  createdAt: string;
  publishedAt: string | null;
}

export interface SimSide {
  totalCostMinor: number;
  salesMinor: number;
  costRatioBps: number;
  /** Sales per unit of commission ×100; null when there is no commission. */
  roiX100: number | null;
  promoters: number;
  costPerPromoterMinor: number;
}

export interface SimDelta {
  promoterId: string;
  currentMinor: number;
  draftMinor: number;
  deltaMinor: number;
}

export interface SimResult {
  currentVersion: number | null;
  orders: number;
  lint: { ok: boolean; errors: LintIssue[]; warnings: LintIssue[] };
  current: SimSide;
  draft: SimSide;
  deltaCostMinor: number;
  largestGains: SimDelta[];
  largestLosses: SimDelta[];
}

export interface CloseSummary {
  periodKey: string;
  startsAt: string;
  endsAt: string;
  planVersion: number | null;
  adjustments: number;
  totalMinor: number;
  promotions: { promoterId: string; fromRank: string | null; toRank: string }[];
  alreadyClosed?: boolean;
}

export interface PeriodClose {
  periodKey: string;
  startsAt: string;
  endsAt: string;
  planVersion: number | null;
  closedAt: string;
  summary: CloseSummary;
}

export interface LedgerVerify {
  merchantId: string;
  transactions: number;
  chainProblems: { seq: number; problem: string }[];
  balanceProblems: { account: string; currency: string; stored: number; fromPostings: number }[];
  headProblem: string | null;
  ok: boolean;
}

export interface Membership {
  merchantId: string;
  merchantName: string;
  programId: string;
  programName: string;
  code: string;
  inviterId: string | null;
  rank: string | null;
  status: string;
  joinedAt: string;
  currency: string;
}

export interface Balance {
  currency: string;
  pendingMinor: number;
  availableMinor: number;
  lockedMinor: number;
  paidMinor: number;
  taxMinor: number;
  heldMinor: number;
}

export interface MyLink {
  code: string;
  targetUrl: string;
  url: string;
}

export interface MyOrder {
  id: string;
  orderRef: string;
  customerRef: string;
  channel: string;
  status: OrderStatus;
  amountMinor: number;
  refundedMinor: number;
  attributionPath: AttributionPath | null;
  isFirstOrder: boolean;
  paidAt: string;
  lines?: {
    lineNo: number;
    productId: string;
    productName: string | null;
    quantity: number;
    netAmountMinor: number;
    refundedMinor: number;
  }[];
  /** My commission on this order, as earned and as reversed by refunds since. */
  myCommissionMinor?: number;
  myReversedMinor?: number;
}

/** My earnings in a program (GET /v1/me/earnings): net of reversals, today and this month in the program's time zone. */
export interface MyEarnings {
  currency: string;
  timezone: string;
  todayMinor: number;
  monthMinor: number;
  totalMinor: number;
}

export interface MyCustomer {
  id: string;
  phone: string | null;
  name: string | null;
  boundAt: string;
  expiresAt: string;
  orders: number;
  salesMinor: number;
}
