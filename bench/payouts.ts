/**
 * Payout-run benchmark: `npm run bench -- payouts [--count N] [--admin-url URL] [--keep] [--sql-profile]`.
 *
 * Creates a fresh PostgreSQL database (dropped at the end unless --keep), migrates it, creates one merchant and one
 * program, enables the merchant's sandbox provider with no delay (it decides at once: every submit answers succeeded),
 * no failures and no callback copies, and loads N approved withdrawals (one promoter each, with real ledger balances:
 * accrued, released and locked by the request; payout accounts sealed) — loading is reported, not timed against the
 * target. Timed: one payout run over all of them, as the server runs it (modules/payouts/runner.ts: select, fund,
 * submit — the withdrawal moved to paying through applyWithdrawalEvent, the payee revealed, the sandbox called, the
 * answer applied — settle, finish). Checked afterwards: every withdrawal paid, the run's counts, and the merchant's
 * ledger verifies (timed too). A failed check fails the run. Printed beside the time: each step's time, Node's and the
 * database's CPU and the write-ahead log written; with --sql-profile, every statement of the run by total time.
 */
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { systemClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import type { Db, Sql } from "../packages/server/src/db/sql.ts";
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
/** The issue's target for 100,000 withdrawals. */
export const TARGET_SECONDS = 60;
const MERCHANT_ID = "mch_bench_payouts";
const PROGRAM_ID = "prg_bench_payouts";

/** Time every statement of the run by its text (the first line, whitespace folded): `--sql-profile`. */
type Timing = { n: number; ms: number; each: number[] };
function profiled(db: Db, times: Map<string, Timing>): Db {
  const wrap = (q: Sql): Sql => ({
    ...q,
    query: async (text, params) => {
      const t0 = performance.now();
      try {
        return await q.query(text, params);
      } finally {
        const key = text.replace(/\s+/g, " ").trim().slice(0, 110);
        const t = times.get(key) ?? { n: 0, ms: 0, each: [] };
        const ms = performance.now() - t0;
        t.n += 1;
        t.ms += ms;
        t.each.push(ms);
        times.set(key, t);
      }
    },
  });
  return Object.assign(Object.create(db) as Db, {
    read: <T>(fn: (q: Sql) => Promise<T>) => db.read((q) => fn(wrap(q))),
    tx: <T>(fn: (q: Sql) => Promise<T>) => db.tx((q) => fn(wrap(q))),
  });
}

/** Mean of a part of the calls (a statement whose cost grows with the run shows a later quarter dearer than the first). */
const meanOf = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

function printProfile(times: Map<string, Timing>): void {
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
  console.log("  statements by total time (ms total, calls, ms per call: all, first quarter, last quarter):");
  for (const [k, t] of rows) {
    const q = Math.max(1, Math.floor(t.each.length / 4));
    const cols = [
      t.ms.toFixed(0).padStart(8),
      String(t.n).padStart(7),
      ...[t.each, t.each.slice(0, q), t.each.slice(-q)].map((xs) => meanOf(xs).toFixed(1).padStart(7)),
    ];
    console.log(`  ${cols.join(" ")}  ${k}`);
  }
}

/**
 * CPU seconds the database's server processes for this database have used (from /proc: the server runs on this
 * machine; null where it cannot be read). Less sensitive to a shared machine's load than the wall time.
 */
async function databaseCpuSeconds(db: Db): Promise<number | null> {
  const pids = await db.read((q) => q.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"));
  let ticks = 0;
  for (const { pid } of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    if (stat === null) return null;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** The write-ahead log's position, and how many bytes it moved since (the whole server's, other databases too). */
async function walPosition(db: Db): Promise<string> {
  const [r] = await db.read((q) => q.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn"));
  return r?.lsn ?? "0/0";
}
async function walSince(db: Db, lsn: string): Promise<number> {
  const [r] = await db.read((q) => q.query<{ n: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS n", [lsn]));
  return Number(r?.n ?? 0);
}

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
    options: {
      count: { type: "string" },
      "admin-url": { type: "string" },
      keep: { type: "boolean" },
      "sql-profile": { type: "boolean" },
    },
  });
  const count = intOption("count", values.count, COUNT_DEFAULT, 1, COUNT_MAX);
  const adminUrl = benchAdminUrl(values["admin-url"]);
  const name = `fenxiao_bench_payouts_${Date.now()}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  // Connections kept open for the whole run, so that the database's CPU time can be read from their processes at the end.
  const db = new PostgresDb(new pg.Pool({ connectionString: u.toString(), max: 20, idleTimeoutMillis: 0 }));
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

    const steps = new Map<string, number>();
    const times = new Map<string, Timing>();
    const runDb = values["sql-profile"] ? profiled(db, times) : db;
    const deps = {
      ...runnerDepsOf({ db: runDb, clock: systemClock, secrets: ring, config: { publicUrl: "http://127.0.0.1:9", sessionHours: 1 } }),
      log: console.log,
      onStep: (step: string, ms: number) => steps.set(step, (steps.get(step) ?? 0) + ms),
    };
    const dbCpu0 = await databaseCpuSeconds(db);
    const wal0 = await walPosition(db);
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
    const dbCpu1 = await databaseCpuSeconds(db);
    const walMiB = (await walSince(db, wal0)) / 2 ** 20;
    const dbCpu = dbCpu0 === null || dbCpu1 === null ? "unknown" : `${(dbCpu1 - dbCpu0).toFixed(1)} s`;
    const counts = await db.read((q) => runCounts(q, MERCHANT_ID, r.id));
    const v0 = Date.now();
    const report = await verifyMerchantLedger(db, MERCHANT_ID);
    const verifySeconds = (Date.now() - v0) / 1000;
    console.log(
      [
        `payout run of ${count.toLocaleString("en")} withdrawals through the sandbox (PostgreSQL): ${seconds.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s for 100,000)`,
        `  ${Math.round(count / seconds).toLocaleString("en")} withdrawals/s; paid ${counts.paid}, failed ${counts.failed}, open ${counts.paying}`,
        `  per step: ${[...steps].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(", ")}`,
        `  Node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, PostgreSQL CPU ${dbCpu}, WAL ${walMiB.toFixed(0)} MiB (${((walMiB * 2 ** 20) / count / 1024).toFixed(1)} KiB per withdrawal); load average ${loadavg()
          .map((x) => x.toFixed(2))
          .join(" ")}`,
        `  ledger verify: ${report.ok ? "OK" : "FAILED"} (${report.transactions.toLocaleString("en")} transactions, ${verifySeconds.toFixed(1)} s)`,
      ].join("\n"),
    );
    if (values["sql-profile"]) printProfile(times);
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
