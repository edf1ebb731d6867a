/**
 * `npm run bench -- import [--rows N] [--admin-url URL]`: the CSV import of paid orders (modules/imports, the same
 * code as `fenxiao import orders` and POST /v1/imports/orders) on PostgreSQL, beside PostgreSQL's own COPY of the
 * same file into a plain table of text columns: what the database alone can take in from that CSV. The import does
 * far more per row (attribution, the commission plan, ledger postings, per-order transactions in group commits); the
 * target is ≥ 0.10 × COPY's rows per second. Two rows (lines) per order, a promoter's code on every third order.
 */

import { chmodSync, createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { systemClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { DEMO, seedDemo } from "../packages/server/src/demo/seed.ts";
import { newId } from "../packages/server/src/ids.ts";
import { insertJob } from "../packages/server/src/modules/imports/repository.ts";
import { runImport } from "../packages/server/src/modules/imports/service.ts";
import { createDatabase } from "./ingest.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const ROWS_DEFAULT = 20_000;
export const ROWS_MAX = 2_000_000;
/** The import's rows per second at least, as a share of COPY's. */
export const TARGET_RATIO = 0.1;

/** How busy the machine is: the 1-minute load average on its cores. */
function load(): string {
  return `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function writeCsv(path: string, rows: number, codes: readonly string[]): void {
  const paidAt = new Date(Date.now() - 3_600_000).toISOString();
  const out = ["order_ref,paid_at,customer_ref,promo_code,product_id,product_name,quantity,line_amount"];
  for (let i = 0; out.length <= rows; i++) {
    const code = i % 3 === 0 ? (codes[i % codes.length] ?? "") : "";
    out.push(`BENCH-${i},${paidAt},bench-c${i % 5000},${code},SKU-1001,Tea,1,128.00`);
    if (out.length <= rows) out.push(`BENCH-${i},${paidAt},bench-c${i % 5000},${code},SKU-1002,Cup,2,39.90`);
  }
  writeFileSync(path, `${out.join("\n")}\n`);
  chmodSync(path, 0o644); // the PostgreSQL server reads it for COPY
}

/** CPU clock ticks (user + system, USER_HZ = 100 on Linux) a process has used, or null when it is gone. */
function procTicks(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

/**
 * CPU seconds the database's server processes (backends) used, sampled every 200 ms while `work` runs: a figure the
 * machine's load does not stretch as it stretches wall time (/proc, on the same machine as PostgreSQL).
 */
async function backendCpu<T>(url: string, work: () => Promise<T>): Promise<{ out: T; seconds: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const ticks = new Map<number, { first: number; last: number }>();
  const sample = async () => {
    const rows = (
      await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    ).rows;
    for (const { pid } of rows) {
      const t = procTicks(pid);
      if (t === null) continue; // it ended between the query and the read
      const seen = ticks.get(pid);
      if (seen) seen.last = t;
      else ticks.set(pid, { first: t, last: t });
    }
  };
  try {
    await sample();
    let running = true;
    const sampler = (async () => {
      while (running) {
        await new Promise((r) => setTimeout(r, 200));
        await sample();
      }
    })();
    const started = new Set(ticks.keys());
    const out = await work().finally(() => {
      running = false;
    });
    await sampler;
    await sample();
    let sum = 0;
    for (const [pid, t] of ticks) sum += t.last - (started.has(pid) ? t.first : 0);
    return { out, seconds: sum / 100 }; // USER_HZ = 100 on Linux
  } finally {
    await c.end();
  }
}

/** COPY of the file into a plain table: rows per second, and the CPU seconds its backend used. */
async function copyRowsPerSecond(url: string, path: string, rows: number): Promise<{ rate: number; cpu: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      "CREATE TABLE bench_copy (order_ref text, paid_at text, customer_ref text, promo_code text, product_id text, product_name text, quantity text, line_amount text)",
    );
    const [{ pid }] = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows as [{ pid: number }];
    const ticks0 = procTicks(pid) ?? 0;
    const t0 = performance.now();
    const r = await c.query(`COPY bench_copy FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`);
    const s = (performance.now() - t0) / 1000;
    if (r.rowCount !== rows) throw new Error(`COPY took ${r.rowCount} rows, expected ${rows}`);
    return { rate: rows / s, cpu: ((procTicks(pid) ?? 0) - ticks0) / 100 };
  } finally {
    await c.end();
  }
}

export async function run(args: string[]): Promise<{ importRowsPerSecond: number; copyRowsPerSecond: number; ratio: number }> {
  const rows = intOption("rows", option(args, "rows"), ROWS_DEFAULT, 2, ROWS_MAX);
  const admin = benchAdminUrl(option(args, "admin-url"));
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-bench-import-"));
  chmodSync(dir, 0o755);
  const file = join(dir, "orders.csv");
  const t = await createDatabase(admin);
  const db = PostgresDb.open(t.url, 8);
  const ring = keyRing(newSecretKeyText());
  try {
    await migrate(db);
    await seedDemo(db, systemClock, ring);
    const codes = (
      await db.read((q) =>
        q.query<{ code: string }>("SELECT code FROM memberships WHERE merchant_id = $1 ORDER BY code", [DEMO.merchantId]),
      )
    ).map((r) => r.code);
    writeCsv(file, rows, codes);
    const bytes = statSync(file).size;
    console.log(`rows: ${rows} (${rows / 2} orders of 2 lines), ${(bytes / 1_048_576).toFixed(1)} MiB, PostgreSQL ${t.name}`);
    const { rate: copy, cpu: copyCpu } = await copyRowsPerSecond(t.url, file, rows);
    console.log(
      `COPY into a plain table: ${Math.round(copy).toLocaleString("en")} rows/s (${load()}); PostgreSQL CPU ${copyCpu.toFixed(2)} s`,
    );
    const jobId = newId("imp");
    await db.tx((q) =>
      insertJob(q, { merchantId: DEMO.merchantId, id: jobId, source: "bench", status: "running", bytesTotal: bytes, at: new Date() }),
    );
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { out: p, seconds: importCpu } = await backendCpu(t.url, () =>
      runImport({ db, ring, merchantId: DEMO.merchantId, jobId, input: createReadStream(file), now: () => new Date() }),
    );
    const s = (performance.now() - t0) / 1000;
    if (p.ordersImported !== rows / 2 || p.rowsRejected !== 0)
      throw new Error(`the import took ${p.ordersImported} orders and refused ${p.rowsRejected} rows: ${JSON.stringify(p)}`);
    const imp = rows / s;
    const ratio = imp / copy;
    console.log(
      `import (attribution, plan, ledger): ${Math.round(imp).toLocaleString("en")} rows/s, ${Math.round(p.ordersImported / s).toLocaleString("en")} orders/s, ${s.toFixed(1)} s (${load()})`,
    );
    const cpu = process.cpuUsage(cpu0);
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    console.log(
      `CPU during the import: this process ${nodeCpu.toFixed(1)} s (${((nodeCpu / s) * 100).toFixed(0)} % of a core), PostgreSQL ${importCpu.toFixed(1)} s; rows per CPU second ${Math.round(rows / (nodeCpu + importCpu)).toLocaleString("en")}, COPY's ${Math.round(rows / Math.max(copyCpu, 0.01)).toLocaleString("en")}`,
    );
    console.log(`peak RSS of this process (the import and its database client): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
    console.log(`import / COPY: ${ratio.toFixed(3)} × (target ≥ ${TARGET_RATIO}) — ${ratio >= TARGET_RATIO ? "met" : "NOT met"}`);
    return { importRowsPerSecond: imp, copyRowsPerSecond: copy, ratio };
  } finally {
    await db.close();
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
