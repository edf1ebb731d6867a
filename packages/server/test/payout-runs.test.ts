import { afterEach, describe, expect, it } from "vitest";
import { verifyMerchantLedger } from "../src/modules/ledger/repository.ts";
import type { PayoutStatus } from "../src/modules/payouts/contract.ts";
import { driveRun, type RunnerDeps, tickPayoutRuns } from "../src/modules/payouts/runner.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";
import { MemoryProvider, registryOf, seedApprovedWithdrawals } from "./payout-fixtures.ts";

let h: Harness;
afterEach(async () => h?.close());

async function setup(provider: MemoryProvider) {
  h = await startHarness(undefined, { payoutProviders: registryOf(provider) });
  const f = await merchantFixture(h, "Payouts");
  const deps: RunnerDeps = {
    db: h.db,
    clock: h.clock,
    providers: registryOf(provider),
    ring: TEST_KEY_RING,
    publicUrl: "http://localhost",
    owner: "test-a",
  };
  return { f, deps };
}

async function balances(f: MerchantFixture): Promise<Record<string, number>> {
  const rows = await h.db.read((q) =>
    q.query<{ account: string; v: string }>("SELECT account, balance_minor::text AS v FROM account_balances WHERE merchant_id = $1", [
      f.merchantId,
    ]),
  );
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.v)]));
}

async function sumOf(f: MerchantFixture, suffix: string): Promise<number> {
  const b = await balances(f);
  return Object.entries(b)
    .filter(([a]) => a.endsWith(suffix))
    .reduce((s, [, v]) => s + v, 0);
}

async function startRun(f: MerchantFixture, body: Record<string, unknown> = {}, key = `run-${Math.random()}`) {
  const r = await h.call("POST", "/v1/payout-runs", { token: f.apiKey, body, headers: { "idempotency-key": key } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}

/** Wait until the run is finished (the server drives it in-process after the start). */
async function finished(f: MerchantFixture, runId: string, deps: RunnerDeps): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const r = await h.call("GET", `/v1/payout-runs/${runId}?limit=500`, { token: f.apiKey });
    if (r.body.state === "finished") return r.body;
    if (i % 10 === 9) await tickPayoutRuns(deps);
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error("run did not finish");
}

async function withdrawalStates(f: MerchantFixture): Promise<Record<string, number>> {
  const rows = await h.db.read((q) =>
    q.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM withdrawals WHERE merchant_id = $1 GROUP BY state", [
      f.merchantId,
    ]),
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function events(f: MerchantFixture, type: string): Promise<Json[]> {
  return h.db.read((q) =>
    q.query("SELECT subject, data FROM events WHERE merchant_id = $1 AND type = $2 ORDER BY pos", [f.merchantId, type]),
  );
}

describe("payout runs", () => {
  it("pays approved withdrawals end to end: ledger, service fee at payout, events, counts", async () => {
    const provider = new MemoryProvider("sandbox");
    const { f, deps } = await setup(provider);
    const fee = await h.call("PATCH", `/v1/programs/${f.programId}/service-fee`, { token: h.adminToken, body: { rateBps: 250 } });
    expect(fee.status).toBe(200);
    expect((await h.call("PATCH", `/v1/programs/${f.programId}/service-fee`, { token: f.apiKey, body: { rateBps: 1 } })).status).toBe(403);
    const ids = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 5,
      amountMinor: 10_000,
      taxMinor: 400,
      feeMinor: 100,
      at: h.clock.now(),
    });
    const runId = await startRun(f);
    const run = await finished(f, runId, deps);
    expect(run.counts).toMatchObject({ total: 5, paid: 5, failed: 0, paying: 0, skipped: 0, awaitingFunds: 0 });
    expect(run.items.map((i: Json) => i.withdrawalId).sort()).toEqual([...ids].sort());
    expect(await withdrawalStates(f)).toEqual({ paid: 5 });
    expect(provider.transfers.size).toBe(5);
    expect([...provider.transfers.values()].every((t) => t.req.amountMinor === 9_500 && t.submits === 1)).toBe(true);
    expect(await sumOf(f, ":paid")).toBe(5 * 9_500);
    expect(await sumOf(f, ":locked")).toBe(0);
    expect(await sumOf(f, ":tax")).toBe(5 * 400);
    const b = await balances(f);
    // 2.5 % of the gross commission paid out, charged to the merchant; the withdrawal fees are the merchant's here
    expect(b[`merchant:${f.merchantId}:service_fee`]).toBe(-5 * 250);
    expect(b["platform:fee"]).toBe(5 * 250);
    expect(b[`merchant:${f.merchantId}:fee_income`]).toBe(5 * 100);
    expect((await events(f, "payout.succeeded")).length).toBe(5);
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
    // a second run finds nothing to pay
    const again = await finished(f, await startRun(f), deps);
    expect(again.counts.total).toBe(0);
  });

  it("settles from callbacks: a duplicate or late callback changes nothing; a bad signature is refused", async () => {
    const provider = new MemoryProvider("sandbox", () => ({ state: "processing", providerState: "PROCESSING" }));
    const { f, deps } = await setup(provider);
    const [a, b] = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, { ring: TEST_KEY_RING, count: 2, at: h.clock.now() });
    const runId = await startRun(f);
    for (let i = 0; i < 100 && provider.transfers.size < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const outRefOf = (w: string | undefined) =>
      [...provider.transfers.values()].find((t) => t.req.withdrawalId === w)?.req.outRef as string;
    const callback = (outRef: string, status: PayoutStatus, sig?: string) => {
      const body = JSON.stringify({ outRef, status });
      return fetch(`${h.base}/v1/payout-callbacks/sandbox/${f.merchantId}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": sig ?? provider.sign(body) },
        body,
      });
    };
    expect((await callback(outRefOf(a), { state: "succeeded", providerState: "SUCCESS" }, "forged")).status).toBe(400);
    expect(await withdrawalStates(f)).toEqual({ paying: 2 });
    const ok = await callback(outRefOf(a), { state: "succeeded", providerState: "SUCCESS" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, applied: "paid" });
    const before = await balances(f);
    const dup = await callback(outRefOf(a), { state: "succeeded", providerState: "SUCCESS" });
    expect(await dup.json()).toEqual({ ok: true, applied: "unchanged" });
    const late = await callback(outRefOf(a), { state: "failed", providerState: "FAIL", reason: "late" });
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ ok: true, applied: "unchanged" });
    expect(await balances(f)).toEqual(before);
    expect((await callback(outRefOf(b), { state: "failed", providerState: "FAIL", reason: "ACCOUNT_FROZEN" })).status).toBe(200);
    const run = await finished(f, runId, deps);
    expect(run.counts).toMatchObject({ total: 2, paid: 1, failed: 1 });
    expect(run.items.find((i: Json) => i.withdrawalId === b).reason).toBe("ACCOUNT_FROZEN");
    expect((await events(f, "payout.succeeded")).length).toBe(1);
    expect((await events(f, "payout.failed")).length).toBe(1);
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  });

  it("a failing payout returns everything: gross to available, tax voided, fee back", async () => {
    const provider = new MemoryProvider("sandbox", () => ({ state: "failed", providerState: "FAIL", reason: "NAME_MISMATCH" }));
    const { f, deps } = await setup(provider);
    const [w] = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 1,
      amountMinor: 10_000,
      taxMinor: 400,
      feeMinor: 100,
      at: h.clock.now(),
    });
    const before = await balances(f);
    const run = await finished(f, await startRun(f), deps);
    expect(run.counts).toMatchObject({ total: 1, failed: 1 });
    expect(await withdrawalStates(f)).toEqual({ failed: 1 });
    const after = await balances(f);
    const promoter = Object.keys(before)
      .find((k) => k.endsWith(":locked"))
      ?.split(":")[1];
    expect(after[`promoter:${promoter}:available`]).toBe((before[`promoter:${promoter}:available`] as number) + 10_000);
    expect(after[`promoter:${promoter}:locked`]).toBe(0);
    expect(after[`promoter:${promoter}:tax`]).toBe(0);
    expect(after[`merchant:${f.merchantId}:fee_income`] ?? 0).toBe(0);
    expect(after["platform:fee"] ?? 0).toBe(0);
    const [tax] = await h.db.read((q) =>
      q.query<{ state: string }>("SELECT state FROM tax_withholdings WHERE merchant_id = $1 AND withdrawal_id = $2", [f.merchantId, w]),
    );
    expect(tax?.state).toBe("void");
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  });

  it("an unknown outcome is queried before any retry, and a transfer the provider never got is submitted again under the same outRef", async () => {
    let calls = 0;
    const provider = new MemoryProvider("sandbox", () => (++calls === 1 ? "throw" : { state: "succeeded", providerState: "SUCCESS" }));
    const { f, deps } = await setup(provider);
    await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, { ring: TEST_KEY_RING, count: 1, at: h.clock.now() });
    const runId = await startRun(f);
    for (let i = 0; i < 100; i++) {
      const r = await h.call("GET", `/v1/payout-runs/${runId}`, { token: f.apiKey });
      if (r.body.step === "settle" && r.body.lastError === null && r.body.items[0]?.state === "submitting") break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(provider.transfers.size).toBe(0);
    h.clock.set(new Date(h.clock.now().getTime() + 120_000));
    const run = await finished(f, runId, deps);
    expect(run.counts.paid).toBe(1);
    expect(provider.submits).toBe(2);
    expect([...provider.transfers.values()].map((t) => t.submits)).toEqual([1]);
  });

  it("two processes never run one run at once; a lapsed lease is taken over and the run resumes from its stored step", async () => {
    const provider = new MemoryProvider("sandbox");
    const { f, deps } = await setup(provider);
    await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, { ring: TEST_KEY_RING, count: 3, at: h.clock.now() });
    // a run that the first process claimed and then "died" holding (lease taken, step select stored)
    const runId = await h.db.tx(async (q) => {
      const { createRun } = await import("../src/modules/payouts/service.ts");
      const run = await createRun(q, f.merchantId, {}, "test", h.clock.now());
      await q.query("UPDATE payout_runs SET lease_owner = 'dead-process', lease_until = $3 WHERE merchant_id = $1 AND id = $2", [
        f.merchantId,
        run.id,
        new Date(h.clock.now().getTime() + 30_000),
      ]);
      return run.id;
    });
    expect(await driveRun({ ...deps, owner: "test-b" }, f.merchantId, runId)).toBe("busy");
    expect(await tickPayoutRuns({ ...deps, owner: "test-b" })).toBe(0);
    expect(provider.submits).toBe(0);
    h.clock.set(new Date(h.clock.now().getTime() + 31_000));
    expect(await driveRun({ ...deps, owner: "test-b" }, f.merchantId, runId)).toBe("done");
    expect(await withdrawalStates(f)).toEqual({ paid: 3 });
    expect(provider.submits).toBe(3);
  });
});

describe("the WeChat confirmation step", () => {
  it("shows package_info while the payee confirms; past the 24 h expiry the transfer is cancelled and the funds return", async () => {
    const expiresAt = new Date(Date.parse("2026-03-03T02:00:00.000Z")).toISOString();
    const provider = new MemoryProvider("wechat", () => ({
      state: "wait_user_confirm",
      providerState: "WAIT_USER_CONFIRM",
      packageInfo: "affffddafdfafddffda==",
      expiresAt,
    }));
    const cancelled: string[] = [];
    Object.assign(provider, {
      cancel: async (outRef: string) => {
        cancelled.push(outRef);
        provider.settle(outRef, { state: "failed", providerState: "CANCELLED", reason: "the payee did not confirm within 24 h" });
      },
    });
    const { f, deps } = await setup(provider);
    const [w] = await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 1,
      amountMinor: 10_000,
      at: h.clock.now(),
    });
    const runId = await startRun(f);
    for (let i = 0; i < 100; i++) {
      const r = await h.call("GET", `/v1/payout-runs/${runId}`, { token: f.apiKey });
      if (r.body.counts.waitingForUser === 1) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const view = await h.call("GET", `/v1/withdrawals/${w}`, { token: f.apiKey });
    expect(view.body.state).toBe("paying");
    expect(view.body.confirmation).toMatchObject({ packageInfo: "affffddafdfafddffda==", expiresAt });
    // before the expiry: still waiting, nothing cancelled
    h.clock.set("2026-03-02T20:00:00.000Z");
    await tickPayoutRuns(deps);
    expect(cancelled).toEqual([]);
    h.clock.set("2026-03-03T02:00:01.000Z");
    const run = await finished(f, runId, deps);
    expect(cancelled.length).toBe(1);
    expect(run.counts).toMatchObject({ failed: 1, waitingForUser: 0 });
    const after = await h.call("GET", `/v1/withdrawals/${w}`, { token: f.apiKey });
    expect(after.body).toMatchObject({ state: "failed", confirmation: null });
    expect(await sumOf(f, ":locked")).toBe(0);
    expect(await sumOf(f, ":available")).toBe(10_000);
  });
});

describe("circuit breaker", () => {
  it("a run skips the withdrawals of a program whose circuit is open; they stay approved and a retry pays them once closed", async () => {
    const provider = new MemoryProvider("sandbox");
    const { f, deps } = await setup(provider);
    await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, { ring: TEST_KEY_RING, count: 2, at: h.clock.now() });
    const noReason = await h.call("POST", `/v1/programs/${f.programId}/circuit`, { token: f.apiKey, body: { open: true } });
    expect(noReason.status).toBe(400);
    const open = await h.call("POST", `/v1/programs/${f.programId}/circuit`, {
      token: f.apiKey,
      body: { open: true, reason: "fraud review" },
    });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ open: true, reason: "fraud review" });
    const runId = await startRun(f);
    const run = await finished(f, runId, deps);
    expect(run.counts).toMatchObject({ total: 2, skipped: 2, paid: 0 });
    expect(run.items.every((i: Json) => i.reason === "circuit_open")).toBe(true);
    expect(await withdrawalStates(f)).toEqual({ approved: 2 });
    expect(provider.submits).toBe(0);
    const [a] = await h.db.read((q) =>
      q.query("SELECT action FROM audit_log WHERE merchant_id = $1 AND action LIKE 'circuit.%'", [f.merchantId]),
    );
    expect(a?.action).toBe("circuit.open");
    expect((await h.call("POST", `/v1/programs/${f.programId}/circuit`, { token: h.adminToken, body: { open: false } })).status).toBe(200);
    const retry = await h.call("POST", `/v1/payout-runs/${runId}/retry`, { token: f.apiKey, body: {} });
    expect(retry.status).toBe(200);
    const after = await finished(f, runId, deps);
    expect(after.counts).toMatchObject({ total: 2, paid: 2, skipped: 0 });
  });
});

describe("funding", () => {
  it("prepaid: withdrawals beyond the budget wait in awaiting_funds; the low-budget alert fires once; a top-up returns them to approved", async () => {
    const provider = new MemoryProvider("sandbox");
    const { f, deps } = await setup(provider);
    const top = (amountMinor: number, reference: string, token = h.adminToken) =>
      h.call("POST", `/v1/programs/${f.programId}/funding/topups`, {
        token,
        body: { amountMinor, reference },
        headers: { "idempotency-key": `k-${reference}-${amountMinor}` },
      });
    expect((await top(1000, "early")).status).toBe(409); // postpaid: PROGRAM_NOT_PREPAID
    expect((await h.call("PATCH", `/v1/programs/${f.programId}/funding`, { token: f.apiKey, body: { mode: "prepaid" } })).status).toBe(403);
    const mode = await h.call("PATCH", `/v1/programs/${f.programId}/funding`, { token: h.adminToken, body: { mode: "prepaid" } });
    expect(mode.status).toBe(200);
    expect((await top(25_000, "BANK-001", f.apiKey)).status).toBe(403);
    const t1 = await top(25_000, "BANK-001");
    expect(t1.status).toBe(201);
    expect((await top(25_000, "BANK-001")).body).toEqual(t1.body);
    const reuse = await h.call("POST", `/v1/programs/${f.programId}/funding/topups`, {
      token: h.adminToken,
      body: { amountMinor: 30_000, reference: "BANK-001" },
    });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe("TOPUP_REFERENCE_REUSED");
    const alert = await h.call("PATCH", `/v1/programs/${f.programId}/funding`, { token: f.apiKey, body: { lowBudgetAlertMinor: 8_000 } });
    expect(alert.body).toMatchObject({ remainingMinor: 25_000, lowBudgetAlertMinor: 8_000, low: false });
    expect((await events(f, "funding.low_budget")).length).toBe(0);
    await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 3,
      amountMinor: 10_000,
      at: h.clock.now(),
    });
    const runId = await startRun(f);
    const run = await finished(f, runId, deps);
    expect(run.counts).toMatchObject({ total: 3, paid: 2, awaitingFunds: 1 });
    expect(await withdrawalStates(f)).toEqual({ paid: 2, awaiting_funds: 1 });
    const funding = await h.call("GET", `/v1/programs/${f.programId}/funding`, { token: f.apiKey });
    expect(funding.body).toMatchObject({
      mode: "prepaid",
      budgetMinor: 25_000,
      committedMinor: 20_000,
      remainingMinor: 5_000,
      lowBudgetAlertMinor: 8_000,
      low: true,
    });
    expect(funding.body.awaitingFunds).toEqual({ count: 1, amountMinor: 10_000 });
    expect((await events(f, "funding.low_budget")).length).toBe(1);
    // a small top-up does not cover it: still waiting, no second alert while still low
    await top(1_000, "BANK-002");
    expect(await withdrawalStates(f)).toEqual({ paid: 2, awaiting_funds: 1 });
    expect((await events(f, "funding.low_budget")).length).toBe(1);
    const t3 = await top(20_000, "BANK-003");
    expect(t3.body.releasedWithdrawals).toBe(1);
    expect(await withdrawalStates(f)).toEqual({ paid: 2, approved: 1 });
    const view = await h.call("GET", `/v1/programs/${f.programId}/funding`, { token: h.adminToken });
    expect(view.body).toMatchObject({ budgetMinor: 46_000, remainingMinor: 26_000, low: false });
    expect(view.body.topups.map((t: Json) => t.reference)).toEqual(["BANK-003", "BANK-002", "BANK-001"]);
    const again = await finished(f, await startRun(f), deps);
    expect(again.counts).toMatchObject({ total: 1, paid: 1 });
    const after = await h.call("GET", `/v1/programs/${f.programId}/funding`, { token: f.apiKey });
    expect(after.body).toMatchObject({ committedMinor: 30_000, remainingMinor: 16_000 });
    expect((await verifyMerchantLedger(h.db, f.merchantId)).ok).toBe(true);
  });

  it("a failed payout of a prepaid program returns its draw to the budget", async () => {
    const provider = new MemoryProvider("sandbox", () => ({ state: "failed", providerState: "FAIL", reason: "X" }));
    const { f, deps } = await setup(provider);
    await h.call("PATCH", `/v1/programs/${f.programId}/funding`, { token: h.adminToken, body: { mode: "prepaid" } });
    await h.call("POST", `/v1/programs/${f.programId}/funding/topups`, {
      token: h.adminToken,
      body: { amountMinor: 50_000, reference: "R1" },
    });
    await seedApprovedWithdrawals(h.db, f.merchantId, f.programId, {
      ring: TEST_KEY_RING,
      count: 2,
      amountMinor: 10_000,
      at: h.clock.now(),
    });
    await finished(f, await startRun(f), deps);
    const v = await h.call("GET", `/v1/programs/${f.programId}/funding`, { token: f.apiKey });
    expect(v.body).toMatchObject({ budgetMinor: 50_000, committedMinor: 0, remainingMinor: 50_000 });
  });
});
