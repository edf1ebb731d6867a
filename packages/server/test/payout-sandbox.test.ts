/**
 * Payout runs through the real providers of a server (the merchant's stored configuration): the sandbox, with its
 * asynchronous decisions and duplicated and late signed callbacks, and the bank batch file. On PGlite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";
import { verifyMerchantLedger } from "../src/modules/ledger/repository.ts";
import { newSandboxSecret, SANDBOX_DEFAULTS, saveConfig } from "../src/modules/payouts/providers/config.ts";
import { runSandboxCallbacks } from "../src/modules/payouts/providers/sandbox.ts";
import { tickPayoutRuns } from "../src/modules/payouts/runner.ts";
import { runnerDepsOf } from "../src/modules/payouts/service.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";
import { seedApprovedWithdrawals } from "./payout-fixtures.ts";

let h: Harness;
afterEach(async () => h?.close());

function deps() {
  return runnerDepsOf({ db: h.db, clock: h.clock, secrets: TEST_KEY_RING, config: { publicUrl: h.base, sessionHours: 1 } });
}

/** The sandbox posts callbacks to the run's notifyUrl; the harness's public URL has no port, so send them to its server. */
const toHarness: typeof fetch = (url, init) => fetch(`${h.base}${new URL(String(url)).pathname}`, init);

async function run(f: MerchantFixture, runId: string): Promise<Json> {
  return (await h.call("GET", `/v1/payout-runs/${runId}?limit=500`, { token: f.apiKey })).body;
}

async function until(f: MerchantFixture, runId: string, ok: (r: Json) => boolean): Promise<Json> {
  for (let i = 0; i < 300; i++) {
    const r = await run(f, runId);
    if (ok(r)) return r;
    if (i % 5 === 4) await tickPayoutRuns(deps());
    await new Promise((res) => setTimeout(res, 30));
  }
  throw new Error(`run ${runId} did not get there: ${JSON.stringify(await run(f, runId)).slice(0, 500)}`);
}

describe("payout run through the sandbox", () => {
  it("pays every withdrawal once: asynchronous decisions, duplicate and late callbacks, failures returned", async () => {
    h = await startHarness();
    const f = await merchantFixture(h, "Sandboxed");
    await h.db.tx((q) =>
      saveConfig(
        q,
        TEST_KEY_RING,
        f.merchantId,
        "sandbox",
        true,
        {
          ...SANDBOX_DEFAULTS,
          secret: newSandboxSecret(),
          delayMs: 1_000,
          failureRate: 0.3,
          duplicateRate: 0.5,
          lateRate: 0.3,
          lateDelayMs: 60_000,
        },
        h.clock.now(),
      ),
    );
    const ids = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 24,
      amountMinor: 5_000,
      taxMinor: 200,
      at: h.clock.now(),
    });
    const start = await h.call("POST", "/v1/payout-runs", {
      token: f.apiKey,
      body: { provider: "sandbox" },
      headers: { "idempotency-key": "sbx-1" },
    });
    expect(start.status).toBe(201);
    const runId = start.body.id;
    const submitted = await until(f, runId, (r) => r.step === "settle");
    expect(submitted.counts).toMatchObject({ total: 24, paying: 24 });
    expect(submitted.items.every((i: Json) => i.state === "processing" && i.providerState === "ACCEPTED")).toBe(true);
    // decisions fall due; callbacks (some twice, some late) arrive
    const cb = { db: h.db, clock: h.clock, ring: TEST_KEY_RING, fetch: toHarness };
    h.clock.set(new Date(h.clock.now().getTime() + 1_500));
    await runSandboxCallbacks(cb);
    h.clock.set(new Date(h.clock.now().getTime() + 1_500));
    await runSandboxCallbacks(cb);
    h.clock.set(new Date(h.clock.now().getTime() + 61_000));
    await runSandboxCallbacks(cb);
    h.clock.set(new Date(h.clock.now().getTime() + 2_000));
    await runSandboxCallbacks(cb);
    const done = await until(f, runId, (r) => r.state === "finished");
    const decided = await h.db.read((q) =>
      q.query<{ outcome: string; n: number; posted: number }>(
        "SELECT outcome, count(*)::int AS n, sum(callbacks_left)::int AS posted FROM sandbox_transfers WHERE merchant_id = $1 GROUP BY outcome",
        [f.merchantId],
      ),
    );
    const n = (o: string) => decided.find((d) => d.outcome === o)?.n ?? 0;
    expect(n("succeeded") + n("failed")).toBe(24);
    expect(done.counts).toMatchObject({ total: 24, paid: n("succeeded"), failed: n("failed"), paying: 0 });
    // each withdrawal paid or failed exactly once, whatever the number of callbacks
    const txs = await h.db.read((q) =>
      q.query<{ cause_ref: string }>("SELECT cause_ref FROM ledger_transactions WHERE merchant_id = $1 AND cause_ref LIKE 'withdrawal:%'", [
        f.merchantId,
      ]),
    );
    for (const id of ids) {
      const mine = txs.filter((t) => t.cause_ref.startsWith(`withdrawal:${id}:`)).map((t) => t.cause_ref.split(":")[2]);
      expect(mine.filter((e) => e === "succeed" || e === "fail").length).toBe(1);
      expect(mine.filter((e) => e === "submit").length).toBe(1);
    }
    const [counts] = await h.db.read((q) =>
      q.query<{ paid: number; failed: number }>(
        "SELECT count(*) FILTER (WHERE state = 'paid')::int AS paid, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM withdrawals WHERE merchant_id = $1",
        [f.merchantId],
      ),
    );
    expect(counts).toEqual({ paid: n("succeeded"), failed: n("failed") });
    const [paidSum] = await h.db.read((q) =>
      q.query<{ v: string }>(
        "SELECT coalesce(sum(balance_minor), 0)::text AS v FROM account_balances WHERE merchant_id = $1 AND account LIKE '%:paid'",
        [f.merchantId],
      ),
    );
    expect(Number(paidSum?.v)).toBe(n("succeeded") * 4_800);
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  }, 120_000);

  it("bank batch file: export the run's bank transfers, import the bank's result; a line reported again changes nothing", async () => {
    h = await startHarness();
    const f = await merchantFixture(h, "Banked");
    const ids = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      kind: "bank",
      count: 3,
      amountMinor: 12_345,
      at: h.clock.now(),
    });
    const start = await h.call("POST", "/v1/payout-runs", { token: f.apiKey, body: {} });
    const runId = start.body.id;
    const settling = await until(f, runId, (r) => r.step === "settle");
    expect(settling.items.every((i: Json) => i.provider === "bank_file" && i.state === "processing")).toBe(true);
    const file = await fetch(`${h.base}/v1/payout-runs/${runId}/bank-file`, { headers: { authorization: `Bearer ${f.apiKey}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/text\/csv/);
    const csv = await file.text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe("batch_no,line_no,out_ref,holder_name,bank_name,branch,card_number,amount_yuan,remark");
    expect(lines.length).toBe(4);
    const rows = lines.slice(1).map((l) => l.split(","));
    const result = [
      "batch_no,line_no,out_ref,amount_yuan,status,reason",
      ...rows.map((c, i) => [c[0], c[1], c[2], c[7], i === 1 ? "failed" : "paid", i === 1 ? "ACCOUNT_CLOSED" : ""].join(",")),
    ].join("\n");
    const post = (body: string) =>
      fetch(`${h.base}/v1/payout-runs/${runId}/bank-result`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.apiKey}`, "content-type": "text/csv" },
        body,
      });
    const bad = await post(result.replace(rows[0]?.[2] as string, "PWRONG"));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).error.code).toBe("BANK_RESULT_INVALID");
    const ok = await post(result);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ lines: 3, paid: 2, failed: 1, unchanged: 0 });
    expect(await (await post(result)).json()).toMatchObject({ paid: 0, failed: 0, unchanged: 3 });
    const done = await until(f, runId, (r) => r.state === "finished");
    expect(done.counts).toMatchObject({ total: 3, paid: 2, failed: 1 });
    const states = await h.db.read((q) =>
      q.query<{ id: string; state: string }>("SELECT id, state FROM withdrawals WHERE merchant_id = $1", [f.merchantId]),
    );
    expect(states.filter((s) => s.state === "paid").length).toBe(2);
    expect(states.find((s) => s.state === "failed")?.id).toBe(
      ids.find((id) => done.items.find((i: Json) => i.withdrawalId === id && i.state === "failed")),
    );
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  }, 120_000);
});
