/**
 * May a promoter withdraw this amount now? `{ ok: true }` or a refusal naming the field and the figures that refuse
 * it (house rule 8: expected outcomes are codes; the API maps each to one status). Checked in this order:
 * AMOUNT_INVALID, BALANCE_NEGATIVE (a clawback left the balance below zero: details say how much is owed),
 * DAILY_COUNT_EXCEEDED, BELOW_MINIMUM, ABOVE_MAXIMUM, INSUFFICIENT_AVAILABLE, DAILY_AMOUNT_EXCEEDED.
 *
 * `todaysWithdrawals` are the promoter's withdrawals of this program requested today (the program's calendar day,
 * decided by the caller) that were not rejected and did not fail.
 */
import type { WithdrawalSettings } from "./settings.ts";

export type WithdrawalCheckCode =
  | "AMOUNT_INVALID"
  | "BALANCE_NEGATIVE"
  | "DAILY_COUNT_EXCEEDED"
  | "BELOW_MINIMUM"
  | "ABOVE_MAXIMUM"
  | "INSUFFICIENT_AVAILABLE"
  | "DAILY_AMOUNT_EXCEEDED"
  | "NET_NOT_POSITIVE";

export interface WithdrawalRefusal {
  ok: false;
  code: WithdrawalCheckCode;
  field: "amountMinor";
  details: Record<string, number>;
}
export type WithdrawalCheck = { ok: true } | WithdrawalRefusal;

export interface WithdrawalRequestInput {
  amountMinor: number;
}
export interface WithdrawalBalances {
  /** The promoter's available balance in this program's ledger (may be negative after a clawback). */
  availableMinor: number;
}

function refuse(code: WithdrawalCheckCode, details: Record<string, number>): WithdrawalRefusal {
  return { ok: false, code, field: "amountMinor", details };
}

export function checkWithdrawal(
  request: WithdrawalRequestInput,
  balances: WithdrawalBalances,
  todaysWithdrawals: readonly { amountMinor: number }[],
  settings: WithdrawalSettings,
): WithdrawalCheck {
  const a = request.amountMinor;
  if (!Number.isSafeInteger(a) || a <= 0) return refuse("AMOUNT_INVALID", {});
  const available = balances.availableMinor;
  if (available < 0) return refuse("BALANCE_NEGATIVE", { availableMinor: available, owedMinor: -available });
  const count = todaysWithdrawals.length;
  if (count >= settings.dailyCountMax) return refuse("DAILY_COUNT_EXCEEDED", { dailyCountMax: settings.dailyCountMax, todayCount: count });
  if (a < settings.minimumMinor) return refuse("BELOW_MINIMUM", { minimumMinor: settings.minimumMinor });
  if (a > settings.maximumPerRequestMinor) return refuse("ABOVE_MAXIMUM", { maximumMinor: settings.maximumPerRequestMinor });
  if (a > available) return refuse("INSUFFICIENT_AVAILABLE", { availableMinor: available });
  let today = 0;
  for (const w of todaysWithdrawals) today += w.amountMinor;
  if (today + a > settings.dailyAmountMaxMinor)
    return refuse("DAILY_AMOUNT_EXCEEDED", {
      dailyAmountMaxMinor: settings.dailyAmountMaxMinor,
      todayAmountMinor: today,
      remainingMinor: Math.max(0, settings.dailyAmountMaxMinor - today),
    });
  return { ok: true };
}

/** Approved automatically up to the threshold when the promoter has no open risk flag; otherwise a reviewer decides. */
export function approvalFor(amountMinor: number, settings: WithdrawalSettings, openRiskFlag: boolean): "auto" | "review" {
  return !openRiskFlag && settings.autoApproveMaxMinor > 0 && amountMinor <= settings.autoApproveMaxMinor ? "auto" : "review";
}

/** When a reviewer should have decided (the review SLA), from the request time in epoch ms (given, never read from a clock). */
export function reviewDueAtMs(requestedAtMs: number, settings: WithdrawalSettings): number {
  return requestedAtMs + settings.reviewSlaHours * 3_600_000;
}
