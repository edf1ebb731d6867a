/**
 * A withdrawal's state changes (core `transition()`), each one unit with its effects in the caller's transaction:
 * the ledger movement (core withdrawalPostings: lock, withhold, pay, release, unwind), a withdrawal_transitions row
 * with the actor, the reason and the ledger transaction's seq, the tax withheld voided on reject and fail, the
 * provider's fields, an audit entry and the `withdrawal.state_changed` event.
 *
 * Locks: `applyWithdrawalEvent` takes the merchant's ledger head itself (FOR UPDATE; when the caller already holds
 * it, that is a no-op), then the withdrawal row. A caller that holds any other row lock must take the head first
 * (`lockLedgerHead`), as everywhere (docs/ledger.md, "Lock order").
 */
import {
  type LedgerTxDraft,
  transition,
  WITHDRAWAL_FINAL_STATES,
  type WithdrawalEvent,
  type WithdrawalMovement,
  type WithdrawalState,
  withdrawalCauseRef,
  withdrawalPostings,
} from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { emitEvent } from "../events/outbox.ts";
import { lockLedgerHead, postTx } from "../ledger/repository.ts";
import { getWithdrawal, insertTransition, voidTaxWithholding, type WithdrawalRow } from "./repository.ts";
import { feeAccountOf } from "./settings.ts";
import { withdrawalView } from "./view.ts";

/** A reason (rejection, failure) is kept to this many characters. */
export const WITHDRAWAL_REASON_LENGTH_MAX = 200;

export interface ProviderUpdate {
  name: string;
  /** The idempotency key sent to the provider: set once, never changed afterwards. */
  ref?: string;
  billNo?: string;
  state?: string;
  packageInfo?: string;
  expiresAt?: string;
}

export interface WithdrawalEventOptions {
  /** Who: `user:<id>`, `api_key:<id>`, `system:<what>`, `provider:<name>`. */
  actor: string;
  reason?: string;
  at: Date;
  provider?: ProviderUpdate;
}

/**
 * The ledger movement, the transition row, the audit entry and the event of one state change of `w` (already
 * written in its new state). Returns the ledger seq posted, or null when the transition moves no money.
 */
/** The ledger draft of a state change of `w` (core withdrawalPostings), or null when it moves no money. */
export function transitionDraft(w: WithdrawalRow, event: WithdrawalEvent, movement: WithdrawalMovement | null): LedgerTxDraft | null {
  if (!movement) return null;
  return withdrawalPostings(
    movement,
    { promoterId: w.promoterId, amountMinor: w.amountMinor, taxMinor: w.taxMinor, feeMinor: w.feeMinor },
    {
      currency: w.currency,
      causeRef: withdrawalCauseRef(w.id, event),
      memo: `提现 ${w.id} ${event}`,
      feeAccount: feeAccountOf(w.taxDetail.agent ?? "merchant", w.merchantId),
    },
  );
}

/** The audit entry and the `withdrawal.state_changed` event of a state change of `w` (already in its new state). */
export function transitionRecords(
  w: WithdrawalRow,
  from: WithdrawalState | null,
  event: WithdrawalEvent,
  reason: string | null,
  ledgerSeq: number | null,
) {
  const subject = `withdrawal:${w.id}`;
  return {
    audit: {
      action: `withdrawal.${event}`,
      subject,
      details: { from, to: w.state, amountMinor: w.amountMinor, taxMinor: w.taxMinor, feeMinor: w.feeMinor, reason, ledgerSeq },
    },
    event: {
      type: "withdrawal.state_changed" as const,
      subject,
      data: { from, event, to: w.state, withdrawal: withdrawalView(w) },
    },
  };
}

/**
 * The ledger movement, the transition row, the audit entry and the event of one state change of `w` (already
 * written in its new state). Returns the ledger seq posted, or null when the transition moves no money.
 */
export async function recordTransition(
  q: Sql,
  w: WithdrawalRow,
  change: { from: WithdrawalState | null; event: WithdrawalEvent; movement: WithdrawalMovement | null },
  opts: WithdrawalEventOptions,
): Promise<number | null> {
  let ledgerSeq: number | null = null;
  const draft = transitionDraft(w, change.event, change.movement);
  if (draft) ledgerSeq = (await postTx(q, w.merchantId, draft, opts.at)).seq;
  const reason = opts.reason?.slice(0, WITHDRAWAL_REASON_LENGTH_MAX) ?? null;
  await insertTransition(q, w.merchantId, w.id, {
    from: change.from,
    event: change.event,
    to: w.state,
    actor: opts.actor,
    reason,
    ledgerSeq,
    at: opts.at,
  });
  const r = transitionRecords(w, change.from, change.event, reason, ledgerSeq);
  await audit(q, w.merchantId, opts.actor, r.audit.action, r.audit.subject, r.audit.details, opts.at);
  await emitEvent(q, w.merchantId, r.event, opts.at);
  return ledgerSeq;
}

/**
 * Apply `event` to a withdrawal: the new row, after its ledger movement, transition row, audit entry and event.
 * Refused before anything is written — so a caller may catch the ApiError and go on in the same transaction — with
 * NOT_FOUND, WITHDRAWAL_FINAL (paid, rejected or failed: where a duplicate provider callback lands) or
 * TRANSITION_NOT_ALLOWED (details: state, event, allowed).
 */
export async function applyWithdrawalEvent(
  q: Sql,
  merchantId: string,
  withdrawalId: string,
  event: WithdrawalEvent,
  opts: WithdrawalEventOptions,
): Promise<WithdrawalRow> {
  await lockLedgerHead(q, merchantId);
  const w = await getWithdrawal(q, merchantId, withdrawalId, true);
  if (!w) fail("NOT_FOUND", "No such withdrawal.", { withdrawalId });
  const t = transition(w.state, event);
  if (!t.ok) fail(t.code, undefined, { withdrawalId, ...t.details });
  const next = await writeState(q, w, t.state, event, opts);
  if (event === "reject" || event === "fail") await voidTaxWithholding(q, merchantId, withdrawalId, opts.at);
  await recordTransition(q, next, { from: w.state, event, movement: t.movement }, opts);
  return next;
}

export async function writeState(
  q: Sql,
  w: WithdrawalRow,
  to: WithdrawalState,
  event: WithdrawalEvent,
  opts: WithdrawalEventOptions,
): Promise<WithdrawalRow> {
  const decided = event === "approve" || event === "reject";
  const final = WITHDRAWAL_FINAL_STATES.includes(to);
  const p = opts.provider;
  const reason = event === "reject" || event === "fail" ? (opts.reason?.slice(0, WITHDRAWAL_REASON_LENGTH_MAX) ?? null) : w.stateReason;
  await q.query(
    `UPDATE withdrawals SET state = $3, state_reason = $4,
       decided_by = CASE WHEN $5 THEN $6 ELSE decided_by END, decided_at = CASE WHEN $5 THEN $7 ELSE decided_at END,
       provider = coalesce($8, provider), provider_ref = coalesce(provider_ref, $9), provider_bill_no = coalesce($10, provider_bill_no),
       provider_state = coalesce($11, provider_state), package_info = coalesce($12, package_info),
       expires_at = coalesce($13::timestamptz, expires_at),
       finished_at = CASE WHEN $14 THEN $7 ELSE finished_at END, updated_at = $7
     WHERE merchant_id = $1 AND id = $2`,
    [
      w.merchantId,
      w.id,
      to,
      reason,
      decided,
      opts.actor,
      opts.at,
      p?.name ?? null,
      p?.ref ?? null,
      p?.billNo ?? null,
      p?.state ?? null,
      p?.packageInfo ?? null,
      p?.expiresAt ?? null,
      final,
    ],
  );
  const next = await getWithdrawal(q, w.merchantId, w.id);
  if (!next) throw new Error(`withdrawal ${w.id} vanished`);
  return next;
}
