/**
 * Chart of accounts. An account is identified by (merchant, owner, type) and printed as a path:
 *   merchant:<merchantId>:commission_expense      what the merchant owes out for commission (goes negative as it accrues)
 *   promoter:<promoterId>:pending                 earned, not yet releasable
 *   promoter:<promoterId>:available               withdrawable
 *   promoter:<promoterId>:locked                  requested for withdrawal
 *   promoter:<promoterId>:paid                    paid out to the promoter
 *   promoter:<promoterId>:tax                     tax withheld from the promoter, payable to the tax authority
 *   merchant:<merchantId>:fee_income              withdrawal fees the merchant charges (a brand's own deployment)
 *   merchant:<merchantId>:service_fee             the platform's service fee charged to the merchant (goes negative as it is charged)
 *   platform:fee                                  platform service fee (and withdrawal fees on a marketplace)
 *   program:<programId>:topups                    what the merchant paid into a prepaid program's budget (goes negative with each top-up)
 *   program:<programId>:budget                    a prepaid program's remaining budget (positive)
 *   program:<programId>:budget_used               budget drawn by withdrawals submitted for payment (positive)
 * A balance is the sum of the account's postings. Promoter-side balances are positive when owed to the promoter.
 */
export const PROMOTER_ACCOUNT_TYPES = ["pending", "available", "locked", "paid", "tax", "held"] as const;
export type PromoterAccountType = (typeof PROMOTER_ACCOUNT_TYPES)[number];
export const MERCHANT_ACCOUNT_TYPES = ["commission_expense", "reward_expense", "fee_income", "service_fee"] as const;
export type MerchantAccountType = (typeof MERCHANT_ACCOUNT_TYPES)[number];

export function promoterAccount(promoterId: string, type: PromoterAccountType): string {
  return `promoter:${promoterId}:${type}`;
}
export function merchantAccount(merchantId: string, type: MerchantAccountType): string {
  return `merchant:${merchantId}:${type}`;
}
export const PLATFORM_FEE_ACCOUNT = "platform:fee";

/** A prepaid program's budget accounts (funding, docs/ledger.md): top-ups in, remaining budget, budget drawn. */
export const PROGRAM_ACCOUNT_TYPES = ["topups", "budget", "budget_used"] as const;
export type ProgramAccountType = (typeof PROGRAM_ACCOUNT_TYPES)[number];
export function programAccount(programId: string, type: ProgramAccountType): string {
  return `program:${programId}:${type}`;
}

export function parseAccount(path: string): { owner: "promoter" | "merchant" | "program" | "platform"; ownerId: string; type: string } {
  const parts = path.split(":");
  if (parts[0] === "platform") return { owner: "platform", ownerId: "", type: parts[1] ?? "" };
  if ((parts[0] === "promoter" || parts[0] === "merchant" || parts[0] === "program") && parts.length === 3) {
    return { owner: parts[0], ownerId: parts[1] as string, type: parts[2] as string };
  }
  throw new Error(`not an account path: ${path}`);
}
