/**
 * The bank batch file of a run (./providers/bank-file.ts): its bank-card items out as one CSV under the run's batch
 * number, lines numbered in item order, and the bank's result file back — each paid line settles its withdrawal, each
 * failed line fails it (the money returns). A line reported again changes nothing.
 */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import { payeeOf } from "./payee.ts";
import { BankFileError, type BankFileItem, batchLines, exportBatch, parseResult } from "./providers/bank-file.ts";
import { getRun, itemRef, type RunRow } from "./repository.ts";
import type { RunnerDeps } from "./runner.ts";
import { wakeRun } from "./service.ts";
import { type Applied, applyStatus } from "./settle.ts";

interface BankItem {
  run_id: string;
  withdrawal_id: string;
  program_id: string;
  provider: string;
  out_ref: string;
  net_minor: string;
}

/** The run's bank items that were submitted (in paying or settled since), in line order. */
function bankItems(q: Sql, run: RunRow): Promise<BankItem[]> {
  return q.query<BankItem & Record<string, unknown>>(
    `SELECT run_id, withdrawal_id, program_id, provider, out_ref, net_minor::text FROM payout_items
     WHERE merchant_id = $1 AND run_id = $2 AND provider = 'bank_file' AND attempts > 0 ORDER BY seq`,
    [run.merchant_id, run.id],
  );
}

export async function bankFile(q: Sql, d: RunnerDeps, run: RunRow, _actor: string, at: Date): Promise<string> {
  const rows = await bankItems(q, run);
  if (rows.length === 0) fail("NOT_FOUND", "This run has no bank transfers (yet).", { runId: run.id });
  const items: BankFileItem[] = [];
  for (const r of rows) {
    const p = await payeeOf(q, d.ring, run.merchant_id, r.withdrawal_id, at);
    if (!p.ok || p.payee.kind !== "bank") throw new Error(`bank item ${r.withdrawal_id} has no bank payee`);
    items.push({ outRef: r.out_ref, amountMinor: Number(r.net_minor), payee: p.payee, remark: "佣金提现" });
  }
  return exportBatch(run.batch_no, items);
}

export async function importBankResult(d: RunnerDeps, merchantId: string, runId: string, csv: string, actor: string) {
  const out = await d.db.tx(async (q) => {
    await lockLedgerHead(q, merchantId);
    const run = await getRun(q, merchantId, runId);
    const rows = await bankItems(q, run);
    const lines = batchLines(
      rows.map((r) => ({ outRef: r.out_ref, amountMinor: Number(r.net_minor), payee: undefined as never, remark: "" })),
    );
    let result: ReturnType<typeof parseResult>;
    try {
      result = parseResult(csv, { batchNo: run.batch_no, lines });
    } catch (e) {
      if (e instanceof BankFileError) fail("BANK_RESULT_INVALID", e.message, { row: e.row, field: e.field });
      throw e;
    }
    const byRef = new Map(rows.map((r) => [r.out_ref, r]));
    const counts: Record<Applied, number> = { paid: 0, failed: 0, waiting: 0, unchanged: 0 };
    const now = d.clock.now();
    for (const l of result) {
      const r = byRef.get(l.outRef);
      if (!r) continue;
      const status =
        l.outcome === "paid"
          ? ({ state: "succeeded", providerState: "BANK_PAID", providerRef: `${run.batch_no}-${l.lineNo}` } as const)
          : ({
              state: "failed",
              providerState: "BANK_FAILED",
              providerRef: `${run.batch_no}-${l.lineNo}`,
              reason: l.reason ?? "the bank returned it",
            } as const);
      counts[await applyStatus(q, itemRef(merchantId, r), status, actor, now)] += 1;
    }
    return { runId, batchNo: run.batch_no, lines: result.length, paid: counts.paid, failed: counts.failed, unchanged: counts.unchanged };
  });
  await wakeRun(d, merchantId, runId);
  return out;
}
