/**
 * Concurrent withdrawals can never overdraw. On PostgreSQL two server processes (`fenxiao serve`) share one database
 * and take many parallel requests against one balance, some of them retries of one key sent to both processes; on
 * PGlite the in-process server takes them all at once. The sum locked never exceeds the balance, exactly as many
 * succeed as fit, a retried key withdraws once, and the ledger verifies. Under the platform agent, one person's
 * withdrawals at two merchants at once compute their tax one after the other (the tax person lock): the month's
 * withholdings add up to exactly the tax on the month's total.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerChild, startServerChild } from "./child-server.ts";
import { type Harness, type Json, merchantFixture, onPostgres, promoterFixture, startHarness } from "./helpers.ts";
import { addIdentity, addPayoutAccount, balances, expectLedgerOk, fund, setMoney } from "./withdrawal-fixtures.ts";

const REQUESTS = onPostgres ? 60 : 30;
const AMOUNT_MINOR = 7_000;
const BALANCE_MINOR = 100_000;
/** Requests sent twice under one key, once to each server. */
const RETRIED = 5;

let h: Harness;
const children: ServerChild[] = [];
/** Where the requests go: the two child servers on PostgreSQL, the in-process server on PGlite. */
let bases: string[] = [];

beforeAll(async () => {
  h = await startHarness(new Date().toISOString());
  if (onPostgres && h.url) for (let i = 0; i < 2; i++) children.push(await startServerChild({ ...process.env, DATABASE_URL: h.url }));
  bases = children.length ? children.map((c) => c.base) : [h.base];
}, 330_000);

afterAll(async () => {
  for (const c of children) {
    c.proc.kill("SIGTERM");
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  }
  await h?.close();
});

async function post(base: string, token: string, body: unknown, key: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}/v1/me/withdrawals`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe(onPostgres ? "two server processes on one PostgreSQL" : "one embedded server", () => {
  it("parallel withdrawals against one balance never lock more than it", { timeout: 180_000 }, async () => {
    const m = await merchantFixture(h, "Race", { program: { holdDays: 0 } });
    const p = await promoterFixture(h, m, "Rita");
    const account = await addPayoutAccount(h, p.promoterId, "bank");
    await fund(h, m, p, BALANCE_MINOR);
    await setMoney(h, m, { withdrawal: { dailyCountMax: 50, autoApproveMaxMinor: 0 } });
    const body = { programId: m.programId, amountMinor: AMOUNT_MINOR, payoutAccountId: account };
    const plan = Array.from({ length: REQUESTS }, (_, i) => ({ base: bases[i % bases.length] as string, key: `race-${i}` }));
    // the same key to every server at once: one withdrawal, the same answer
    for (let i = 0; i < RETRIED; i++) for (const base of bases) plan.push({ base, key: `race-${i}` });
    const results = await Promise.all(plan.map((x) => post(x.base, p.token, body, x.key)));
    const statuses = results.map((r) => r.status);
    expect(
      statuses.every((s) => s === 201 || s === 422),
      JSON.stringify(results.filter((r) => r.status !== 201 && r.status !== 422)),
    ).toBe(true);
    for (const r of results.filter((x) => x.status === 422))
      expect(["INSUFFICIENT_AVAILABLE", "DAILY_COUNT_EXCEEDED"]).toContain(r.body.error.code);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id as string));
    const fits = Math.floor(BALANCE_MINOR / AMOUNT_MINOR);
    expect(ids.size).toBe(fits);
    // every retry of a key got the first answer
    for (let i = 0; i < RETRIED; i++) {
      const same = results.filter((_, j) => plan[j]?.key === `race-${i}`);
      expect(same.length).toBe(1 + bases.length);
      for (const r of same) expect(r).toEqual(same[0]);
    }
    const rows = await h.db.read((q) =>
      q.query<{ n: number; total: number }>(
        "SELECT count(*)::int AS n, coalesce(sum(amount_minor), 0)::bigint AS total FROM withdrawals WHERE merchant_id = $1",
        [m.merchantId],
      ),
    );
    expect(Number(rows[0]?.n)).toBe(fits);
    expect(Number(rows[0]?.total)).toBeLessThanOrEqual(BALANCE_MINOR);
    const b = await balances(h, m.merchantId, p.promoterId);
    expect(b).toMatchObject({ available: BALANCE_MINOR - fits * AMOUNT_MINOR, locked: fits * AMOUNT_MINOR });
    await expectLedgerOk(h, m);
  });

  it("one person at two merchants under the platform agent: the month's tax adds up exactly", { timeout: 180_000 }, async () => {
    const hh = h;
    const a = await merchantFixture(hh, "TaxA", { program: { holdDays: 0 } });
    const b = await merchantFixture(hh, "TaxB", { program: { holdDays: 0 } });
    const p = await promoterFixture(hh, a, "Tess");
    const joined = await hh.call("POST", "/v1/me/memberships", {
      token: p.token,
      body: { merchantId: b.merchantId, programId: b.programId },
    });
    expect(joined.status).toBe(201);
    await addIdentity(hh, p.promoterId);
    const account = await addPayoutAccount(hh, p.promoterId, "bank");
    const each = 10;
    for (const [m, code] of [
      [a, p.code],
      [b, joined.body.code as string],
    ] as const) {
      await fund(hh, m, { ...p, code }, each * 100_000);
      await setMoney(hh, m, {
        tax: { method: "cn-labour-monthly", agent: "platform" },
        withdrawal: { dailyCountMax: 50, autoApproveMaxMinor: 0 },
      });
    }
    const sends = Array.from({ length: 2 * each }, (_, i) =>
      post(
        bases[i % bases.length] as string,
        p.token,
        { programId: (i % 4 < 2 ? a : b).programId, amountMinor: 100_000, payoutAccountId: account },
        `tax-${i}`,
      ),
    );
    const results = await Promise.all(sends);
    expect(
      results.map((r) => r.status),
      JSON.stringify(results.filter((r) => r.status !== 201)),
    ).toEqual(Array(2 * each).fill(201));
    // each computed its tax after the one before had committed: no two saw the same prior income of the month
    const priors = await hh.db.read((q) =>
      q.query<{ prior: number }>(
        "SELECT (tax_detail->'trace'->>'priorIncomeMinor')::bigint AS prior FROM withdrawals WHERE promoter_id = $1 ORDER BY 1",
        [p.promoterId],
      ),
    );
    expect(priors.map((r) => Number(r.prior))).toEqual(Array.from({ length: 2 * each }, (_, i) => i * 100_000));
    // ¥20,000 in the month: 20,000 × 80 % = 16,000 × 20 % = ¥3,200, however the payments interleave
    expect(results.reduce((t, r) => t + (r.body.taxMinor as number), 0)).toBe(320_000);
    const [row] = await hh.db.read((q) =>
      q.query<{ income: number; tax: number }>(
        "SELECT sum(income_minor)::bigint AS income, sum(tax_minor)::bigint AS tax FROM tax_withholdings WHERE agent = 'platform' AND promoter_id = $1",
        [p.promoterId],
      ),
    );
    expect(row).toEqual({ income: 2_000_000, tax: 320_000 });
    await expectLedgerOk(hh, a);
    await expectLedgerOk(hh, b);
  });
});
