/**
 * Posting recipes: how each business event moves money between accounts.
 * Every recipe returns a balanced transaction (or null when nothing moves).
 */
import { merchantAccount, promoterAccount } from "./accounts.ts";
import { compound, type LedgerTxDraft, type Posting } from "./postings.ts";

export interface AmountFor {
  promoterId: string;
  amountMinor: number;
}

/** Commission earned: merchant expense → promoter pending (or held, when risk holds it). */
export function accrue(
  merchantId: string,
  currency: string,
  causeRef: string,
  memo: string,
  amounts: readonly (AmountFor & { held?: boolean })[],
): LedgerTxDraft | null {
  const legs: Posting[] = [];
  for (const a of amounts) {
    if (a.amountMinor === 0) continue;
    legs.push({ account: merchantAccount(merchantId, "commission_expense"), amountMinor: -a.amountMinor, currency });
    legs.push({ account: promoterAccount(a.promoterId, a.held ? "held" : "pending"), amountMinor: a.amountMinor, currency });
  }
  return compound("accrue", causeRef, memo, legs);
}

/** Hold period over: pending → available. */
export function release(currency: string, causeRef: string, memo: string, amounts: readonly AmountFor[]): LedgerTxDraft | null {
  const legs: Posting[] = [];
  for (const a of amounts) {
    if (a.amountMinor === 0) continue;
    legs.push({ account: promoterAccount(a.promoterId, "pending"), amountMinor: -a.amountMinor, currency });
    legs.push({ account: promoterAccount(a.promoterId, "available"), amountMinor: a.amountMinor, currency });
  }
  return compound("release", causeRef, memo, legs);
}

export type CommissionBucket = "pending" | "available" | "held";

/** Clawback: the promoter's bucket → merchant expense. From `available` this may take the balance negative. */
export function reverse(
  merchantId: string,
  currency: string,
  causeRef: string,
  memo: string,
  amounts: readonly (AmountFor & { from: CommissionBucket })[],
): LedgerTxDraft | null {
  const legs: Posting[] = [];
  for (const a of amounts) {
    if (a.amountMinor === 0) continue;
    legs.push({ account: promoterAccount(a.promoterId, a.from), amountMinor: -a.amountMinor, currency });
    legs.push({ account: merchantAccount(merchantId, "commission_expense"), amountMinor: a.amountMinor, currency });
  }
  return compound("reverse", causeRef, memo, legs);
}

/**
 * A withdrawal's figures: the gross requested, and the tax and fee that come out of it (net = gross − tax − fee).
 * Signs are positive; `tax + fee < gross` (the request is refused otherwise), so every leg below is non-negative.
 */
export interface WithdrawalAmounts {
  promoterId: string;
  amountMinor: number;
  taxMinor: number;
  feeMinor: number;
}

function netOf(w: WithdrawalAmounts): number {
  const fields = [w.amountMinor, w.taxMinor, w.feeMinor];
  if (!fields.every((x) => Number.isSafeInteger(x) && x >= 0))
    throw new Error(`withdrawal amounts must be non-negative integers: ${fields.join(", ")}`);
  const net = w.amountMinor - w.taxMinor - w.feeMinor;
  if (net <= 0) throw new Error(`withdrawal of ${w.amountMinor}: tax ${w.taxMinor} + fee ${w.feeMinor} leave nothing to pay`);
  return net;
}

/** Withdrawal requested: available → locked (the gross). */
export function withdrawLock(currency: string, causeRef: string, memo: string, w: WithdrawalAmounts): LedgerTxDraft | null {
  netOf(w);
  return compound("withdraw_lock", causeRef, memo, [
    { account: promoterAccount(w.promoterId, "available"), amountMinor: -w.amountMinor, currency },
    { account: promoterAccount(w.promoterId, "locked"), amountMinor: w.amountMinor, currency },
  ]);
}

/** Payment submitted: the tax leaves locked for the tax payable (promoter:<id>:tax), the fee for the fee account; the net stays locked. */
export function withdrawWithhold(
  currency: string,
  causeRef: string,
  memo: string,
  w: WithdrawalAmounts,
  feeAccount: string,
): LedgerTxDraft | null {
  netOf(w);
  return compound("withdraw_withhold", causeRef, memo, [
    { account: promoterAccount(w.promoterId, "locked"), amountMinor: -(w.taxMinor + w.feeMinor), currency },
    { account: promoterAccount(w.promoterId, "tax"), amountMinor: w.taxMinor, currency },
    { account: feeAccount, amountMinor: w.feeMinor, currency },
  ]);
}

/** Provider confirmed: locked → paid (the net). */
export function withdrawPay(currency: string, causeRef: string, memo: string, w: WithdrawalAmounts): LedgerTxDraft | null {
  const net = netOf(w);
  return compound("withdraw_pay", causeRef, memo, [
    { account: promoterAccount(w.promoterId, "locked"), amountMinor: -net, currency },
    { account: promoterAccount(w.promoterId, "paid"), amountMinor: net, currency },
  ]);
}

/** Rejected, or failed before submission: locked → available (the gross; nothing was withheld yet). */
export function withdrawRelease(currency: string, causeRef: string, memo: string, w: WithdrawalAmounts): LedgerTxDraft | null {
  netOf(w);
  return compound("withdraw_release", causeRef, memo, [
    { account: promoterAccount(w.promoterId, "locked"), amountMinor: -w.amountMinor, currency },
    { account: promoterAccount(w.promoterId, "available"), amountMinor: w.amountMinor, currency },
  ]);
}

/** Payment failed after submission: the net (locked), the tax and the fee all return to available (the gross). */
export function withdrawUnwind(
  currency: string,
  causeRef: string,
  memo: string,
  w: WithdrawalAmounts,
  feeAccount: string,
): LedgerTxDraft | null {
  const net = netOf(w);
  return compound("withdraw_fail", causeRef, memo, [
    { account: promoterAccount(w.promoterId, "locked"), amountMinor: -net, currency },
    { account: promoterAccount(w.promoterId, "tax"), amountMinor: -w.taxMinor, currency },
    { account: feeAccount, amountMinor: -w.feeMinor, currency },
    { account: promoterAccount(w.promoterId, "available"), amountMinor: w.amountMinor, currency },
  ]);
}
