/**
 * Applying a provider's answer to one payout item and its withdrawal, idempotently: from the run's submit and query,
 * from a callback, from a bank result file. A duplicate or late answer for a withdrawal already paid or failed changes
 * nothing (WITHDRAWAL_FINAL). Runs in the caller's transaction, which holds the merchant's ledger head.
 */
import { serviceFee, serviceFeeOf } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { type DomainEvent, emitEvent } from "../events/outbox.ts";
import { returnBudget } from "../funding/service.ts";
import { type MoneySettings, readMoneySettings } from "../funding/settings.ts";
import { postTx } from "../ledger/repository.ts";
import type { PayoutStatus } from "./contract.ts";
import { moveWithdrawal } from "./withdrawal-port.ts";

/** A transfer still processing is queried after this long (its callback may be lost or late). */
export const PROCESSING_QUERY_AFTER_MS = 30_000;
/** A transfer waiting for the payee's confirmation is queried this often (the payee acts in minutes or hours). */
export const CONFIRMATION_QUERY_EVERY_MS = 10 * 60_000;
/** After an unknown outcome, the next query comes sooner. */
export const UNKNOWN_QUERY_AGAIN_MS = 60_000;

export interface ItemRef {
  merchantId: string;
  runId: string;
  withdrawalId: string;
  programId: string;
  provider: string;
  outRef: string;
}

export type Applied = "paid" | "failed" | "waiting" | "unchanged";

/** The platform's service fee on a paid withdrawal (its gross), as a ledger transaction, or null when it is nothing. */
export function serviceFeeTx(merchantId: string, w: { id: string; currency: string; amountMinor: number }, rateBps: number) {
  const fee = serviceFeeOf(w.amountMinor, rateBps);
  return { fee, tx: serviceFee(merchantId, w.currency, `withdrawal:${w.id}:service_fee`, `service fee ${rateBps} bps`, fee) };
}

/** `payout.succeeded` of a withdrawal paid through an item (one at a time here, or a chunk in ./settle-set.ts). */
export function payoutSucceeded(it: ItemRef, w: { id: string; netMinor: number }, serviceFeeMinor: number): DomainEvent {
  return {
    type: "payout.succeeded",
    subject: `withdrawal:${w.id}`,
    data: { withdrawalId: w.id, runId: it.runId, provider: it.provider, outRef: it.outRef, netMinor: w.netMinor, serviceFeeMinor },
  };
}

/** `payout.failed` of a withdrawal whose item failed. */
export function payoutFailed(it: ItemRef, w: { id: string }, reason: string | null): DomainEvent {
  return {
    type: "payout.failed",
    subject: `withdrawal:${w.id}`,
    data: { withdrawalId: w.id, runId: it.runId, provider: it.provider, outRef: it.outRef, reason },
  };
}

async function setItem(q: Sql, it: ItemRef, fields: Record<string, unknown>, at: Date): Promise<void> {
  const keys = Object.keys(fields);
  const sets = keys.map((k, i) => `${k} = $${i + 4}`);
  await q.query(
    `UPDATE payout_items SET ${[...sets, `updated_at = $${keys.length + 4}`].join(", ")} WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = $3`,
    [it.merchantId, it.runId, it.withdrawalId, ...keys.map((k) => fields[k]), at],
  );
}

/** Settings read once per unit of work (a run's batch of answers), per program. */
export type SettingsCache = Map<string, MoneySettings>;

export async function settingsOf(q: Sql, it: ItemRef, cache?: SettingsCache): Promise<MoneySettings> {
  const hit = cache?.get(it.programId);
  if (hit) return hit;
  const s = await readMoneySettings(q, it.merchantId, it.programId);
  cache?.set(it.programId, s);
  return s;
}

export async function applyStatus(
  q: Sql,
  it: ItemRef,
  status: PayoutStatus,
  actor: string,
  at: Date,
  cache?: SettingsCache,
): Promise<Applied> {
  const result = JSON.stringify(status);
  switch (status.state) {
    case "unknown":
      await setItem(q, it, { reason: status.reason, result, next_query_at: new Date(at.getTime() + UNKNOWN_QUERY_AGAIN_MS) }, at);
      return "unchanged";
    case "processing":
    case "wait_user_confirm": {
      const [cur] = await q.query<{ state: string }>(
        "SELECT state FROM payout_items WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = $3 FOR UPDATE",
        [it.merchantId, it.runId, it.withdrawalId],
      );
      if (!cur || cur.state === "paid" || cur.state === "failed") return "unchanged";
      const waiting = status.state === "wait_user_confirm";
      await setItem(
        q,
        it,
        {
          state: status.state,
          provider_ref: status.providerRef ?? null,
          provider_state: status.providerState,
          result,
          expires_at: waiting ? new Date(status.expiresAt) : null,
          // Waiting for the payee: look again every few minutes, and at the expiry at the latest.
          next_query_at: waiting
            ? new Date(Math.min(at.getTime() + CONFIRMATION_QUERY_EVERY_MS, Math.max(at.getTime(), Date.parse(status.expiresAt))))
            : new Date(at.getTime() + PROCESSING_QUERY_AFTER_MS),
        },
        at,
      );
      await q.query(
        `UPDATE withdrawals SET provider_state = $3, provider_bill_no = coalesce($4, provider_bill_no), package_info = $5, expires_at = $6, updated_at = $7
         WHERE merchant_id = $1 AND id = $2 AND state = 'paying'`,
        [
          it.merchantId,
          it.withdrawalId,
          status.providerState,
          status.providerRef ?? null,
          waiting ? status.packageInfo : null,
          waiting ? new Date(status.expiresAt) : null,
          at,
        ],
      );
      return "waiting";
    }
    case "succeeded":
      return succeed(q, it, status, actor, at, result, cache);
    case "failed":
      return failItem(q, it, status, actor, at, result);
  }
}

async function succeed(
  q: Sql,
  it: ItemRef,
  status: Extract<PayoutStatus, { state: "succeeded" }>,
  actor: string,
  at: Date,
  result: string,
  cache?: SettingsCache,
) {
  const moved = await moveWithdrawal(q, it.merchantId, it.withdrawalId, "succeed", {
    actor,
    at,
    provider: { name: it.provider, billNo: status.providerRef, state: status.providerState },
  });
  if (!moved.ok) return "unchanged";
  const w = moved.row;
  // The platform's service fee: on the gross commission paid out, charged to the merchant, when it is paid.
  const s = await settingsOf(q, it, cache);
  const { fee, tx: feeTx } = serviceFeeTx(it.merchantId, w, s.fee.rateBps);
  if (feeTx) await postTx(q, it.merchantId, feeTx, at);
  await setItem(
    q,
    it,
    {
      state: "paid",
      provider_ref: status.providerRef ?? null,
      provider_state: status.providerState,
      result,
      reason: null,
      finished_at: at,
      next_query_at: null,
    },
    at,
  );
  await emitEvent(q, it.merchantId, payoutSucceeded(it, w, fee), at);
  return "paid";
}

async function failItem(q: Sql, it: ItemRef, status: Extract<PayoutStatus, { state: "failed" }>, actor: string, at: Date, result: string) {
  // Compensation: the withdrawal fails and everything returns (the gross to available, the tax voided, the fee back),
  // and a prepaid program's budget gets its draw back.
  const moved = await moveWithdrawal(q, it.merchantId, it.withdrawalId, "fail", {
    actor,
    reason: status.reason,
    at,
    provider: { name: it.provider, billNo: status.providerRef, state: status.providerState },
  });
  if (!moved.ok) return "unchanged";
  const w = moved.row;
  await returnBudget(q, it.merchantId, it.programId, w.currency, w.id, w.amountMinor, at);
  await setItem(
    q,
    it,
    {
      state: "failed",
      provider_ref: status.providerRef ?? null,
      provider_state: status.providerState,
      result,
      reason: status.reason,
      finished_at: at,
      next_query_at: null,
    },
    at,
  );
  await emitEvent(q, it.merchantId, payoutFailed(it, w, status.reason), at);
  return "failed";
}

/** The item a provider's outRef belongs to (the withdrawal's provider_ref and its current run). */
export async function itemByOutRef(q: Sql, merchantId: string, outRef: string): Promise<ItemRef | null> {
  const [r] = await q.query<{ run_id: string; withdrawal_id: string; program_id: string; provider: string; out_ref: string }>(
    `SELECT i.run_id, i.withdrawal_id, i.program_id, i.provider, i.out_ref FROM payout_items i
     WHERE i.merchant_id = $1 AND i.out_ref = $2 ORDER BY (i.state IN ('submitting', 'processing', 'wait_user_confirm')) DESC, i.created_at DESC LIMIT 1`,
    [merchantId, outRef],
  );
  return r
    ? { merchantId, runId: r.run_id, withdrawalId: r.withdrawal_id, programId: r.program_id, provider: r.provider, outRef: r.out_ref }
    : null;
}
