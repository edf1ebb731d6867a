/**
 * Demo data, created on the first start: a mother-and-baby brand (贝贝母婴) with one program, 20 promoters in an invite
 * tree three deep, 200 customers and about 1,000 orders over the last 60 days, with partial and full refunds.
 * Everything goes through the same services as the API, so the ledger and commission lines are real.
 */
import { DEMO_PLAN } from "@fenxiao/core";
import type { Clock } from "../clock.ts";
import type { KeyRing } from "../crypto/sealed.ts";
import type { Db, Sql } from "../db/client.ts";
import { sha256 } from "../http/auth.ts";
import { foldMerchant } from "../modules/analytics/fold.ts";
import type { ScryptCost } from "../modules/auth/passwords.ts";
import { createUser, newPasswordHash } from "../modules/auth/service.ts";
import { upsertProduct } from "../modules/catalog/routes.ts";
import { upsertCustomer } from "../modules/customers/repository.ts";
import { createMerchant } from "../modules/merchants/service.ts";
import { ingestPaidOrders } from "../modules/orders/ingest.ts";
import type { PaidOrderBody } from "../modules/orders/schema.ts";
import { cancelOrder, completeOrder, refundOrder, releaseDue } from "../modules/orders/service.ts";
import { getProgram } from "../modules/programs/repository.ts";
import { createDraftPlan, createProgram, publishPlan } from "../modules/programs/service.ts";
import { createPromoter, joinProgram } from "../modules/promoters/service.ts";
import { rng } from "../rng.ts";
import { DEMO } from "./logins.ts";

export { DEMO } from "./logins.ts";

const PROMOTER_NAMES = [
  "王芳",
  "李娜",
  "张敏",
  "刘洋",
  "陈静",
  "杨丽",
  "赵雪",
  "黄婷",
  "周琳",
  "吴倩",
  "徐慧",
  "孙悦",
  "马兰",
  "朱红",
  "胡萍",
  "郭燕",
  "何佳",
  "高颖",
  "林晓",
  "罗欣",
];
const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const GIVEN = ["宝妈", "小雨", "佳怡", "子涵", "欣然", "梓萱", "思远", "一诺", "雨桐", "可馨"];
const CATEGORIES = [
  { id: "milk-powder", name: "奶粉" },
  { id: "diapers", name: "纸尿裤" },
  { id: "strollers", name: "出行用品" },
  { id: "toys", name: "玩具" },
];
const PRODUCTS = [
  { id: "SKU-1001", name: "有机婴儿奶粉 1段 800g", categoryId: "milk-powder", priceMinor: 32_800 },
  { id: "SKU-1002", name: "有机婴儿奶粉 2段 800g", categoryId: "milk-powder", priceMinor: 31_800 },
  { id: "SKU-2001", name: "超薄纸尿裤 M 码 60片", categoryId: "diapers", priceMinor: 12_900 },
  { id: "SKU-2002", name: "拉拉裤 L 码 44片", categoryId: "diapers", priceMinor: 11_900 },
  { id: "SKU-3001", name: "轻便婴儿推车", categoryId: "strollers", priceMinor: 199_900 },
  { id: "SKU-3002", name: "安全座椅 0-4岁", categoryId: "strollers", priceMinor: 129_900 },
  { id: "SKU-4001", name: "早教益智积木", categoryId: "toys", priceMinor: 8_900 },
  { id: "SKU-4002", name: "婴儿安抚玩偶", categoryId: "toys", priceMinor: 5_900 },
];
const CHANNELS = ["online", "online", "online", "mini_program", "community", "offline_store", "live_stream"];

/**
 * Whether the database has any merchant or user: demo data is only created in an empty database (not, say, after
 * `fenxiao admin create` prepared a production one).
 */
export async function isSeeded(db: Db): Promise<boolean> {
  const rows = await db.read((q) => q.query("SELECT 1 FROM merchants UNION ALL SELECT 1 FROM users LIMIT 1"));
  return rows.length > 0;
}

/** Whether the demo merchant exists (then the banner shows the demo logins). */
export async function demoExists(db: Db): Promise<boolean> {
  const rows = await db.read((q) => q.query("SELECT 1 FROM merchants WHERE id = $1", [DEMO.merchantId]));
  return rows.length > 0;
}

/** PostgreSQL advisory lock key held while one process creates the demo data (migrations use 7_240_531). */
export const DEMO_SEED_LOCK_KEY = 7_240_532;

/**
 * Create the demo data if the database is empty; true when this call created it. On PostgreSQL several processes may
 * start at once on an empty database: they take turns on an advisory lock (held on a connection of its own for the
 * whole seeding, which spans several transactions) and each checks again under it, so exactly one creates the demo
 * and the others start once it is complete. An embedded data directory has one process only (data-dir-lock.ts).
 */
export async function seedDemoIfEmpty(db: Db, clock: Clock, ring: KeyRing, log: (s: string) => void = () => {}): Promise<boolean> {
  const seedIfEmpty = async () => {
    if (await isSeeded(db)) return false;
    log("first run: creating demo data (some seconds)…");
    await seedDemo(db, clock, ring, log);
    return true;
  };
  if (db.kind !== "postgres") return seedIfEmpty();
  return db.read(async (lock) => {
    await lock.query("SELECT pg_advisory_lock($1)", [DEMO_SEED_LOCK_KEY]);
    try {
      return await seedIfEmpty();
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1)", [DEMO_SEED_LOCK_KEY]);
    }
  });
}

/** The demo's random draws, its clock and the one password hash of its logins: what every step below shares. */
interface DemoRun {
  r: ReturnType<typeof rng>;
  now: Date;
  start: Date;
  passwordHash: string;
  /** Phones and names are sealed under it, as the product stores them. */
  ring: KeyRing;
}

const DAY_MS = 86_400_000;
const M = DEMO.merchantId;

/**
 * The whole demo is one transaction: a first start interrupted while it is being created (Ctrl-C, a kill, a crash)
 * leaves the database empty, so the next start creates it again from the beginning instead of finding half a demo.
 */
export async function seedDemo(
  db: Db,
  clock: Clock,
  ring: KeyRing,
  log: (s: string) => void = () => {},
  opts: { passwordCost?: ScryptCost } = {},
): Promise<void> {
  const now = clock.now();
  // One hash for the 22 demo logins: their password is public, so a salt per account would protect nothing, and one
  // scrypt at the production cost is ~0.4 s where 22 would be ~9 s.
  const passwordHash = await newPasswordHash(DEMO.password, "password", opts.passwordCost);
  const run: DemoRun = { r: rng(20261123), now, start: new Date(now.getTime() - 60 * DAY_MS), passwordHash, ring };
  await db.tx(async (q) => {
    await createDemoMerchant(q, run);
    await createDemoPromoters(q, run);
    log("demo: merchant, program, plan and 20 promoters created");
    const customers = await createDemoCustomers(q, run);
    const count = await playDemoOrders(q, run, customers);
    log(`demo: ${count} orders with refunds, cancellations and completions`);
  });
  // The analytics summaries of the demo's history, so the dashboard reads them from the first request.
  await foldMerchant(db, M, now);
}

/** The platform admin, the merchant with its admin and API key, the program, its catalogue and its published plan. */
async function createDemoMerchant(q: Sql, run: DemoRun): Promise<void> {
  const { start, passwordHash } = run;
  await createUser(q, { email: DEMO.platformAdmin, passwordHash, name: "平台管理员", role: "platform_admin" });
  await createMerchant(q, { id: M, name: "贝贝母婴" });
  await createUser(q, { email: DEMO.merchantAdmin, passwordHash, name: "贝贝母婴运营", role: "merchant_admin", merchantId: M });
  await q.query(
    "INSERT INTO api_keys (merchant_id, id, name, prefix, key_hash, created_at) VALUES ($1, 'key_demo', 'demo shop', $2, $3, $4)",
    [M, DEMO.apiKey.slice(0, 10), sha256(DEMO.apiKey), start],
  );
  await createProgram(
    q,
    M,
    {
      name: "贝贝母婴推广计划",
      currency: "CNY",
      timezone: "Asia/Shanghai",
      holdDays: 7,
      clickWindowDays: 7,
      bindingPolicy: "sticky",
      attributionPrecedence: "code-first",
      protectionDays: 365,
      roundingMode: "half-up",
      compliancePolicy: "standard",
      periodKind: "month",
      landingUrl: "https://shop.beibei.example/",
      closeGraceDays: 3,
    },
    DEMO.programId,
    new Date(start.getTime() - 30 * DAY_MS), // before the demo's history (its promoters joined from 20 days before it)
  );
  for (const c of CATEGORIES) await q.query("INSERT INTO categories (merchant_id, id, name) VALUES ($1, $2, $3)", [M, c.id, c.name]);
  for (const p of PRODUCTS) await upsertProduct(q, M, { ...p, landingUrl: `https://shop.beibei.example/p/${p.id}` });
  const program = await getProgram(q, M, DEMO.programId);
  const draft = await createDraftPlan(q, program, DEMO_PLAN, start);
  await publishPlan(q, program, draft.version, DEMO_PLAN, new Date(start.getTime() - DAY_MS), start);
}

/** An invite tree three deep: 3 leaders → 6 second level → 11 third level, each with a login. */
async function createDemoPromoters(q: Sql, run: DemoRun): Promise<void> {
  const { r, start, passwordHash, ring } = run;
  const promoterIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const name = PROMOTER_NAMES[i] as string;
    const id = await createPromoter(
      q,
      ring,
      { name, phone: `1${r.pick(["38", "39", "58", "86"])}${String(r.int(0, 99_999_999)).padStart(8, "0")}` },
      `pmt_demo_${String(i + 1).padStart(2, "0")}`,
    );
    const userId = await createUser(q, { email: DEMO.promoterEmail(i + 1), passwordHash, name, role: "promoter", promoterId: id });
    await q.query("UPDATE promoters SET user_id = $2 WHERE id = $1", [id, userId]);
    let inviteCode: string | null = null;
    if (i >= 3) {
      const inviterIdx = i < 9 ? (i - 3) % 3 : 3 + ((i - 9) % 6);
      const [m] = await q.query<{ code: string }>("SELECT code FROM memberships WHERE merchant_id = $1 AND promoter_id = $2", [
        M,
        promoterIds[inviterIdx],
      ]);
      inviteCode = m?.code ?? null;
    }
    await joinProgram(q, {
      merchantId: M,
      programId: DEMO.programId,
      promoterId: id,
      inviteCode,
      at: new Date(start.getTime() - (20 - i) * DAY_MS),
    });
    promoterIds.push(id);
  }
}

type DemoCustomer = { ref: string; code: string | null };

/** 200 customers, most bound to a promoter by a registration through their code. */
async function createDemoCustomers(q: Sql, run: DemoRun): Promise<DemoCustomer[]> {
  const { r, start, ring } = run;
  const customers: DemoCustomer[] = [];
  const codes = await q.query<{ promoter_id: string; code: string }>(
    "SELECT promoter_id, code FROM memberships WHERE merchant_id = $1 ORDER BY promoter_id",
    [M],
  );
  for (let i = 0; i < 200; i++) {
    const ref = `C${String(100_001 + i)}`;
    const phone = `1${r.pick(["35", "37", "50", "88"])}${String(r.int(0, 99_999_999)).padStart(8, "0")}`;
    await upsertCustomer(q, ring, M, { ref, phone, name: `${r.pick(SURNAMES)}${r.pick(GIVEN)}` }, start);
    customers.push({ ref, code: r.chance(0.85) ? (r.pick(codes) as { code: string }).code : null });
  }
  return customers;
}

type DemoEvent = { at: number; kind: "paid" | "complete" | "refund" | "fullrefund" | "cancel"; ref: string };
type DemoOrder = { customer: DemoCustomer; lines: { productId: string; quantity: number; netAmountMinor: number }[]; channel: string };

/** ~1,000 paid orders over 60 days, and the completions, cancellations and refunds that follow some of them. */
function demoHistory(run: DemoRun, customers: DemoCustomer[]): { paid: number; events: DemoEvent[]; orders: Map<string, DemoOrder> } {
  const { r, start, now } = run;
  const events: DemoEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const at = start.getTime() + Math.floor(r.next() * 59 * DAY_MS);
    events.push({ at, kind: "paid", ref: `BB${String(20_000 + i)}` });
  }
  events.sort((a, b) => a.at - b.at);
  const orders = new Map<string, DemoOrder>();
  for (const e of events) {
    const customer = r.pick(customers);
    const nLines = r.int(1, 3);
    const lines = Array.from({ length: nLines }, () => {
      const p = r.pick(PRODUCTS);
      const quantity = r.int(1, 3);
      const discount = r.chance(0.3) ? r.int(5, 20) : 0;
      return { productId: p.id, quantity, netAmountMinor: Math.floor((p.priceMinor * quantity * (100 - discount)) / 100) };
    });
    orders.set(e.ref, { customer, lines, channel: r.pick(CHANNELS) });
  }
  const followUps: DemoEvent[] = [];
  for (const e of events) {
    const roll = r.next();
    if (roll < 0.06) followUps.push({ at: e.at + r.int(1, 5) * DAY_MS, kind: "refund", ref: e.ref });
    else if (roll < 0.09) followUps.push({ at: e.at + r.int(1, 5) * DAY_MS, kind: "fullrefund", ref: e.ref });
    else if (roll < 0.11) followUps.push({ at: e.at + r.int(0, 1) * DAY_MS, kind: "cancel", ref: e.ref });
    if ((roll < 0.06 || roll >= 0.11) && r.chance(0.85)) followUps.push({ at: e.at + r.int(3, 10) * DAY_MS, kind: "complete", ref: e.ref });
  }
  const all = [...events, ...followUps].filter((e) => e.at <= now.getTime()).sort((a, b) => a.at - b.at);
  return { paid: events.length, events: all, orders };
}

/** The history's events by day (0 = the first day of the demo), each day's in time order. */
function byDay(run: DemoRun, events: readonly DemoEvent[]): DemoEvent[][] {
  const days = new Map<number, DemoEvent[]>();
  for (const e of events) {
    const day = Math.floor((e.at - run.start.getTime()) / DAY_MS);
    days.set(day, [...(days.get(day) ?? []), e]);
  }
  return [...days.values()];
}

/**
 * The history through the same services as the API, a day at a time: the day's paid orders as one set, in time
 * order, as an import or a connector's sync sends them (ingestPaidOrders, the queue's own path: one read and one
 * write for the set instead of one of each per order, which halved the demo's time; docs/performance.md); then the
 * day's completions, cancellations and refunds in time order; then what fell due is released, as the job would have.
 * The first order of a customer carries the promoter's code, later ones are bound. The server's clock (`now`) never
 * runs backwards: an event is recorded at its own time or at the day's last payment, whichever is later.
 */
async function playDemoOrders(q: Sql, run: DemoRun, customers: DemoCustomer[]): Promise<number> {
  const { r, now, ring } = run;
  const { paid, events, orders } = demoHistory(run, customers);
  const seen = new Set<string>();
  const stateOf = new Map<string, string>();
  let clock = run.start.getTime();
  const at = (t: number) => {
    clock = Math.max(clock, t);
    return new Date(clock);
  };
  for (const day of byDay(run, events)) {
    const bodies: PaidOrderBody[] = [];
    for (const e of day.filter((e) => e.kind === "paid")) {
      const o = orders.get(e.ref) as DemoOrder;
      const firstTime = !seen.has(o.customer.ref);
      seen.add(o.customer.ref);
      const promoCode = firstTime && o.customer.code ? o.customer.code : undefined;
      const paidAt = new Date(e.at).toISOString();
      bodies.push({
        orderRef: e.ref,
        customer: { ref: o.customer.ref },
        channel: o.channel,
        paidAt,
        promoCode,
        shippingMinor: 0,
        lines: o.lines,
      });
      stateOf.set(e.ref, "paid");
    }
    if (bodies.length) {
      const results = await ingestPaidOrders(q, ring, M, bodies, at(Math.max(...bodies.map((b) => Date.parse(b.paidAt)))));
      for (const res of results) if (!res.ok) throw res.error;
    }
    for (const e of day.filter((e) => e.kind !== "paid")) {
      const o = orders.get(e.ref) as DemoOrder;
      const when = new Date(e.at).toISOString();
      const st = stateOf.get(e.ref);
      if (st === "paid" && e.kind === "complete") {
        await completeOrder(q, M, e.ref, { completedAt: when }, at(e.at));
        stateOf.set(e.ref, "completed");
      } else if (st === "paid" && e.kind === "cancel") {
        await cancelOrder(q, M, e.ref, { cancelledAt: when, reason: "买家取消" }, at(e.at));
        stateOf.set(e.ref, "cancelled");
      } else if ((st === "paid" || st === "completed") && (e.kind === "refund" || e.kind === "fullrefund")) {
        const total = o.lines.reduce((s, l) => s + l.netAmountMinor, 0);
        const amount = e.kind === "fullrefund" ? total : Math.max(1, Math.floor(total * (r.int(10, 60) / 100)));
        await refundOrder(q, M, e.ref, { amountMinor: amount, refundRef: `R-${e.ref}`, refundedAt: when }, at(e.at));
        if (e.kind === "fullrefund") stateOf.set(e.ref, "refunded");
      }
    }
    await releaseDue(q, M, at((day.at(-1) as DemoEvent).at), 100_000);
  }
  await releaseDue(q, M, at(now.getTime()), 100_000);
  return paid;
}
