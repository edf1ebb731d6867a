/**
 * PostgreSQL's own ceiling for paid-order ingest: `npm run bench -- ceiling [--concurrency C] [--seconds S]
 * [--batches 1,8,32,128]`.
 *
 * The ingest ratio (orders/s ÷ a one-row-insert pgbench's TPS) compares a paid order with one row. This benchmark asks
 * how high that ratio can go on the machine it runs on when nothing but PostgreSQL does any work: it ingests a few
 * real orders into a fresh database (in process, through the server's own set ingest, so the rows are exactly the ones
 * the server writes), takes the rows of one typical order — the order, its lines and event, its commission lines
 * with their explanations, its ledger transaction and postings, its idempotency record, and the upserts of the
 * balances and period statistics it moves — and has pgbench write them again with fresh keys, B orders per
 * transaction, C transactions at once, as prepared statements. There is no HTTP, no JSON, no attribution or
 * evaluation, no state read, and no ledger head (so transactions of one merchant run in parallel here, which the
 * hash chain does not allow the server): every figure is an upper bound on what the server could reach. It prints the
 * orders/s of each batch size and its share of the one-row pgbench at the same concurrency.
 *
 * Only talks to 127.0.0.1 (--admin-url or BENCH_DATABASE_URL, as the other benchmarks); the database is dropped afterwards.
 */

import { parseArgs } from "node:util";
import pg from "pg";
import { systemClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { DEMO, seedDemo } from "../packages/server/src/demo/seed.ts";
import { PaidOrderQueue } from "../packages/server/src/modules/orders/queue.ts";
import { paidOrderBody } from "../packages/server/src/modules/orders/schema.ts";
import { CONCURRENCY_DEFAULT, CONCURRENCY_MAX, calibrate, createDatabase, findPgbench, runPgbench } from "./ingest.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const SECONDS_DEFAULT = 10;
export const SECONDS_MAX = 120;
export const BATCHES_DEFAULT = [1, 8, 32, 128];
/** Orders per transaction at most (each statement writes B rows with generate_series). */
export const BATCH_MAX = 1000;
/** Real orders ingested to pick the template from. */
const SAMPLE_ORDERS = 60;

interface Options {
  concurrency: number;
  seconds: number;
  batches: number[];
  adminUrl: string;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      concurrency: { type: "string" },
      seconds: { type: "string" },
      batches: { type: "string" },
      "admin-url": { type: "string" },
    },
    strict: true,
  });
  const batches =
    values.batches === undefined ? BATCHES_DEFAULT : values.batches.split(",").map((b) => intOption("batches", b.trim(), 1, 1, BATCH_MAX));
  return {
    concurrency: intOption("concurrency", values.concurrency, CONCURRENCY_DEFAULT, 1, CONCURRENCY_MAX),
    seconds: intOption("seconds", values.seconds, SECONDS_DEFAULT, 1, SECONDS_MAX),
    batches,
    adminUrl: benchAdminUrl(values["admin-url"]),
  };
}

/** Ingest a few orders like the ingest benchmark's (1–3 lines, each with a promoter's code) through the server's queue. */
async function ingestSample(url: string): Promise<void> {
  const db = PostgresDb.open(url, 4);
  const ring = keyRing(newSecretKeyText());
  try {
    await migrate(db);
    await seedDemo(db, systemClock, ring);
    const codes = (
      await db.read((q) =>
        q.query<{ code: string }>("SELECT code FROM memberships WHERE merchant_id = $1 ORDER BY code", [DEMO.merchantId]),
      )
    ).map((r) => r.code);
    const products = await db.read((q) =>
      q.query<{ id: string; price_minor: string }>("SELECT id, price_minor FROM products WHERE merchant_id = $1 ORDER BY id", [
        DEMO.merchantId,
      ]),
    );
    const queue = new PaidOrderQueue(db);
    for (let i = 0; i < SAMPLE_ORDERS; i++) {
      const lines = Array.from({ length: 1 + (i % 3) }, (_, j) => {
        const p = products[(i + j * 3) % products.length] as { id: string; price_minor: string };
        return { productId: p.id, quantity: 1 + (j % 2), netAmountMinor: Number(p.price_minor) * (1 + (j % 2)) };
      });
      const body = paidOrderBody.parse({
        orderRef: `CEIL-${i}`,
        customer: { ref: `CEIL-C${i % 20}` },
        channel: "online",
        paidAt: new Date().toISOString(),
        promoCode: codes[(i * 7) % codes.length],
        lines,
      });
      await queue.submit(ring, DEMO.merchantId, body, `ceil-${i}`, new Date());
    }
  } finally {
    await db.close();
  }
}

/** pgbench reads `:name` as a variable even inside a literal, so a colon is spliced in with chr(58). */
function literal(c: pg.Client, v: string | null, type: string): string {
  if (v === null) return `NULL::${type}`;
  const parts = v.split(":").map((p) => c.escapeLiteral(p));
  return parts.length === 1 ? `${parts[0]}::${type}` : `(${parts.join(" || chr(58) || ")})::${type}`;
}

interface Template {
  script: (batch: number) => string;
  rowsPerOrder: number;
  /** Rows per table ("upserted" for the balances and period statistics). */
  composition: string;
  orderId: string;
}

/**
 * The rows of the sample order closest to the average one (lines and commission lines), as a pgbench script that
 * writes B copies per transaction with fresh keys from a sequence.
 */
async function buildTemplate(url: string): Promise<Template> {
  const c = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } });
  await c.connect();
  try {
    const M = DEMO.merchantId;
    const [pick] = (
      await c.query<{ id: string; seq: string }>(
        `WITH o AS (
           SELECT o.id, t.seq,
             (SELECT count(*) FROM order_lines l WHERE l.merchant_id = o.merchant_id AND l.order_id = o.id) AS lines,
             (SELECT count(*) FROM commission_lines k WHERE k.merchant_id = o.merchant_id AND k.order_id = o.id) AS kls
           FROM orders o JOIN ledger_transactions t ON t.merchant_id = o.merchant_id AND t.cause_ref = 'order:' || o.id || ':paid'
           WHERE o.merchant_id = $1 AND o.order_ref LIKE 'CEIL-%')
         SELECT id, seq FROM o ORDER BY abs(lines - (SELECT avg(lines) FROM o)) + abs(kls - (SELECT avg(kls) FROM o)), id LIMIT 1`,
        [M],
      )
    ).rows;
    if (!pick) throw new Error("no sample order with a ledger transaction was found");
    const types = new Map<string, string>(
      (
        await c.query<{ t: string; col: string; type: string }>(
          `SELECT c.relname AS t, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`,
        )
      ).rows.map((r) => [`${r.t}.${r.col}`, r.type]),
    );
    const sources: { table: string; where: string; params: unknown[] }[] = [
      { table: "orders", where: "merchant_id = $1 AND id = $2", params: [M, pick.id] },
      { table: "order_lines", where: "merchant_id = $1 AND order_id = $2", params: [M, pick.id] },
      { table: "order_events", where: "merchant_id = $1 AND order_id = $2", params: [M, pick.id] },
      { table: "commission_lines", where: "merchant_id = $1 AND order_id = $2", params: [M, pick.id] },
      { table: "ledger_transactions", where: "merchant_id = $1 AND seq = $2", params: [M, pick.seq] },
      { table: "ledger_postings", where: "merchant_id = $1 AND tx_seq = $2", params: [M, pick.seq] },
      {
        table: "idempotency_keys",
        where: "merchant_id = $1 AND key = (SELECT 'ceil-' || substr(order_ref, 6) FROM orders WHERE merchant_id = $1 AND id = $2)",
        params: [M, pick.id],
      },
    ];
    // Each copy's keys: the transaction's sequence number times 10,000 plus the copy's number (g).
    const n = "(currval('fenxiao_ceiling_n') * 10000 + g)";
    const inserts: { table: string; cols: string[]; values: string[] }[] = [];
    let rowsPerOrder = 0;
    const composition: string[] = [];
    for (const s of sources) {
      const r = await c.query({ text: `SELECT * FROM ${s.table} WHERE ${s.where}`, values: s.params, rowMode: "array" });
      composition.push(`${s.table} ${r.rows.length}`);
      const cols = r.fields.map((f) => f.name);
      r.rows.forEach((row: (string | null)[], ri) => {
        rowsPerOrder++;
        const values = row.map((v, i) => {
          const col = cols[i] as string;
          const type = types.get(`${s.table}.${col}`) ?? "text";
          if (v === pick.id) return `('o' || ${n})`;
          if (col === "seq" || col === "tx_seq") return `(1000000000000 + ${n})`;
          if (col === "cause_ref") return `('c' || ${n})`;
          if (col === "order_ref") return `('r' || ${n})`;
          if (col === "key" && s.table === "idempotency_keys") return `('k' || ${n})`;
          if (col === "id") return `('${s.table.slice(0, 3)}${ri}_' || ${n})`;
          return literal(c, v, type);
        });
        inserts.push({ table: s.table, cols, values });
      });
    }
    const postings = (
      await c.query<{ account: string; currency: string; amount_minor: string }>(
        "SELECT account, currency, amount_minor FROM ledger_postings WHERE merchant_id = $1 AND tx_seq = $2",
        [M, pick.seq],
      )
    ).rows;
    const [order] = (
      await c.query<{ program_id: string; promoter_id: string; period_key: string; amount_minor: string }>(
        "SELECT program_id, promoter_id, period_key, amount_minor FROM orders WHERE merchant_id = $1 AND id = $2",
        [M, pick.id],
      )
    ).rows;
    if (!order) throw new Error("sample order vanished");
    await c.query("CREATE SEQUENCE IF NOT EXISTS fenxiao_ceiling_n");
    const ml = literal(c, M, "text");
    const script = (batch: number) => {
      const out = ["SELECT nextval('fenxiao_ceiling_n');", "BEGIN;"];
      for (const ins of inserts)
        out.push(`INSERT INTO ${ins.table} (${ins.cols.join(", ")}) SELECT ${ins.values.join(", ")} FROM generate_series(1, ${batch}) g;`);
      out.push(
        `INSERT INTO account_balances AS a (merchant_id, account, currency, balance_minor) VALUES ${postings
          .map(
            (p) =>
              `(${ml}, ${literal(c, p.account, "text")}, ${literal(c, p.currency, "text")}, ${BigInt(p.amount_minor) * BigInt(batch)})`,
          )
          .join(
            ", ",
          )} ON CONFLICT (merchant_id, account, currency) DO UPDATE SET balance_minor = a.balance_minor + EXCLUDED.balance_minor;`,
      );
      out.push(
        `INSERT INTO promoter_period_stats AS s (merchant_id, program_id, promoter_id, period_key, sales_minor, refunded_minor, orders) VALUES (${ml}, ${literal(c, order.program_id, "text")}, ${literal(c, order.promoter_id, "text")}, ${literal(c, order.period_key, "text")}, ${BigInt(order.amount_minor) * BigInt(batch)}, 0, ${batch}) ON CONFLICT (merchant_id, program_id, promoter_id, period_key) DO UPDATE SET sales_minor = s.sales_minor + EXCLUDED.sales_minor, orders = s.orders + EXCLUDED.orders;`,
      );
      out.push("COMMIT;");
      return `${out.join("\n")}\n`;
    };
    composition.push(`account_balances ${postings.length} upserted`, "promoter_period_stats 1 upserted");
    return { script, rowsPerOrder: rowsPerOrder + postings.length + 1, composition: composition.join(", "), orderId: pick.id };
  } finally {
    await c.end();
  }
}

export interface CeilingResult {
  concurrency: number;
  oneRowTps: number;
  rowsPerOrder: number;
  runs: { batch: number; tps: number; ordersPerSecond: number; ratio: number }[];
}

export async function run(args: string[]): Promise<CeilingResult | null> {
  const o = parseOptions(args);
  const bin = findPgbench();
  if (!bin) {
    console.log("pgbench is not installed: nothing to measure");
    return null;
  }
  console.log(`machine speed: ${calibrate().toFixed(0)} ms for the calibration work (bench/ingest.ts calibrate(); lower is faster)`);
  const db = await createDatabase(o.adminUrl);
  try {
    console.log(`database ${db.name}: migrating, creating the demo data, ingesting ${SAMPLE_ORDERS} sample orders…`);
    await ingestSample(db.url);
    const t = await buildTemplate(db.url);
    console.log(`template: order ${t.orderId}, ${t.rowsPerOrder} rows written or upserted per order (${t.composition})`);
    const oneRow = await runPgbench(bin, db.url, o.concurrency, o.seconds);
    console.log(`pgbench one-row insert          ${oneRow.tps.toFixed(0)} TPS at -c ${o.concurrency}`);
    const runs: CeilingResult["runs"] = [];
    for (const batch of o.batches) {
      const r = await runPgbench(bin, db.url, o.concurrency, o.seconds, { script: t.script(batch), protocol: "prepared" });
      const ordersPerSecond = r.tps * batch;
      const ratio = ordersPerSecond / oneRow.tps;
      runs.push({ batch, tps: r.tps, ordersPerSecond, ratio });
      console.log(
        `orders' rows only, ${String(batch).padStart(4)} per tx  ${r.tps.toFixed(1).padStart(8)} TPS = ${ordersPerSecond.toFixed(0).padStart(6)} orders/s   ratio ${ratio.toFixed(2)}`,
      );
    }
    console.log("(an upper bound: PostgreSQL alone, no server work, no state read, no ledger head; see docs/performance.md)");
    return { concurrency: o.concurrency, oneRowTps: oneRow.tps, rowsPerOrder: t.rowsPerOrder, runs };
  } finally {
    await db.drop();
  }
}
