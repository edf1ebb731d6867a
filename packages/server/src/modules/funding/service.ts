/**
 * Merchant funding (docs/payouts.md, "Funding and the platform fee"). A postpaid program pays out what its promoters
 * withdraw and the merchant settles afterwards; a prepaid program has a budget in the merchant's ledger
 * (program:<id>:budget), filled by top-ups the platform records and drawn by each withdrawal submitted for payment.
 * Every function runs in the caller's transaction, which holds the merchant's ledger head (lock order: head first).
 */
import { budgetDraw, budgetReturn, budgetTopUp, programAccount } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { emitEvent } from "../events/outbox.ts";
import { lockLedgerHead, postTx, postTxs } from "../ledger/repository.ts";
import { moveWithdrawal } from "../payouts/withdrawal-port.ts";
import { lockMoneySettings, readMoneySettings } from "./settings.ts";

/** Top-ups listed in the funding view (the newest). */
export const FUNDING_TOPUPS_SHOWN = 20;

async function balanceOf(q: Sql, merchantId: string, account: string): Promise<number> {
  const [b] = await q.query<{ v: string | null }>(
    "SELECT sum(balance_minor)::text AS v FROM account_balances WHERE merchant_id = $1 AND account = $2",
    [merchantId, account],
  );
  return Number(b?.v ?? 0);
}

/** What remains of a prepaid program's budget. */
export function budgetRemaining(q: Sql, merchantId: string, programId: string): Promise<number> {
  return balanceOf(q, merchantId, programAccount(programId, "budget"));
}

export async function fundingView(q: Sql, merchantId: string, programId: string) {
  const s = await readMoneySettings(q, merchantId, programId);
  const paidIn = -(await balanceOf(q, merchantId, programAccount(programId, "topups")));
  const committed = await balanceOf(q, merchantId, programAccount(programId, "budget_used"));
  const remaining = await budgetRemaining(q, merchantId, programId);
  const topups = await q.query<Record<string, unknown>>(
    `SELECT id, reference, amount_minor::int8 AS "amountMinor", currency, note, actor, released AS "releasedWithdrawals", created_at AS "createdAt"
     FROM funding_topups WHERE merchant_id = $1 AND program_id = $2 ORDER BY created_at DESC, ledger_seq DESC LIMIT ${FUNDING_TOPUPS_SHOWN}`,
    [merchantId, programId],
  );
  const threshold = s.funding.lowBudgetAlertMinor;
  const [awaiting] = await q.query<{ n: number; v: string | null }>(
    "SELECT count(*)::int AS n, sum(amount_minor)::text AS v FROM withdrawals WHERE merchant_id = $1 AND program_id = $2 AND state = 'awaiting_funds'",
    [merchantId, programId],
  );
  return {
    programId,
    mode: s.funding.mode,
    budgetMinor: paidIn,
    committedMinor: committed,
    remainingMinor: remaining,
    lowBudgetAlertMinor: threshold,
    low: s.funding.mode === "prepaid" && threshold !== null && remaining < threshold,
    awaitingFunds: { count: awaiting?.n ?? 0, amountMinor: Number(awaiting?.v ?? 0) },
    topups: topups.map((t) => ({ ...t, amountMinor: Number(t.amountMinor) })),
  };
}

/**
 * The low-budget alert: `funding.low_budget` once when the remaining budget of a prepaid program falls below its
 * threshold; a budget lifted to the threshold or above re-arms it.
 */
export async function checkLowBudget(q: Sql, merchantId: string, programId: string, at: Date): Promise<boolean> {
  const s = await readMoneySettings(q, merchantId, programId);
  const threshold = s.funding.lowBudgetAlertMinor;
  const remaining = await budgetRemaining(q, merchantId, programId);
  const low = s.funding.mode === "prepaid" && threshold !== null && remaining < threshold;
  if (low && s.lowBudgetAlertedAt === null) {
    await lockMoneySettings(q, merchantId, programId, at);
    await q.query("UPDATE program_money_settings SET low_budget_alerted_at = $3 WHERE merchant_id = $1 AND program_id = $2", [
      merchantId,
      programId,
      at,
    ]);
    await emitEvent(
      q,
      merchantId,
      {
        type: "funding.low_budget",
        subject: `program:${programId}`,
        data: { programId, remainingMinor: remaining, lowBudgetAlertMinor: threshold },
      },
      at,
    );
    return true;
  }
  if (!low && s.lowBudgetAlertedAt !== null)
    await q.query("UPDATE program_money_settings SET low_budget_alerted_at = NULL WHERE merchant_id = $1 AND program_id = $2", [
      merchantId,
      programId,
    ]);
  return false;
}

export interface TopUpInput {
  amountMinor: number;
  reference: string;
  note?: string;
}

/**
 * Record a top-up: budget +x in the ledger, then the program's awaiting_funds withdrawals return to approved, oldest
 * first, while the remaining budget covers them (a later run pays them). The same reference again with the same
 * figures returns the first top-up; with others it is refused (TOPUP_REFERENCE_REUSED).
 */
export async function recordTopUp(
  q: Sql,
  merchantId: string,
  programId: string,
  currency: string,
  input: TopUpInput,
  actor: string,
  at: Date,
): Promise<{ status: 200 | 201; topup: Record<string, unknown> }> {
  await lockLedgerHead(q, merchantId);
  const [prev] = await q.query<{ id: string; program_id: string; amount_minor: string; note: string | null }>(
    "SELECT id, program_id, amount_minor::text, note FROM funding_topups WHERE merchant_id = $1 AND reference = $2",
    [merchantId, input.reference],
  );
  if (prev) {
    if (prev.program_id !== programId || Number(prev.amount_minor) !== input.amountMinor || (prev.note ?? null) !== (input.note ?? null))
      fail("TOPUP_REFERENCE_REUSED", undefined, { reference: input.reference, topupId: prev.id });
    return { status: 200, topup: await topUpView(q, merchantId, prev.id) };
  }
  const s = await lockMoneySettings(q, merchantId, programId, at);
  if (s.funding.mode !== "prepaid") fail("PROGRAM_NOT_PREPAID", undefined, { programId, mode: s.funding.mode });
  const id = newId("top");
  const draft = budgetTopUp(programId, currency, `topup:${id}`, `top-up ${input.reference}`, input.amountMinor);
  if (!draft) throw new Error("a top-up always posts");
  const posted = await postTx(q, merchantId, draft, at);
  const released = await releaseAwaitingFunds(q, merchantId, programId, actor, at);
  await q.query(
    `INSERT INTO funding_topups (merchant_id, id, program_id, reference, amount_minor, currency, note, actor, ledger_seq, released, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [merchantId, id, programId, input.reference, input.amountMinor, currency, input.note ?? null, actor, posted.seq, released, at],
  );
  await checkLowBudget(q, merchantId, programId, at);
  return { status: 201, topup: await topUpView(q, merchantId, id) };
}

async function topUpView(q: Sql, merchantId: string, id: string): Promise<Record<string, unknown>> {
  const [t] = await q.query<Record<string, unknown>>(
    `SELECT id, program_id AS "programId", reference, amount_minor::int8 AS "amountMinor", currency, note, actor,
            ledger_seq::int8 AS "ledgerSeq", released AS "releasedWithdrawals", created_at AS "createdAt"
     FROM funding_topups WHERE merchant_id = $1 AND id = $2`,
    [merchantId, id],
  );
  if (!t) throw new Error(`top-up ${id} vanished`);
  return { ...t, amountMinor: Number(t.amountMinor), ledgerSeq: Number(t.ledgerSeq) };
}

/**
 * Return awaiting_funds withdrawals to approved, oldest first, while their gross fits the remaining budget (less what
 * approved, not yet submitted withdrawals of the program will draw). Stops at the first that does not fit, so none
 * overtakes an older one. Returns how many moved.
 */
export async function releaseAwaitingFunds(q: Sql, merchantId: string, programId: string, actor: string, at: Date): Promise<number> {
  const remaining = await budgetRemaining(q, merchantId, programId);
  const [pending] = await q.query<{ v: string | null }>(
    "SELECT sum(amount_minor)::text AS v FROM withdrawals WHERE merchant_id = $1 AND program_id = $2 AND state = 'approved'",
    [merchantId, programId],
  );
  let free = remaining - Number(pending?.v ?? 0);
  const waiting = await q.query<{ id: string; amount_minor: string }>(
    `SELECT id, amount_minor::text FROM withdrawals WHERE merchant_id = $1 AND program_id = $2 AND state = 'awaiting_funds'
     ORDER BY requested_at, id FOR UPDATE`,
    [merchantId, programId],
  );
  let moved = 0;
  for (const w of waiting) {
    const gross = Number(w.amount_minor);
    if (gross > free) break;
    const r = await moveWithdrawal(q, merchantId, w.id, "funds_available", { actor, reason: "budget topped up", at });
    if (!r.ok) continue;
    await q.query("UPDATE withdrawals SET payout_run_id = NULL WHERE merchant_id = $1 AND id = $2", [merchantId, w.id]);
    free -= gross;
    moved += 1;
  }
  return moved;
}

const drawDraft = (programId: string, currency: string, withdrawalId: string, gross: number) =>
  budgetDraw(programId, currency, `withdrawal:${withdrawalId}:budget_draw`, "budget drawn by a payout", gross);
const returnDraft = (programId: string, currency: string, withdrawalId: string, gross: number) =>
  budgetReturn(programId, currency, `withdrawal:${withdrawalId}:budget_return`, "payout failed: budget returned", gross);

/** Draw a prepaid withdrawal's gross from the budget when it is submitted (once: the cause is the withdrawal's). */
export function drawBudget(q: Sql, merchantId: string, programId: string, currency: string, withdrawalId: string, gross: number, at: Date) {
  const draft = drawDraft(programId, currency, withdrawalId, gross);
  return draft ? postTx(q, merchantId, draft, at) : null;
}

export interface BudgetMove {
  programId: string;
  currency: string;
  withdrawalId: string;
  gross: number;
}

/** drawBudget for many withdrawals, posted as one set in the order given. */
export async function drawBudgets(q: Sql, merchantId: string, draws: readonly BudgetMove[], at: Date): Promise<void> {
  await postTxs(
    q,
    merchantId,
    draws.map((w) => drawDraft(w.programId, w.currency, w.withdrawalId, w.gross)),
    at,
  );
}

/** A failed payment returns its draw to the budget (when it drew one). */
export async function returnBudget(
  q: Sql,
  merchantId: string,
  programId: string,
  currency: string,
  withdrawalId: string,
  gross: number,
  at: Date,
) {
  const [drawn] = await q.query("SELECT 1 FROM ledger_transactions WHERE merchant_id = $1 AND cause_ref = $2", [
    merchantId,
    `withdrawal:${withdrawalId}:budget_draw`,
  ]);
  if (!drawn) return false;
  const draft = returnDraft(programId, currency, withdrawalId, gross);
  if (draft) await postTx(q, merchantId, draft, at);
  return true;
}

/** returnBudget for many failed payments: those that drew a budget get it back, posted as one set in the order given. */
export async function returnBudgets(q: Sql, merchantId: string, moves: readonly BudgetMove[], at: Date): Promise<void> {
  if (moves.length === 0) return;
  const drawn = new Set(
    (
      await q.query<{ cause_ref: string }>(
        "SELECT cause_ref FROM ledger_transactions WHERE merchant_id = $1 AND cause_ref = ANY($2::text[])",
        [merchantId, moves.map((m) => `withdrawal:${m.withdrawalId}:budget_draw`)],
      )
    ).map((r) => r.cause_ref),
  );
  await postTxs(
    q,
    merchantId,
    moves
      .filter((m) => drawn.has(`withdrawal:${m.withdrawalId}:budget_draw`))
      .map((m) => returnDraft(m.programId, m.currency, m.withdrawalId, m.gross)),
    at,
  );
}
