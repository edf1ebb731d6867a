/** Payout runs and items: reads for the API and the runner. */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import type { ItemRef } from "./settle.ts";

export const ITEM_STATES_OPEN = ["submitting", "processing", "wait_user_confirm"] as const;

export interface RunRow {
  merchant_id: string;
  id: string;
  program_id: string | null;
  provider: string | null;
  state: "running" | "finished";
  step: string;
  batch_no: string;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  finished_at: Date | null;
  last_error: string | null;
}

export async function getRun(q: Sql, merchantId: string, runId: string): Promise<RunRow> {
  const [r] = await q.query<RunRow & Record<string, unknown>>("SELECT * FROM payout_runs WHERE merchant_id = $1 AND id = $2", [
    merchantId,
    runId,
  ]);
  if (!r) fail("NOT_FOUND", "No such payout run.", { runId });
  return r;
}

export async function runCounts(q: Sql, merchantId: string, runId: string) {
  const rows = await q.query<{ state: string; n: number }>(
    "SELECT state, count(*)::int AS n FROM payout_items WHERE merchant_id = $1 AND run_id = $2 GROUP BY state",
    [merchantId, runId],
  );
  const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
  return {
    total: rows.reduce((s, r) => s + r.n, 0),
    paying: n("selected") + n("submitting") + n("processing") + n("wait_user_confirm"),
    paid: n("paid"),
    failed: n("failed"),
    skipped: n("skipped"),
    awaitingFunds: n("awaiting_funds"),
    waitingForUser: n("wait_user_confirm"),
  };
}

export async function runView(q: Sql, run: RunRow) {
  return {
    id: run.id,
    merchantId: run.merchant_id,
    programId: run.program_id,
    state: run.state,
    step: run.step,
    provider: run.provider,
    batchNo: run.batch_no,
    counts: await runCounts(q, run.merchant_id, run.id),
    lastError: run.last_error,
    createdAt: new Date(run.created_at).toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
  };
}

export async function runItems(q: Sql, merchantId: string, runId: string, opts: { state?: string; afterSeq: number; limit: number }) {
  const rows = await q.query<Record<string, unknown> & { seq: number }>(
    `SELECT seq, withdrawal_id AS "withdrawalId", program_id AS "programId", provider, out_ref AS "outRef", amount_minor::int8 AS "amountMinor",
            net_minor::int8 AS "netMinor", state, reason, provider_ref AS "providerRef", provider_state AS "providerState", attempts,
            expires_at AS "expiresAt", updated_at AS "updatedAt", finished_at AS "finishedAt"
     FROM payout_items WHERE merchant_id = $1 AND run_id = $2 AND seq > $3 AND ($4::text IS NULL OR state = $4) ORDER BY seq LIMIT $5`,
    [merchantId, runId, opts.afterSeq, opts.state ?? null, opts.limit + 1],
  );
  const more = rows.length > opts.limit;
  const items = (more ? rows.slice(0, opts.limit) : rows).map((r) => ({
    ...r,
    amountMinor: Number(r.amountMinor),
    netMinor: Number(r.netMinor),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? String(last.seq) : null };
}

export function itemRef(
  merchantId: string,
  r: { run_id: string; withdrawal_id: string; program_id: string; provider: string; out_ref: string },
): ItemRef {
  return { merchantId, runId: r.run_id, withdrawalId: r.withdrawal_id, programId: r.program_id, provider: r.provider, outRef: r.out_ref };
}
