/**
 * Order-ingest benchmark: `npm run bench -- ingest [--orders N] [--concurrency C] [--batch B] [--db pglite|postgres|both]`.
 *
 * For each database it starts a fresh server as a child process (a new PGlite data directory, or a new PostgreSQL
 * database that is dropped afterwards), waits for /health, reads the demo promoters' codes and products through the
 * API, posts N paid orders (1–3 lines, each with a promoter's code, so commission lines and ledger postings are real)
 * over HTTP at concurrency C with Idempotency-Keys, and prints orders/s and latency percentiles. It then checks that
 * `GET /v1/ledger/verify` is ok, that every order exists exactly once, and that replaying a sample of keys returns the
 * first responses. On PostgreSQL, when pgbench is installed, it runs a one-row-insert pgbench at the same concurrency
 * on the same database and prints orders/s ÷ pgbench TPS.
 *
 * Only talks to 127.0.0.1. Uses node built-ins, fetch, and the workspace's `pg` client for CREATE/DROP DATABASE.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { benchAdminUrl, intOption } from "./options.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SERVER_MAIN = join(ROOT, "packages/server/src/cli/main.ts");
const DEMO_API_KEY = "fxk_demo_beibei_0000000000000000";

export const ORDERS_DEFAULT = 20_000;
export const CONCURRENCY_DEFAULT = 8;
/** Upper bounds on the knobs, so a typo cannot start an endless run. */
export const ORDERS_MAX = 1_000_000;
export const CONCURRENCY_MAX = 256;
/** Orders per request at most (the server's limit for POST /v1/orders/batch). */
export const BATCH_MAX = 500;
/** Warm-up orders before the measured run: 2 % of N, at most this many. */
export const WARMUP_MAX = 500;
/** Stop the run after this many failed requests. */
export const ERRORS_MAX = 20;
/** Keys replayed after the run to check idempotent responses. */
export const REPLAY_SAMPLE = 50;
/** How long a fresh server may take to migrate and create the demo data. */
export const START_TIMEOUT_MS = 300_000;
export const PGBENCH_SECONDS_DEFAULT = 15;
export const PGBENCH_SECONDS_MAX = 120;

type DbKind = "pglite" | "postgres";

interface Options {
  orders: number;
  concurrency: number;
  /** Orders per request: 1 posts POST /v1/orders, more posts POST /v1/orders/batch. */
  batch: number;
  dbs: DbKind[];
  pgbenchSeconds: number;
  adminUrl: string;
  cpuProfDir: string | null;
  client: Client;
}

export interface IngestResult {
  db: DbKind;
  orders: number;
  concurrency: number;
  batch: number;
  elapsedMs: number;
  ordersPerSecond: number;
  ordersPerSecondByFifth: number[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuPercent: number | null;
  /** CPU of the load generator (this process) during the measured run, as a share of one core. */
  clientCpuPercent: number;
  client: Client;
  /** Share of all the machine's cores that was busy during the measured run (every process, not only ours). */
  machineBusyPercent: number | null;
  commissionLines: number;
  ledgerTransactionsAdded: number;
  verifyOk: boolean;
  /** Time of GET /v1/ledger/verify over the whole ledger after the run. */
  verifyMs: number;
  ordersFound: number;
  pgbenchTps: number | null;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      orders: { type: "string" },
      concurrency: { type: "string" },
      batch: { type: "string" },
      db: { type: "string" },
      "pgbench-seconds": { type: "string" },
      "admin-url": { type: "string" },
      "cpu-prof": { type: "string" },
      client: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const db = values.db ?? "both";
  if (db !== "pglite" && db !== "postgres" && db !== "both") throw new Error(`--db must be pglite, postgres or both, got ${db}`);
  const adminUrl = benchAdminUrl(values["admin-url"]);
  return {
    orders: intOption("orders", values.orders, ORDERS_DEFAULT, 1, ORDERS_MAX),
    concurrency: intOption("concurrency", values.concurrency, CONCURRENCY_DEFAULT, 1, CONCURRENCY_MAX),
    batch: intOption("batch", values.batch, 1, 1, BATCH_MAX),
    dbs: db === "both" ? ["pglite", "postgres"] : [db],
    pgbenchSeconds: intOption("pgbench-seconds", values["pgbench-seconds"], PGBENCH_SECONDS_DEFAULT, 1, PGBENCH_SECONDS_MAX),
    adminUrl,
    cpuProfDir: values["cpu-prof"] ? resolve(values["cpu-prof"]) : null,
    client: parseClient(values.client),
  };
}

/**
 * How the load generator posts the measured orders: `http` (node:http, one keep-alive connection per concurrent
 * client; the default) or `fetch` (undici). On two cores the generator shares the machine with the server, and fetch
 * costs it about three times the CPU per request (see docs/performance.md).
 */
type Client = "http" | "fetch";
function parseClient(v: string | undefined): Client {
  if (v === undefined) return "http";
  if (v !== "http" && v !== "fetch") throw new Error(`--client must be http or fetch, got ${v}`);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------------
// The server under test, as a child process.

export interface ServerChild {
  base: string;
  proc: ChildProcess;
  /** CPU seconds (user + system) the server process has used so far, from /proc; null where unavailable. */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
  tail(): string;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** Busy and total jiffies of the whole machine, from /proc/stat; null where unavailable. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

function procCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11] = utime, fields[12] = stime (in clock ticks; 100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export async function startServerChild(env: Record<string, string>, cpuProfDir: string | null): Promise<ServerChild> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The benchmark runs on the demo data, which a server on DATABASE_URL creates only when asked (FENXIAO_DEMO=1).
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: base,
    FENXIAO_DEMO: "1",
    // benchmarks only: a fixed key for the personal data the demo seals
    FENXIAO_SECRET_KEY: process.env.FENXIAO_SECRET_KEY ?? "YmVuY2htYXJrcy1vbmx5LWtleS1uZXZlci1yZWFsISE=",
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const nodeArgs = ["--import", "tsx"];
  if (cpuProfDir) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`);
  const proc = spawn(process.execPath, [...nodeArgs, SERVER_MAIN, "serve"], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString("utf8")).slice(-8000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((ok) => proc.once("exit", () => ok()));
  const child: ServerChild = {
    base,
    proc,
    cpuSeconds: () => procCpuSeconds(proc.pid),
    tail: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited during start:\n${out}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return child;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  await child.stop();
  throw new Error(`server did not become healthy within ${START_TIMEOUT_MS / 1000} s:\n${out}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

// ---------------------------------------------------------------------------------------------------------------------
// PostgreSQL: a throwaway database per run.

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createDatabase(adminUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `fenxiao_bench_${randomBytes(5).toString("hex")}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A fixed piece of single-core work — JSON round trips and SHA-256 of an order-like document, as the server does per
 * order — timed as the best of 3 runs. The same code on the same machine gives the same figure, so it tells how fast
 * a day's machine was when results of different days are compared (this shared machine's speed varies by 2×).
 */
export function calibrate(): number {
  const order = {
    orderRef: "CAL-0000001",
    customer: { ref: "CAL-C1", phone: "13800001111" },
    channel: "online",
    paidAt: "2026-11-27T00:00:00.000Z",
    promoCode: "ABC123",
    lines: [
      { productId: "SKU-1001", quantity: 2, netAmountMinor: 65_600 },
      { productId: "SKU-2001", quantity: 1, netAmountMinor: 12_900 },
    ],
  };
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = JSON.stringify({ ...order, orderRef: `CAL-${i}` });
      n += (JSON.parse(text) as typeof order).lines.length + createHash("sha256").update(text).digest("hex").length;
    }
    if (n === 0) throw new Error("calibration did nothing");
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "pgbench"))) return join(dir, "pgbench");
  }
  const lib = "/usr/lib/postgresql";
  if (existsSync(lib)) {
    for (const v of readdirSync(lib).sort().reverse()) {
      const p = join(lib, v, "bin", "pgbench");
      if (existsSync(p)) return p;
    }
  }
  return null;
}

/** pgbench's one-row insert: the transaction the ingest ratio is measured against. */
export const ONE_ROW_SCRIPT = "\\set v random(1, 1000000)\nINSERT INTO bench_one_row (v) VALUES (:v);\n";

/**
 * Run a pgbench script (by default the one-row insert, into a table it creates) at the given concurrency on the given
 * database. Returns TPS (without connection time).
 */
export async function runPgbench(
  bin: string,
  url: string,
  concurrency: number,
  seconds: number,
  opts: { script?: string; protocol?: "simple" | "prepared" } = {},
): Promise<{ tps: number; output: string }> {
  if (!opts.script)
    await withAdmin(url, (c) =>
      c.query(
        "CREATE TABLE IF NOT EXISTS bench_one_row (id bigserial PRIMARY KEY, v integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
      ),
    );
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-pgbench-"));
  const script = join(dir, "script.sql");
  writeFileSync(script, opts.script ?? ONE_ROW_SCRIPT);
  try {
    const args = [
      "-n",
      "-M",
      opts.protocol ?? "simple",
      "-c",
      String(concurrency),
      "-j",
      String(Math.min(2, concurrency)),
      "-T",
      String(seconds),
    ];
    args.push("-f", script, url);
    const output = await new Promise<string>((ok, fail) => {
      const p = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      p.stdout.on("data", (b: Buffer) => {
        out += b.toString("utf8");
      });
      p.stderr.on("data", (b: Buffer) => {
        out += b.toString("utf8");
      });
      p.once("error", fail);
      p.once("exit", (code) => (code === 0 ? ok(out) : fail(new Error(`pgbench exited with ${code}:\n${out}`))));
    });
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
    if (!m?.[1]) throw new Error(`could not read TPS from pgbench:\n${output}`);
    return { tps: Number(m[1]), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The workload.

interface OrderRequest {
  key: string;
  body: {
    orderRef: string;
    customer: { ref: string };
    channel: string;
    paidAt: string;
    promoCode: string;
    lines: { productId: string; quantity: number; netAmountMinor: number }[];
  };
}

/** Small deterministic PRNG (mulberry32) so that runs are comparable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

const CHANNELS = ["online", "online", "online", "mini_program", "community", "offline_store", "live_stream"];

function makeOrders(
  prefix: string,
  n: number,
  codes: readonly string[],
  products: readonly { id: string; priceMinor: number }[],
  seed: number,
): OrderRequest[] {
  const r = prng(seed);
  const customers = Math.max(1, Math.floor(n / 3)); // about a third of orders are first orders, the rest repeat orders
  const now = Date.now();
  const out: OrderRequest[] = [];
  for (let i = 0; i < n; i++) {
    const nLines = r.int(1, 3);
    const lines = Array.from({ length: nLines }, () => {
      const p = products[r.int(0, products.length - 1)] as { id: string; priceMinor: number };
      const quantity = r.int(1, 3);
      return { productId: p.id, quantity, netAmountMinor: Math.max(1, p.priceMinor) * quantity - r.int(0, 500) };
    });
    const ref = `${prefix}-${String(i).padStart(7, "0")}`;
    out.push({
      key: `bench-${ref}`,
      body: {
        orderRef: ref,
        customer: { ref: `${prefix}-C${r.int(1, customers)}` },
        channel: CHANNELS[r.int(0, CHANNELS.length - 1)] as string,
        paidAt: new Date(now - r.int(0, 6 * 3600_000)).toISOString(),
        promoCode: codes[r.int(0, codes.length - 1)] as string,
        lines,
      },
    });
  }
  return out;
}

async function api<T>(base: string, path: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${DEMO_API_KEY}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.key) headers["idempotency-key"] = init.key;
  const res = await fetch(base + path, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

interface OrderResponse {
  orderId: string;
  orderRef: string;
  commissions: { id: string }[];
}

interface PostStats {
  latenciesMs: Float64Array;
  /** When each request completed, in ms since the start of the run (in completion order). */
  doneAtMs: Float64Array;
  elapsedMs: number;
  responses: (OrderResponse | undefined)[];
}

/**
 * Post every order at the given concurrency; a fixed pool of workers pulls the next orders until none is left. With
 * batch 1 each order is one POST /v1/orders; with batch B > 1, B consecutive orders go in one POST /v1/orders/batch (each
 * order's latency is then its request's).
 */
async function postAll(
  base: string,
  reqs: readonly OrderRequest[],
  concurrency: number,
  batch: number,
  client: Client,
): Promise<PostStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = <T>(path: string, body: unknown, key?: string) =>
    client === "fetch" ? api<T>(base, path, { method: "POST", body, key }) : postHttp<T>(agent, base, path, body, key);
  const latenciesMs = new Float64Array(reqs.length);
  const doneAtMs = new Float64Array(reqs.length);
  let done = 0;
  const responses: (OrderResponse | undefined)[] = new Array(reqs.length);
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (batch > 1) {
        const from = next;
        next = Math.min(reqs.length, next + batch);
        if (from >= reqs.length || errors.length >= ERRORS_MAX || interrupted) return;
        const group = reqs.slice(from, next);
        const t0 = performance.now();
        try {
          const r = await post<{ results: { orderRef: string; status: number; order?: OrderResponse; error?: unknown }[] }>(
            "/v1/orders/batch",
            { orders: group.map((g) => ({ ...g.body, idempotencyKey: g.key })) },
          );
          const t1 = performance.now();
          if (r.status !== 200) errors.push(`batch at ${from}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
          else
            r.body.results.forEach((x, k) => {
              latenciesMs[from + k] = t1 - t0;
              doneAtMs[done++] = t1 - tRun;
              if (x.status !== 201 || !x.order) errors.push(`${x.orderRef}: ${x.status} ${JSON.stringify(x.error)}`);
              else responses[from + k] = x.order;
            });
        } catch (e) {
          errors.push(`batch at ${from}: ${(e as Error).message}`);
        }
        continue;
      }
      const i = next++;
      if (i >= reqs.length || errors.length >= ERRORS_MAX || interrupted) return;
      const req = reqs[i] as OrderRequest;
      const t0 = performance.now();
      try {
        const r = await post<OrderResponse>("/v1/orders", req.body, req.key);
        const t1 = performance.now();
        latenciesMs[i] = t1 - t0;
        doneAtMs[done++] = t1 - tRun;
        if (r.status !== 201) errors.push(`${req.body.orderRef}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        else responses[i] = r.body;
      } catch (e) {
        errors.push(`${req.body.orderRef}: ${(e as Error).message}`);
      }
    }
  };
  const tRun = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, reqs.length) }, worker));
  const elapsedMs = performance.now() - tRun;
  agent.destroy();
  if (interrupted) throw new Error("interrupted");
  if (errors.length > 0) throw new Error(`${errors.length} order requests failed, e.g.\n  ${errors.slice(0, 5).join("\n  ")}`);
  return { latenciesMs, doneAtMs, elapsedMs, responses };
}

/** POST JSON over node:http on a keep-alive agent; the same response shape as api(). */
function postHttp<T>(
  agent: Agent,
  base: string,
  path: string,
  body: unknown,
  key?: string,
): Promise<{ status: number; headers: Headers; body: T }> {
  const payload = Buffer.from(JSON.stringify(body));
  const url = new URL(path, base);
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${DEMO_API_KEY}`,
    "content-type": "application/json",
    "content-length": payload.length,
  };
  if (key) headers["idempotency-key"] = key;
  return new Promise((resolvePost, reject) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
        try {
          resolvePost({ status: res.statusCode ?? 0, headers: h, body: (text ? JSON.parse(text) : null) as T });
        } catch (e) {
          reject(e);
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Throughput in each fifth of the run (by requests completed), to show whether it holds as the tables grow. */
function fifths(doneAtMs: Float64Array): number[] {
  const n = doneAtMs.length;
  const out: number[] = [];
  for (let k = 0; k < 5; k++) {
    const a = Math.floor((k * n) / 5);
    const b = Math.floor(((k + 1) * n) / 5);
    if (b - a < 2) continue;
    const from = a === 0 ? 0 : (doneAtMs[a - 1] as number);
    const ms = (doneAtMs[b - 1] as number) - from;
    out.push(ms > 0 ? ((b - a) / ms) * 1000 : 0);
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

interface VerifyReport {
  ok: boolean;
  transactions: number;
  chainProblems: unknown[];
  balanceProblems: unknown[];
  headProblem: string | null;
}

/** Page through GET /v1/orders and count the orders whose orderRef has the run's prefix; duplicates are an error. */
async function countOrders(base: string, prefix: string): Promise<number> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let pageNo = 0; pageNo < 100_000; pageNo++) {
    const qs: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r = await api<{ items: { orderRef: string }[]; nextCursor: string | null }>(base, `/v1/orders?${qs}`);
    if (r.status !== 200) throw new Error(`GET /v1/orders: HTTP ${r.status}`);
    for (const o of r.body.items) {
      if (!o.orderRef.startsWith(`${prefix}-`)) continue;
      if (seen.has(o.orderRef)) throw new Error(`order ${o.orderRef} listed twice`);
      seen.add(o.orderRef);
    }
    cursor = r.body.nextCursor;
    if (!cursor) break;
  }
  return seen.size;
}

/** Cleanup of the run in progress, also run on Ctrl-C so that no server, database or temp folder is left behind. */
let cleanup: (() => Promise<void>) | null = null;
let interrupted = false;
function onSignal(sig: NodeJS.Signals) {
  if (interrupted) return;
  interrupted = true;
  console.error(`\n${sig}: stopping the server and removing the benchmark database…`);
  const done = () => process.exit(130);
  (cleanup ? cleanup() : Promise.resolve()).then(done, done);
}

async function benchOne(db: DbKind, o: Options, pgbenchBin: string | null): Promise<IngestResult> {
  let dataDir: string | null = null;
  let pgDb: Awaited<ReturnType<typeof createDatabase>> | null = null;
  let server: ServerChild | null = null;
  let releasing: Promise<void> | null = null;
  // Idempotent: the signal handler and the finally block may both call it; both wait for the same cleanup.
  const release = () => {
    releasing ??= (async () => {
      if (server) await server.stop();
      if (pgDb) await pgDb.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    })();
    return releasing;
  };
  cleanup = release;
  try {
    const env: Record<string, string> = {};
    if (db === "pglite") {
      dataDir = mkdtempSync(join(tmpdir(), "fenxiao-bench-"));
      env.FENXIAO_DATA_DIR = dataDir;
    } else {
      pgDb = await createDatabase(o.adminUrl);
      env.DATABASE_URL = pgDb.url;
    }
    log(`[${db}] starting a fresh server (${db === "pglite" ? dataDir : pgDb?.name}); the first start creates the demo data…`);
    const tStart = performance.now();
    server = await startServerChild(env, o.cpuProfDir);
    log(`[${db}] healthy after ${((performance.now() - tStart) / 1000).toFixed(1)} s at ${server.base}`);

    const promoters = await api<{ items: { code: string; status: string }[] }>(server.base, "/v1/promoters?limit=200");
    const codes = promoters.body.items.filter((p) => p.status === "active").map((p) => p.code);
    const products = (await api<{ items: { id: string; priceMinor: number }[] }>(server.base, "/v1/products?limit=200")).body.items.map(
      (p) => ({ id: p.id, priceMinor: Number(p.priceMinor) }),
    );
    if (codes.length === 0 || products.length === 0) throw new Error("the demo data has no promoters or products");
    const before = await api<VerifyReport>(server.base, "/v1/ledger/verify");
    if (!before.body.ok) throw new Error(`ledger verify failed before the run: ${JSON.stringify(before.body)}`);

    const prefix = `BENCH${randomBytes(3).toString("hex").toUpperCase()}`;
    const warmupN = Math.min(WARMUP_MAX, Math.ceil(o.orders * 0.02));
    const all = makeOrders(prefix, warmupN + o.orders, codes, products, 20_261_123);
    const warmup = all.slice(0, warmupN);
    const measured = all.slice(warmupN);
    log(`[${db}] ${codes.length} promoter codes, ${products.length} products; warm-up ${warmupN} orders…`);
    const w = await postAll(server.base, warmup, o.concurrency, o.batch, o.client);
    log(`[${db}] posting ${o.orders} orders at concurrency ${o.concurrency}${o.batch > 1 ? `, ${o.batch} per request` : ""}…`);
    const cpu0 = server.cpuSeconds();
    const m0 = machineCpu();
    const own0 = process.cpuUsage();
    const s = await postAll(server.base, measured, o.concurrency, o.batch, o.client);
    const own = process.cpuUsage(own0);
    const cpu1 = server.cpuSeconds();
    const m1 = machineCpu();

    const sorted = Float64Array.from(s.latenciesMs).sort();
    const commissionLines = [...w.responses, ...s.responses].reduce((n, r) => n + (r?.commissions.length ?? 0), 0);
    const withCommission = [...w.responses, ...s.responses].filter((r) => (r?.commissions.length ?? 0) > 0).length;

    // Checks: ledger verify, every order exactly once, replayed keys return the first response.
    const tVerify = performance.now();
    const after = await api<VerifyReport>(server.base, "/v1/ledger/verify");
    const verifyMs = performance.now() - tVerify;
    const ledgerTransactionsAdded = after.body.transactions - before.body.transactions;
    if (!after.body.ok) throw new Error(`ledger verify failed: ${JSON.stringify(after.body).slice(0, 2000)}`);
    if (ledgerTransactionsAdded < withCommission)
      throw new Error(`${withCommission} orders produced commission but only ${ledgerTransactionsAdded} ledger transactions were added`);
    const ordersFound = await countOrders(server.base, prefix);
    if (ordersFound !== all.length) throw new Error(`expected ${all.length} orders with prefix ${prefix}, found ${ordersFound}`);
    for (let k = 0; k < Math.min(REPLAY_SAMPLE, measured.length); k++) {
      const i = Math.floor((k * measured.length) / Math.min(REPLAY_SAMPLE, measured.length));
      const req = measured[i] as OrderRequest;
      const r = await api<OrderResponse>(server.base, "/v1/orders", { method: "POST", body: req.body, key: req.key });
      if (r.status !== 201 || r.headers.get("idempotent-replayed") !== "true" || r.body.orderId !== s.responses[i]?.orderId)
        throw new Error(`replay of ${req.key} did not return the first response: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }

    await server.stop();
    server = null;

    let pgbenchTps: number | null = null;
    if (db === "postgres" && pgDb && pgbenchBin) {
      log(`[${db}] pgbench: one-row insert, -c ${o.concurrency} -j ${Math.min(2, o.concurrency)} -T ${o.pgbenchSeconds} on ${pgDb.name}…`);
      pgbenchTps = (await runPgbench(pgbenchBin, pgDb.url, o.concurrency, o.pgbenchSeconds)).tps;
    }
    const elapsedS = s.elapsedMs / 1000;
    return {
      db,
      orders: o.orders,
      concurrency: o.concurrency,
      batch: o.batch,
      elapsedMs: s.elapsedMs,
      ordersPerSecond: o.orders / elapsedS,
      ordersPerSecondByFifth: fifths(s.doneAtMs),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? 0,
      serverCpuPercent: cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / elapsedS) * 100 : null,
      clientCpuPercent: ((own.user + own.system) / 1e6 / elapsedS) * 100,
      client: o.client,
      machineBusyPercent: m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100 : null,
      commissionLines,
      ledgerTransactionsAdded,
      verifyOk: after.body.ok,
      verifyMs,
      ordersFound,
      pgbenchTps,
    };
  } catch (e) {
    if (server) log(`[${db}] server output (tail):\n${server.tail()}`);
    throw e;
  } finally {
    await release();
    cleanup = null;
  }
}

function log(s: string): void {
  console.log(s);
}

function report(r: IngestResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = [
    `  database            ${r.db}`,
    `  orders              ${r.orders} at concurrency ${r.concurrency}${r.batch > 1 ? `, ${r.batch} per request (POST /v1/orders/batch)` : ""} in ${f(r.elapsedMs / 1000, 2)} s`,
    `  throughput          ${f(r.ordersPerSecond, 0)} orders/s (by fifth of the run: ${r.ordersPerSecondByFifth.map((x) => f(x, 0)).join(" / ")})`,
    `  latency             p50 ${f(r.p50Ms)} ms   p99 ${f(r.p99Ms)} ms   max ${f(r.maxMs)} ms`,
    `  server CPU          ${r.serverCpuPercent === null ? "n/a" : `${f(r.serverCpuPercent, 0)} % of one core`}; load generator ${f(
      r.clientCpuPercent,
      0,
    )} % (${r.client}); machine ${
      r.machineBusyPercent === null ? "n/a" : `${f(r.machineBusyPercent, 0)} % busy (all ${cpus().length} cores, all processes)`
    }`,
    `  commission lines    ${r.commissionLines} (incl. warm-up); ledger transactions +${r.ledgerTransactionsAdded}`,
    `  checks              ledger verify ${r.verifyOk ? "ok" : "FAILED"} (${f(r.verifyMs / 1000, 2)} s); ${r.ordersFound} orders found, each once; replayed keys match`,
  ];
  const how = r.batch > 1 ? ` (with ${r.batch} orders per request)` : " (one order per request)";
  if (r.pgbenchTps !== null) {
    lines.push(`  pgbench one-row     ${f(r.pgbenchTps, 0)} TPS at -c ${r.concurrency}`);
    const ratio = r.ordersPerSecond / r.pgbenchTps;
    lines.push(`  ratio               ${f(ratio, 2)} orders/s ÷ pgbench TPS: target ≥ 0.5 ${ratio >= 0.5 ? "met" : "MISSED"}${how}`);
  } else if (r.db === "pglite") {
    lines.push(`  target              ≥ 1,000 orders/s: ${r.ordersPerSecond >= 1000 ? "met" : "MISSED"}${how}`);
  }
  return lines.join("\n");
}

export async function run(args: string[]): Promise<IngestResult[]> {
  const o = parseOptions(args);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const pgbenchBin = o.dbs.includes("postgres") ? findPgbench() : null;
  if (o.dbs.includes("postgres") && !pgbenchBin) log("pgbench not found: the PostgreSQL ratio is skipped");
  log(`ingest benchmark: ${o.orders} orders, concurrency ${o.concurrency}, on ${o.dbs.join(" and ")}; node ${process.version}`);
  log(`machine speed: ${calibrate().toFixed(0)} ms for the calibration work (bench/ingest.ts calibrate(); lower is faster)`);
  const results: IngestResult[] = [];
  for (const db of o.dbs) {
    const r = await benchOne(db, o, pgbenchBin);
    results.push(r);
    log(`\n${report(r)}\n`);
  }
  await targets(results, o, pgbenchBin);
  return results;
}

/** Targets: PGlite one order per request ≥ PGLITE_TARGET; PostgreSQL ≥ CEILING_RATIO_TARGET × the ceiling of this run. */
export const PGLITE_TARGET = 1_000;
export const CEILING_RATIO_TARGET = 1.5;

async function targets(results: readonly IngestResult[], o: Options, pgbenchBin: string | null): Promise<void> {
  for (const r of results) {
    if (r.db === "pglite" && r.batch === 1)
      log(
        `target: PGlite, one order per request: ${r.ordersPerSecond.toFixed(0)} orders/s (≥ ${PGLITE_TARGET}: ${r.ordersPerSecond >= PGLITE_TARGET ? "met" : "missed"})`,
      );
    if (r.db !== "postgres" || r.batch !== 1 || !pgbenchBin) continue;
    // The reference a naive server would hit: PostgreSQL alone writing one order's rows per transaction, same C.
    const { run: ceiling } = (await import("./ceiling.ts")) as {
      run(a: string[]): Promise<{ runs: { ordersPerSecond: number }[] } | null>;
    };
    const c = await ceiling(["--concurrency", String(o.concurrency), "--batches", "1", "--seconds", String(o.pgbenchSeconds)]);
    const one = c?.runs[0]?.ordersPerSecond;
    if (!one) continue;
    const ratio = r.ordersPerSecond / one;
    log(
      `target: PostgreSQL, one order per request at C = ${o.concurrency}: ${r.ordersPerSecond.toFixed(0)} orders/s = ${ratio.toFixed(2)} × the ceiling at one order per transaction (${one.toFixed(0)}) (≥ ${CEILING_RATIO_TARGET}: ${ratio >= CEILING_RATIO_TARGET ? "met" : "missed"})`,
    );
  }
  log("eight merchants under uniform load (≥ 2 × one merchant): not measured by this benchmark yet");
}
