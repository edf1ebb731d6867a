/**
 * Set-based state changes: `applyWithdrawalEvents` moves many withdrawals in one unit of work with the same effects,
 * row for row, as `applyWithdrawalEvent` (./transition.ts) applied to each in turn — the same core `transition()`, the
 * same ledger drafts (transitionDraft), chained by the ledger module's postTxs exactly as postTx chains one, the same
 * transition rows, tax voided on reject and fail, audit entries and `withdrawal.state_changed` events.
 *
 * What it buys: a payout run moves hundreds of withdrawals per transaction with about ten statements instead of about
 * twenty per withdrawal under the merchant's ledger head (docs/performance.md, "Payout runs"). The only difference
 * from the one-at-a-time path is the order of the rows inside the set: each withdrawal's ledger transaction takes the
 * next seq in the order the changes are given.
 *
 * Locks: the merchant's ledger head first, then the withdrawal rows in id order (FOR UPDATE), as everywhere.
 */
import { type LedgerTxDraft, transition, WITHDRAWAL_FINAL_STATES, type WithdrawalEvent } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { auditMany } from "../audit/repository.ts";
import { emitEvents } from "../events/outbox.ts";
import { lockLedgerHead, postTxs } from "../ledger/repository.ts";
import { insertTransitions, normalise, voidTaxWithholdings, WITHDRAWAL_COLS, type WithdrawalRow } from "./repository.ts";
import { transitionDraft, transitionRecords, WITHDRAWAL_REASON_LENGTH_MAX, type WithdrawalEventOptions } from "./transition.ts";

export interface WithdrawalChange {
  withdrawalId: string;
  event: WithdrawalEvent;
  opts: WithdrawalEventOptions;
}

export type ChangeResult =
  | { ok: true; row: WithdrawalRow; ledgerSeq: number | null }
  | { ok: false; code: "NOT_FOUND" | "WITHDRAWAL_FINAL" | "TRANSITION_NOT_ALLOWED"; state: string };

/**
 * Apply each change (distinct withdrawals, one time `at` for all) in the caller's transaction. A refused change
 * (not found, final, not allowed from its state) writes nothing and is reported as such; the others are applied.
 */
export async function applyWithdrawalEvents(q: Sql, merchantId: string, changes: readonly WithdrawalChange[]): Promise<ChangeResult[]> {
  if (changes.length === 0) return [];
  const at = changes[0]?.opts.at as Date;
  if (changes.some((c) => c.opts.at.getTime() !== at.getTime())) throw new Error("applyWithdrawalEvents: one time for the whole set");
  if (new Set(changes.map((c) => c.withdrawalId)).size !== changes.length) throw new Error("applyWithdrawalEvents: a withdrawal twice");
  await lockLedgerHead(q, merchantId);
  const current = await lockWithdrawals(
    q,
    merchantId,
    changes.map((c) => c.withdrawalId),
  );
  const results: ChangeResult[] = [];
  const accepted: {
    change: WithdrawalChange;
    from: WithdrawalRow;
    to: string;
    movement: Extract<ReturnType<typeof transition>, { ok: true }>["movement"];
  }[] = [];
  for (const c of changes) {
    const w = current.get(c.withdrawalId);
    if (!w) {
      results.push({ ok: false, code: "NOT_FOUND", state: "unknown" });
      continue;
    }
    const t = transition(w.state, c.event);
    if (!t.ok) {
      results.push({ ok: false, code: t.code as "WITHDRAWAL_FINAL" | "TRANSITION_NOT_ALLOWED", state: w.state });
      continue;
    }
    results.push({ ok: true, row: w, ledgerSeq: null });
    accepted.push({ change: c, from: w, to: t.state, movement: t.movement });
  }
  if (accepted.length === 0) return results;
  const written = await writeStates(q, merchantId, accepted, at);
  await voidTaxWithholdings(
    q,
    merchantId,
    accepted.filter((a) => a.change.event === "reject" || a.change.event === "fail").map((a) => a.from.id),
    at,
  );
  const seqs = await postInOrder(
    q,
    merchantId,
    accepted.map((a) => transitionDraft(written.get(a.from.id) as WithdrawalRow, a.change.event, a.movement)),
    at,
  );
  const records = accepted.map((a, i) => {
    const w = written.get(a.from.id) as WithdrawalRow;
    const reason = a.change.opts.reason?.slice(0, WITHDRAWAL_REASON_LENGTH_MAX) ?? null;
    return { a, w, reason, ledgerSeq: seqs[i] ?? null, ...transitionRecords(w, a.from.state, a.change.event, reason, seqs[i] ?? null) };
  });
  await insertTransitions(
    q,
    merchantId,
    records.map((r) => ({
      withdrawalId: r.w.id,
      from: r.a.from.state,
      event: r.a.change.event,
      to: r.w.state,
      actor: r.a.change.opts.actor,
      reason: r.reason,
      ledgerSeq: r.ledgerSeq,
      at,
    })),
  );
  await auditMany(
    q,
    merchantId,
    records.map((r) => ({ actor: r.a.change.opts.actor, ...r.audit })),
    at,
  );
  await emitEvents(
    q,
    merchantId,
    records.map((r) => r.event),
    at,
  );
  const byId = new Map(records.map((r) => [r.w.id, r]));
  return results.map((res, i) => {
    if (!res.ok) return res;
    const r = byId.get(changes[i]?.withdrawalId as string);
    return r ? { ok: true, row: r.w, ledgerSeq: r.ledgerSeq } : res;
  });
}

async function lockWithdrawals(q: Sql, merchantId: string, ids: readonly string[]): Promise<Map<string, WithdrawalRow>> {
  const rows = await q.query<WithdrawalRow & Record<string, unknown>>(
    `SELECT ${WITHDRAWAL_COLS} FROM withdrawals w WHERE w.merchant_id = $1 AND w.id = ANY($2::text[]) ORDER BY w.id FOR UPDATE`,
    [merchantId, ids],
  );
  return new Map(rows.map((r) => [r.id, normalise(r)]));
}

/** Post the drafts in order (nulls move nothing); returns each draft's seq, or null for a null draft. */
async function postInOrder(q: Sql, merchantId: string, drafts: readonly (LedgerTxDraft | null)[], at: Date): Promise<(number | null)[]> {
  const posted = await postTxs(q, merchantId, drafts, at);
  let k = 0;
  return drafts.map((d) => (d ? (posted[k++]?.seq ?? null) : null));
}

/** The new states, as writeState (./transition.ts) writes one, in one statement; returns the rows as written. */
async function writeStates(
  q: Sql,
  merchantId: string,
  accepted: readonly { change: WithdrawalChange; from: WithdrawalRow; to: string }[],
  at: Date,
): Promise<Map<string, WithdrawalRow>> {
  const cols = accepted.map(({ change: c, from: w, to }) => {
    const p = c.opts.provider;
    const failing = c.event === "reject" || c.event === "fail";
    return {
      id: w.id,
      to,
      reason: failing ? (c.opts.reason?.slice(0, WITHDRAWAL_REASON_LENGTH_MAX) ?? null) : w.stateReason,
      decided: c.event === "approve" || c.event === "reject",
      actor: c.opts.actor,
      name: p?.name ?? null,
      ref: p?.ref ?? null,
      billNo: p?.billNo ?? null,
      state: p?.state ?? null,
      packageInfo: p?.packageInfo ?? null,
      expiresAt: p?.expiresAt ?? null,
      final: (WITHDRAWAL_FINAL_STATES as readonly string[]).includes(to),
    };
  });
  const pick = <K extends keyof (typeof cols)[number]>(k: K) => cols.map((c) => c[k]);
  const rows = await q.query<WithdrawalRow & Record<string, unknown>>(
    `UPDATE withdrawals w SET state = x.to_state, state_reason = x.reason,
       decided_by = CASE WHEN x.decided THEN x.actor ELSE w.decided_by END, decided_at = CASE WHEN x.decided THEN $2 ELSE w.decided_at END,
       provider = coalesce(x.name, w.provider), provider_ref = coalesce(w.provider_ref, x.ref), provider_bill_no = coalesce(x.bill_no, w.provider_bill_no),
       provider_state = coalesce(x.pstate, w.provider_state), package_info = coalesce(x.package_info, w.package_info),
       expires_at = coalesce(x.expires_at, w.expires_at),
       finished_at = CASE WHEN x.final THEN $2 ELSE w.finished_at END, updated_at = $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                 $13::timestamptz[], $14::bool[]) AS x(id, to_state, reason, decided, actor, name, ref, bill_no, pstate, package_info, expires_at, final)
     WHERE w.merchant_id = $1 AND w.id = x.id
     RETURNING ${WITHDRAWAL_COLS}`,
    [
      merchantId,
      at,
      pick("id"),
      pick("to"),
      pick("reason"),
      pick("decided"),
      pick("actor"),
      pick("name"),
      pick("ref"),
      pick("billNo"),
      pick("state"),
      pick("packageInfo"),
      pick("expiresAt"),
      pick("final"),
    ],
  );
  return new Map(rows.map((r) => [r.id, normalise(r)]));
}
