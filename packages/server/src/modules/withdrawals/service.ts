/**
 * Requesting a withdrawal (提现), and its preview: one function (`quoteWithdrawal`) reads the inputs and runs the
 * core rules — checkWithdrawal, previewWithdrawal over the person's tax window, approvalFor — for both, so the preview
 * shows exactly what the request withholds. The request runs it under the locks (docs/payouts.md, "Locks"):
 * the merchant's ledger head, the idempotency key, then the withholding agent's tax person row.
 */
import {
  approvalFor,
  checkWithdrawal,
  explainWithholding,
  previewWithdrawal,
  reviewDueAtMs,
  type WithdrawalPreview,
  withholdingRule,
  withholdingWindowOf,
  zoneOffsetMs,
} from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { type ErrorCode, fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { identitySummary } from "../identity/reveal.ts";
import { requireActiveMerchant } from "../merchants/status.ts";
import { getProgram, type Program } from "../programs/repository.ts";
import { hasOpenRiskFlag } from "../risk/repository.ts";
import {
  activePayoutAccount,
  getWithdrawal,
  insertTaxWithholding,
  insertWithdrawal,
  lockTaxPerson,
  membershipProgram,
  type PayoutAccountRow,
  promoterBalances,
  taxHistory,
  todaysWithdrawals,
  type WithdrawalRow,
} from "./repository.ts";
import { type ProgramMoneyRules, programMoneyRules, taxAgentKey } from "./settings.ts";
import { applyWithdrawalEvent, recordTransition } from "./transition.ts";

/** WeChat Pay needs the payee's real name (user_name) for a transfer of this much or more: ¥2,000. */
export const WECHAT_NAME_REQUIRED_FROM_MINOR = 200_000;

export interface WithdrawalRequestBody {
  programId: string;
  amountMinor: number;
  payoutAccountId: string;
}

/** The program's calendar day (YYYY-MM-DD) of an instant, in its time zone. */
export function programDay(at: Date, timeZone: string): string {
  const ms = at.getTime();
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

export interface Quote {
  program: Program;
  rules: ProgramMoneyRules;
  account: PayoutAccountRow;
  agent: string;
  day: string;
  month: string;
  preview: WithdrawalPreview;
  approval: "auto" | "review";
}

/** A masked field of a payout account (`details_masked = { display, fields: {…} }`, as the identity module stores it). */
function maskedField(account: PayoutAccountRow, name: string): unknown {
  const fields = account.detailsMasked.fields;
  return fields && typeof fields === "object" ? (fields as Record<string, unknown>)[name] : undefined;
}

/** Why a withdrawal needs the identity first, or an empty list (docs/payouts.md, "Identity"). */
export function identityReasons(rules: ProgramMoneyRules, account: PayoutAccountRow, amountMinor: number): string[] {
  const out: string[] = [];
  if (rules.tax.method !== "none") out.push("tax_withholding");
  if (account.kind === "wechat" && amountMinor >= WECHAT_NAME_REQUIRED_FROM_MINOR) out.push("wechat_user_name");
  if (account.kind === "alipay" && maskedField(account, "identityType") === "ALIPAY_LOGON_ID") out.push("alipay_logon_id");
  return out;
}

/** The merchant whose program the promoter withdraws from; NOT_FOUND when the promoter is not a member. */
export async function withdrawalMerchant(q: Sql, programId: string, promoterId: string): Promise<string> {
  const m = await membershipProgram(q, programId, promoterId);
  if (!m) fail("NOT_FOUND", "You are not a member of this program.", { field: "programId", programId });
  return m.merchantId;
}

/**
 * Everything a withdrawal of `body` would be, or the refusal: read the same way for the preview and the request
 * (the request holds the locks while it reads). Refusals, in order: MERCHANT_SUSPENDED (the balance stays the
 * promoter's and the wallet shows it; a suspended merchant pays nothing out until reactivated),
 * PAYOUT_ACCOUNT_NOT_FOUND, the core checks
 * (BALANCE_NEGATIVE, DAILY_*, BELOW_MINIMUM, ABOVE_MAXIMUM, INSUFFICIENT_AVAILABLE), NET_NOT_POSITIVE,
 * IDENTITY_REQUIRED.
 */
export async function quoteWithdrawal(
  q: Sql,
  merchantId: string,
  promoterId: string,
  body: WithdrawalRequestBody,
  now: Date,
  /** The request: lock the payout account (FOR SHARE) and the tax person row; the preview locks nothing. */
  lockTax: boolean,
): Promise<Quote> {
  await requireActiveMerchant(q, merchantId);
  const program = await getProgram(q, merchantId, body.programId);
  const rules = await programMoneyRules(q, merchantId, program.id);
  const account = await activePayoutAccount(q, promoterId, body.payoutAccountId, lockTax);
  if (!account) fail("PAYOUT_ACCOUNT_NOT_FOUND", undefined, { field: "payoutAccountId", payoutAccountId: body.payoutAccountId });
  const agent = taxAgentKey(rules.tax.agent, merchantId);
  if (lockTax) await lockTaxPerson(q, agent, promoterId);
  const day = programDay(now, program.timezone);
  const balances = await promoterBalances(q, merchantId, promoterId, program.currency);
  const todays = await todaysWithdrawals(q, merchantId, program.id, promoterId, day);
  const check = checkWithdrawal(body, { availableMinor: balances.available ?? 0 }, todays, rules.withdrawal);
  if (!check.ok) fail(check.code as ErrorCode, undefined, { field: check.field, ...check.details });
  // The tax month is the program's; a later month already recorded for the person under this agent (another
  // program of the agent in a time zone ahead) is used instead, so the window never runs backwards.
  const history = await taxHistory(q, agent, promoterId, Number(day.slice(0, 4)));
  const latest = history.reduce((m, e) => (e.month > m ? e.month : m), day.slice(0, 7));
  const window = withholdingWindowOf(withholdingRule(rules.tax.method).window, history, latest);
  const preview = previewWithdrawal(body, rules.withdrawal, { config: rules.tax.config, month: latest, ...window });
  if (!preview.ok) fail(preview.code as ErrorCode, undefined, { field: preview.field, ...preview.details });
  const reasons = identityReasons(rules, account, body.amountMinor);
  if (reasons.length > 0 && !(await identitySummary(q, promoterId)).present)
    fail("IDENTITY_REQUIRED", undefined, { field: "identity", missing: ["identity"], reasons });
  const riskFlag = await hasOpenRiskFlag(q, merchantId, promoterId);
  const approval = rules.circuitOpen ? "review" : approvalFor(body.amountMinor, rules.withdrawal, riskFlag);
  return { program, rules, account, agent, day, month: latest, preview, approval };
}

/** The preview's answer: the figures the request would fix, and how it would be approved. */
export function previewView(quote: Quote) {
  const p = quote.preview;
  return {
    amountMinor: p.amountMinor,
    taxMinor: p.taxMinor,
    feeMinor: p.feeMinor,
    netMinor: p.netMinor,
    currency: quote.program.currency,
    state: "preview" as const,
    approval: quote.approval,
    tax: {
      method: quote.rules.tax.method,
      agent: quote.rules.tax.agent,
      month: quote.month,
      trace: p.tax.trace,
      explanation: {
        zh: explainWithholding(p.tax.trace, "zh", quote.program.currency),
        en: explainWithholding(p.tax.trace, "en", quote.program.currency),
      },
    },
    fee: quote.rules.withdrawal.fee,
  };
}

/**
 * Request a withdrawal in the caller's transaction, which holds the merchant's ledger head and the idempotency key:
 * lock the tax person, quote, write the withdrawal, its tax withheld, its `request` transition (available → locked),
 * and approve it at once when the quote says `auto`.
 */
export async function requestWithdrawal(
  q: Sql,
  merchantId: string,
  promoterId: string,
  actor: string,
  body: WithdrawalRequestBody,
  now: Date,
): Promise<WithdrawalRow> {
  const quote = await quoteWithdrawal(q, merchantId, promoterId, body, now, true);
  const p = quote.preview;
  const id = newId("wd");
  await insertWithdrawal(q, {
    merchantId,
    id,
    programId: quote.program.id,
    promoterId,
    payoutAccountId: quote.account.id,
    payoutKind: quote.account.kind,
    payeeMasked: quote.account.detailsMasked,
    currency: quote.program.currency,
    amountMinor: p.amountMinor,
    taxMinor: p.taxMinor,
    feeMinor: p.feeMinor,
    netMinor: p.netMinor,
    taxDetail: { method: quote.rules.tax.method, agent: quote.rules.tax.agent, month: quote.month, trace: p.tax.trace },
    approval: quote.approval,
    requestedAt: now,
    requestedDay: quote.day,
    reviewDueAt: new Date(reviewDueAtMs(now.getTime(), quote.rules.withdrawal)),
  });
  // Income is recorded even when nothing is withheld under a method with a window, so later figures stay right.
  if (p.taxMinor > 0 || withholdingRule(quote.rules.tax.method).window !== "payment")
    await insertTaxWithholding(q, {
      merchantId,
      withdrawalId: id,
      agent: quote.agent,
      promoterId,
      method: quote.rules.tax.method,
      month: quote.month,
      incomeMinor: p.amountMinor,
      taxMinor: p.taxMinor,
      at: now,
    });
  const requested = await getWithdrawal(q, merchantId, id);
  if (!requested) throw new Error(`withdrawal ${id} vanished`);
  await recordTransition(q, requested, { from: null, event: "request", movement: "lock" }, { actor, at: now });
  if (quote.approval === "auto")
    return applyWithdrawalEvent(q, merchantId, id, "approve", { actor: "system:auto_approve", reason: "auto", at: now });
  return requested;
}
