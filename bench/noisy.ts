/**
 * Fairness between merchants: `npm run bench -- noisy [--db pglite|postgres|both] [--seconds S] [--quiet-concurrency C]
 * [--flood-concurrency F] [--flood-batch B] [--database-url URL] [--merchants N [--concurrency C]]`.
 *
 * A fresh server (child process, demo data) gets a second merchant with a program, a plan and a promoter. Then two
 * phases of S seconds each: "quiet", where both merchants post one paid order per request at concurrency C; and
 * "flood", where the demo merchant instead posts batches of B orders at concurrency F (as a shop pushing a backlog)
 * while the other merchant goes on as before. It prints each merchant's orders/s, p50 and p99 in both phases, and the
 * quiet merchant's p99 under the flood as a multiple of its p99 without it (the target: at most 2×).
 *
 * With `--merchants N` it then measures whether merchants wait for each other: one merchant alone at concurrency
 * `--concurrency` (default 8, one order per request), then N merchants sharing the same concurrency evenly (uniform
 * load), S seconds each, and prints the N-merchant throughput as a multiple of the single merchant's (target ≥ 2).
 *
 * Only talks to 127.0.0.1.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEMO } from "../packages/server/src/demo/seed.ts";
import { createDatabase, type ServerChild, startServerChild } from "./ingest.ts";
import { benchAdminUrl, intOption } from "./options.ts";

const DEMO_API_KEY = "fxk_demo_beibei_0000000000000000";
const DEMO_ADMIN = { email: DEMO.platformAdmin, password: DEMO.password };
export const SECONDS_DEFAULT = 10;
export const SECONDS_MAX = 300;
export const QUIET_CONCURRENCY_DEFAULT = 4;
export const FLOOD_CONCURRENCY_DEFAULT = 16;
export const FLOOD_BATCH_DEFAULT = 50;
/** The quiet merchant's p99 under the flood, as a multiple of its p99 without it, at most. */
export const FAIRNESS_P99_RATIO_MAX = 2;

type DbKind = "pglite" | "postgres";

interface Merchant {
  name: string;
  key: string;
  codes: string[];
}

function post<T>(agent: Agent, base: string, path: string, key: string, body: unknown): Promise<{ status: number; body: T }> {
  const payload = Buffer.from(JSON.stringify(body));
  const url = new URL(path, base);
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": payload.length };
  return new Promise((ok, fail) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        ok({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
      });
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end(payload);
  });
}

async function api<T>(base: string, method: string, path: string, key: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await r.json()) as T;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** A second merchant, onboarded through the API: program, published plan, three promoters. */
async function secondMerchant(base: string, name = "quiet"): Promise<Merchant> {
  const login = await api<{ token: string }>(base, "POST", "/v1/auth/login", null, DEMO_ADMIN);
  const tag = randomBytes(3).toString("hex");
  const m = await api<{ apiKey: { key: string } }>(base, "POST", "/v1/merchants", login.token, {
    name: `Quiet shop ${tag}`,
    adminEmail: `quiet-${tag}@bench.local`,
    adminPassword: "bench-password-1",
    adminName: "quiet admin",
  });
  const key = m.apiKey.key;
  const p = await api<{ id: string }>(base, "POST", "/v1/programs", key, { name: "quiet program", landingUrl: "https://quiet.example/" });
  const plan = { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] } };
  const d = await api<{ version: number }>(base, "POST", `/v1/programs/${p.id}/plans`, key, { document: plan });
  await api(base, "POST", `/v1/programs/${p.id}/plans/${d.version}/publish`, key, { effectiveFrom: new Date().toISOString() });
  const codes: string[] = [];
  let invite: string | undefined;
  for (const name of ["Q1", "Q2", "Q3"]) {
    const r = await api<{ code: string }>(base, "POST", "/v1/promoters", key, { programId: p.id, name, inviteCode: invite });
    codes.push(r.code);
    invite = r.code;
  }
  return { name, key, codes };
}

async function demoMerchant(base: string): Promise<Merchant> {
  const r = await api<{ items: { code: string; status: string }[] }>(base, "GET", "/v1/promoters?limit=200", DEMO_API_KEY);
  return { name: "flood", key: DEMO_API_KEY, codes: r.items.filter((p) => p.status === "active").map((p) => p.code) };
}

let seq = 0;
function order(m: Merchant) {
  const n = ++seq;
  return {
    orderRef: `NOISY-${m.name}-${n}`,
    customer: { ref: `noisy-${m.name}-${n % 500}` },
    paidAt: new Date().toISOString(),
    promoCode: m.codes[n % m.codes.length],
    lines: [{ productId: "SKU-1001", quantity: 1, netAmountMinor: 10_000 + (n % 97) }],
  };
}

interface Sample {
  orders: number;
  latenciesMs: number[];
  errors: number;
}

/** Post for `ms` at `concurrency`, `batch` orders per request (1: POST /v1/orders), until `stop` says so. */
async function load(base: string, m: Merchant, concurrency: number, batch: number, until: () => boolean): Promise<Sample> {
  const s: Sample = { orders: 0, latenciesMs: [], errors: 0 };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (!until()) {
        const t0 = performance.now();
        const r =
          batch === 1
            ? await post(agent, base, "/v1/orders", m.key, order(m))
            : await post(agent, base, "/v1/orders/batch", m.key, { orders: Array.from({ length: batch }, () => order(m)) });
        const ok = r.status === 201 || r.status === 200;
        if (!ok) s.errors++;
        else {
          s.orders += batch;
          s.latenciesMs.push(performance.now() - t0);
        }
      }
      agent.destroy();
    }),
  );
  return s;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number) : Number.NaN;
}

const row = (phase: string, who: string, s: Sample, seconds: number, per: string) =>
  `  ${phase.padEnd(6)} ${who.padEnd(6)} ${String(Math.round(s.orders / seconds)).padStart(7)} orders/s  p50 ${pct(s.latenciesMs, 50).toFixed(1).padStart(7)} ms  p99 ${pct(s.latenciesMs, 99).toFixed(1).padStart(8)} ms  (${per}${s.errors ? `, ${s.errors} errors` : ""})`;

async function phase(
  base: string,
  seconds: number,
  quiet: Merchant,
  flood: Merchant,
  o: { qc: number; fc: number; fb: number; flooding: boolean },
) {
  const end = performance.now() + seconds * 1000;
  const until = () => performance.now() >= end;
  const [q, f] = await Promise.all([
    load(base, quiet, o.qc, 1, until),
    o.flooding ? load(base, flood, o.fc, o.fb, until) : load(base, flood, o.qc, 1, until),
  ]);
  return { q, f };
}

async function benchOne(
  db: DbKind,
  opts: { seconds: number; qc: number; fc: number; fb: number; adminUrl: string; merchants: number; concurrency: number },
): Promise<number> {
  let dir: string | null = null;
  let pgDb: Awaited<ReturnType<typeof createDatabase>> | null = null;
  let server: ServerChild | null = null;
  try {
    const env: Record<string, string> = { FENXIAO_DEMO: "1" };
    if (db === "pglite") {
      dir = mkdtempSync(join(tmpdir(), "fenxiao-noisy-"));
      env.FENXIAO_DATA_DIR = dir;
    } else {
      pgDb = await createDatabase(opts.adminUrl);
      env.DATABASE_URL = pgDb.url;
    }
    server = await startServerChild(env, null);
    const quiet = await secondMerchant(server.base);
    const flood = await demoMerchant(server.base);
    await phase(server.base, 2, quiet, flood, { ...opts, flooding: false }); // warm-up
    const calm = await phase(server.base, opts.seconds, quiet, flood, { ...opts, flooding: false });
    const storm = await phase(server.base, opts.seconds, quiet, flood, { ...opts, flooding: true });
    const ratio = pct(storm.q.latenciesMs, 99) / pct(calm.q.latenciesMs, 99);
    console.log(`${db}: ${opts.seconds} s per phase; quiet merchant C = ${opts.qc}, one order per request`);
    console.log(row("quiet", "quiet", calm.q, opts.seconds, `C = ${opts.qc}, 1 per request`));
    console.log(row("quiet", "flood", calm.f, opts.seconds, `C = ${opts.qc}, 1 per request`));
    console.log(row("flood", "quiet", storm.q, opts.seconds, `C = ${opts.qc}, 1 per request`));
    console.log(row("flood", "flood", storm.f, opts.seconds, `C = ${opts.fc}, ${opts.fb} per request`));
    console.log(
      `  quiet merchant's p99 under the flood: ${ratio.toFixed(2)} × its p99 without it (target ≤ ${FAIRNESS_P99_RATIO_MAX}: ${ratio <= FAIRNESS_P99_RATIO_MAX ? "met" : "MISSED"})`,
    );
    if (opts.merchants > 1) await uniform(server.base, flood, opts);
    return ratio;
  } finally {
    await server?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
    await pgDb?.drop().catch(() => undefined);
  }
}

/** Target: N merchants under uniform load ingest at least this multiple of one merchant at the same concurrency. */
export const UNIFORM_RATIO_TARGET = 2;

async function uniform(base: string, first: Merchant, opts: { seconds: number; merchants: number; concurrency: number }): Promise<void> {
  const all = [first];
  for (let i = 1; i < opts.merchants; i++) all.push(await secondMerchant(base, `m${i}`));
  const timed = async (ms: Merchant[]) => {
    const end = performance.now() + opts.seconds * 1000;
    const per = Math.max(1, Math.floor(opts.concurrency / ms.length));
    const samples = await Promise.all(ms.map((m) => load(base, m, per, 1, () => performance.now() >= end)));
    return samples.reduce((n, x) => n + x.orders, 0) / opts.seconds;
  };
  const one = await timed([first]);
  const many = await timed(all);
  const ratio = many / one;
  console.log(
    `  uniform load at C = ${opts.concurrency}: one merchant ${one.toFixed(0)} orders/s, ${opts.merchants} merchants ${many.toFixed(0)} orders/s = ${ratio.toFixed(2)} × (target ≥ ${UNIFORM_RATIO_TARGET}: ${ratio >= UNIFORM_RATIO_TARGET ? "met" : "MISSED"})`,
  );
}

export async function run(args: string[]): Promise<number[]> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string", default: "both" },
      seconds: { type: "string" },
      "quiet-concurrency": { type: "string" },
      "flood-concurrency": { type: "string" },
      "flood-batch": { type: "string" },
      "database-url": { type: "string" },
      merchants: { type: "string" },
      concurrency: { type: "string" },
      "admin-url": { type: "string" },
    },
  });
  const dbs: DbKind[] = values.db === "both" ? ["pglite", "postgres"] : [values.db as DbKind];
  if (!dbs.every((d) => d === "pglite" || d === "postgres")) throw new Error(`--db must be pglite, postgres or both, got ${values.db}`);
  const opts = {
    seconds: intOption("seconds", values.seconds, SECONDS_DEFAULT, 1, SECONDS_MAX),
    qc: intOption("quiet-concurrency", values["quiet-concurrency"], QUIET_CONCURRENCY_DEFAULT, 1, 64),
    fc: intOption("flood-concurrency", values["flood-concurrency"], FLOOD_CONCURRENCY_DEFAULT, 1, 256),
    fb: intOption("flood-batch", values["flood-batch"], FLOOD_BATCH_DEFAULT, 1, 500),
    adminUrl: benchAdminUrl(values["database-url"] ?? values["admin-url"]),
    merchants: intOption("merchants", values.merchants, 0, 0, 64),
    concurrency: intOption("concurrency", values.concurrency, 8, 1, 256),
  };
  const out: number[] = [];
  for (const d of dbs) out.push(await benchOne(d, opts));
  return out;
}
