/**
 * Analytics benchmark: `npm run bench -- analytics [--orders N] [--promoters P] [--runs R] [--admin-url URL] [--keep] [--reuse DB]`.
 *
 * Creates a fresh PostgreSQL database (dropped at the end unless --keep), migrates it, creates one merchant and one
 * program (Asia/Shanghai) through the server's services, and loads inside PostgreSQL (INSERT … SELECT over
 * generate_series, seeded, so the same rows on every run): P promoters (a random invite tree, 95 % active), 300,000
 * customers, N orders spread over 2026 (90 % attributed to sellers drawn from a heavy-tailed distribution, 2 %
 * cancelled, 5 % partly and 1 % fully refunded, four channels), one or two lines per order over 500 products, a seller
 * line (10 %) and an upline line (3 %) per attributed order, a period-close bonus line per promoter and month for 2 % of
 * promoters, and 2 × N clicks. The rows only have to look like a program's: the analytics read them, nothing else.
 *
 * Timed: every analytics endpoint over real HTTP (the app listening on 127.0.0.1, one request at a time, `runs` requests
 * per endpoint and period kind) for a month (30 days, a different month each request), a quarter (91 days) and a year
 * (366 days, the whole data set); and GET /v1/me/analytics for the busiest promoter and for a median one. Printed:
 * p50, p95 and max in ms per endpoint and period, and whether the p95 meets the target (≤ 200 ms).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { buildApp } from "../packages/server/src/app.ts";
import { ManualClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { DEFAULT_LIMITS, type Limits } from "../packages/server/src/http/limit-settings.ts";
import { foldMerchant } from "../packages/server/src/modules/analytics/fold.ts";
import { createSession, createUser } from "../packages/server/src/modules/auth/service.ts";
import { createApiKey, createMerchant } from "../packages/server/src/modules/merchants/service.ts";
import { getProgram } from "../packages/server/src/modules/programs/repository.ts";
import { programSettings } from "../packages/server/src/modules/programs/schema.ts";
import { createDraftPlan, createProgram, publishPlan } from "../packages/server/src/modules/programs/service.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const TARGET_P95_MS = 200;
/** One client asks many times a second: no request limit is reached (windows and lockout times stay as they are). */
const UNLIMITED = Object.fromEntries(
  Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, /Minutes|Seconds/.test(k) ? v : 10_000_000]),
) as Limits;
const MERCHANT_ID = "mch_benchanalytics";
const PROGRAM_ID = "prg_benchanalytics";
const CUSTOMERS = 300_000;
const PRODUCTS = 500;
const NOW = new Date("2027-01-05T04:00:00.000Z");
const PLAN = { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }] } };

interface Options {
  orders: number;
  promoters: number;
  runs: number;
  adminUrl: string;
  keep: boolean;
  reuse: string | null;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      orders: { type: "string" },
      promoters: { type: "string" },
      runs: { type: "string" },
      "admin-url": { type: "string" },
      keep: { type: "boolean" },
      reuse: { type: "string" },
    },
    strict: true,
  });
  if (values.reuse !== undefined && !/^fenxiao_bench_analytics_[a-z0-9_]+$/.test(values.reuse))
    throw new Error(`--reuse takes a database kept by this benchmark (fenxiao_bench_analytics_…), got ${values.reuse}`);
  return {
    orders: intOption("orders", values.orders, 1_000_000, 1000, 5_000_000),
    promoters: intOption("promoters", values.promoters, 100_000, 10, 1_000_000),
    runs: intOption("runs", values.runs, 40, 5, 1000),
    adminUrl: benchAdminUrl(values["admin-url"]),
    keep: values.keep ?? false,
    reuse: values.reuse ?? null,
  };
}

async function admin<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

const seconds = (t0: number, t1 = performance.now()) => ((t1 - t0) / 1000).toFixed(1);

/** The data set, generated inside PostgreSQL. Each statement is one pass over generate_series. */
function loadStatements(o: Options): [string, string][] {
  const P = o.promoters;
  const N = o.orders;
  // A seeded hash of an integer and a salt into [0, 1): the same rows on every run, without random().
  const h = (x: string, salt: number) => `((hashint4((${x})::int # ${salt}) & 2147483647)::float8 / 2147483648)`;
  return [
    [
      "promoters",
      `INSERT INTO promoters (id, name, created_at) SELECT 'pmt_b' || i, 'P' || i, '2025-12-01Z' FROM generate_series(1, ${P}) i`,
    ],
    [
      "memberships",
      `INSERT INTO memberships (merchant_id, program_id, promoter_id, code, inviter_id, rank, status, joined_at)
       SELECT '${MERCHANT_ID}', '${PROGRAM_ID}', 'pmt_b' || i, 'B' || i,
              CASE WHEN i > 10 AND ${h("i", 11)} < 0.7 THEN 'pmt_b' || (1 + floor(${h("i", 12)} * (i - 1))::int) END,
              NULL, CASE WHEN ${h("i", 13)} < 0.95 THEN 'active' ELSE 'suspended' END, '2025-12-01Z'
       FROM generate_series(1, ${P}) i`,
    ],
    [
      "customers",
      `INSERT INTO customers (merchant_id, id, customer_ref, created_at)
       SELECT '${MERCHANT_ID}', 'cus_b' || i, 'C' || i, '2025-12-01Z' FROM generate_series(1, ${CUSTOMERS}) i`,
    ],
    [
      "products",
      `INSERT INTO products (merchant_id, id, name, price_minor) SELECT '${MERCHANT_ID}', 'prd_' || i, '商品 ' || i, 1000 + i * 10 FROM generate_series(1, ${PRODUCTS}) i`,
    ],
    [
      "orders",
      `INSERT INTO orders (merchant_id, id, program_id, order_ref, customer_id, channel, currency, status, amount_minor, refunded_minor,
                           promoter_id, attribution_path, attribution, is_first_order, plan_version, period_key, paid_at, created_at)
       SELECT '${MERCHANT_ID}', 'ord_b' || i, '${PROGRAM_ID}', 'R' || i, 'cus_b' || (1 + floor(${h("i", 21)} * ${CUSTOMERS})::int),
              (ARRAY['online', 'community', 'live', 'store'])[1 + (i % 4)], 'CNY',
              CASE WHEN c < 0.02 THEN 'cancelled' WHEN c < 0.03 THEN 'refunded' WHEN c < 0.6 THEN 'completed' ELSE 'paid' END,
              amount, CASE WHEN c >= 0.02 AND c < 0.03 THEN amount WHEN c >= 0.03 AND c < 0.08 THEN amount / 3 ELSE 0 END,
              CASE WHEN a < 0.9 THEN 'pmt_b' || (1 + floor(power(${h("i", 23)}, 3) * ${P})::int) END,
              CASE WHEN a < 0.3 THEN 'code' WHEN a < 0.6 THEN 'click' WHEN a < 0.9 THEN 'binding' END, '{}'::jsonb, false, 1,
              to_char(paid AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), paid, paid
       FROM (SELECT i, ${h("i", 24)} AS c, ${h("i", 25)} AS a, (1000 + floor(${h("i", 26)} * 50000))::bigint AS amount,
                    '2026-01-01T00:00:00Z'::timestamptz + (i::float8 / ${N}) * interval '365 days' AS paid
             FROM generate_series(1, ${N}) i) g`,
    ],
    [
      "order_lines",
      `INSERT INTO order_lines (merchant_id, order_id, line_no, product_id, product_name, quantity, net_amount_minor, refunded_minor)
       SELECT o.merchant_id, o.id, l.n, 'prd_' || (1 + floor(${h("substr(o.id, 6)::int * 2 + l.n", 31)} * ${PRODUCTS})::int), NULL, 1,
              CASE WHEN l.n = 1 THEN o.amount_minor - o.amount_minor / 3 * (l.k - 1) ELSE o.amount_minor / 3 END,
              CASE WHEN l.n = 1 THEN o.refunded_minor - o.refunded_minor / 3 * (l.k - 1) ELSE o.refunded_minor / 3 END
       FROM orders o CROSS JOIN LATERAL (SELECT n, CASE WHEN o.amount_minor % 3 = 0 THEN 2 ELSE 1 END AS k
                                         FROM generate_series(1, CASE WHEN o.amount_minor % 3 = 0 THEN 2 ELSE 1 END) n) l
       WHERE o.merchant_id = '${MERCHANT_ID}'`,
    ],
    [
      "commission_lines",
      `INSERT INTO commission_lines (merchant_id, id, program_id, order_id, line_no, beneficiary_id, level, kind, base_minor, rate_bps,
                                     amount_minor, reversed_minor, currency, state, attribution_path, plan_version, period_key, trace,
                                     explanation_zh, explanation_en, created_at)
       SELECT o.merchant_id, 'com_b' || substr(o.id, 6) || '_' || lv.level, o.program_id, o.id, 1,
              CASE WHEN lv.level = 0 THEN o.promoter_id ELSE m.inviter_id END, lv.level, CASE WHEN lv.level = 0 THEN 'sale' ELSE 'team' END,
              o.amount_minor, lv.rate, o.amount_minor * lv.rate / 10000,
              CASE WHEN o.status = 'cancelled' THEN o.amount_minor * lv.rate / 10000 ELSE o.refunded_minor * lv.rate / 10000 END,
              'CNY', CASE WHEN o.status IN ('cancelled', 'refunded') THEN 'reversed' WHEN o.status = 'completed' THEN 'available' ELSE 'pending' END,
              o.attribution_path, 1, o.period_key, '{}'::jsonb, '', '', o.paid_at
       FROM orders o JOIN memberships m ON m.merchant_id = o.merchant_id AND m.program_id = o.program_id AND m.promoter_id = o.promoter_id
       CROSS JOIN LATERAL (VALUES (0, 1000), (1, 300)) lv(level, rate)
       WHERE o.merchant_id = '${MERCHANT_ID}' AND (lv.level = 0 OR m.inviter_id IS NOT NULL)`,
    ],
    [
      "bonus lines",
      `INSERT INTO commission_lines (merchant_id, id, program_id, order_id, beneficiary_id, level, kind, base_minor, amount_minor, currency,
                                     state, plan_version, period_key, trace, explanation_zh, explanation_en, created_at, adjustment_key)
       SELECT '${MERCHANT_ID}', 'com_bb' || p || '_' || mo, '${PROGRAM_ID}', NULL, 'pmt_b' || p, 0, 'threshold_bonus', 0, 50000, 'CNY',
              'available', 1, '2026-' || lpad(mo::text, 2, '0'), '{}'::jsonb, '', '',
              make_timestamptz(2026, mo, 1, 0, 0, 0, 'Asia/Shanghai') + interval '1 month 3 days', 'bonus:' || p || ':' || mo
       FROM generate_series(1, ${P}) p CROSS JOIN generate_series(1, 12) mo WHERE ${h("p * 13 + mo", 41)} < 0.02`,
    ],
    [
      "clicks",
      `INSERT INTO clicks (merchant_id, id, token, link_code, program_id, promoter_id, customer_id, clicked_at)
       SELECT '${MERCHANT_ID}', 'clk_b' || i, 'tok_b' || i, 'B' || pr, '${PROGRAM_ID}', 'pmt_b' || pr,
              CASE WHEN ${h("i", 52)} < 0.2 THEN 'cus_b' || (1 + floor(${h("i", 53)} * ${CUSTOMERS})::int) END,
              '2026-01-01T00:00:00Z'::timestamptz + (i::float8 / ${2 * N}) * interval '365 days'
       FROM (SELECT i, 1 + floor(power(${h("i", 51)}, 2) * ${P})::int AS pr FROM generate_series(1, ${2 * N}) i) g`,
    ],
  ];
}

async function setUp(url: string, o: Options): Promise<void> {
  const db = PostgresDb.open(url, 2);
  try {
    await migrate(db);
    await db.tx(async (q) => {
      await createMerchant(q, { name: "Bench analytics merchant", id: MERCHANT_ID });
      await createProgram(
        q,
        MERCHANT_ID,
        programSettings.parse({ name: "Bench analytics program", timezone: "Asia/Shanghai", landingUrl: "https://shop.example.com/" }),
        PROGRAM_ID,
      );
      const program = await getProgram(q, MERCHANT_ID, PROGRAM_ID);
      const draft = await createDraftPlan(q, program, PLAN, new Date("2025-12-01Z"));
      await publishPlan(q, program, draft.version, PLAN, new Date("2025-12-01Z"), new Date("2025-12-01Z"));
    });
  } finally {
    await db.close();
  }
  await admin(url, async (c) => {
    for (const [name, sql] of loadStatements(o)) {
      const t0 = performance.now();
      const r = await c.query(sql);
      // Statistics after each table: the next statement joins it, and a plan made for an empty table is a nested loop.
      await c.query("ANALYZE");
      console.log(`  loaded ${name}: ${r.rowCount?.toLocaleString("en")} rows in ${seconds(t0)} s`);
    }
    const t0 = performance.now();
    await c.query("VACUUM ANALYZE");
    console.log(`  vacuum analyze: ${seconds(t0)} s`);
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

interface Result {
  endpoint: string;
  period: string;
  p50: number;
  p95: number;
  max: number;
}

async function timeCalls(base: string, token: string, paths: string[]): Promise<{ p50: number; p95: number; max: number }> {
  const ms: number[] = [];
  for (const p of paths) {
    const t0 = performance.now();
    const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 300)}`);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(quantile(ms, 0.5)), p95: r(quantile(ms, 0.95)), max: r(ms[ms.length - 1] as number) };
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `runs` periods of `days` days, starting at different days of 2026 (all inside the data). */
function periods(days: number, runs: number): { from: string; to: string }[] {
  const start = Date.parse("2026-01-01T00:00:00Z");
  const span = Math.max(0, 365 - days);
  return Array.from({ length: runs }, (_, i) => {
    const off = span === 0 ? 0 : Math.floor((i * 7919) % (span + 1));
    return { from: iso(start + off * 86_400_000), to: iso(start + (off + days - 1) * 86_400_000) };
  });
}

async function measure(url: string, o: Options): Promise<Result[]> {
  const db = PostgresDb.open(url, 4);
  const app = await buildApp({
    db,
    clock: new ManualClock(NOW),
    secrets: keyRing(newSecretKeyText()),
    config: { publicUrl: "http://127.0.0.1", sessionHours: 24, limits: UNLIMITED },
  });
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    const { key, busiest, median } = await db.tx(async (q) => {
      const k = await createApiKey(q, MERCHANT_ID, "bench", NOW);
      const sellers = await q.query<{ promoter_id: string }>(
        `SELECT promoter_id FROM orders WHERE merchant_id = $1 AND promoter_id IS NOT NULL GROUP BY promoter_id ORDER BY count(*) DESC, promoter_id`,
        [MERCHANT_ID],
      );
      const session = async (promoterId: string) => {
        const userId = await createUser(q, {
          email: `${promoterId}-${Date.now().toString(36)}@bench.local`,
          passwordHash: "x",
          name: promoterId,
          role: "promoter",
          promoterId,
        });
        return (await createSession(q, userId, NOW, 24)).token;
      };
      const top = sellers[0]?.promoter_id as string;
      const mid = sellers[Math.floor(sellers.length / 2)]?.promoter_id as string;
      return { key: k.key, busiest: await session(top), median: await session(mid) };
    });
    const out: Result[] = [];
    const endpoints: [string, string][] = [
      ["summary", "/v1/analytics/summary"],
      ["trends (day)", "/v1/analytics/trends?granularity=day&"],
      ["trends (week)", "/v1/analytics/trends?granularity=week&"],
      ["trends (month)", "/v1/analytics/trends?granularity=month&"],
      ["top-promoters", "/v1/analytics/top-promoters?limit=10&"],
      ["top-products", "/v1/analytics/top-products?limit=10&"],
      ["funnel", "/v1/analytics/funnel"],
      ["alerts", "/v1/analytics/alerts"],
    ];
    for (const [label, days] of [
      ["30 days", 30],
      ["91 days", 91],
      ["366 days", 366],
    ] as const) {
      const ps = periods(days === 366 ? 365 : days, o.runs).map((p) => (days === 366 ? { from: "2026-01-01", to: "2027-01-01" } : p));
      for (const [name, path] of endpoints) {
        const sep = path.includes("?") ? "" : "?";
        const paths = ps.map((p) => `${path}${sep}programId=${PROGRAM_ID}&from=${p.from}&to=${p.to}`);
        await timeCalls(base, key, paths.slice(0, 3)); // warm-up
        const r = await timeCalls(base, key, paths);
        out.push({ endpoint: name, period: label, ...r });
        console.log(
          `  ${name.padEnd(16)} ${label.padEnd(9)} p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms  max ${String(r.max).padStart(7)} ms`,
        );
      }
    }
    for (const [who, token] of [
      ["busiest", busiest],
      ["median", median],
    ] as const) {
      const path = `/v1/me/analytics?merchantId=${MERCHANT_ID}&programId=${PROGRAM_ID}`;
      await timeCalls(base, token, [path, path]);
      const r = await timeCalls(
        base,
        token,
        Array.from({ length: o.runs }, () => path),
      );
      out.push({ endpoint: `me/analytics (${who} promoter)`, period: "now", ...r });
      console.log(
        `  me/analytics ${who.padEnd(8)}        p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms  max ${String(r.max).padStart(7)} ms`,
      );
    }
    return out;
  } finally {
    await app.close();
    await db.close();
  }
}

/**
 * Bring a kept database to the present migrations (a database kept before migration 0025 gains its columns here), then
 * fold the analytics summaries, as the server's job does: the time of a fold of the whole history is printed.
 */
async function migrateAndFold(url: string): Promise<void> {
  const db = PostgresDb.open(url, 2);
  try {
    const t0 = performance.now();
    await migrate(db);
    const t1 = performance.now();
    const r = await foldMerchant(db, MERCHANT_ID, NOW);
    await db.analyze();
    console.log(`  migrated in ${seconds(t0, t1)} s; folded ${r.days} days in ${seconds(t1)} s`);
  } finally {
    await db.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const name = o.reuse ?? `fenxiao_bench_analytics_${Date.now().toString(36)}`;
  const url = dbUrl(o.adminUrl, name);
  console.log(
    o.reuse
      ? `analytics over the data kept in ${name}`
      : `analytics over ${o.orders.toLocaleString("en")} orders, ${o.promoters.toLocaleString("en")} promoters; database ${name}`,
  );
  if (!o.reuse) {
    await admin(o.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    const t0 = performance.now();
    await setUp(url, o);
    console.log(`  loaded in ${seconds(t0)} s`);
  }
  await migrateAndFold(url);
  try {
    const results = await measure(url, o);
    const worst = results.reduce((a, r) => (r.p95 > a.p95 ? r : a));
    const over = results.filter((r) => r.p95 > TARGET_P95_MS);
    console.log(
      `\nworst p95: ${worst.endpoint} over ${worst.period}: ${worst.p95} ms (target ≤ ${TARGET_P95_MS} ms): ${over.length === 0 ? "met" : `NOT met by ${over.map((r) => `${r.endpoint} ${r.period}`).join(", ")}`}`,
    );
  } finally {
    if (!o.keep && !o.reuse) await admin(o.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    else console.log(`  kept database ${name} (--reuse ${name})`);
  }
}
