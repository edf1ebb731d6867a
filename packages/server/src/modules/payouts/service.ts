/** Starting, retrying and waking payout runs; provider callbacks. */
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import type { ProviderRegistry, RunProvider } from "./contract.ts";
import { storedProviders } from "./registry.ts";
import { getRun, type RunRow } from "./repository.ts";
import { applyAll, driveRun, PAYOUT_ACTOR, type RunnerDeps } from "./runner.ts";
import { applyStatus, itemByOutRef } from "./settle.ts";

const NO_PROVIDERS: ProviderRegistry = { get: async () => undefined };

/** The runner of this server: its providers (the merchants' stored configuration unless a test gives others). */
export function runnerDepsOf(ctx: AppContext, log?: (msg: string) => void): RunnerDeps {
  const providers = ctx.payoutProviders ?? (ctx.secrets ? storedProviders(ctx.db, ctx.clock, ctx.secrets) : NO_PROVIDERS);
  return { db: ctx.db, clock: ctx.clock, providers, ring: ctx.secrets, publicUrl: ctx.config.publicUrl, log };
}

/** Start a run (the caller holds the merchant's ledger head): one running run per merchant at a time. */
export async function createRun(
  q: Sql,
  merchantId: string,
  input: { programId?: string; provider?: RunProvider },
  actor: string,
  at: Date,
): Promise<RunRow> {
  const [busy] = await q.query<{ id: string }>("SELECT id FROM payout_runs WHERE merchant_id = $1 AND state = 'running' LIMIT 1", [
    merchantId,
  ]);
  if (busy) fail("PAYOUT_RUN_IN_PROGRESS", undefined, { runId: busy.id });
  const id = newId("run");
  const batchNo = `B${at.toISOString().slice(0, 10).replaceAll("-", "")}${id.slice(-8).toUpperCase()}`;
  await q.query(
    `INSERT INTO payout_runs (merchant_id, id, program_id, provider, state, step, batch_no, next_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'running', 'select', $5, $6, $7, $6, $6)`,
    [merchantId, id, input.programId ?? null, input.provider ?? null, batchNo, at, actor],
  );
  return getRun(q, merchantId, id);
}

/**
 * Retry a finished run: its items that did not pay and whose withdrawal is approved and unclaimed again (skipped for an
 * open circuit or a missing provider, awaiting funds since topped up) are selected again and the run resumes at `fund`.
 * Items whose payment failed are final: their money is back in the promoter's available balance, to be requested anew.
 */
export async function retryRun(q: Sql, merchantId: string, runId: string, at: Date): Promise<RunRow> {
  const run = await getRun(q, merchantId, runId);
  if (run.state !== "finished") fail("PAYOUT_RUN_NOT_FINISHED", undefined, { runId, step: run.step });
  const [busy] = await q.query<{ id: string }>("SELECT id FROM payout_runs WHERE merchant_id = $1 AND state = 'running' LIMIT 1", [
    merchantId,
  ]);
  if (busy) fail("PAYOUT_RUN_IN_PROGRESS", undefined, { runId: busy.id });
  const again = await q.query<{ withdrawal_id: string }>(
    `UPDATE payout_items i SET state = 'selected', reason = NULL, updated_at = $3
     FROM withdrawals w WHERE i.merchant_id = $1 AND i.run_id = $2 AND i.state IN ('skipped', 'awaiting_funds')
       AND w.merchant_id = i.merchant_id AND w.id = i.withdrawal_id AND w.state = 'approved' AND w.payout_run_id IS NULL
     RETURNING i.withdrawal_id`,
    [merchantId, runId, at],
  );
  if (again.length > 0)
    await q.query("UPDATE withdrawals SET payout_run_id = $2, updated_at = $4 WHERE merchant_id = $1 AND id = ANY($3::text[])", [
      merchantId,
      runId,
      again.map((r) => r.withdrawal_id),
      at,
    ]);
  await q.query(
    "UPDATE payout_runs SET state = 'running', step = 'fund', finished_at = NULL, next_at = $3, updated_at = $3 WHERE merchant_id = $1 AND id = $2",
    [merchantId, runId, at],
  );
  return getRun(q, merchantId, runId);
}

/** Drive a run now in this process (after a start, a retry, a callback); the scheduler picks up anything missed. */
export function kickRun(d: RunnerDeps, merchantId: string, runId: string): void {
  setImmediate(() => {
    driveRun(d, merchantId, runId).catch((e) => d.log?.(`payout run ${runId}: ${(e as Error).message}`));
  });
}

/** Make a waiting run due now and drive it here (a run leased elsewhere is left to its holder). */
export async function wakeRun(d: RunnerDeps, merchantId: string, runId: string): Promise<void> {
  await d.db.tx((q) =>
    q.query("UPDATE payout_runs SET next_at = $3 WHERE merchant_id = $1 AND id = $2 AND state = 'running' AND next_at > $3", [
      merchantId,
      runId,
      d.clock.now(),
    ]),
  );
  kickRun(d, merchantId, runId);
}

/**
 * A provider's callback: verified by the provider (parseCallback throws on a bad signature), then applied to the item
 * of its outRef in one transaction. A duplicate or late callback finds the withdrawal final and changes nothing; the
 * provider gets a 200 either way, so it stops resending.
 */
export async function handleCallback(
  d: RunnerDeps,
  providerName: string,
  merchantId: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
): Promise<{ ok: true; applied: string }> {
  const known = (["sandbox", "wechat", "alipay"] as const).find((n) => n === providerName);
  const provider = known ? await d.providers.get(merchantId, known, false) : undefined;
  if (!provider) fail("PAYOUT_PROVIDER_UNAVAILABLE", undefined, { provider: providerName });
  let parsed: Awaited<ReturnType<typeof provider.parseCallback>>;
  try {
    parsed = await provider.parseCallback(headers, rawBody);
  } catch (e) {
    fail("PAYOUT_CALLBACK_INVALID", undefined, { provider: providerName, why: String((e as Error).message ?? e).slice(0, 200) });
  }
  const out = await d.db.tx(async (q) => {
    await lockLedgerHead(q, merchantId);
    const item = await itemByOutRef(q, merchantId, parsed.outRef);
    if (!item || item.provider !== providerName) return { applied: "unknown_transfer", runId: null };
    const applied = await applyStatus(q, item, parsed.status, `provider:${providerName}`, d.clock.now());
    const [open] = await q.query(
      "SELECT 1 FROM payout_items WHERE merchant_id = $1 AND run_id = $2 AND state IN ('selected', 'submitting', 'processing', 'wait_user_confirm') LIMIT 1",
      [merchantId, item.runId],
    );
    return { applied, runId: open ? null : item.runId };
  });
  // The run was waiting on this answer alone: wake it, so it finishes now rather than at its next poll.
  if (out.runId && (out.applied === "paid" || out.applied === "failed")) await wakeRun(d, merchantId, out.runId);
  return { ok: true, applied: out.applied };
}

export { applyAll, PAYOUT_ACTOR };
