/**
 * The payout run workflow (docs/payouts.md, "Payout runs"): named steps whose position is stored in payout_runs, run
 * under a lease so that two server processes never run a step of one run at once, and resumed from the stored step by
 * whichever process takes the lease after a crash.
 *
 *   select  claim the merchant's (or program's) approved withdrawals into items; a program whose circuit is open is
 *           skipped (its withdrawals stay approved), as is a withdrawal no provider here can pay
 *   fund    a prepaid program's items beyond its remaining budget go to awaiting_funds (oldest first are paid)
 *   submit  per item: the withdrawal → paying (tax and fee withheld, budget drawn) with the outRef stored, committed,
 *           THEN the provider is called; its answer is applied in a second transaction
 *   settle  until every item is final: query what is still open (an unknown outcome is queried before any retry,
 *           a transfer not found is submitted again under the same outRef); callbacks and bank results settle too
 *   finish  the run is done
 */
import { hostname } from "node:os";
import type { Clock } from "../../clock.ts";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db, Sql } from "../../db/client.ts";
import { randomBase32 } from "../../ids.ts";
import { checkLowBudget, drawBudget } from "../funding/service.ts";
import { readMoneySettings } from "../funding/settings.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import {
  outRefOf,
  type Payee,
  type PayoutProvider,
  type PayoutStatus,
  type ProviderName,
  type ProviderRegistry,
  pickProvider,
  type RunProvider,
} from "./contract.ts";
import { payeeOf } from "./payee.ts";
import { PayoutRequestRejected } from "./providers/types.ts";
import { ITEM_STATES_OPEN, itemRef, type RunRow } from "./repository.ts";
import { applyStatus, type ItemRef, type SettingsCache } from "./settle.ts";
import { applyStatuses } from "./settle-set.ts";
import {
  failUnpayable,
  markSubmitted,
  PAYOUT_ACTOR,
  type Prepared,
  prepareChunk,
  type Submission,
  type SubmitRow,
  skipItem,
} from "./submit-set.ts";
import { moveWithdrawal } from "./withdrawal-port.ts";

export { PAYOUT_ACTOR };

/** A lease lasts this long and is renewed by every unit of work of the step. */
export const LEASE_MS = 30_000;
export const SELECT_CHUNK = 2_000;
export const SUBMIT_CHUNK = 500;
export const PROVIDER_CONCURRENCY = 32;
export const SETTLE_CHUNK = 500;
/** How soon a run waiting on open items looks again when no item is due sooner (callbacks wake it earlier). */
export const SETTLE_POLL_MS = 5_000;
/** A run whose step failed tries again after this long. */
export const RUN_RETRY_MS = 10_000;

export interface RunnerDeps {
  db: Db;
  clock: Clock;
  providers: ProviderRegistry;
  /** Opens the payees' sealed details (the provider request only); a server without one cannot pay. */
  ring?: KeyRing;
  publicUrl: string;
  log?: (msg: string) => void;
  /** This process's lease owner name (one per process unless a test simulates two). */
  owner?: string;
  /**
   * Move withdrawals one at a time (prepareItem, applyStatus per answer, one provider call per transfer) instead of a
   * chunk as a set (submit-set.ts, settle-set.ts). The set-based path is the default; this one is the reference the
   * tests compare it with, and what a chunk's effects must equal.
   */
  oneAtATime?: boolean;
  /** Told how long each step took in this process (a settle step: each pass), for the benchmark's per-step figures. */
  onStep?: (step: string, ms: number) => void;
}

/** The lease owner of this process: host, pid and a random part (a restarted process is a new owner). */
export const PROCESS_OWNER = `${hostname()}:${process.pid}:${randomBase32(6)}`;

class LeaseLost extends Error {}

const ownerOf = (d: RunnerDeps) => d.owner ?? PROCESS_OWNER;
const leaseEnd = (d: RunnerDeps) => new Date(d.clock.now().getTime() + LEASE_MS);

async function renew(q: Sql, d: RunnerDeps, run: RunRow, step: string): Promise<void> {
  const r = await q.query(
    "UPDATE payout_runs SET lease_until = $4, updated_at = $5 WHERE merchant_id = $1 AND id = $2 AND lease_owner = $3 AND step = $6 RETURNING id",
    [run.merchant_id, run.id, ownerOf(d), leaseEnd(d), d.clock.now(), step],
  );
  if (r.length === 0) throw new LeaseLost();
}

async function claim(d: RunnerDeps, merchantId: string, runId: string): Promise<RunRow | null> {
  const now = d.clock.now();
  return d.db.tx(async (q) => {
    const [run] = await q.query<RunRow & Record<string, unknown>>(
      `UPDATE payout_runs SET lease_owner = $3, lease_until = $4, attempts = attempts + 1, updated_at = $5
       WHERE merchant_id = $1 AND id = $2 AND state = 'running' AND (lease_until IS NULL OR lease_until < $5 OR lease_owner = $3) RETURNING *`,
      [merchantId, runId, ownerOf(d), leaseEnd(d), now],
    );
    if (!run) return null;
    // Transfers an earlier holder submitted without recording the answer (it was killed): query them first.
    await q.query(
      "UPDATE payout_items SET next_query_at = $3 WHERE merchant_id = $1 AND run_id = $2 AND state = 'submitting' AND next_query_at > $3",
      [merchantId, runId, now],
    );
    return run;
  });
}

async function advance(d: RunnerDeps, run: RunRow, from: string, to: string): Promise<void> {
  const done = to === "done";
  await d.db.tx(async (q) => {
    const r = await q.query(
      `UPDATE payout_runs SET step = $5, updated_at = $4, state = CASE WHEN $6 THEN 'finished' ELSE state END,
         finished_at = CASE WHEN $6 THEN $4 ELSE finished_at END, lease_owner = CASE WHEN $6 THEN NULL ELSE lease_owner END,
         lease_until = CASE WHEN $6 THEN NULL ELSE lease_until END, last_error = NULL
       WHERE merchant_id = $1 AND id = $2 AND lease_owner = $3 AND step = $7 RETURNING id`,
      [run.merchant_id, run.id, ownerOf(d), d.clock.now(), to, done, from],
    );
    if (r.length === 0) throw new LeaseLost();
  });
}

async function letGo(d: RunnerDeps, run: RunRow, nextAt: Date, error: string | null): Promise<void> {
  await d.db.tx((q) =>
    q.query(
      `UPDATE payout_runs SET lease_owner = NULL, lease_until = NULL, next_at = $4, last_error = coalesce($5, last_error), updated_at = $6
       WHERE merchant_id = $1 AND id = $2 AND lease_owner = $3`,
      [run.merchant_id, run.id, ownerOf(d), nextAt, error, d.clock.now()],
    ),
  );
}

export type DriveResult = "done" | "waiting" | "busy";

/** Take the run's lease and run its steps from the stored one until it finishes or waits for answers. */
export async function driveRun(d: RunnerDeps, merchantId: string, runId: string): Promise<DriveResult> {
  const run = await claim(d, merchantId, runId);
  if (!run) return "busy";
  let step = run.step;
  try {
    for (;;) {
      const t0 = performance.now();
      if (step === "select") await stepSelect(d, run);
      else if (step === "fund") await stepFund(d, run);
      else if (step === "submit") await stepSubmit(d, run);
      else if (step === "settle") {
        const wake = await stepSettle(d, run);
        d.onStep?.(step, performance.now() - t0);
        if (wake) {
          await letGo(d, run, wake, null);
          return "waiting";
        }
      } else if (step !== "finish") return "done";
      if (step !== "settle") d.onStep?.(step, performance.now() - t0);
      const next = ({ select: "fund", fund: "submit", submit: "settle", settle: "finish", finish: "done" } as Record<string, string>)[
        step
      ] as string;
      await advance(d, run, step, next);
      if (next === "done") return "done";
      step = next;
    }
  } catch (e) {
    if (e instanceof LeaseLost) return "busy";
    const msg = (e as Error).message ?? String(e);
    d.log?.(`payout run ${run.id} step ${step} failed: ${msg}`);
    await letGo(d, run, new Date(d.clock.now().getTime() + RUN_RETRY_MS), msg.slice(0, 500)).catch(() => undefined);
    return "waiting";
  }
}

interface NewItem {
  id: string;
  program: string;
  provider: string;
  amount: string;
  net: string;
  state: string;
  reason: string | null;
  seq: number;
}

/** Insert a chunk of items and claim the withdrawals of those selected for this run. */
async function insertItems(q: Sql, run: RunRow, items: readonly NewItem[], now: Date): Promise<void> {
  await q.query(
    `INSERT INTO payout_items (merchant_id, run_id, withdrawal_id, program_id, seq, provider, out_ref, amount_minor, net_minor, state, reason, created_at, updated_at)
     SELECT $1, $2, x.id, x.program, x.seq, x.provider, x.out_ref, x.amount, x.net, x.state, x.reason, $3, $3
     FROM unnest($4::text[], $5::text[], $6::int[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[])
       AS x(id, program, seq, provider, amount, net, state, reason, out_ref)`,
    [
      run.merchant_id,
      run.id,
      now,
      items.map((i) => i.id),
      items.map((i) => i.program),
      items.map((i) => i.seq),
      items.map((i) => i.provider),
      items.map((i) => i.amount),
      items.map((i) => i.net),
      items.map((i) => i.state),
      items.map((i) => i.reason),
      items.map((i) => outRefOf(i.id)),
    ],
  );
  const claimed = items.filter((i) => i.state === "selected").map((i) => i.id);
  if (claimed.length > 0)
    await q.query("UPDATE withdrawals SET payout_run_id = $2, updated_at = $4 WHERE merchant_id = $1 AND id = ANY($3::text[])", [
      run.merchant_id,
      run.id,
      claimed,
      now,
    ]);
}

async function stepSelect(d: RunnerDeps, run: RunRow): Promise<void> {
  const settings = new Map<string, Awaited<ReturnType<typeof readMoneySettings>>>();
  const chosen = new Map<string, RunProvider | null>();
  // Where the previous chunk ended (null: from the oldest, as after a resume). The withdrawals this run holds already
  // (claimed, or skipped and left unclaimed) are left out by a lookup on the items' key; the keyset and the partial
  // index withdrawals_payable (migration 0023) make each chunk start where the last one ended, instead of stepping
  // over everything claimed before it.
  let after: { at: string; id: string } | null = null;
  let lastSeq: number | undefined;
  let selected = 0;
  for (;;) {
    const chunk = await d.db.tx(async (q) => {
      await lockLedgerHead(q, run.merchant_id);
      await renew(q, d, run, "select");
      const found = await q.query<{
        id: string;
        program_id: string;
        payout_kind: string;
        amount_minor: string;
        net_minor: string;
        at: string;
      }>(
        `SELECT w.id, w.program_id, w.payout_kind, w.amount_minor::text, w.net_minor::text, w.requested_at::text AS at FROM withdrawals w
         WHERE w.merchant_id = $1 AND w.state = 'approved' AND w.payout_run_id IS NULL AND ($2::text IS NULL OR w.program_id = $2)
           AND ($3::timestamptz IS NULL OR (w.requested_at, w.id) > ($3::timestamptz, $4::text))
         ORDER BY w.requested_at, w.id LIMIT ${SELECT_CHUNK} FOR UPDATE`,
        [run.merchant_id, run.program_id, after?.at ?? null, after?.id ?? ""],
      );
      const end = found[found.length - 1];
      if (!end) return { n: 0, end: null };
      const held = await q.query<{ withdrawal_id: string }>(
        "SELECT withdrawal_id FROM payout_items WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = ANY($3::text[])",
        [run.merchant_id, run.id, found.map((w) => w.id)],
      );
      const heldIds = new Set(held.map((h) => h.withdrawal_id));
      const rows = found.filter((w) => !heldIds.has(w.id));
      if (rows.length === 0) return { n: found.length, end: { at: end.at, id: end.id } };
      // The run's last seq, read once per step (the step holds the lease, so only it adds items).
      lastSeq ??= (
        await q.query<{ m: number }>("SELECT coalesce(max(seq), 0)::int AS m FROM payout_items WHERE merchant_id = $1 AND run_id = $2", [
          run.merchant_id,
          run.id,
        ])
      )[0]?.m as number;
      let seq = lastSeq;
      const items: NewItem[] = [];
      for (const w of rows) {
        let s = settings.get(w.program_id);
        if (!s) {
          s = await readMoneySettings(q, run.merchant_id, w.program_id);
          settings.set(w.program_id, s);
        }
        let provider = chosen.get(w.payout_kind);
        if (provider === undefined) {
          provider = await pickProvider(run.merchant_id, w.payout_kind, run.provider as RunProvider | null, d.providers);
          chosen.set(w.payout_kind, provider);
        }
        const reason = s.circuit.open ? "circuit_open" : provider === null ? "no_provider" : null;
        seq += 1;
        items.push({
          id: w.id,
          program: w.program_id,
          provider: provider ?? run.provider ?? "none",
          amount: w.amount_minor,
          net: w.net_minor,
          state: reason ? "skipped" : "selected",
          reason,
          seq,
        });
      }
      await insertItems(q, run, items, d.clock.now());
      return { n: found.length, end: { at: end.at, id: end.id }, seq };
    });
    // Taken only once the chunk committed (a transaction retried numbers its items again from the same point).
    if (chunk.seq !== undefined) lastSeq = chunk.seq;
    selected += chunk.n;
    if (chunk.n < SELECT_CHUNK) break;
    after = chunk.end;
  }
  if (selected >= ANALYZE_ITEMS_AFTER) await analyzeItems(d);
}

/**
 * A large run's items were just written in bulk, faster than autovacuum analyses them: until it does, the planner
 * believes payout_items holds what it held before (nothing, on a young table) and plans the later steps' set-based
 * item updates (one per chunk) as full scans joined to the chunk — quadratic over a run of 100,000. Analysing the
 * table once here buys plans that use its key. Best effort: a server without the right to analyse only loses speed.
 */
export const ANALYZE_ITEMS_AFTER = 5_000;
async function analyzeItems(d: RunnerDeps): Promise<void> {
  await d.db.read((q) => q.query("ANALYZE payout_items")).catch((e: Error) => d.log?.(`ANALYZE payout_items: ${e.message}`));
}

async function stepFund(d: RunnerDeps, run: RunRow): Promise<void> {
  await d.db.tx(async (q) => {
    await lockLedgerHead(q, run.merchant_id);
    await renew(q, d, run, "fund");
    const now = d.clock.now();
    const programs = await q.query<{ program_id: string }>(
      "SELECT DISTINCT program_id FROM payout_items WHERE merchant_id = $1 AND run_id = $2 AND state = 'selected'",
      [run.merchant_id, run.id],
    );
    for (const { program_id } of programs) {
      const s = await readMoneySettings(q, run.merchant_id, program_id);
      if (s.funding.mode !== "prepaid") continue;
      const [b] = await q.query<{ v: string | null }>(
        "SELECT sum(balance_minor)::text AS v FROM account_balances WHERE merchant_id = $1 AND account = $2",
        [run.merchant_id, `program:${program_id}:budget`],
      );
      // Oldest first: the items whose running total stays within the budget are paid; the first that does not fit and
      // every later one wait (none overtakes an older one). Deterministic, so a resumed step decides the same.
      const over = await q.query<{ withdrawal_id: string }>(
        `SELECT withdrawal_id FROM (SELECT withdrawal_id, seq, sum(amount_minor) OVER (ORDER BY seq) AS cum FROM payout_items
           WHERE merchant_id = $1 AND run_id = $2 AND program_id = $3 AND state = 'selected') t WHERE cum > $4 ORDER BY seq`,
        [run.merchant_id, run.id, program_id, Number(b?.v ?? 0)],
      );
      for (const o of over) {
        const r = await moveWithdrawal(q, run.merchant_id, o.withdrawal_id, "await_funds", {
          actor: PAYOUT_ACTOR,
          reason: "budget cannot cover it",
          at: now,
        });
        await q.query(
          "UPDATE payout_items SET state = $4, reason = $5, updated_at = $6 WHERE merchant_id = $1 AND run_id = $2 AND withdrawal_id = $3",
          [run.merchant_id, run.id, o.withdrawal_id, r.ok ? "awaiting_funds" : "skipped", r.ok ? "budget" : `withdrawal_${r.state}`, now],
        );
        await q.query("UPDATE withdrawals SET payout_run_id = NULL WHERE merchant_id = $1 AND id = $2 AND payout_run_id = $3", [
          run.merchant_id,
          o.withdrawal_id,
          run.id,
        ]);
      }
    }
  });
}

function requestOf(d: RunnerDeps, s: Submission, payee: Payee) {
  return {
    merchantId: s.item.merchantId,
    withdrawalId: s.item.withdrawalId,
    outRef: s.item.outRef,
    amountMinor: s.netMinor,
    currency: "CNY" as const,
    payee,
    remark: "佣金提现",
    notifyUrl: `${d.publicUrl.replace(/\/$/, "")}/v1/payout-callbacks/${s.item.provider}/${s.item.merchantId}`,
  };
}

/**
 * The provider's answer; a thrown error is an unknown outcome (queried before any retry), except a request the
 * provider refused before sending anything (REQUEST_INVALID: a retry would be refused the same way), which fails the
 * withdrawal so that the money returns with the reason, instead of being retried for ever.
 */
async function callProvider(fn: () => Promise<PayoutStatus>): Promise<PayoutStatus> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PayoutRequestRejected && e.code === "REQUEST_INVALID")
      return { state: "failed", providerState: "REQUEST_INVALID", reason: e.message.slice(0, 300) };
    return { state: "unknown", reason: `provider error: ${(e as Error).message ?? String(e)}`.slice(0, 300) };
  }
}

/** Run `fn` over `xs` with at most `n` at once. */
async function mapLimit<T, R>(xs: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < xs.length; i = next++) out[i] = await fn(xs[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(n, xs.length) }, worker));
  return out;
}

/**
 * One selected item, in the submit transaction: skipped (no provider, circuit open), failed before any money moved
 * (payout account removed), or moved to paying — tax and fee withheld, a prepaid budget drawn, the outRef stored.
 * Returns what to send to the provider (nothing for a bank-file item).
 */
async function prepareItem(q: Sql, d: RunnerDeps, run: RunRow, r: SubmitRow, settings: SettingsCache, now: Date): Promise<Prepared | null> {
  const provider = r.provider === "bank_file" ? null : await d.providers.get(run.merchant_id, r.provider as ProviderName, true);
  if (r.provider !== "bank_file" && !provider) {
    await skipItem(q, run, r.withdrawal_id, "no_provider", now);
    return null;
  }
  let s = settings.get(r.program_id);
  if (!s) {
    s = await readMoneySettings(q, run.merchant_id, r.program_id);
    settings.set(r.program_id, s);
  }
  // A circuit opened since the items were selected stops them too (they stay approved).
  if (s.circuit.open) {
    await skipItem(q, run, r.withdrawal_id, "circuit_open", now);
    return null;
  }
  // The payee is opened before any money moves: an account removed since the request fails the withdrawal from
  // approved (the gross returns to available; nothing was withheld).
  const payee = await payeeOf(q, d.ring, run.merchant_id, r.withdrawal_id, now);
  if (!payee.ok) {
    await failUnpayable(q, run, r.withdrawal_id, payee.reason, now);
    return null;
  }
  const moved = await moveWithdrawal(q, run.merchant_id, r.withdrawal_id, "submit", {
    actor: PAYOUT_ACTOR,
    at: now,
    provider: { name: r.provider, ref: r.out_ref },
  });
  if (!moved.ok) {
    await skipItem(q, run, r.withdrawal_id, `withdrawal_${moved.state}`, now, false);
    return null;
  }
  if (s.funding.mode === "prepaid") {
    await drawBudget(q, run.merchant_id, r.program_id, moved.row.currency, r.withdrawal_id, moved.row.amountMinor, now);
    await checkLowBudget(q, run.merchant_id, r.program_id, now);
  }
  await markSubmitted(q, run, [r], now);
  return provider ? { item: itemRef(run.merchant_id, r), provider, netMinor: Number(r.net_minor), payee: payee.payee } : null;
}

/** The provider's answer to a thrown refusal (as callProvider maps a thrown one). */
function answerOf(a: PayoutStatus | PayoutRequestRejected): Promise<PayoutStatus> {
  return callProvider(async () => {
    if (a instanceof PayoutRequestRejected) throw a;
    return a;
  });
}

/**
 * Send a chunk's transfers: per provider in one call where it takes a batch (submitMany) and the run is set-based,
 * otherwise one call per transfer, at most PROVIDER_CONCURRENCY at once. Answers in the order given.
 */
async function submitAll(d: RunnerDeps, out: readonly Prepared[]): Promise<PayoutStatus[]> {
  const answers: PayoutStatus[] = new Array(out.length);
  const batched = new Map<PayoutProvider, number[]>();
  const single: number[] = [];
  for (const [i, s] of out.entries()) {
    if (!d.oneAtATime && s.provider.submitMany) batched.set(s.provider, [...(batched.get(s.provider) ?? []), i]);
    else single.push(i);
  }
  for (const [provider, idx] of batched) {
    const got = await provider
      .submitMany?.(idx.map((i) => requestOf(d, out[i] as Prepared, (out[i] as Prepared).payee)))
      .catch((e: Error) => idx.map(() => e));
    for (const [k, i] of idx.entries()) {
      const a = got?.[k];
      answers[i] =
        a instanceof Error && !(a instanceof PayoutRequestRejected)
          ? await callProvider(() => Promise.reject(a))
          : await answerOf(a as PayoutStatus);
    }
  }
  const rest = await mapLimit(single, PROVIDER_CONCURRENCY, (i) => {
    const s = out[i] as Prepared;
    return callProvider(() => s.provider.submit(requestOf(d, s, s.payee)));
  });
  for (const [k, i] of single.entries()) answers[i] = rest[k] as PayoutStatus;
  return answers;
}

async function stepSubmit(d: RunnerDeps, run: RunRow): Promise<void> {
  // Where the previous chunk ended (0: from the first, as after a resume). Items leave 'selected' as they are
  // submitted, but without a vacuum their old index entries stay: reading each chunk from the run's first item would
  // step over every item submitted before it (a run of 100,000 read 5 million dead entries); the keyset starts each
  // chunk where the last one ended. An item is selected again only by a retry of a finished run, which starts anew.
  let afterSeq = 0;
  for (;;) {
    const batch = await d.db.tx(async (q) => {
      await lockLedgerHead(q, run.merchant_id);
      await renew(q, d, run, "submit");
      const now = d.clock.now();
      const rows = await q.query<SubmitRow & { seq: number }>(
        `SELECT run_id, withdrawal_id, program_id, provider, out_ref, net_minor::text, seq FROM payout_items
         WHERE merchant_id = $1 AND run_id = $2 AND state = 'selected' AND seq > $3 ORDER BY seq LIMIT ${SUBMIT_CHUNK} FOR UPDATE`,
        [run.merchant_id, run.id, afterSeq],
      );
      const last = rows[rows.length - 1]?.seq ?? afterSeq;
      const settings: SettingsCache = new Map();
      if (!d.oneAtATime) return { count: rows.length, last, out: await prepareChunk(q, d, run, rows, settings, now) };
      const out: Prepared[] = [];
      for (const r of rows) {
        const p = await prepareItem(q, d, run, r, settings, now);
        if (p) out.push(p);
      }
      return { count: rows.length, last, out };
    });
    afterSeq = batch.last;
    if (batch.out.length > 0) {
      // The outRefs are committed: a crash from here on leaves items 'submitting', which the next holder queries.
      const answers = await submitAll(d, batch.out);
      await applyAll(
        d,
        run.merchant_id,
        batch.out.map((s, i) => ({ item: s.item, status: answers[i] as PayoutStatus })),
      );
    }
    if (batch.count < SUBMIT_CHUNK) return;
  }
}

/** Apply answers in one transaction (head lock first). */
export async function applyAll(
  d: RunnerDeps,
  merchantId: string,
  answers: readonly { item: ItemRef; status: PayoutStatus }[],
): Promise<void> {
  if (answers.length === 0) return;
  await d.db.tx(async (q) => {
    await lockLedgerHead(q, merchantId);
    const now = d.clock.now();
    const cache: SettingsCache = new Map();
    if (!d.oneAtATime) await applyStatuses(q, merchantId, answers, PAYOUT_ACTOR, now, cache);
    else for (const a of answers) await applyStatus(q, a.item, a.status, PAYOUT_ACTOR, now, cache);
  });
}

/** One pass over the run's open items that are due; returns when to look again, or null when every item is final. */
async function stepSettle(d: RunnerDeps, run: RunRow): Promise<Date | null> {
  const now = d.clock.now();
  const due = await d.db.read((q) =>
    q.query<{
      run_id: string;
      withdrawal_id: string;
      program_id: string;
      provider: string;
      out_ref: string;
      state: string;
      net_minor: string;
      expires_at: Date | null;
    }>(
      `SELECT run_id, withdrawal_id, program_id, provider, out_ref, state, net_minor::text, expires_at FROM payout_items
       WHERE merchant_id = $1 AND run_id = $2 AND state = ANY($3::text[]) AND provider <> 'bank_file' AND next_query_at <= $4
       ORDER BY next_query_at LIMIT ${SETTLE_CHUNK}`,
      [run.merchant_id, run.id, ITEM_STATES_OPEN, now],
    ),
  );
  if (due.length > 0) {
    await d.db.tx((q) => renew(q, d, run, "settle"));
    const answers = await mapLimit(due, PROVIDER_CONCURRENCY, async (r) => {
      const item = itemRef(run.merchant_id, r);
      const provider = await d.providers.get(run.merchant_id, r.provider as ProviderName, true);
      if (!provider) return { item, status: { state: "unknown", reason: `provider ${r.provider} is not configured` } as PayoutStatus };
      return { item, status: await queryItem(d, provider, item, r, now) };
    });
    await applyAll(d, run.merchant_id, answers);
  }
  const [open] = await d.db.read((q) =>
    q.query<{ n: number; soonest: Date | null }>(
      `SELECT count(*)::int AS n, min(next_query_at) FILTER (WHERE provider <> 'bank_file') AS soonest FROM payout_items
       WHERE merchant_id = $1 AND run_id = $2 AND state = ANY($3::text[])`,
      [run.merchant_id, run.id, ITEM_STATES_OPEN],
    ),
  );
  if (!open || open.n === 0) return null;
  if (due.length === SETTLE_CHUNK) return now;
  const poll = new Date(now.getTime() + SETTLE_POLL_MS);
  return open.soonest && new Date(open.soonest) < poll ? new Date(open.soonest) : poll;
}

/**
 * What the provider says about an open item. An unconfirmed WeChat transfer past its expiry is cancelled first (its
 * funds then return through the failed answer). A transfer the provider never received (the process died before or
 * during the call) is submitted again under the same outRef.
 */
async function queryItem(
  d: RunnerDeps,
  provider: PayoutProvider,
  item: ItemRef,
  r: { state: string; net_minor: string; expires_at: Date | null },
  now: Date,
): Promise<PayoutStatus> {
  const cancellable = provider as PayoutProvider & { cancel?: (outRef: string) => Promise<unknown> };
  if (r.state === "wait_user_confirm" && r.expires_at && new Date(r.expires_at) <= now && typeof cancellable.cancel === "function") {
    await cancellable.cancel(item.outRef).catch(() => undefined);
  }
  const found = await provider
    .query(item.outRef)
    .catch((e: Error): PayoutStatus => ({ state: "unknown", reason: `query failed: ${e.message}` }));
  if (found.state !== "not_found") return found;
  if (r.state !== "submitting") return { state: "unknown", reason: "the provider does not know this transfer" };
  const payee = await d.db.tx((q) => payeeOf(q, d.ring, item.merchantId, item.withdrawalId, now));
  if (!payee.ok) return { state: "unknown", reason: payee.reason };
  return callProvider(() => provider.submit(requestOf(d, { item, provider, netMinor: Number(r.net_minor) }, payee.payee)));
}

/** Scheduler job: drive every run that is due and not leased (a crashed holder's lease has expired). */
export async function tickPayoutRuns(d: RunnerDeps, max = 20): Promise<number> {
  const now = d.clock.now();
  const due = await d.db.read((q) =>
    q.query<{ merchant_id: string; id: string }>(
      `SELECT merchant_id, id FROM payout_runs WHERE state = 'running' AND next_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
       ORDER BY next_at LIMIT $2`,
      [now, max],
    ),
  );
  let n = 0;
  for (const r of due) if ((await driveRun(d, r.merchant_id, r.id)) !== "busy") n += 1;
  return n;
}
