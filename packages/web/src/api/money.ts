/** Shapes of the money-out API (issue #11): wallet, identity, payout accounts, withdrawals, runs, funding, reports. */

export interface WalletFigures {
  currency: string;
  pendingMinor: number;
  availableMinor: number;
  lockedMinor: number;
  paidMinor: number;
  taxMinor: number;
}

export interface WalletMerchant extends WalletFigures {
  merchantId: string;
  merchantName: string;
  programs: { programId: string; programName: string }[];
}

export interface Wallet {
  merchants: WalletMerchant[];
  totals: WalletFigures[];
}

export const ID_TYPES = ["cn_resident_id", "hk_macau_permit", "taiwan_permit", "passport", "foreign_permanent_id"] as const;
export type IdType = (typeof ID_TYPES)[number];

export interface Identity {
  legalName: string;
  idType: IdType;
  idNumber: string;
  phone: string | null;
  updatedAt: string;
}

export type PayoutKind = "wechat" | "alipay" | "bank";

export interface PayoutAccount {
  id: string;
  kind: PayoutKind;
  display: string;
  masked: Record<string, unknown>;
  status: string;
  createdAt: string;
}

export type NewPayoutAccount =
  | { kind: "wechat"; appid: string; openid: string }
  | { kind: "alipay"; identityType: "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID"; identity: string; name?: string }
  | { kind: "bank"; holderName: string; bankName: string; cardNumber: string; branch?: string };

export interface WithdrawalPreview {
  amountMinor: number;
  taxMinor: number;
  feeMinor: number;
  netMinor: number;
  currency: string;
  state: "preview";
  approval: "auto" | "review";
  tax?: { method: string; agent: string; month?: string; trace?: unknown; explanation?: { zh: string; en: string } | null };
}

export const WITHDRAWAL_STATES = ["requested", "approved", "awaiting_funds", "paying", "paid", "rejected", "failed"] as const;
export type WithdrawalState = (typeof WITHDRAWAL_STATES)[number];

export interface WithdrawalTransition {
  seq: number;
  from: string | null;
  event: string;
  to: string;
  actor: string;
  reason: string | null;
  at: string;
}

export interface Confirmation {
  appid: string | null;
  mchId: string | null;
  packageInfo: string;
  expiresAt: string;
}

export interface Withdrawal {
  id: string;
  merchantId: string;
  programId: string;
  promoterId: string;
  promoterName?: string;
  payoutAccountId: string;
  payee: { kind: PayoutKind; display: string };
  currency: string;
  amountMinor: number;
  taxMinor: number;
  feeMinor: number;
  netMinor: number;
  state: WithdrawalState;
  reason: string | null;
  approval: "auto" | "review";
  tax?: { method: string; agent: string; month: string | null; explanation?: { zh: string; en: string } | null };
  requestedAt: string;
  reviewDueAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  finishedAt: string | null;
  provider: string | null;
  providerState: string | null;
  confirmation: Confirmation | null;
  /** Merchant views: still requested past the review SLA. */
  overdue?: boolean;
  transitions?: WithdrawalTransition[];
}

export interface BulkResult {
  results: ({ id: string; ok: true; state: string } | { id: string; ok: false; error: { code: string; message: string } })[];
}

export type WithdrawalFee =
  | { kind: "none" }
  | { kind: "percent"; rateBps: number; floorMinor: number; ceilingMinor: number | null }
  | { kind: "fixed"; amountMinor: number };

export interface WithdrawalSettings {
  minimumMinor: number;
  maximumPerRequestMinor: number;
  dailyCountMax: number;
  dailyAmountMaxMinor: number;
  fee: WithdrawalFee;
  autoApproveMaxMinor: number;
  reviewSlaHours: number;
}

export const TAX_METHODS = ["none", "flat", "cn-labour-monthly", "cn-labour-cumulative"] as const;
export type TaxMethod = (typeof TAX_METHODS)[number];

export interface TaxSettings {
  method: TaxMethod;
  rateBps?: number;
  agent: "platform" | "merchant";
}

export interface MoneySettings {
  withdrawal: WithdrawalSettings;
  tax: TaxSettings;
  funding?: Record<string, unknown>;
  fee?: Record<string, unknown>;
  circuit?: { open: boolean; reason: string | null };
}

export type PayoutProviderName = "sandbox" | "wechat" | "alipay" | "bank_file";

export interface PayoutRunCounts {
  total: number;
  paying: number;
  paid: number;
  failed: number;
  skipped: number;
  awaitingFunds: number;
  waitingForUser?: number;
}

export interface PayoutRunItem {
  withdrawalId: string;
  state: string;
  reason?: string | null;
  amountMinor?: number;
  netMinor?: number;
}

export interface PayoutRun {
  id: string;
  programId?: string | null;
  state: string;
  step: string;
  provider: PayoutProviderName;
  counts: PayoutRunCounts;
  batchNo?: string | null;
  lastError?: string | null;
  createdAt: string;
  finishedAt: string | null;
  items?: PayoutRunItem[];
}

export interface Topup {
  id?: string;
  amountMinor: number;
  reference: string;
  note?: string | null;
  createdAt?: string;
  at?: string;
}

export interface Funding {
  mode: "prepaid" | "postpaid";
  budgetMinor: number;
  committedMinor: number;
  remainingMinor: number;
  lowBudgetAlertMinor: number | null;
  low: boolean;
  awaitingFunds?: { count: number; amountMinor: number };
  topups: Topup[];
}
