/**
 * Monthly statements benchmark: `npm run bench -- statements [--promoters P] [--admin-url URL] [--keep]`.
 *
 * Creates a fresh PostgreSQL database (dropped at the end), one merchant and one program (Asia/Shanghai), P promoters,
 * and two months of ledger activity through the core recipes: in October one order commission per promoter and its
 * release; in November three order commissions each (two released a week later), a withdrawal for 40 % of the
 * promoters (lock, withhold tax and fee, then paid — or failed for one in twenty), and a reversal for 10 %. The
 * transactions are chained with the server's own `chainTxs` (so the hash chain is the one the server would write) and
 * bulk-loaded with multi-row `INSERT … SELECT FROM unnest(…)`, with account_balances and the ledger head.
 *
 * Timed: `exportStatements` for November — the merchant's statement, then every promoter's statement (summary CSV and
 * lines CSV) in batches of 2,000 promoters — exactly what `fenxiao statements export --period 2026-11` does.
 * Checked afterwards: the merchant's ledger verifies, the summary has one row per promoter, the promoters' closing
 * balances add up to the merchant statement's, and a sample of promoters' opening and closing equal the ledger's sums.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  accrue,
  GENESIS_HASH,
  type LedgerTxDraft,
  merchantAccount,
  release,
  reverse,
  withdrawLock,
  withdrawPay,
  withdrawUnwind,
  withdrawWithhold,
} from "@fenxiao/core";
import pg from "pg";
import { PostgresDb } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { chainTxs, type PostedTx, verifyMerchantLedger } from "../packages/server/src/modules/ledger/repository.ts";
import { createMerchant } from "../packages/server/src/modules/merchants/service.ts";
import { programSettings } from "../packages/server/src/modules/programs/schema.ts";
import { createProgram } from "../packages/server/src/modules/programs/service.ts";
import { exportStatements } from "../packages/server/src/modules/statements/export.ts";
import { merchantStatement } from "../packages/server/src/modules/statements/service.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const PROMOTERS_DEFAULT = 100_000;
export const PROMOTERS_MAX = 1_000_000;
/** The target of issue 11: a month's statements for 100,000 promoters. */
export const TARGET_SECONDS = 120;
const ROWS_PER_STATEMENT = 5000;
const M = "mch_benchstmt";
const PROGRAM = "prg_benchstmt";
const CURRENCY = "CNY";
const MONTH = "2026-11";
const DAY = 86_400_000;
const OCT = Date.parse("2026-09-30T16:00:00Z");
const NOV = Date.parse("2026-10-31T16:00:00Z");

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const secondsSince = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2));
const maxRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
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

const Ev = { Accrue: 0, Release: 1, Lock: 2, Withhold: 3, Pay: 4, Fail: 5, Reverse: 6 } as const;
type Ev = (typeof Ev)[keyof typeof Ev];

/** The activity as compact columns (time, promoter, event, amount, reference number), sorted by time. */
function activity(P: number) {
  const r = rng(20261101);
  const t: number[] = [];
  const who: number[] = [];
  const ev: number[] = [];
  const amt: number[] = [];
  const ref: number[] = [];
  let n = 0;
  const add = (time: number, p: number, e: Ev, a: number) => {
    t.push(time);
    who.push(p);
    ev.push(e);
    amt.push(a);
    ref.push(n++);
  };
  for (let p = 0; p < P; p++) {
    const a0 = 1000 + Math.floor(r() * 50_000);
    const t0 = OCT + Math.floor(r() * 20 * DAY);
    add(t0, p, Ev.Accrue, a0);
    add(t0 + 7 * DAY, p, Ev.Release, a0);
    for (let k = 0; k < 3; k++) {
      const a = 500 + Math.floor(r() * 30_000);
      const tk = NOV + Math.floor(r() * 27 * DAY);
      add(tk, p, Ev.Accrue, a);
      if (k < 2 && tk + 7 * DAY < NOV + 30 * DAY) add(tk + 7 * DAY, p, Ev.Release, a);
    }
    if (r() < 0.4) {
      const a = Math.max(200, Math.floor(a0 * (0.3 + 0.6 * r())));
      const tw = NOV + (14 + Math.floor(r() * 10)) * DAY;
      add(tw, p, Ev.Lock, a);
      add(tw + 3_600_000, p, Ev.Withhold, a);
      add(tw + 7_200_000, p, r() < 0.05 ? Ev.Fail : Ev.Pay, a);
    }
    if (r() < 0.1) add(NOV + 28 * DAY + Math.floor(r() * DAY), p, Ev.Reverse, 100 + Math.floor(r() * 500));
  }
  const order = Array.from({ length: t.length }, (_, i) => i).sort((x, y) => (t[x] as number) - (t[y] as number) || x - y);
  return { order, t, who, ev, amt, ref };
}

function draftOf(e: Ev, promoterId: string, a: number, n: number): LedgerTxDraft | null {
  const w = { promoterId, amountMinor: a, taxMinor: Math.floor(a / 10), feeMinor: 1 + Math.floor(a / 100) };
  const fee = merchantAccount(M, "fee_income");
  switch (e) {
    case Ev.Accrue:
      return accrue(M, CURRENCY, `order:b${n}:paid`, `订单 #B${n} 佣金计提 / commission accrued`, [{ promoterId, amountMinor: a }]);
    case Ev.Release:
      return release(CURRENCY, `release:b${n}`, "佣金解冻 / released", [{ promoterId, amountMinor: a }]);
    case Ev.Lock:
      return withdrawLock(CURRENCY, `withdrawal:w${promoterId}:lock`, "提现申请 / requested", w);
    case Ev.Withhold:
      return withdrawWithhold(CURRENCY, `withdrawal:w${promoterId}:withhold`, "代扣个税及手续费 / withheld", w, fee);
    case Ev.Pay:
      return withdrawPay(CURRENCY, `withdrawal:w${promoterId}:pay`, "提现到账 / paid", w);
    case Ev.Fail:
      return withdrawUnwind(CURRENCY, `withdrawal:w${promoterId}:fail`, "提现失败 / failed", w, fee);
    case Ev.Reverse:
      return reverse(M, CURRENCY, `order:r${n}:refund`, "退款冲回 / reversed", [{ promoterId, amountMinor: a, from: "available" }]);
  }
}

/** Multi-row inserts of column arrays through unnest. */
class Bulk {
  private cols: unknown[][];
  rows = 0;
  constructor(
    private readonly c: pg.Client,
    private readonly table: string,
    private readonly columns: readonly (readonly [string, string])[],
  ) {
    this.cols = columns.map(() => []);
  }
  async add(...values: unknown[]): Promise<void> {
    for (const [i, v] of values.entries()) (this.cols[i] as unknown[]).push(v);
    if (++this.rows >= ROWS_PER_STATEMENT) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.rows === 0) return;
    const names = this.columns.map((c) => c[0]).join(", ");
    const arrays = this.columns.map((c, i) => `$${i + 1}::${c[1]}[]`).join(", ");
    await this.c.query(`INSERT INTO ${this.table} (${names}) SELECT * FROM unnest(${arrays})`, this.cols);
    this.cols = this.columns.map(() => []);
    this.rows = 0;
  }
}

async function load(url: string, P: number) {
  const t0 = performance.now();
  const setup = PostgresDb.open(url, 2);
  try {
    await migrate(setup);
    await setup.tx(async (q) => {
      await createMerchant(q, { name: "基准测试商户 Bench statements", id: M });
      await createProgram(
        q,
        M,
        programSettings.parse({ name: "Bench statements", timezone: "Asia/Shanghai", landingUrl: "https://shop.example.com/" }),
        PROGRAM,
      );
    });
  } finally {
    await setup.close();
  }
  const ids = Array.from({ length: P }, (_, i) => `prm_b${String(i).padStart(7, "0")}`);
  const a = activity(P);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("SET synchronous_commit = off");
  await c.query("BEGIN");
  const promoters = new Bulk(c, "promoters", [
    ["id", "text"],
    ["name", "text"],
  ]);
  for (let i = 0; i < P; i++) await promoters.add(ids[i], `推广员 ${i}`);
  await promoters.flush();
  const txs = new Bulk(c, "ledger_transactions", [
    ["merchant_id", "text"],
    ["seq", "int8"],
    ["kind", "text"],
    ["cause_ref", "text"],
    ["memo", "text"],
    ["created_at", "timestamptz"],
    ["created_at_text", "text"],
    ["prev_hash", "text"],
    ["hash", "text"],
  ]);
  const posts = new Bulk(c, "ledger_postings", [
    ["merchant_id", "text"],
    ["tx_seq", "int8"],
    ["idx", "int2"],
    ["account", "text"],
    ["amount_minor", "int8"],
    ["currency", "text"],
  ]);
  const balances = new Map<string, number>();
  let head: PostedTx = { seq: 0, hash: GENESIS_HASH };
  let postings = 0;
  for (const i of a.order) {
    const d = draftOf(a.ev[i] as Ev, ids[a.who[i] as number] as string, a.amt[i] as number, a.ref[i] as number);
    if (!d) continue;
    const at = new Date(a.t[i] as number);
    const chained = chainTxs(head, [d], at);
    head = chained.head;
    const p = chained.posted[0] as (typeof chained.posted)[number];
    const iso = at.toISOString();
    await txs.add(M, p.seq, d.kind, d.causeRef, d.memo, iso, iso, p.prevHash, p.hash);
    for (const [idx, leg] of d.postings.entries()) {
      await posts.add(M, p.seq, idx, leg.account, leg.amountMinor, leg.currency);
      balances.set(leg.account, (balances.get(leg.account) ?? 0) + leg.amountMinor);
      postings++;
    }
  }
  await txs.flush();
  await posts.flush();
  const bal = new Bulk(c, "account_balances", [
    ["merchant_id", "text"],
    ["account", "text"],
    ["currency", "text"],
    ["balance_minor", "int8"],
  ]);
  for (const [account, v] of balances) await bal.add(M, account, CURRENCY, v);
  await bal.flush();
  await c.query("INSERT INTO ledger_heads (merchant_id, seq, hash) VALUES ($1, $2, $3)", [M, head.seq, head.hash]);
  await c.query("COMMIT");
  const vt0 = performance.now();
  await c.query("VACUUM ANALYZE");
  await c.end();
  return {
    seconds: secondsSince(t0),
    vacuumAnalyzeSeconds: secondsSince(vt0),
    promoters: P,
    transactions: head.seq,
    postings,
    accounts: balances.size,
  };
}

/** The summary CSV's rows (the bench's names and ids hold no comma or quote). */
function summaryRows(path: string): string[][] {
  return readFileSync(path, "utf8")
    .slice(1)
    .trim()
    .split("\r\n")
    .slice(1)
    .map((l) => l.split(","));
}

async function checks(url: string, outDir: string) {
  const db = PostgresDb.open(url, 2);
  try {
    const t0 = performance.now();
    const verify = await verifyMerchantLedger(db, M);
    const rows = summaryRows(join(outDir, `promoters-${M}-${MONTH}.csv`));
    const fen = (s: string) => Math.round(Number(s) * 100);
    const closingSum = rows.reduce((n, r) => n + fen(r[16] as string), 0);
    const merchant = await db.read((q) => merchantStatement(q, M, MONTH));
    const sample = [0, Math.floor(rows.length / 2), rows.length - 1].map((i) => rows[i] as string[]);
    let sampleOk = true;
    for (const r of sample) {
      const [s] = await db.read((q) =>
        q.query<{ opening: string; closing: string }>(
          `SELECT coalesce(sum(p.amount_minor) FILTER (WHERE t.created_at < $3), 0) AS opening,
                  coalesce(sum(p.amount_minor) FILTER (WHERE t.created_at < $4), 0) AS closing
           FROM ledger_postings p JOIN ledger_transactions t ON t.merchant_id = p.merchant_id AND t.seq = p.tx_seq
           WHERE p.merchant_id = $1 AND p.account = ANY($2)`,
          [
            M,
            ["pending", "available", "held", "locked"].map((b) => `promoter:${r[2]}:${b}`),
            new Date(NOV),
            new Date("2026-11-30T16:00:00Z"),
          ],
        ),
      );
      sampleOk &&= Number(s?.opening) === fen(r[5] as string) && Number(s?.closing) === fen(r[16] as string);
    }
    return {
      ledgerVerifies: verify.ok,
      summaryRows: rows.length,
      closingSumMatchesMerchantStatement: closingSum === merchant.currencies[0]?.owedClosingMinor,
      sampleMatchesLedger: sampleOk,
      merchantFigures: merchant.currencies[0] && { ...merchant.currencies[0], byKind: undefined },
      checkSeconds: secondsSince(t0),
    };
  } finally {
    await db.close();
  }
}

export async function run(args: string[]): Promise<{ ok: boolean }> {
  const { values } = parseArgs({
    args,
    options: { promoters: { type: "string" }, "admin-url": { type: "string" }, keep: { type: "boolean" } },
    strict: true,
  });
  const P = intOption("promoters", values.promoters, PROMOTERS_DEFAULT, 10, PROMOTERS_MAX);
  const adminUrl = benchAdminUrl(values["admin-url"]);
  const name = `fenxiao_bench_stmt_${Date.now().toString(36)}_${process.pid}`;
  const url = dbUrl(adminUrl, name);
  const outDir = mkdtempSync(join(tmpdir(), "fenxiao-bench-statements-"));
  console.log(`bench statements: ${P.toLocaleString("en")} promoters, month ${MONTH} → database ${name}`);
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  let ok = false;
  try {
    const loaded = await load(url, P);
    console.log(JSON.stringify({ phase: "load", ...loaded }, null, 2));
    const db = PostgresDb.open(url, 4);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let result: Awaited<ReturnType<typeof exportStatements>>;
    try {
      result = await exportStatements(db, { month: MONTH, merchantIds: [M], format: "csv", outDir });
    } finally {
      await db.close();
    }
    const seconds = secondsSince(t0);
    const cpu = process.cpuUsage(cpu0);
    const files = Object.fromEntries(result.files.map((f) => [f.slice(outDir.length + 1), statSync(f).size]));
    const c = await checks(url, outDir);
    ok = c.ledgerVerifies && c.summaryRows === P && c.closingSumMatchesMerchantStatement && c.sampleMatchesLedger;
    const target = P === PROMOTERS_DEFAULT ? TARGET_SECONDS : null;
    console.log(
      JSON.stringify(
        {
          bench: "statements",
          node: process.version,
          result: {
            seconds,
            targetSeconds: target,
            statements: result.statements,
            lines: result.lines,
            statementsPerSecond: Math.round(result.statements / seconds),
            fileBytes: files,
            nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
            peakRssMiB: maxRssMiB(),
          },
          checks: c,
        },
        null,
        2,
      ),
    );
    console.log(
      `statements of ${P.toLocaleString("en")} promoters for ${MONTH}: ${seconds} s, ${result.lines.toLocaleString("en")} lines${target === null ? "" : ` (target ≤ ${target} s: ${seconds <= target ? "met" : "missed"})`}`,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    if (values.keep) console.log(`kept database ${name}`);
    else await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  if (!ok) throw new Error("bench statements: a check failed (see checks above)");
  return { ok };
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
