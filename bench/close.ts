/**
 * Period-close benchmark: `npm run bench -- close [--orders N] [--promoters P] [--admin-url URL] [--keep] [--reuse DB]`.
 *
 * Creates a fresh PostgreSQL database (dropped at the end), migrates it, and creates one merchant and one program (monthly
 * periods, Asia/Shanghai) with a published plan: retroactive tiers (0: 8 %; ¥50,000: 10 % + ¥2,000; ¥100,000: 12 % and
 * promotion to "partner"), two team levels (3 %, 1 %) whose uplines must sell ¥500 themselves (compress on failure), a
 * threshold bonus (¥20,000 → ¥500) and a team bonus (1 % of level-1 + level-2 sales ≥ ¥200,000 to the leader).
 *
 * Loading (reported, not held to the target): P promoters in a preferential-attachment invite tree, N paid orders in one
 * month (1–2 lines each; sellers drawn from a heavy-tailed distribution that favours promoters with teams, so some reach
 * the higher steps), partial refunds, full refunds and cancellations at later times. Every order's commission lines come
 * from the real engine (`evaluateOrder`, with the seller's net sales before the order as the server would read them from
 * promoter_period_stats) and are explained with `explainLine`; refunds reverse them with `reversalFor` (P19). Rows are
 * generated in Node and bulk-loaded with multi-row `INSERT … SELECT FROM unnest(…)` statements in a few big transactions;
 * promoter_period_stats is filled, and the order-time accruals are posted to the ledger as one `accrue` transaction
 * (net per promoter) through the server's postTx. order_events are not generated (the close does not read them).
 *
 * Timed: `closeProgramPeriod(q, program, "2026-03", now, snapshotReader(db))` inside `db.tx`, nothing else (the period is
 * read on a snapshot connection beside the transaction, as the server closes on PostgreSQL). Printed: seconds, adjustments
 * (by kind), promotions, peak RSS (the process's high-water mark, and sampled during the close), Node's CPU and GC
 * seconds, the database backend's CPU seconds (from /proc), the load average (the machine may be shared), and a
 * timeline of the statements that took time (round trips including row parsing, first and last second).
 * Checked afterwards: the merchant's ledger verifies, the close's records sum to the summary, closing again returns
 * alreadyClosed. A failed check fails the run.
 *
 * --keep leaves the loaded (and closed) database in place; --reuse DB skips the loading: it clones DB (kept by an earlier
 * run with --keep --no-close) as a template into a fresh database and closes that. --no-close stops after loading.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  accrue,
  type CommissionLineDraft,
  evaluateOrder,
  explainLine,
  type Minor,
  type OrderInput,
  type PlanDocument,
  type PromoterNode,
  parsePlan,
  periodOfKey,
  reversalFor,
} from "@fenxiao/core";
import pg from "pg";
import { PostgresDb, type Row, type Sql } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { postTx, verifyMerchantLedger } from "../packages/server/src/modules/ledger/repository.ts";
import { createMerchant } from "../packages/server/src/modules/merchants/service.ts";
import { closeProgramPeriod, snapshotReader } from "../packages/server/src/modules/periods/service.ts";
import { getProgram } from "../packages/server/src/modules/programs/repository.ts";
import { programSettings } from "../packages/server/src/modules/programs/schema.ts";
import { createDraftPlan, createProgram, publishPlan } from "../packages/server/src/modules/programs/service.ts";
import { benchAdminUrl, intOption } from "./options.ts";

export const ORDERS_DEFAULT = 1_000_000;
export const PROMOTERS_DEFAULT = 100_000;
/** Upper bounds on the knobs, so a typo cannot start an endless run. */
export const ORDERS_MAX = 5_000_000;
export const PROMOTERS_MAX = 1_000_000;
/** The target of issue 3 for 1,000,000 orders and 100,000 promoters. */
export const TARGET_SECONDS = 60;
/** Orders per loading transaction. */
const ORDERS_PER_TX = 200_000;
/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 4000;
/** INSERT statements queued on the loading connection while Node generates the next rows. */
const INFLIGHT_MAX = 3;

const MERCHANT_ID = "mch_benchclose";
const PROGRAM_ID = "prg_benchclose";
const PERIOD_KEY = "2026-03";
const TIME_ZONE = "Asia/Shanghai";
/** The close runs a few days after the period ended (Shanghai March ends 2026-03-31T16:00Z). */
const CLOSE_AT = new Date("2026-04-05T00:00:00.000Z");
const PLAN_FROM = new Date("2026-01-01T00:00:00.000Z");
const ROUNDING = "half-up" as const;
const CURRENCY = "CNY";
const HOLD_DAYS = 7;
const DAY_MS = 86_400_000;

export const BENCH_PLAN = {
  version: 1,
  name: "bench: period close",
  base: { defaultRateBps: 800 },
  ranks: [{ key: "partner", name: "合伙人" }],
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 800 },
      { fromMinor: 5_000_000, rateBps: 1000, bonusMinor: 200_000 },
      { fromMinor: 10_000_000, rateBps: 1200, promoteToRank: "partner" },
    ],
  },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }], qualification: { ownSalesAtLeastMinor: 50_000, onFail: "compress" } },
  thresholdBonuses: [{ id: "monthly-20k", salesAtLeastMinor: 2_000_000, bonusMinor: 50_000 }],
  teamBonuses: [{ id: "leader-200k", form: "leader_rate", teamSalesAtLeastMinor: 20_000_000, rateBps: 100 }],
};

interface Options {
  orders: number;
  promoters: number;
  adminUrl: string;
  keep: boolean;
  reuse: string | null;
  close: boolean;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      orders: { type: "string" },
      promoters: { type: "string" },
      "admin-url": { type: "string" },
      keep: { type: "boolean" },
      reuse: { type: "string" },
      "no-close": { type: "boolean" },
    },
    strict: true,
    allowPositionals: false,
  });
  const adminUrl = benchAdminUrl(values["admin-url"]);
  if (values.reuse !== undefined && !/^fenxiao_bench_close_[a-z0-9_]+$/.test(values.reuse))
    throw new Error(`--reuse takes a database kept by this benchmark (fenxiao_bench_close_…), got ${values.reuse}`);
  return {
    orders: intOption("orders", values.orders, ORDERS_DEFAULT, 1, ORDERS_MAX),
    promoters: intOption("promoters", values.promoters, PROMOTERS_DEFAULT, 10, PROMOTERS_MAX),
    adminUrl,
    keep: values.keep ?? false,
    reuse: values.reuse ?? null,
    close: !(values["no-close"] ?? false),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers: deterministic randomness, ids, timing, memory.

/** mulberry32: the same data on every run. */
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

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Ids shaped like the server's newId (prefix + 20 base32 characters), from a seeded generator. */
function idMaker(r: () => number): (prefix: string) => string {
  return (prefix) => {
    let s = `${prefix}_`;
    for (let i = 0; i < 4; i++) {
      let x = Math.floor(r() * 33_554_432); // 25 bits = 5 characters
      for (let j = 0; j < 5; j++) {
        s += ALPHABET[x & 31];
        x >>>= 5;
      }
    }
    return s;
  };
}

function code6(i: number): string {
  let s = "";
  let x = i;
  for (let j = 0; j < 6; j++) {
    s = ALPHABET[x & 31] + s;
    x >>>= 5;
  }
  return s.toUpperCase();
}

const secondsSince = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2));
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
/** The process's peak resident set so far (kernel high-water mark), in MiB. */
const maxRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A min-heap of (time, promoter, amount): refunds that lower a seller's running net sales when their time comes. */
class RefundHeap {
  private readonly t: number[] = [];
  private readonly p: number[] = [];
  private readonly a: number[] = [];
  get size(): number {
    return this.t.length;
  }
  peekTime(): number {
    return this.t[0] ?? Number.POSITIVE_INFINITY;
  }
  push(time: number, promoter: number, amount: number): void {
    this.t.push(time);
    this.p.push(promoter);
    this.a.push(amount);
    let i = this.t.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if ((this.t[up] as number) <= time) break;
      this.swap(i, up);
      i = up;
    }
  }
  pop(): { promoter: number; amount: number } {
    const out = { promoter: this.p[0] as number, amount: this.a[0] as number };
    const last = this.t.length - 1;
    this.swap(0, last);
    this.t.pop();
    this.p.pop();
    this.a.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.t.length && (this.t[l] as number) < (this.t[m] as number)) m = l;
      if (r < this.t.length && (this.t[r] as number) < (this.t[m] as number)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return out;
  }
  private swap(i: number, j: number): void {
    for (const arr of [this.t, this.p, this.a]) {
      const x = arr[i] as number;
      arr[i] = arr[j] as number;
      arr[j] = x;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Bulk loading: column buffers flushed as `INSERT INTO t (…) SELECT $consts, u.* FROM unnest($1::type[], …) AS u`.

type PgType = "text" | "int2" | "int4" | "int8" | "bool" | "jsonb" | "timestamptz";

class Table {
  private cols: unknown[][];
  private readonly constValues: unknown[];
  rows = 0;
  total = 0;
  private readonly sql: string;
  constructor(
    readonly loader: Loader,
    table: string,
    consts: readonly (readonly [string, PgType, unknown])[],
    private readonly columns: readonly (readonly [string, PgType])[],
  ) {
    this.cols = columns.map(() => []);
    const names = [...consts.map((c) => c[0]), ...columns.map((c) => c[0])].join(", ");
    const constExprs = consts.map((c, i) => `$${i + 1}::${c[1]}`);
    const arrays = columns.map((c, i) => `$${consts.length + i + 1}::${c[1]}[]`);
    this.sql = `INSERT INTO ${table} (${names}) SELECT ${[...constExprs, "u.*"].join(", ")} FROM unnest(${arrays.join(", ")}) AS u`;
    this.constValues = consts.map((c) => c[2]);
  }
  add(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) (this.cols[i] as unknown[]).push(values[i]);
    this.rows++;
    if (this.rows >= ROWS_PER_STATEMENT) this.flush();
  }
  flush(): void {
    if (this.rows === 0) return;
    const params = [...this.constValues, ...this.cols];
    this.total += this.rows;
    this.cols = this.columns.map(() => []);
    this.rows = 0;
    this.loader.send(this.sql, params);
  }
}

/** One connection; statements are chained on it without waiting, at most INFLIGHT_MAX at a time. */
class Loader {
  private inflight: Promise<unknown>[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private error: unknown = null;
  waitMs = 0;
  constructor(readonly client: pg.Client) {}
  send(text: string, params?: unknown[]): void {
    if (this.error) throw this.error;
    const p = this.tail.then(() => (this.error ? undefined : this.client.query(text, params)));
    this.tail = p.catch((e: unknown) => {
      this.error ??= e;
    });
    this.inflight.push(this.tail);
  }
  /** Wait while too many statements are queued (call between orders; keeps memory bounded). */
  async throttle(): Promise<void> {
    if (this.inflight.length < INFLIGHT_MAX) return;
    const t0 = performance.now();
    while (this.inflight.length >= INFLIGHT_MAX) await this.inflight.shift();
    this.waitMs += performance.now() - t0;
    if (this.error) throw this.error;
  }
  async drain(): Promise<void> {
    const t0 = performance.now();
    while (this.inflight.length > 0) await this.inflight.shift();
    this.waitMs += performance.now() - t0;
    if (this.error) throw this.error;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The data set.

interface LoadReport {
  seconds: number;
  setUpSeconds?: number;
  rowsSeconds: number;
  generateAndQueueSeconds: number;
  ledgerSeconds: number;
  waitedForDbSeconds: number;
  vacuumAnalyzeSeconds: number;
  promoters: number;
  promotersWithSales: number;
  orders: number;
  orderLines: number;
  customers: number;
  commissionLines: number;
  teamLines: number;
  partialRefunds: number;
  fullRefunds: number;
  cancellations: number;
  completed: number;
  netSalesMinor: number;
  sellersAtStep2: number;
  sellersAtStep3: number;
  uplineTeamLinesBelowQualification: number;
  largestSellerNetMinor: number;
  peakRssMiB: number;
}

const PRODUCTS = Array.from({ length: 400 }, (_, i) => ({
  id: `sku-${String(i + 1).padStart(4, "0")}`,
  name: `商品 ${i + 1}`,
  categoryId: ["milk-powder", "strollers", "toys", "diapers", "clothing"][i % 5] as string,
  // list prices from ¥9.90 to ¥1,999 (log-uniform), in fen, rounded to 10 fen
  priceMinor: Math.round((990 * Math.exp((Math.log(199_900 / 990) * ((i * 7919) % 400)) / 399)) / 10) * 10,
}));

async function load(adminUrl: string, dbName: string, o: Options, plan: PlanDocument, planVersion: number): Promise<LoadReport> {
  const t0 = performance.now();
  const period = periodOfKey(PERIOD_KEY, TIME_ZONE);
  const startMs = Date.parse(period.startsAt);
  const durMs = Date.parse(period.endsAt) - startMs;
  const r = rng(20260301);
  const newId = idMaker(rng(77));
  const P = o.promoters;
  const N = o.orders;

  const client = new pg.Client({ connectionString: dbUrl(adminUrl, dbName) });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  const loader = new Loader(client);
  const M = MERCHANT_ID;

  // Promoters: a preferential-attachment invite tree (an inviter is drawn with weight 1 + its invitees so far).
  const ids: string[] = new Array(P);
  const inviter = new Int32Array(P).fill(-1);
  const invitees = new Int32Array(P);
  const statusOf: PromoterNode["status"][] = new Array(P);
  const nodes: PromoterNode[] = new Array(P);
  const targets: number[] = [];
  const roots = Math.max(1, Math.floor(P / 500));
  const joinFrom = Date.parse("2025-03-01T00:00:00Z");
  const joinSpan = startMs - 7 * DAY_MS - joinFrom;
  loader.send("BEGIN");
  const promotersT = new Table(
    loader,
    "promoters",
    [["created_at", "timestamptz", new Date(joinFrom)]],
    [
      ["id", "text"],
      ["name", "text"],
    ],
  );
  const membershipsT = new Table(
    loader,
    "memberships",
    [
      ["merchant_id", "text", M],
      ["program_id", "text", PROGRAM_ID],
    ],
    [
      ["promoter_id", "text"],
      ["code", "text"],
      ["inviter_id", "text"],
      ["inviter2_id", "text"],
      ["rank", "text"],
      ["status", "text"],
      ["joined_at", "timestamptz"],
    ],
  );
  for (let i = 0; i < P; i++) {
    ids[i] = newId("pmt");
    if (i >= roots) {
      const up = targets[Math.floor(r() * targets.length)] as number;
      inviter[i] = up;
      invitees[up] = (invitees[up] as number) + 1;
      targets.push(up);
    }
    targets.push(i);
    const x = r();
    statusOf[i] = x < 0.005 ? "suspended" : x < 0.01 ? "left" : "active";
    const rank = r() < 0.002 ? "partner" : null;
    const joinedAt = new Date(joinFrom + Math.floor((joinSpan * i) / P)).toISOString();
    nodes[i] = { promoterId: ids[i] as string, rank, joinedAt, status: statusOf[i] as PromoterNode["status"] };
  }
  targets.length = 0;
  for (let i = 0; i < P; i++) {
    const up = inviter[i] as number;
    const up2 = up >= 0 ? (inviter[up] as number) : -1;
    const node = nodes[i] as PromoterNode;
    promotersT.add(node.promoterId, `推广员 ${i + 1}`);
    membershipsT.add(
      node.promoterId,
      code6(i),
      up >= 0 ? ids[up] : null,
      up2 >= 0 ? ids[up2] : null,
      node.rank,
      node.status,
      node.joinedAt,
    );
    await loader.throttle();
  }
  promotersT.flush();
  membershipsT.flush();

  // Sellers: heavy-tailed (Pareto, alpha 1.1) sales propensity, doubled per √(1 + invitees): leaders tend to sell.
  const cum = new Float64Array(P);
  let acc = 0;
  for (let i = 0; i < P; i++) {
    const w = statusOf[i] === "active" ? (1 - r()) ** (-1 / 1.1) * Math.sqrt(1 + (invitees[i] as number)) : 0;
    acc += w;
    cum[i] = acc;
  }
  const pickSeller = (): number => {
    const x = r() * acc;
    let lo = 0;
    let hi = P - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  const customersT = new Table(
    loader,
    "customers",
    [["merchant_id", "text", M]],
    [
      ["id", "text"],
      ["customer_ref", "text"],
      ["created_at", "timestamptz"],
    ],
  );
  const ordersT = new Table(
    loader,
    "orders",
    [
      ["merchant_id", "text", M],
      ["program_id", "text", PROGRAM_ID],
      ["currency", "text", CURRENCY],
      ["plan_version", "int4", planVersion],
      ["period_key", "text", PERIOD_KEY],
    ],
    [
      ["id", "text"],
      ["order_ref", "text"],
      ["customer_id", "text"],
      ["channel", "text"],
      ["status", "text"],
      ["amount_minor", "int8"],
      ["refunded_minor", "int8"],
      ["promoter_id", "text"],
      ["attribution_path", "text"],
      ["attribution", "jsonb"],
      ["is_first_order", "bool"],
      ["paid_at", "timestamptz"],
      ["completed_at", "timestamptz"],
      ["cancelled_at", "timestamptz"],
      ["created_at", "timestamptz"],
    ],
  );
  const linesT = new Table(
    loader,
    "order_lines",
    [["merchant_id", "text", M]],
    [
      ["order_id", "text"],
      ["line_no", "int4"],
      ["product_id", "text"],
      ["product_name", "text"],
      ["category_id", "text"],
      ["quantity", "int4"],
      ["net_amount_minor", "int8"],
      ["refunded_minor", "int8"],
    ],
  );
  const commissionsT = new Table(
    loader,
    "commission_lines",
    [
      ["merchant_id", "text", M],
      ["program_id", "text", PROGRAM_ID],
      ["currency", "text", CURRENCY],
      ["plan_version", "int4", planVersion],
      ["period_key", "text", PERIOD_KEY],
    ],
    [
      ["id", "text"],
      ["order_id", "text"],
      ["line_no", "int4"],
      ["beneficiary_id", "text"],
      ["level", "int2"],
      ["kind", "text"],
      ["base_minor", "int8"],
      ["rate_bps", "int4"],
      ["amount_minor", "int8"],
      ["reversed_minor", "int8"],
      ["state", "text"],
      ["attribution_path", "text"],
      ["trace", "jsonb"],
      ["explanation_zh", "text"],
      ["explanation_en", "text"],
      ["available_at", "timestamptz"],
      ["created_at", "timestamptz"],
    ],
  );

  // Running state per promoter.
  const netNow = new Float64Array(P); // period net sales as promoter_period_stats would show at the current instant
  const statSales = new Float64Array(P);
  const statRefunded = new Float64Array(P);
  const statOrders = new Int32Array(P);
  const accrued = new Float64Array(P); // order-time commission net of reversals, per beneficiary
  const teamLinesTo = new Int32Array(P);
  const RECENT = 4;
  const recent = new Int32Array(P * RECENT);
  const recentN = new Uint8Array(P);
  const customerIds: string[] = [];
  const refunds = new RefundHeap();
  const rep = {
    orderLines: 0,
    commissionLines: 0,
    teamLines: 0,
    partialRefunds: 0,
    fullRefunds: 0,
    cancellations: 0,
    completed: 0,
  };
  const lastRefundMs = CLOSE_AT.getTime() - 3_600_000;
  const genT0 = performance.now();

  for (let k = 0; k < N; k++) {
    if (k > 0 && k % ORDERS_PER_TX === 0) {
      for (const t of [customersT, ordersT, linesT, commissionsT]) t.flush();
      loader.send("COMMIT");
      loader.send("BEGIN");
    }
    const paidMs = startMs + Math.floor(((k + r()) * durMs) / N);
    while (refunds.size > 0 && refunds.peekTime() <= paidMs) {
      const x = refunds.pop();
      netNow[x.promoter] = (netNow[x.promoter] as number) - x.amount;
    }
    const s = pickSeller();
    const seller = nodes[s] as PromoterNode;
    const paidAt = new Date(paidMs).toISOString();

    // the customer: often a returning customer of this seller
    let customer: number;
    let first = false;
    const nRecent = recentN[s] as number;
    if (nRecent > 0 && r() < 0.4) customer = recent[s * RECENT + Math.floor(r() * Math.min(nRecent, RECENT))] as number;
    else {
      customer = customerIds.length;
      const cid = newId("cus");
      customerIds.push(cid);
      customersT.add(cid, `bench-cus-${customer}`, paidAt);
      recent[s * RECENT + (nRecent % RECENT)] = customer;
      recentN[s] = Math.min(255, nRecent + 1);
      first = true;
    }

    const orderId = newId("ord");
    const orderRef = `BC${PERIOD_KEY.replace("-", "")}${String(k + 1).padStart(8, "0")}`;
    const nLines = r() < 0.6 ? 1 : 2;
    const lines: OrderInput["lines"] = [];
    let amount = 0;
    for (let j = 0; j < nLines; j++) {
      const prod = PRODUCTS[Math.floor(r() * PRODUCTS.length)] as (typeof PRODUCTS)[number];
      const quantity = r() < 0.8 ? 1 : 2;
      const net = Math.round((prod.priceMinor * quantity * (0.85 + 0.15 * r())) / 10) * 10;
      lines.push({
        lineNo: j + 1,
        productId: prod.id,
        productName: prod.name,
        categoryId: prod.categoryId,
        quantity,
        netAmountMinor: net as Minor,
      });
      amount += net;
    }
    const path = r() < 0.7 ? "code" : "binding";
    const order: OrderInput = {
      orderId,
      orderRef,
      paidAt,
      channel: "mini_program",
      currency: CURRENCY,
      customerRef: `bench-cus-${customer}`,
      isFirstOrder: first,
      attributionPath: path,
      lines,
      referrerCustomerRef: null,
    };
    const uplines: PromoterNode[] = [];
    const up1 = inviter[s] as number;
    if (up1 >= 0) {
      uplines.push(nodes[up1] as PromoterNode);
      const up2 = inviter[up1] as number;
      if (up2 >= 0) uplines.push(nodes[up2] as PromoterNode);
    }
    const drafts: CommissionLineDraft[] = evaluateOrder(plan, order, {
      seller,
      uplines,
      periodSalesBeforeMinor: netNow[s] as Minor,
      roundingMode: ROUNDING,
    });
    netNow[s] = (netNow[s] as number) + amount;
    statSales[s] = (statSales[s] as number) + amount;
    statOrders[s] = (statOrders[s] as number) + 1;

    // what happens to the order afterwards (before the close)
    const fate = r();
    const eventMs = Math.min(paidMs + Math.floor((1 + 5 * r()) * DAY_MS), lastRefundMs);
    let status: "paid" | "completed" | "refunded" | "cancelled" = "paid";
    let refundedTotal = 0;
    let cancelledAt: string | null = null;
    const refundedByLine = new Array<number>(nLines).fill(0);
    if (fate < 0.003) {
      status = "cancelled";
      cancelledAt = new Date(eventMs).toISOString();
      rep.cancellations++;
    } else if (fate < 0.01) {
      status = "refunded";
      for (let j = 0; j < nLines; j++) refundedByLine[j] = (lines[j] as { netAmountMinor: number }).netAmountMinor;
      refundedTotal = amount;
      rep.fullRefunds++;
    } else if (fate < 0.04) {
      const j = Math.floor(r() * nLines);
      const lineAmount = (lines[j] as { netAmountMinor: number }).netAmountMinor;
      const part = Math.max(1, Math.min(lineAmount - 1, Math.round((lineAmount * (0.1 + 0.6 * r())) / 10) * 10));
      refundedByLine[j] = part;
      refundedTotal = part;
      rep.partialRefunds++;
    }
    const lost = status === "cancelled" ? amount : refundedTotal;
    if (lost > 0) {
      statRefunded[s] = (statRefunded[s] as number) + lost;
      refunds.push(eventMs, s, lost);
    }
    let completedAt: string | null = null;
    let availableAt: string | null = null;
    const completeMs = paidMs + Math.floor((3 + 7 * r()) * DAY_MS);
    if (status === "paid" && completeMs < CLOSE_AT.getTime() && r() < 0.75) {
      status = "completed";
      completedAt = new Date(completeMs).toISOString();
      availableAt = new Date(completeMs + HOLD_DAYS * DAY_MS).toISOString();
      rep.completed++;
    }

    ordersT.add(
      orderId,
      orderRef,
      customerIds[customer],
      order.channel,
      status,
      amount,
      refundedTotal,
      seller.promoterId,
      path,
      JSON.stringify({
        path,
        promoterId: seller.promoterId,
        clickId: null,
        promoCode: path === "code" ? code6(s) : null,
        bound: false,
        notes: [],
      }),
      first,
      paidAt,
      completedAt,
      cancelledAt,
      paidAt,
    );
    for (let j = 0; j < nLines; j++) {
      const l = lines[j] as OrderInput["lines"][number];
      linesT.add(orderId, l.lineNo, l.productId, l.productName, l.categoryId, l.quantity, l.netAmountMinor, refundedByLine[j]);
    }
    rep.orderLines += nLines;
    for (const d of drafts) {
      const j = (d.lineNo ?? 1) - 1;
      const lineAmount = (lines[j] as { netAmountMinor: number }).netAmountMinor;
      let reversed = 0;
      if (status === "cancelled") reversed = d.amountMinor;
      else if ((refundedByLine[j] as number) > 0)
        reversed = reversalFor(d.amountMinor, lineAmount, lineAmount - (refundedByLine[j] as number), 0, ROUNDING);
      const extras = { orderRef, productName: d.lineNo ? (lines[j]?.productName ?? null) : null, currency: CURRENCY, periodKey: null };
      commissionsT.add(
        newId("com"),
        orderId,
        d.lineNo,
        d.beneficiaryId,
        d.level,
        d.kind,
        d.baseMinor,
        d.trace.rateBps ?? null,
        d.amountMinor,
        reversed,
        reversed !== 0 && reversed === d.amountMinor ? "reversed" : "pending",
        path,
        JSON.stringify(d.trace),
        explainLine(d, "zh", extras),
        explainLine(d, "en", extras),
        reversed !== 0 && reversed === d.amountMinor ? null : availableAt,
        paidAt,
      );
      const b = d.level === 0 ? s : d.level === 1 ? up1 : (inviter[up1] as number);
      accrued[b] = (accrued[b] as number) + d.amountMinor - reversed;
      if (d.kind === "team") {
        rep.teamLines++;
        teamLinesTo[b] = (teamLinesTo[b] as number) + 1;
      }
    }
    rep.commissionLines += drafts.length;
    if ((k & 255) === 0) await loader.throttle();
  }
  for (const t of [customersT, ordersT, linesT, commissionsT]) t.flush();

  const statsT = new Table(
    loader,
    "promoter_period_stats",
    [
      ["merchant_id", "text", M],
      ["program_id", "text", PROGRAM_ID],
      ["period_key", "text", PERIOD_KEY],
    ],
    [
      ["promoter_id", "text"],
      ["sales_minor", "int8"],
      ["refunded_minor", "int8"],
      ["orders", "int4"],
    ],
  );
  let promotersWithSales = 0;
  let netSalesMinor = 0;
  let sellersAtStep2 = 0;
  let sellersAtStep3 = 0;
  let largestSellerNetMinor = 0;
  // team lines of uplines below the qualification threshold: what the close forfeits (or compresses)
  const threshold = plan.team?.qualification?.ownSalesAtLeastMinor ?? 0;
  let uplineTeamLinesBelowQualification = 0;
  for (let i = 0; i < P; i++) {
    if ((statSales[i] as number) - (statRefunded[i] as number) < threshold) uplineTeamLinesBelowQualification += teamLinesTo[i] as number;
    if ((statOrders[i] as number) === 0) continue;
    promotersWithSales++;
    statsT.add(ids[i], statSales[i], statRefunded[i], statOrders[i]);
    const net = (statSales[i] as number) - (statRefunded[i] as number);
    netSalesMinor += net;
    if (net >= 10_000_000) sellersAtStep3++;
    else if (net >= 5_000_000) sellersAtStep2++;
    largestSellerNetMinor = Math.max(largestSellerNetMinor, net);
  }
  statsT.flush();
  loader.send("COMMIT");
  await loader.drain();
  const rowsSeconds = secondsSince(t0);
  const generateAndQueueSeconds = Number(((performance.now() - genT0 - loader.waitMs) / 1000).toFixed(2));

  await client.end();

  // The order-time accruals, condensed into one ledger transaction (net per beneficiary) through the server's writer.
  const db = PostgresDb.open(dbUrl(adminUrl, dbName), 2);
  try {
    const amounts: { promoterId: string; amountMinor: number }[] = [];
    for (let i = 0; i < P; i++)
      if ((accrued[i] as number) !== 0) amounts.push({ promoterId: ids[i] as string, amountMinor: accrued[i] as number });
    const tx = accrue(
      M,
      CURRENCY,
      `bench:${PERIOD_KEY}:order-time`,
      `${PERIOD_KEY} 订单佣金计提（基准测试汇总）/ order-time accruals (bench, condensed)`,
      amounts,
    );
    if (tx) await db.tx((q) => postTx(q, M, tx, new Date(Date.parse(period.endsAt) - 1)));
  } finally {
    await db.close();
  }

  const ledgerSeconds = secondsSince(t0) - rowsSeconds;
  const vt0 = performance.now();
  await withAdmin(dbUrl(adminUrl, dbName), async (c) => {
    await c.query("VACUUM ANALYZE");
    await c.query("CHECKPOINT");
  });
  return {
    seconds: secondsSince(t0),
    rowsSeconds,
    generateAndQueueSeconds,
    ledgerSeconds: Number(ledgerSeconds.toFixed(2)),
    waitedForDbSeconds: Number((loader.waitMs / 1000).toFixed(2)),
    vacuumAnalyzeSeconds: secondsSince(vt0),
    promoters: P,
    promotersWithSales,
    orders: N,
    orderLines: rep.orderLines,
    customers: customerIds.length,
    commissionLines: rep.commissionLines,
    teamLines: rep.teamLines,
    partialRefunds: rep.partialRefunds,
    fullRefunds: rep.fullRefunds,
    cancellations: rep.cancellations,
    completed: rep.completed,
    netSalesMinor,
    sellersAtStep2,
    sellersAtStep3,
    uplineTeamLinesBelowQualification,
    largestSellerNetMinor,
    peakRssMiB: maxRssMiB(),
  };
}

/** Merchant, program and the published plan, through the server's own services. */
async function setUp(url: string): Promise<{ plan: PlanDocument; version: number }> {
  const db = PostgresDb.open(url, 2);
  try {
    await migrate(db);
    return await db.tx(async (q) => {
      await createMerchant(q, { name: "Bench close merchant", id: MERCHANT_ID });
      await createProgram(
        q,
        MERCHANT_ID,
        programSettings.parse({
          name: "Bench close program",
          timezone: TIME_ZONE,
          periodKind: "month",
          holdDays: HOLD_DAYS,
          roundingMode: ROUNDING,
          landingUrl: "https://shop.example.com/",
        }),
        PROGRAM_ID,
      );
      const program = await getProgram(q, MERCHANT_ID, PROGRAM_ID);
      const draft = await createDraftPlan(q, program, BENCH_PLAN, PLAN_FROM);
      const lint = draft.lint as { errors: unknown[] };
      if (lint.errors.length > 0) throw new Error(`the bench plan does not lint: ${JSON.stringify(lint.errors)}`);
      const published = await publishPlan(q, program, draft.version, BENCH_PLAN, PLAN_FROM, PLAN_FROM);
      const parsed = parsePlan(published.document);
      if (!parsed.ok) throw new Error("the stored bench plan does not parse");
      return { plan: parsed.plan, version: published.version };
    });
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// The timed close.

interface StatementTiming {
  calls: number;
  ms: number;
  rows: number;
  firstMs: number;
  lastMs: number;
}

/** Times every statement the close sends (round trip including row parsing), grouped by its first words. */
function profiled(q: Sql, byStatement: Map<string, StatementTiming>, t0: number): Sql {
  return {
    async query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
      const start = performance.now();
      const rows = await q.query<T>(text, params);
      const end = performance.now();
      const key = text.replace(/\s+/g, " ").trim().slice(0, 90);
      const s = byStatement.get(key) ?? { calls: 0, ms: 0, rows: 0, firstMs: start - t0, lastMs: 0 };
      s.calls++;
      s.ms += end - start;
      s.rows += rows.length;
      s.lastMs = end - t0;
      byStatement.set(key, s);
      return rows;
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc; null where unavailable. */
function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function timedClose(url: string, o: Options) {
  const db = PostgresDb.open(url, 4);
  try {
    const program = await db.read((q) => getProgram(q, MERCHANT_ID, PROGRAM_ID));
    const byStatement = new Map<string, StatementTiming>();
    const rssBefore = process.memoryUsage().rss;
    const maxRssBefore = maxRssMiB();
    let sampledPeak = rssBefore;
    let heapPeak = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      sampledPeak = Math.max(sampledPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
    }, 100);
    let gcMs = 0;
    const gcAt: [number, number][] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gcMs += e.duration;
        gcAt.push([e.startTime, e.duration]);
      }
    });
    gcObserver.observe({ entryTypes: ["gc"] });
    const load = loadavg();
    const cpu0 = process.cpuUsage();
    let backendPid = 0;
    let backendCpu0: number | null = null;
    let readerPid = 0;
    let readerCpu0: number | null = null;
    let readerCpuSeconds = 0;
    const t0 = performance.now();
    let summary: Awaited<ReturnType<typeof closeProgramPeriod>>;
    try {
      summary = await db.tx(async (q) => {
        // the backend's CPU clock, to tell the database's work from Node's on a shared machine (one cheap statement)
        backendPid = Number((await q.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]?.pid);
        backendCpu0 = procCpuSeconds(backendPid);
        const snapshot = snapshotReader(db);
        return closeProgramPeriod(
          profiled(q, byStatement, t0),
          program,
          PERIOD_KEY,
          CLOSE_AT,
          snapshot &&
            ((fn) =>
              snapshot(async (r) => {
                // the reading connection's backend too: the close reads there and writes on the transaction's
                readerPid = Number((await r.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]?.pid);
                readerCpu0 = procCpuSeconds(readerPid);
                try {
                  return await fn(profiled(r, byStatement, t0));
                } finally {
                  const c = procCpuSeconds(readerPid);
                  if (c !== null && readerCpu0 !== null) readerCpuSeconds += c - readerCpu0;
                }
              })),
        );
      });
    } finally {
      clearInterval(sampler);
      gcObserver.disconnect();
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const backendCpu1 = procCpuSeconds(backendPid);
    const m = process.memoryUsage();
    sampledPeak = Math.max(sampledPeak, m.rss);
    const maxRssAfter = maxRssMiB();
    const loadAfter = loadavg();

    // Checks: the ledger verifies, the stored records match the summary, closing again changes nothing.
    const vt0 = performance.now();
    const verify = await verifyMerchantLedger(db, MERCHANT_ID);
    const [stored] = await db.read((q) =>
      q.query<{ n: number; total: number }>(
        "SELECT count(*)::bigint AS n, coalesce(sum(amount_minor), 0)::bigint AS total FROM commission_lines WHERE merchant_id = $1 AND program_id = $2 AND adjustment_key IS NOT NULL",
        [MERCHANT_ID, PROGRAM_ID],
      ),
    );
    const again = await db.tx((q) => closeProgramPeriod(q, program, PERIOD_KEY, CLOSE_AT));
    const [ledgerTxs] = await db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::bigint AS n FROM ledger_transactions WHERE merchant_id = $1", [MERCHANT_ID]),
    );
    const kinds = await db.read((q) =>
      q.query<{ kind: string; n: number; total: number }>(
        `SELECT kind, count(*)::bigint AS n, sum(amount_minor)::bigint AS total FROM commission_lines
         WHERE merchant_id = $1 AND program_id = $2 AND adjustment_key IS NOT NULL GROUP BY kind ORDER BY kind`,
        [MERCHANT_ID, PROGRAM_ID],
      ),
    );
    const sec = (ms: number) => Number((ms / 1000).toFixed(2));
    // garbage collection per 10 s of the close
    const gcByTenSeconds: number[] = [];
    for (const [at, d] of gcAt) {
      const k = Math.max(0, Math.floor((at - t0) / 10_000));
      gcByTenSeconds[k] = (gcByTenSeconds[k] ?? 0) + d / 1000;
    }
    // the statements that took at least 0.1 s in all, in the order the close first sent them, with when they ran
    const timeline = [...byStatement.entries()]
      .filter(([, s]) => s.ms >= 100)
      .sort((a, b) => a[1].firstMs - b[1].firstMs)
      .map(([sql, s]) => ({
        sql,
        calls: s.calls,
        rows: s.rows,
        roundTripSeconds: sec(s.ms),
        fromSecond: sec(s.firstMs),
        toSecond: sec(s.lastMs),
      }));
    const checks = {
      ledgerVerifies: verify.ok,
      ledgerTransactions: Number(ledgerTxs?.n ?? 0),
      storedRecordsMatchSummary: Number(stored?.n) === summary.adjustments && Number(stored?.total) === summary.totalMinor,
      secondCloseAlreadyClosed: again.alreadyClosed === true && again.adjustments === summary.adjustments,
      checkSeconds: secondsSince(vt0),
    };
    const ok = checks.ledgerVerifies && checks.storedRecordsMatchSummary && checks.secondCloseAlreadyClosed;
    return {
      ok,
      result: {
        seconds: Number(seconds.toFixed(2)),
        targetSeconds: !o.reuse && o.orders === ORDERS_DEFAULT && o.promoters === PROMOTERS_DEFAULT ? TARGET_SECONDS : null,
        adjustments: summary.adjustments,
        adjustmentsByKind: Object.fromEntries(kinds.map((k) => [k.kind, { records: Number(k.n), totalMinor: Number(k.total) }])),
        totalMinor: summary.totalMinor,
        promotions: summary.promotions.length,
        promotersWithSales: Object.keys(summary.salesByPromoter).length,
        peakRssMiB: maxRssAfter,
        peakRssBeforeCloseMiB: maxRssBefore,
        rssBeforeCloseMiB: mib(rssBefore),
        sampledPeakRssDuringCloseMiB: mib(sampledPeak),
        sampledPeakHeapDuringCloseMiB: mib(heapPeak),
        nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
        nodeGcSeconds: sec(gcMs),
        nodeGcSecondsPer10s: Array.from(gcByTenSeconds, (x) => Number((x ?? 0).toFixed(1))),
        postgresBackendCpuSeconds: backendCpu0 !== null && backendCpu1 !== null ? Number((backendCpu1 - backendCpu0).toFixed(2)) : null,
        postgresReaderCpuSeconds: Number(readerCpuSeconds.toFixed(2)),
        loadAverageBeforeAfter: [Number((load[0] ?? 0).toFixed(2)), Number((loadAfter[0] ?? 0).toFixed(2))],
        statements: [...byStatement.values()].reduce((a, x) => a + x.calls, 0),
        timeline,
      },
      checks,
      verifyProblems: verify.ok
        ? undefined
        : { chain: verify.chainProblems.slice(0, 5), balances: verify.balanceProblems.slice(0, 5), head: verify.headProblem },
    };
  } finally {
    await db.close();
  }
}

export async function run(args: string[]): Promise<{ ok: boolean }> {
  const o = parseOptions(args);
  const name = `fenxiao_bench_close_${Date.now().toString(36)}_${process.pid}`;
  const url = dbUrl(o.adminUrl, name);
  console.log(
    `bench close: ${o.reuse ? `cloning ${o.reuse}` : `${o.orders.toLocaleString("en")} orders, ${o.promoters.toLocaleString("en")} promoters`} → database ${name}`,
  );
  let ok = true;
  let created = false;
  try {
    if (o.reuse) {
      const t0 = performance.now();
      const source = o.reuse;
      await withAdmin(o.adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${source}`));
      created = true;
      console.log(JSON.stringify({ phase: "clone", seconds: secondsSince(t0) }));
    } else {
      await withAdmin(o.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      created = true;
      const st0 = performance.now();
      const { plan, version } = await setUp(url);
      const setUpSeconds = secondsSince(st0);
      const report = await load(o.adminUrl, name, o, plan, version);
      console.log(JSON.stringify({ phase: "load", ...report, setUpSeconds }, null, 2));
    }
    if (o.close) {
      const out = await timedClose(url, o);
      ok = out.ok;
      console.log(JSON.stringify({ bench: "close", node: process.version, ...out }, null, 2));
      const size = o.reuse
        ? `the period cloned from ${o.reuse}`
        : `${o.orders.toLocaleString("en")} orders / ${o.promoters.toLocaleString("en")} promoters`;
      const target =
        out.result.targetSeconds === null
          ? ""
          : ` (target ≤ ${TARGET_SECONDS} s: ${out.result.seconds <= TARGET_SECONDS ? "met" : "missed"})`;
      console.log(
        `close of ${size}: ${out.result.seconds} s, ${out.result.adjustments} records, peak RSS ${out.result.peakRssMiB} MiB${target}`,
      );
    }
  } finally {
    if (created && o.keep) console.log(`kept database ${name}`);
    else if (created) await withAdmin(o.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  if (!ok) throw new Error("bench close: a check after the close failed (see checks above)");
  return { ok };
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
