/**
 * A payout run survives SIGKILL (PostgreSQL): the server runs as a child process and pays a run of many withdrawals
 * through the sandbox; the child is killed mid-run and started again. Its lease lapses, the new process resumes the run
 * from its stored step — querying before resubmitting every transfer the dead one had sent — and afterwards nothing is
 * paid twice (one pay transaction per withdrawal at most, one sandbox transfer per outRef), nothing is stuck (every
 * item final, no withdrawal left paying) and the ledger verifies.
 */
import { afterAll, describe, expect, it } from "vitest";
import { keyRing, newSecretKeyText } from "../src/crypto/sealed.ts";
import { PostgresDb } from "../src/db/client.ts";
import { verifyMerchantLedger } from "../src/modules/ledger/repository.ts";
import { newSandboxSecret, SANDBOX_DEFAULTS, saveConfig } from "../src/modules/payouts/providers/config.ts";
import { type ServerChild, startServerChild } from "./child-server.ts";
import { createTestDatabase, onPostgres } from "./helpers.ts";
import { seedApprovedWithdrawals } from "./payout-fixtures.ts";

const API_KEY = "fxk_demo_beibei_0000000000000000";
const MERCHANT = "mch_demo_beibei";
const PROGRAM = "prg_demo_beibei";
const WITHDRAWALS = 2_000;
/** SIGKILL once the sandbox has this many transfers (the run is past its first submit chunk). */
const KILL_AFTER_TRANSFERS = 700;

/** The first start creates the demo data, and a loaded machine takes longer. */
const START_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onPostgres)("payout run and SIGKILL (PostgreSQL)", () => {
  const children: ServerChild[] = [];
  let drop: (() => Promise<void>) | null = null;
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
    await drop?.();
  });

  it("resumes a killed run: nothing paid twice, nothing stuck, ledger verified", async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    const secret = newSecretKeyText();
    const ring = keyRing(secret);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url, FENXIAO_DEMO: "1", FENXIAO_SECRET_KEY: secret };
    const first = await startServerChild(env, START_TIMEOUT_MS);
    children.push(first);
    const db = PostgresDb.open(t.url, 4);
    try {
      const count = async (sql: string) => Number((await db.read((q) => q.query<{ n: string }>(sql, [MERCHANT])))[0]?.n ?? 0);
      await db.tx((q) =>
        saveConfig(
          q,
          ring,
          MERCHANT,
          "sandbox",
          true,
          {
            ...SANDBOX_DEFAULTS,
            secret: newSandboxSecret(),
            delayMs: 200,
            failureRate: 0.1,
            duplicateRate: 0.3,
            lateRate: 0.1,
            lateDelayMs: 5_000,
          },
          new Date(),
        ),
      );
      const ids = await seedApprovedWithdrawals(db, MERCHANT, PROGRAM, {
        ring,
        count: WITHDRAWALS,
        amountMinor: 2_000,
        taxMinor: 100,
        at: new Date(Date.now() - 60_000),
      });
      const start = await fetch(`${first.base}/v1/payout-runs`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "idempotency-key": "crash-run" },
        body: JSON.stringify({ provider: "sandbox" }),
      });
      expect(start.status).toBe(201);
      const runId = ((await start.json()) as { id: string }).id;
      const transfers = "SELECT count(*)::text AS n FROM sandbox_transfers WHERE merchant_id = $1";
      for (let i = 0; i < 1_200 && (await count(transfers)) < KILL_AFTER_TRANSFERS; i++) await sleep(25);
      first.proc.kill("SIGKILL");
      await first.exited;
      const atKill = await db.read((q) =>
        q.query<{ state: string; n: number }>(
          "SELECT state, count(*)::int AS n FROM payout_items WHERE merchant_id = $1 GROUP BY state ORDER BY state",
          [MERCHANT],
        ),
      );
      const sentAtKill = await count(transfers);
      expect(sentAtKill).toBeGreaterThanOrEqual(KILL_AFTER_TRANSFERS);
      expect(sentAtKill).toBeLessThan(WITHDRAWALS);
      expect(atKill.some((s) => ["selected", "submitting", "processing"].includes(s.state))).toBe(true);

      const second = await startServerChild(env, START_TIMEOUT_MS);
      children.push(second);
      const runState = "SELECT count(*)::text AS n FROM payout_runs WHERE merchant_id = $1 AND state = 'finished'";
      for (let i = 0; i < 600 && (await count(runState)) < 1; i++) await sleep(250);
      const [run] = await db.read((q) =>
        q.query<{ state: string }>(
          "SELECT state, step, attempts, last_error, lease_owner, lease_until, next_at FROM payout_runs WHERE merchant_id = $1 AND id = $2",
          [MERCHANT, runId],
        ),
      );
      const now = await db.read((q) =>
        q.query("SELECT state, count(*)::int AS n FROM payout_items WHERE merchant_id = $1 GROUP BY state ORDER BY state", [MERCHANT]),
      );
      expect(
        run?.state,
        `at kill: ${JSON.stringify(atKill)}; now: ${JSON.stringify(now)} ${JSON.stringify(run)}\n${second.output().slice(-2000)}`,
      ).toBe("finished");

      // nothing stuck: every item final, no withdrawal left approved-in-a-run or paying
      const items = await db.read((q) =>
        q.query<{ state: string; n: number }>(
          "SELECT state, count(*)::int AS n FROM payout_items WHERE merchant_id = $1 AND run_id = $2 GROUP BY state",
          [MERCHANT, runId],
        ),
      );
      expect(items.filter((s) => s.state !== "paid" && s.state !== "failed")).toEqual([]);
      expect(items.reduce((s, r) => s + r.n, 0)).toBe(WITHDRAWALS);
      expect(await count("SELECT count(*)::text AS n FROM withdrawals WHERE merchant_id = $1 AND state NOT IN ('paid', 'failed')")).toBe(0);
      // nothing paid twice: one transfer per outRef and per withdrawal at the provider, one pay transaction per withdrawal
      expect(await count(transfers)).toBe(WITHDRAWALS);
      expect(await count("SELECT count(DISTINCT withdrawal_id)::text AS n FROM sandbox_transfers WHERE merchant_id = $1")).toBe(
        WITHDRAWALS,
      );
      const twice = await db.read((q) =>
        q.query(
          `SELECT w.id FROM withdrawals w WHERE w.merchant_id = $1
             AND (SELECT count(*) FROM withdrawal_transitions t WHERE t.merchant_id = w.merchant_id AND t.withdrawal_id = w.id AND t.event IN ('succeed', 'fail')) <> 1`,
          [MERCHANT],
        ),
      );
      expect(twice).toEqual([]);
      // the books agree with the provider: paid exactly where the sandbox decided success
      const mismatch = await db.read((q) =>
        q.query(
          `SELECT w.id, w.state, s.outcome FROM withdrawals w JOIN sandbox_transfers s ON s.merchant_id = w.merchant_id AND s.withdrawal_id = w.id
           WHERE w.merchant_id = $1 AND ((w.state = 'paid') <> (s.outcome = 'succeeded'))`,
          [MERCHANT],
        ),
      );
      expect(mismatch).toEqual([]);
      const paid = await count("SELECT count(*)::text AS n FROM withdrawals WHERE merchant_id = $1 AND state = 'paid'");
      const paidBalance = await count(
        `SELECT coalesce(sum(b.balance_minor), 0)::text AS n FROM account_balances b
         JOIN withdrawals w ON w.merchant_id = b.merchant_id AND b.account = 'promoter:' || w.promoter_id || ':paid' WHERE b.merchant_id = $1`,
      );
      expect(paid).toBeGreaterThan(0);
      expect(paidBalance).toBe(paid * 1_900);
      expect(ids.length).toBe(WITHDRAWALS);
      const report = await verifyMerchantLedger(db, MERCHANT);
      expect(report.chainProblems).toEqual([]);
      expect(report.balanceProblems).toEqual([]);
      expect(report.ok).toBe(true);
      second.proc.kill("SIGTERM");
      await second.exited;
    } finally {
      await db.close();
    }
  }, 600_000);
});
