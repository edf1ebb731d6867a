/**
 * Applying many providers' answers of one merchant as a set (a payout run's chunk): the same effects as applyStatus
 * (./settle.ts) on each answer in turn — paid: the withdrawal succeeds, the platform's service fee, the item paid, the
 * `payout.succeeded` event; failed: the withdrawal fails with everything returned, the budget draw returned, the item
 * failed, the `payout.failed` event — each kind written with a few statements for the whole set (applyWithdrawalEvents,
 * the ledger module's postTxs). Answers that only note a state (processing, waiting, unknown) go through applyStatus.
 *
 * What it buys: settling a chunk of 500 costs about fifteen statements instead of about fifteen per withdrawal, under
 * the merchant's ledger head (docs/performance.md, "Payout runs"). Idempotent as applyStatus is: a withdrawal already
 * final is left unchanged (a duplicate or late answer).
 */
import type { Sql } from "../../db/client.ts";
import { emitEvents } from "../events/outbox.ts";
import { returnBudgets } from "../funding/service.ts";
import { postTxs } from "../ledger/repository.ts";
import type { PayoutStatus } from "./contract.ts";
import {
  type Applied,
  applyStatus,
  type ItemRef,
  payoutFailed,
  payoutSucceeded,
  type SettingsCache,
  serviceFeeTx,
  settingsOf,
} from "./settle.ts";
import { moveWithdrawals, type WithdrawalRow } from "./withdrawal-port.ts";

type Answer = { item: ItemRef; status: PayoutStatus };
type Final = { item: ItemRef; status: Extract<PayoutStatus, { state: "succeeded" | "failed" }> };

/** Apply answers for distinct withdrawals of one merchant; returns what each did, in order. */
export async function applyStatuses(
  q: Sql,
  merchantId: string,
  answers: readonly Answer[],
  actor: string,
  at: Date,
  cache: SettingsCache,
): Promise<Applied[]> {
  const out: Applied[] = new Array(answers.length);
  const paid: { i: number; a: Final }[] = [];
  const failed: { i: number; a: Final }[] = [];
  for (const [i, a] of answers.entries()) {
    if (a.status.state === "succeeded") paid.push({ i, a: a as Final });
    else if (a.status.state === "failed") failed.push({ i, a: a as Final });
    else out[i] = await applyStatus(q, a.item, a.status, actor, at, cache);
  }
  const paidRows = await moveFinal(
    q,
    merchantId,
    paid.map((p) => p.a),
    "succeed",
    actor,
    at,
  );
  await settlePaid(q, merchantId, paid, paidRows, at, cache, out);
  const failedRows = await moveFinal(
    q,
    merchantId,
    failed.map((p) => p.a),
    "fail",
    actor,
    at,
  );
  await settleFailed(q, merchantId, failed, failedRows, at, out);
  return out;
}

/** The withdrawals moved to paid or failed; null where the withdrawal was already final (nothing written). */
async function moveFinal(
  q: Sql,
  merchantId: string,
  answers: readonly Final[],
  event: "succeed" | "fail",
  actor: string,
  at: Date,
): Promise<(WithdrawalRow | null)[]> {
  const moved = await moveWithdrawals(
    q,
    merchantId,
    answers.map((a) => ({
      withdrawalId: a.item.withdrawalId,
      event,
      opts: {
        actor,
        at,
        reason: a.status.state === "failed" ? a.status.reason : undefined,
        provider: { name: a.item.provider, billNo: a.status.providerRef, state: a.status.providerState },
      },
    })),
  );
  return moved.map((m) => (m.ok ? m.row : null));
}

async function settlePaid(
  q: Sql,
  merchantId: string,
  paid: readonly { i: number; a: Final }[],
  rows: readonly (WithdrawalRow | null)[],
  at: Date,
  cache: SettingsCache,
  out: Applied[],
): Promise<void> {
  const done: { a: Final; w: WithdrawalRow; fee: ReturnType<typeof serviceFeeTx> }[] = [];
  for (const [k, p] of paid.entries()) {
    const w = rows[k];
    out[p.i] = w ? "paid" : "unchanged";
    if (!w) continue;
    // The platform's service fee: on the gross commission paid out, charged to the merchant, when it is paid.
    const s = await settingsOf(q, p.a.item, cache);
    done.push({ a: p.a, w, fee: serviceFeeTx(merchantId, w, s.fee.rateBps) });
  }
  if (done.length === 0) return;
  await postTxs(
    q,
    merchantId,
    done.map((d) => d.fee.tx),
    at,
  );
  await finishItems(
    q,
    merchantId,
    "paid",
    done.map((d) => d.a),
    at,
  );
  await emitEvents(
    q,
    merchantId,
    done.map(({ a, w, fee }) => payoutSucceeded(a.item, w, fee.fee)),
    at,
  );
}

async function settleFailed(
  q: Sql,
  merchantId: string,
  failed: readonly { i: number; a: Final }[],
  rows: readonly (WithdrawalRow | null)[],
  at: Date,
  out: Applied[],
): Promise<void> {
  const done: { a: Final; w: WithdrawalRow }[] = [];
  for (const [k, p] of failed.entries()) {
    const w = rows[k];
    out[p.i] = w ? "failed" : "unchanged";
    if (w) done.push({ a: p.a, w });
  }
  if (done.length === 0) return;
  // Compensation: everything returned by the withdrawal's fail; a prepaid program's budget gets its draw back.
  await returnBudgets(
    q,
    merchantId,
    done.map(({ a, w }) => ({ programId: a.item.programId, currency: w.currency, withdrawalId: w.id, gross: w.amountMinor })),
    at,
  );
  await finishItems(
    q,
    merchantId,
    "failed",
    done.map((d) => d.a),
    at,
  );
  await emitEvents(
    q,
    merchantId,
    done.map(({ a, w }) => payoutFailed(a.item, w, a.status.state === "failed" ? a.status.reason : null)),
    at,
  );
}

/** The items' final state, as setItem (./settle.ts) writes it for one, in one statement. */
async function finishItems(q: Sql, merchantId: string, state: "paid" | "failed", answers: readonly Final[], at: Date): Promise<void> {
  await q.query(
    `UPDATE payout_items i SET state = $2, provider_ref = x.provider_ref, provider_state = x.provider_state, result = x.result::jsonb,
       reason = x.reason, finished_at = $3, next_query_at = NULL, updated_at = $3
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(run_id, withdrawal_id, provider_ref, provider_state, result, reason)
     WHERE i.merchant_id = $1 AND i.run_id = x.run_id AND i.withdrawal_id = x.withdrawal_id`,
    [
      merchantId,
      state,
      at,
      answers.map((a) => a.item.runId),
      answers.map((a) => a.item.withdrawalId),
      answers.map((a) => a.status.providerRef ?? null),
      answers.map((a) => a.status.providerState),
      answers.map((a) => JSON.stringify(a.status)),
      answers.map((a) => (a.status.state === "failed" ? a.status.reason : null)),
    ],
  );
}
