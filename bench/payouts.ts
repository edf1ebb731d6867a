/**
 * Payout-run benchmark: `npm run bench -- payouts [--count N] [--admin-url URL] [--keep]`.
 *
 * Creates a fresh PostgreSQL database (dropped at the end unless --keep), migrates it, creates one merchant and one
 * program, enables the merchant's sandbox provider with no delay (it decides at once: every submit answers succeeded),
 * no failures and no callback copies, and loads N approved withdrawals (one promoter each, with real ledger balances:
 * accrued, released and locked by the request; payout accounts sealed) — loading is reported, not timed against the
 * target. Timed: one payout run over all of them, as the server runs it (modules/payouts/runner.ts: select, fund,
 * submit — the withdrawal moved to paying through applyWithdrawalEvent, the payee revealed, the sandbox called, the
 * answer applied — settle, finish). Checked afterwards: every withdrawal paid, the run's counts, and the merchant's
 * ledger verifies (timed too). A failed check fails the run.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { systemClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { verifyMerchantLedger } from "../packages/server/src/modules/ledger/repository.ts";
import { createMerchant } from "../packages/server/src/modules/merchants/service.ts";
import { newSandboxSecret, SANDBOX_DEFAULTS, saveConfig } from "../packages/server/src/modules/payouts/providers/config.ts";
import { runCounts } from "../packages/server/src/modules/payouts/repository.ts";
import { driveRun } from "../packages/server/src/modules/payouts/runner.ts";
import { createRun, runnerDepsOf } from "../packages/server/src/modules/payouts/service.ts";
import { programSettings } from "../packages/server/src/modules/programs/schema.ts";
import { createProgram } from "../packages/server/src/modules/programs/service.ts";
import { seedApprovedWithdrawals } from "../packages/server/test/payout-fixtures.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const COUNT_DEFAULT = 100_000;
export const COUNT_MAX = 1_000_000;
/** The target for 100,000 withdrawals. */
export const TARGET_SECONDS = 60;
const MERCHANT_ID = "mch_bench_payouts";
const PROGRAM_ID = "prg_bench_payouts";

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { count: { type: "string" }, "admin-url": { type: "string" }, keep: { type: "boolean" } },
  });
  const count = intOption("count", values.count, COUNT_DEFAULT, 1, COUNT_MAX);
  const adminUrl = benchAdminUrl(values["admin-url"]);
  const name = `fenxiao_bench_payouts_${Date.now()}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = PostgresDb.open(u.toString(), 20);
  const ring = keyRing(newSecretKeyText());
  let failed = false;
  try {
    await migrate(db);
    const t0 = Date.now();
    await db.tx(async (q) => {
      await createMerchant(q, { name: "Bench payouts merchant", id: MERCHANT_ID });
      await createProgram(
        q,
        MERCHANT_ID,
        programSettings.parse({ name: "Bench payouts program", landingUrl: "https://shop.example.com/" }),
        PROGRAM_ID,
      );
      await saveConfig(
        q,
        ring,
        MERCHANT_ID,
        "sandbox",
        true,
        { ...SANDBOX_DEFAULTS, secret: newSandboxSecret(), delayMs: 0, failureRate: 0, duplicateRate: 0, lateRate: 0 },
        new Date(),
      );
    });
    await seedApprovedWithdrawals(db, MERCHANT_ID, PROGRAM_ID, {
      ring,
      count,
      amountMinor: 10_000,
      taxMinor: 300,
      feeMinor: 100,
      at: new Date(Date.now() - 3_600_000),
      chunk: 5_000,
    });
    await db.analyze();
    console.log(`loaded ${count.toLocaleString("en")} approved withdrawals in ${((Date.now() - t0) / 1000).toFixed(1)} s (not timed)`);

    const deps = {
      ...runnerDepsOf({ db, clock: systemClock, secrets: ring, config: { publicUrl: "http://127.0.0.1:9", sessionHours: 1 } }),
      log: console.log,
    };
    const cpu0 = process.cpuUsage();
    const started = Date.now();
    const r = await db.tx((q) => createRun(q, MERCHANT_ID, { provider: "sandbox" }, "bench", new Date()));
    let progress = Date.now();
    for (;;) {
      const out = await driveRun(deps, MERCHANT_ID, r.id);
      if (out === "done") break;
      if (Date.now() - progress > 10_000) {
        progress = Date.now();
        console.log(`  … ${JSON.stringify(await db.read((q) => runCounts(q, MERCHANT_ID, r.id)))}`);
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const counts = await db.read((q) => runCounts(q, MERCHANT_ID, r.id));
    const v0 = Date.now();
    const report = await verifyMerchantLedger(db, MERCHANT_ID);
    const verifySeconds = (Date.now() - v0) / 1000;
    console.log(
      [
        `payout run of ${count.toLocaleString("en")} withdrawals through the sandbox (PostgreSQL): ${seconds.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s for 100,000)`,
        `  ${Math.round(count / seconds).toLocaleString("en")} withdrawals/s; paid ${counts.paid}, failed ${counts.failed}, open ${counts.paying}`,
        `  Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; load average ${loadavg()
          .map((x) => x.toFixed(2))
          .join(" ")}`,
        `  ledger verify: ${report.ok ? "OK" : "FAILED"} (${report.transactions.toLocaleString("en")} transactions, ${verifySeconds.toFixed(1)} s)`,
      ].join("\n"),
    );
    if (!report.ok || counts.paid !== count) {
      failed = true;
      console.error(
        `check failed: ${JSON.stringify({ counts, chain: report.chainProblems.slice(0, 3), balances: report.balanceProblems.slice(0, 3) })}`,
      );
    }
  } finally {
    await db.close();
    if (!values.keep) await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  if (failed) throw new Error("payouts benchmark: a check failed");
}
