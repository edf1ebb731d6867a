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
