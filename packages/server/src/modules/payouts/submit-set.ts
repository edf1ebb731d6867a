/**
 * The submit step's unit of work for a chunk of selected items, and what it shares with the one-at-a-time path
 * (runner.ts, prepareItem).
 *
 * `prepareChunk` is the speed boundary of a payout run: where prepareItem moves one withdrawal after another (about
 * twenty statements each, under the merchant's ledger head), it moves the whole chunk with the same effects as a set —
 * payees revealed together (revealPayees), the withdrawals moved to paying together (applyWithdrawalEvents: postings
 * built by the core recipes and chained by the ledger module's postTxs), prepaid budget draws posted together, the
 * items marked in one statement. What it buys: a run of 100,000 withdrawals in under a minute instead of about an hour
 * (docs/performance.md, "Payout runs"). Each withdrawal is still moved exactly once: the chunk's rows are locked, a
 * withdrawal no longer approved is refused by its transition and skipped, and the whole chunk commits or none of it.
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { checkLowBudget, drawBudgets } from "../funding/service.ts";
import { readMoneySettings } from "../funding/settings.ts";
import type { Payee, PayoutProvider, ProviderName, ProviderRegistry } from "./contract.ts";
import { payeesOf } from "./payee.ts";
import { itemRef, type RunRow } from "./repository.ts";
import { type ItemRef, type SettingsCache, UNKNOWN_QUERY_AGAIN_MS } from "./settle.ts";
import { moveWithdrawal, moveWithdrawals } from "./withdrawal-port.ts";

export const PAYOUT_ACTOR = "system:payout-run";

export type SubmitRow = { withdrawal_id: string; program_id: string; provider: string; out_ref: string; net_minor: string; run_id: string };
export interface Submission {
  item: ItemRef;
  provider: PayoutProvider;
  netMinor: number;
}
export type Prepared = Submission & { payee: Payee };

/** Leave an item unpaid: its withdrawal stays as it is (approved, unclaimed) for a later run. */
export async function skipItem(q: Sql, run: RunRow, withdrawalId: string, reason: string, at: Date, unclaim = true): Promise<void> {
  await q.query(
    "UPDATE payout_items SET state = 'skipped', reason = $4, updated_at = $5 WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = $3",
    [run.merchant_id, run.id, withdrawalId, reason, at],
  );
  if (unclaim)
    await q.query("UPDATE withdrawals SET payout_run_id = NULL WHERE merchant_id = $1 AND id = $2 AND payout_run_id = $3", [
      run.merchant_id,
      withdrawalId,
      run.id,
    ]);
}

/** A payout account removed since the request: the withdrawal fails from approved (the gross returns; nothing was withheld). */
export async function failUnpayable(q: Sql, run: RunRow, withdrawalId: string, reason: string, at: Date): Promise<void> {
  const moved = await moveWithdrawal(q, run.merchant_id, withdrawalId, "fail", { actor: PAYOUT_ACTOR, reason, at });
  await q.query(
    "UPDATE payout_items SET state = $4, reason = $5, finished_at = $6, updated_at = $6 WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = $3",
    [run.merchant_id, run.id, withdrawalId, moved.ok ? "failed" : "skipped", moved.ok ? reason : `withdrawal_${moved.state}`, at],
  );
}

/** The item submitted: 'submitting' with its first query due (a bank-file item: 'processing', EXPORTED), for many at once. */
export async function markSubmitted(q: Sql, run: RunRow, rows: readonly SubmitRow[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE payout_items i SET state = CASE WHEN i.provider = 'bank_file' THEN 'processing' ELSE 'submitting' END, attempts = attempts + 1,
       provider_state = CASE WHEN i.provider = 'bank_file' THEN 'EXPORTED' ELSE NULL END,
       next_query_at = CASE WHEN i.provider = 'bank_file' THEN NULL ELSE $4::timestamptz END, updated_at = $5
     WHERE i.merchant_id = $1 AND i.run_id = $2 AND i.withdrawal_id = ANY($3::text[])`,
    [run.merchant_id, run.id, rows.map((r) => r.withdrawal_id), new Date(now.getTime() + UNKNOWN_QUERY_AGAIN_MS), now],
  );
}

export interface ChunkDeps {
  providers: ProviderRegistry;
  ring?: KeyRing;
}

/** A chunk's selected items, in the submit transaction, as set-based work (see the file's comment). */
export async function prepareChunk(
  q: Sql,
  d: ChunkDeps,
  run: RunRow,
  rows: readonly SubmitRow[],
  settings: SettingsCache,
  now: Date,
): Promise<Prepared[]> {
  const providers = new Map<string, PayoutProvider | undefined>();
  const live: { r: SubmitRow; provider: PayoutProvider | null }[] = [];
  for (const r of rows) {
    if (r.provider !== "bank_file" && !providers.has(r.provider))
      providers.set(r.provider, await d.providers.get(run.merchant_id, r.provider as ProviderName, true));
    const provider = r.provider === "bank_file" ? null : providers.get(r.provider);
    if (provider === undefined) {
      await skipItem(q, run, r.withdrawal_id, "no_provider", now);
      continue;
    }
    let s = settings.get(r.program_id);
    if (!s) {
      s = await readMoneySettings(q, run.merchant_id, r.program_id);
      settings.set(r.program_id, s);
    }
    // A circuit opened since the items were selected stops them too (they stay approved).
    if (s.circuit.open) await skipItem(q, run, r.withdrawal_id, "circuit_open", now);
    else live.push({ r, provider });
  }
  // The payees are opened before any money moves.
  const payees = await payeesOf(
    q,
    d.ring,
    run.merchant_id,
    live.map((l) => l.r.withdrawal_id),
    now,
  );
  const payable: { r: SubmitRow; provider: PayoutProvider | null; payee: Payee }[] = [];
  for (const l of live) {
    const p = payees.get(l.r.withdrawal_id);
    if (p?.ok) payable.push({ ...l, payee: p.payee });
    else await failUnpayable(q, run, l.r.withdrawal_id, p?.reason ?? "payee missing", now);
  }
  const moved = await moveWithdrawals(
    q,
    run.merchant_id,
    payable.map(({ r }) => ({
      withdrawalId: r.withdrawal_id,
      event: "submit" as const,
      opts: { actor: PAYOUT_ACTOR, at: now, provider: { name: r.provider, ref: r.out_ref } },
    })),
  );
  const submitted: typeof payable = [];
  const draws: Parameters<typeof drawBudgets>[2][number][] = [];
  for (const [k, p] of payable.entries()) {
    const m = moved[k];
    if (!m?.ok) {
      await skipItem(q, run, p.r.withdrawal_id, `withdrawal_${m?.state ?? "unknown"}`, now, false);
      continue;
    }
    submitted.push(p);
    if (settings.get(p.r.program_id)?.funding.mode === "prepaid")
      draws.push({ programId: p.r.program_id, currency: m.row.currency, withdrawalId: m.row.id, gross: m.row.amountMinor });
  }
  await drawBudgets(q, run.merchant_id, draws, now);
  // The low-budget alert is looked at once per program after the chunk's draws (one-at-a-time: after each draw).
  for (const programId of new Set(draws.map((x) => x.programId))) await checkLowBudget(q, run.merchant_id, programId, now);
  await markSubmitted(
    q,
    run,
    submitted.map((s) => s.r),
    now,
  );
  return submitted.flatMap((s) =>
    s.provider ? [{ item: itemRef(run.merchant_id, s.r), provider: s.provider, netMinor: Number(s.r.net_minor), payee: s.payee }] : [],
  );
}
