/**
 * A payout run's chunks are moved as sets (modules/payouts/submit-set.ts, settle-set.ts); this shows that they write
 * exactly what the one-at-a-time path (RunnerDeps.oneAtATime) writes. Two merchants get the same withdrawals with the
 * same provider answers — paid, failed, refused before sending, processing then settled by a query, a payout account
 * removed since the request — one run is driven each way, and everything the runs wrote is compared, ids and times
 * replaced by placeholders: ledger transactions with their postings, withdrawal transitions (with the ledger
 * transaction each names), the withdrawals and items, events, audit entries and balances.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Sql } from "../src/db/client.ts";
import { verifyMerchantLedger } from "../src/modules/ledger/repository.ts";
import type { PayoutRequest, PayoutStatus } from "../src/modules/payouts/contract.ts";
import { outRefOf } from "../src/modules/payouts/contract.ts";
import type { PayoutRequestRejected } from "../src/modules/payouts/providers/types.ts";
import { driveRun, type RunnerDeps } from "../src/modules/payouts/runner.ts";
import { createRun } from "../src/modules/payouts/service.ts";
import { type Harness, merchantFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";
import { MemoryProvider, type Outcome, registryOf, seedApprovedWithdrawals } from "./payout-fixtures.ts";

let h: Harness;
afterEach(async () => h?.close());

const COUNT = 13;
const REMOVED = 5;

/** What the provider answers for the i-th withdrawal of a merchant. */
function outcomeOf(i: number): Outcome {
  if (i % 4 === 0) return { state: "succeeded", providerState: "SUCCESS", providerRef: `bill${i}` };
  if (i % 4 === 1) return { state: "failed", providerState: "FAIL", providerRef: `bill${i}`, reason: "ACCOUNT_FROZEN" };
  if (i % 4 === 2) return "reject";
  return { state: "processing", providerState: "PROCESSING", providerRef: `bill${i}` };
}

/** A provider in memory that also takes a batch (as the sandbox does), so the set-based path sends chunks at once. */
class BatchProvider extends MemoryProvider {
  batches = 0;
  async submitMany(reqs: readonly PayoutRequest[]): Promise<(PayoutStatus | PayoutRequestRejected)[]> {
    this.batches += 1;
    const out: (PayoutStatus | PayoutRequestRejected)[] = [];
    for (const r of reqs) out.push(await this.submit(r).catch((e: PayoutRequestRejected) => e));
    return out;
  }
}

async function payOut(oneAtATime: boolean, name: string) {
  const f = await merchantFixture(h, name);
  expect((await h.call("PATCH", `/v1/programs/${f.programId}/service-fee`, { token: h.adminToken, body: { rateBps: 250 } })).status).toBe(
    200,
  );
  const ids = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
    ring: TEST_KEY_RING,
    count: COUNT,
    amountMinor: 10_000,
    taxMinor: 300,
    feeMinor: 100,
    at: h.clock.now(),
  });
  await h.db.tx((q) =>
    q.query(
      "UPDATE payout_accounts SET status = 'removed', removed_at = $2 WHERE id = (SELECT payout_account_id FROM withdrawals WHERE id = $1)",
      [ids[REMOVED], h.clock.now()],
    ),
  );
  const index = new Map(ids.map((id, i) => [id, i]));
  const provider = new BatchProvider("sandbox", (req) => outcomeOf(index.get(req.withdrawalId) as number));
  const deps: RunnerDeps = {
    db: h.db,
    clock: h.clock,
    providers: registryOf(provider),
    ring: TEST_KEY_RING,
    publicUrl: "http://localhost",
    owner: `test-${name}`,
    oneAtATime,
  };
  const run = await h.db.tx((q) => createRun(q, f.merchantId, { provider: "sandbox" }, "test", h.clock.now()));
  expect(await driveRun(deps, f.merchantId, run.id)).toBe("waiting");
  // The processing transfers finish at the provider; the run's next query settles them.
  for (const [i, id] of ids.entries())
    if (i % 4 === 3) provider.settle(outRefOf(id), { state: "succeeded", providerState: "SUCCESS", providerRef: `bill${i}` });
  h.clock.set(new Date(h.clock.now().getTime() + 120_000));
  expect(await driveRun(deps, f.merchantId, run.id)).toBe("done");
  expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  return { f, ids, runId: run.id, provider, written: await h.db.read((q) => writtenBy(q, f.merchantId, ids, run.id)) };
}

/** Everything about the merchant's withdrawals, ids and times replaced by placeholders, in an order that does not depend on ids. */
async function writtenBy(q: Sql, merchantId: string, ids: readonly string[], runId: string) {
  const names = new Map<string, string>([
    [merchantId, "M"],
    [runId, "RUN"],
  ]);
  const ws = await q.query<{ id: string; promoter_id: string; payout_account_id: string; program_id: string }>(
    "SELECT id, promoter_id, payout_account_id, program_id FROM withdrawals WHERE merchant_id = $1",
    [merchantId],
  );
  for (const w of ws) {
    const i = ids.indexOf(w.id);
    names.set(w.id, `W${i}`).set(outRefOf(w.id), `OUT${i}`).set(w.promoter_id, `PMT${i}`).set(w.payout_account_id, `PAC${i}`);
    names.set(w.program_id, "PRG");
  }
  const keys = [...names.keys()].sort((a, b) => b.length - a.length);
  const norm = (v: unknown): unknown => {
    let s = JSON.stringify(v);
    for (const k of keys) s = s.split(k).join(names.get(k) as string);
    return JSON.parse(s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, "T"));
  };
  const sorted = (rows: unknown[]) => rows.map(norm).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const txs = await q.query<{ seq: string; kind: string; cause_ref: string; memo: string }>(
    "SELECT seq::text, kind, cause_ref, memo FROM ledger_transactions WHERE merchant_id = $1 AND cause_ref NOT LIKE 'seed:%' AND cause_ref NOT LIKE '%:request'",
    [merchantId],
  );
  const postings = await q.query<{ tx_seq: string; idx: number; account: string; amount_minor: string; currency: string }>(
    "SELECT tx_seq::text, idx, account, amount_minor::text, currency FROM ledger_postings WHERE merchant_id = $1 ORDER BY tx_seq, idx",
    [merchantId],
  );
  const causeOfSeq = new Map(txs.map((t) => [t.seq, t.cause_ref]));
  const ledger = txs.map((t) => ({
    kind: t.kind,
    causeRef: t.cause_ref,
    memo: t.memo,
    postings: postings.filter((p) => p.tx_seq === t.seq).map((p) => [p.idx, p.account, p.amount_minor, p.currency]),
  }));
  const transitions = (
    await q.query<Record<string, unknown> & { ledger_seq: string | null }>(
      `SELECT withdrawal_id, seq, from_state, event, to_state, actor, reason, ledger_seq::text FROM withdrawal_transitions
       WHERE merchant_id = $1 ORDER BY withdrawal_id, seq`,
      [merchantId],
    )
  ).map(({ ledger_seq, ...t }) => ({ ...t, ledger: ledger_seq === null ? null : causeOfSeq.get(ledger_seq) }));
  return {
    ledger: sorted(ledger),
    transitions: sorted(transitions),
    withdrawals: sorted(
      await q.query(
        `SELECT id, state, state_reason, decided_by, provider, provider_ref, provider_bill_no, provider_state, package_info, payout_run_id,
           finished_at IS NOT NULL AS finished FROM withdrawals WHERE merchant_id = $1`,
        [merchantId],
      ),
    ),
    items: sorted(
      await q.query(
        "SELECT withdrawal_id, seq, provider, out_ref, state, reason, provider_ref, provider_state, result, attempts FROM payout_items WHERE merchant_id = $1",
        [merchantId],
      ),
    ),
    events: sorted(await q.query("SELECT type, subject, data FROM events WHERE merchant_id = $1", [merchantId])),
    // a transition's audit entry names its ledger transaction by seq: compared by the transaction it names
    audit: sorted(
      (
        await q.query<{ details: Record<string, unknown> }>(
          "SELECT actor, action, subject, details FROM audit_log WHERE merchant_id = $1 AND actor LIKE 'system:payout%'",
          [merchantId],
        )
      ).map((a) =>
        "ledgerSeq" in a.details
          ? {
              ...a,
              details: { ...a.details, ledgerSeq: a.details.ledgerSeq === null ? null : causeOfSeq.get(String(a.details.ledgerSeq)) },
            }
          : a,
      ),
    ),
    taxVoided: sorted(await q.query("SELECT withdrawal_id, state FROM tax_withholdings WHERE merchant_id = $1", [merchantId])),
    balances: sorted(
      await q.query("SELECT account, currency, balance_minor::text FROM account_balances WHERE merchant_id = $1 AND balance_minor <> 0", [
        merchantId,
      ]),
    ),
  };
}

describe("payout runs: a chunk moved as a set writes what one at a time writes", () => {
  it("the same ledger postings, transitions, items, events, audit entries and balances, ids and times aside", async () => {
    h = await startHarness();
    const single = await payOut(true, "One at a time");
    const set = await payOut(false, "As a set");
    // the set-based run sent its chunk in one batch call; the reference, one call per transfer
    expect(set.provider.batches).toBe(1);
    expect(single.provider.batches).toBe(0);
    const s = set.written;
    const o = single.written;
    // what the scenario covers, so that an empty comparison cannot pass
    expect(s.withdrawals.map((w) => (w as { state: string }).state).sort()).toEqual(
      [...Array(4).fill("paid"), ...Array(3).fill("paid"), ...Array(6).fill("failed")].sort(),
    );
    expect(s.ledger.length).toBeGreaterThan(COUNT * 2);
    expect(s.events.length).toBeGreaterThan(COUNT);
    expect(s.ledger).toEqual(o.ledger);
    expect(s.transitions).toEqual(o.transitions);
    expect(s.withdrawals).toEqual(o.withdrawals);
    expect(s.items).toEqual(o.items);
    expect(s.events).toEqual(o.events);
    expect(s.audit).toEqual(o.audit);
    expect(s.taxVoided).toEqual(o.taxVoided);
    expect(s.balances).toEqual(o.balances);
  });
});
