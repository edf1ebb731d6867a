/**
 * Posting recipes: how each business event moves money between accounts.
 * Every recipe returns a balanced transaction (or null when nothing moves).
 */
import { merchantAccount, PLATFORM_FEE_ACCOUNT, programAccount, promoterAccount } from "./accounts.ts";
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

/*
 * Funding (预付预算) and the platform's service fee (平台服务费), docs/ledger.md "Funding". A prepaid program's budget
 * lives in three accounts of the merchant's ledger: what was paid in (`topups`, negative), what remains (`budget`) and
 * what withdrawals drew (`budget_used`); remaining = budget, committed = budget_used, paid in = −topups.
 */

function positive(what: string, amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    throw new Error(`${what} must be a positive integer of minor units: ${amountMinor}`);
}

/** A top-up recorded by the platform: topups −x, budget +x. */
export function budgetTopUp(
  programId: string,
  currency: string,
  causeRef: string,
  memo: string,
  amountMinor: number,
): LedgerTxDraft | null {
  positive("top-up", amountMinor);
  return compound("budget_topup", causeRef, memo, [
    { account: programAccount(programId, "topups"), amountMinor: -amountMinor, currency },
    { account: programAccount(programId, "budget"), amountMinor, currency },
  ]);
}

/** A withdrawal of a prepaid program submitted for payment draws its gross: budget −g, budget_used +g. */
export function budgetDraw(programId: string, currency: string, causeRef: string, memo: string, grossMinor: number): LedgerTxDraft | null {
  positive("budget draw", grossMinor);
  return compound("budget_draw", causeRef, memo, [
    { account: programAccount(programId, "budget"), amountMinor: -grossMinor, currency },
    { account: programAccount(programId, "budget_used"), amountMinor: grossMinor, currency },
  ]);
}

/** The payment failed after the draw: the gross returns to the budget (budget_used −g, budget +g). */
export function budgetReturn(
  programId: string,
  currency: string,
  causeRef: string,
  memo: string,
  grossMinor: number,
): LedgerTxDraft | null {
  positive("budget return", grossMinor);
  return compound("budget_return", causeRef, memo, [
    { account: programAccount(programId, "budget_used"), amountMinor: -grossMinor, currency },
    { account: programAccount(programId, "budget"), amountMinor: grossMinor, currency },
  ]);
}

/** The platform's service fee on commission paid out, charged to the merchant: service_fee −f, platform:fee +f. */
export function serviceFee(merchantId: string, currency: string, causeRef: string, memo: string, feeMinor: number): LedgerTxDraft | null {
  if (!Number.isSafeInteger(feeMinor) || feeMinor < 0) throw new Error(`service fee must be a non-negative integer: ${feeMinor}`);
  if (feeMinor === 0) return null;
  return compound("service_fee", causeRef, memo, [
    { account: merchantAccount(merchantId, "service_fee"), amountMinor: -feeMinor, currency },
    { account: PLATFORM_FEE_ACCOUNT, amountMinor: feeMinor, currency },
  ]);
}

/** The service fee on a gross paid out: gross × rate, half-up to the fen (rates in basis points, 1 % = 100). */
export function serviceFeeOf(grossMinor: number, rateBps: number): number {
  if (!Number.isSafeInteger(grossMinor) || grossMinor < 0) throw new Error(`gross must be a non-negative integer: ${grossMinor}`);
  if (!Number.isInteger(rateBps) || rateBps < 0 || rateBps > 10_000) throw new Error(`rateBps must be 0–10000: ${rateBps}`);
  // Exact in integers: (g × r × 2 + 10000) ÷ 20000, floored, is g × r ÷ 10000 rounded half-up.
  return Number((BigInt(grossMinor) * BigInt(rateBps) * 2n + 10_000n) / 20_000n);
}
