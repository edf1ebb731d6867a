/** The ledger transaction of a withdrawal transition's movement (recipes in ledger/recipes.ts). */

import type { LedgerTxDraft } from "../ledger/postings.ts";
import { type WithdrawalAmounts, withdrawLock, withdrawPay, withdrawRelease, withdrawUnwind, withdrawWithhold } from "../ledger/recipes.ts";
import type { WithdrawalEvent, WithdrawalMovement } from "./state.ts";

export interface WithdrawalPostingContext {
  currency: string;
  /** e.g. `withdrawal:<id>:<event>` — unique per merchant, so a retried transition posts once. */
  causeRef: string;
  memo: string;
  /** Where the fee goes: PLATFORM_FEE_ACCOUNT, or merchantAccount(merchantId, "fee_income"). */
  feeAccount: string;
}

/** The cause of a withdrawal transition's transaction: one per withdrawal and event, so a retry posts once. */
export function withdrawalCauseRef(withdrawalId: string, event: WithdrawalEvent): string {
  return `withdrawal:${withdrawalId}:${event}`;
}

export function withdrawalPostings(
  movement: WithdrawalMovement,
  w: WithdrawalAmounts,
  ctx: WithdrawalPostingContext,
): LedgerTxDraft | null {
  const { currency, causeRef, memo, feeAccount } = ctx;
  switch (movement) {
    case "lock":
      return withdrawLock(currency, causeRef, memo, w);
    case "withhold":
      return withdrawWithhold(currency, causeRef, memo, w, feeAccount);
    case "pay":
      return withdrawPay(currency, causeRef, memo, w);
    case "release":
      return withdrawRelease(currency, causeRef, memo, w);
    case "unwind":
      return withdrawUnwind(currency, causeRef, memo, w, feeAccount);
  }
}
