/**
 * The analytics summaries of migration 0025 (folded in the background) against history. A random history (fast-check,
 * fixed seed) goes through the real API into two programs (Asia/Shanghai and America/New_York): clicks, orders with
 * codes, clicks or no promoter over several channels and products (a product may repeat within an order), partial and
 * full refunds dated later, cancellations, a suspended promoter, and period closes that add true-ups and bonuses
 * without an order. The history is written in two halves with a fold between them, so the second half is a tail of
 * new orders, refunds and cancellations of folded orders, and close lines written after the last fold. Then:
 *
 * - every endpoint's figures, over random periods, equal the reference computation straight from the rows
 *   (analytics-reference.ts, the endpoints' SQL before the summaries): before any fold, with the tail, and after a
 *   fold of everything; /v1/me/analytics equals its own direct SQL;
 * - the folded summaries equal those of a fold from scratch;
 * - a fold stopped before its commit changes nothing, and the next one counts nothing twice;
 * - a change of a program's time zone moves every figure to the new days, before and after the next fold.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDb, type Sql } from "../src/db/client.ts";
import { foldMerchant } from "../src/modules/analytics/fold.ts";
import * as ref from "./analytics-reference.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

const PLAN = {
  version: 1,
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 800 },
      { fromMinor: 8_000, rateBps: 1000, bonusMinor: 2_000 },
    ],
  },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
};

type Op =
  | {
      kind: "order";
      promoter: number;
      via: "code" | "click" | "none";
      customer: number;
      channel: number;
      lines: [number, number][];
      back: number;
    }
  | { kind: "click"; promoter: number; customer: number | null }
  | { kind: "refund"; order: number; share: number }
  | { kind: "cancel"; order: number }
  | { kind: "advance"; hours: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("order" as const),
      promoter: fc.nat(4),
      via: fc.constantFrom("code" as const, "click" as const, "none" as const),
      customer: fc.nat(6),
      channel: fc.nat(2),
      lines: fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 100, max: 9_000 })), { minLength: 1, maxLength: 3 }),
      back: fc.nat(30),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("click" as const), promoter: fc.nat(4), customer: fc.option(fc.nat(6)) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("refund" as const), order: fc.nat(1000), share: fc.integer({ min: 1, max: 100 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.nat(1000) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 200 }) }) },
);

const CHANNELS = ["online", "community", "live"];
const START = Date.parse("2026-01-01T00:00:00Z");
const DAY = 86_400_000;

let h: Harness;
const programs: { m: MerchantFixture; tz: string; promoters: { promoterId: string; code: string; token: string }[] }[] = [];

interface Placed {
  ref: string;
  amount: number;
  refunded: number;
  cancelled: boolean;
}

/** What a replay placed and reached, per program, so that a second half goes on where the first stopped. */
const progress = new Map<string, { now: number; placed: Placed[]; closed: Set<string> }>();

async function replay(p: (typeof programs)[number], ops: Op[], tag: string, from = 0): Promise<void> {
  const state = progress.get(p.m.programId) ?? { now: START, placed: [], closed: new Set<string>() };
  progress.set(p.m.programId, state);
  let now = state.now;
  const { placed, closed } = state;
  const set = (ms: number) => h.clock.set(new Date(ms).toISOString());
  const call = async (method: string, path: string, body?: unknown, key?: string) => {
    const r = await h.call(method, path, { token: p.m.apiKey, body, headers: key ? { "idempotency-key": key } : {} });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const clickToken = async (promoter: number) => {
    const c = await h.call("GET", `/r/${p.promoters[promoter]?.code}`);
    return new URL(c.headers.get("location") as string).searchParams.get("fx_click") as string;
  };
  for (const [i, op] of ops.entries()) {
    if (i < from) continue;
    set(now);
    state.now = now;
    if (op.kind === "advance") {
      now += op.hours * 3_600_000;
      // Close the month before the one two days ago: it has ended in every time zone.
      const m = new Date(now - 2 * DAY);
      const prev = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      if (prev >= "2026-01" && !closed.has(prev)) {
        set(now);
        await call("POST", `/v1/programs/${p.m.programId}/periods/${prev}/close`);
        closed.add(prev);
      }
    } else if (op.kind === "click") {
      const token = await clickToken(op.promoter);
      if (op.customer !== null) {
        // A click's token given with an order identifies its customer: a small order of that customer through it.
        const ref = `${tag}-k${i}`;
        await call(
          "POST",
          "/v1/orders",
          {
            orderRef: ref,
            customer: { ref: `cust-${op.customer}` },
            paidAt: new Date(now).toISOString(),
            clickToken: token,
            lines: [{ productId: "P0", quantity: 1, netAmountMinor: 100 }],
          },
          `o-${ref}`,
        );
        placed.push({ ref, amount: 100, refunded: 0, cancelled: false });
      }
    } else if (op.kind === "order") {
      const ref = `${tag}-o${i}`;
      const attribution =
        op.via === "code"
          ? { promoCode: p.promoters[op.promoter]?.code }
          : op.via === "click"
            ? { clickToken: await clickToken(op.promoter) }
            : {};
      const lines = op.lines.map(([prod, amount]) => ({ productId: `P${prod}`, quantity: 1 + (amount % 3), netAmountMinor: amount }));
      await call(
        "POST",
        "/v1/orders",
        {
          orderRef: ref,
          customer: { ref: `cust-${op.customer}` },
          channel: CHANNELS[op.channel],
          paidAt: new Date(now - op.back * 3_600_000).toISOString(),
          lines,
          ...attribution,
        },
        `o-${ref}`,
      );
      placed.push({ ref, amount: lines.reduce((s, l) => s + l.netAmountMinor, 0), refunded: 0, cancelled: false });
    } else if (op.kind === "refund" || op.kind === "cancel") {
      const o = placed[op.order % Math.max(1, placed.length)];
      if (!o || o.cancelled || o.refunded >= o.amount) continue;
      if (op.kind === "cancel") {
        await call("POST", `/v1/orders/${o.ref}/cancel`, {}, `c-${o.ref}`);
        o.cancelled = true;
      } else {
        const amount = Math.max(1, Math.floor(((o.amount - o.refunded) * op.share) / 100));
        await call(
          "POST",
          `/v1/orders/${o.ref}/refunds`,
          { amountMinor: amount, refundedAt: new Date(now).toISOString() },
          `r-${o.ref}-${i}`,
        );
        o.refunded += amount;
      }
    }
  }
  state.now = now;
}

/** The second half of a history: its ops from the 56th on. */
const replayTail = (p: (typeof programs)[number], ops: Op[], tag: string) => replay(p, ops, tag, 55);

/** Every summary row of the program. */
async function summaries(q: Sql, merchantId: string, programId: string) {
  const args = [merchantId, programId];
  return {
    days: await q.query(
      `SELECT day::text, orders::text, sales_minor::text, u_orders::text, u_sales_minor::text, commission_minor::text
       FROM analytics_days WHERE merchant_id = $1 AND program_id = $2 ORDER BY 1`,
      args,
    ),
    promoters: await q.query(
      `SELECT promoter_id, day::text, orders::text, sales_minor::text, commission_minor::text
       FROM analytics_promoter_days WHERE merchant_id = $1 AND program_id = $2 ORDER BY 1, 2`,
      args,
    ),
    months: await q.query(
      `SELECT promoter_id, month::text, orders::text, sales_minor::text, commission_minor::text
       FROM analytics_promoter_months WHERE merchant_id = $1 AND program_id = $2 ORDER BY 1, 2`,
      args,
    ),
    products: await q.query(
      `SELECT day::text, product_id, quantity::text, orders::text, sales_minor::text, line_name FROM analytics_product_days
       WHERE merchant_id = $1 AND program_id = $2 ORDER BY 1, 2`,
      args,
    ),
  };
}

/** The summaries of a fold from scratch: the watermark forgotten, every day recomputed from the rows. */
async function fromScratch(p: (typeof programs)[number]) {
  await h.db.tx((q) => q.query("UPDATE analytics_folds SET folded_xid = '0' WHERE merchant_id = $1", [p.m.merchantId]));
  await foldMerchant(h.db, p.m.merchantId, h.clock.now());
  return h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId));
}

const fold = (p: (typeof programs)[number]) => foldMerchant(h.db, p.m.merchantId, h.clock.now());

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Random periods inside and around the history (seeded), and the whole of it. */
const PERIODS: { from: string; to: string }[] = [
  { from: "2025-12-20", to: "2026-06-30" },
  ...fc.sample(
    fc.tuple(fc.integer({ min: -5, max: 130 }), fc.integer({ min: 0, max: 80 })).map(([a, len]) => ({
      from: iso(START + a * DAY),
      to: iso(START + (a + len) * DAY),
    })),
    { seed: 12, numRuns: 8 },
  ),
];

async function expected(p: (typeof programs)[number], period: { from: string; to: string }) {
  return h.db.read(async (q) => {
    const b = await ref.periodBounds(q, period.from, period.to, p.tz);
    const s = { merchantId: p.m.merchantId, programId: p.m.programId, ...b };
    return {
      sales: await ref.salesFigures(q, s),
      cost: await ref.commissionCost(q, s),
      trends: {
        day: await ref.trends(q, s, "day", p.tz),
        week: await ref.trends(q, s, "week", p.tz),
        month: await ref.trends(q, s, "month", p.tz),
      },
      topPromoters: await ref.topPromoters(q, s, 100),
      topProducts: await ref.topProducts(q, s, 100),
      funnel: await ref.funnel(q, s, null),
    };
  });
}

async function checkEndpoints(p: (typeof programs)[number]) {
  const get = async (path: string) => {
    const r = await h.call("GET", path, { token: p.m.apiKey });
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  // Periods that start the day after, or on, a day with orders: a presence just before `from` must not count.
  const days = await h.db.read((q) =>
    q.query<{ d: string }>(
      `SELECT DISTINCT to_char(paid_at AT TIME ZONE $3, 'YYYY-MM-DD') AS d FROM orders WHERE merchant_id = $1 AND program_id = $2 ORDER BY 1`,
      [p.m.merchantId, p.m.programId, p.tz],
    ),
  );
  const edges = days
    .filter((_, i) => i % 4 === 1)
    .flatMap(({ d }, i) => [
      { from: iso(Date.parse(`${d}T00:00:00Z`) + DAY), to: iso(Date.parse(`${d}T00:00:00Z`) + (2 + (i % 5) * 9) * DAY) },
      { from: d, to: iso(Date.parse(`${d}T00:00:00Z`) + (i % 3) * DAY) },
    ]);
  for (const period of [...PERIODS, ...edges]) {
    const qs = `programId=${p.m.programId}&from=${period.from}&to=${period.to}`;
    const want = await expected(p, period);
    const summary = await get(`/v1/analytics/summary?${qs}`);
    expect({ ...summary, period }).toMatchObject({
      period,
      orders: want.sales.orders,
      salesMinor: want.sales.salesMinor,
      unattributedOrders: want.sales.unattributedOrders,
      unattributedSalesMinor: want.sales.unattributedSalesMinor,
      commissionMinor: want.cost,
      activePromoters: want.sales.activePromoters,
      participatingPromoters: want.sales.participatingPromoters,
      referredCustomers: want.sales.referredCustomers,
    });
    for (const g of ["day", "week", "month"] as const) {
      const t = await get(`/v1/analytics/trends?${qs}&granularity=${g}`);
      expect(t.buckets).toEqual(want.trends[g]);
    }
    expect((await get(`/v1/analytics/top-promoters?${qs}&limit=100`)).items).toEqual(want.topPromoters);
    expect((await get(`/v1/analytics/top-products?${qs}&limit=100`)).items).toEqual(want.topProducts);
    const f = await get(`/v1/analytics/funnel?${qs}`);
    expect({ ...f, period }).toMatchObject({ period, ...want.funnel });
  }
}

async function checkPromoterFigures(p: (typeof programs)[number]) {
  for (const pr of p.promoters) {
    const r = await h.call("GET", `/v1/me/analytics?merchantId=${p.m.merchantId}&programId=${p.m.programId}`, { token: pr.token });
    expect(r.status).toBe(200);
    const want = await h.db.read(async (q) => {
      const [b] = await q.query<{ day: Date; month: Date }>(
        `SELECT date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS day,
                date_trunc('month', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS month`,
        [h.clock.now(), p.tz],
      );
      const args = [p.m.merchantId, p.m.programId, pr.promoterId, b?.day, b?.month];
      const [o] = await q.query<Record<string, string>>(
        `SELECT count(*) FILTER (WHERE paid_at >= $4) AS today, count(*) FILTER (WHERE paid_at >= $5) AS month, count(*) AS total,
                coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE paid_at >= $4), 0) AS s_today,
                coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE paid_at >= $5), 0) AS s_month,
                coalesce(sum(amount_minor - refunded_minor), 0) AS s_total
         FROM orders WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 AND status <> 'cancelled'`,
        args,
      );
      const [e] = await q.query<Record<string, string>>(
        `SELECT coalesce(sum(amount_minor - reversed_minor) FILTER (WHERE created_at >= $4), 0) AS today,
                coalesce(sum(amount_minor - reversed_minor) FILTER (WHERE created_at >= $5), 0) AS month,
                coalesce(sum(amount_minor - reversed_minor), 0) AS total
         FROM commission_lines WHERE merchant_id = $1 AND program_id = $2 AND beneficiary_id = $3`,
        args,
      );
      return {
        orders: { today: Number(o?.today), month: Number(o?.month), total: Number(o?.total) },
        salesMinor: { today: Number(o?.s_today), month: Number(o?.s_month), total: Number(o?.s_total) },
        earnings: { todayMinor: Number(e?.today), monthMinor: Number(e?.month), totalMinor: Number(e?.total) },
      };
    });
    expect(r.body).toMatchObject(want);
  }
}

let halves: Op[][] = [];

beforeAll(async () => {
  h = await startHarness("2025-12-01T00:00:00Z");
  for (const [name, tz] of [
    ["FoldSH", "Asia/Shanghai"],
    ["FoldNY", "America/New_York"],
  ] as const) {
    const m = await merchantFixture(h, name, { plan: PLAN, program: { timezone: tz } });
    const a = await promoterFixture(h, m, `${name}A`);
    const b = await promoterFixture(h, m, `${name}B`, a.code);
    const c = await promoterFixture(h, m, `${name}C`, b.code);
    const d = await promoterFixture(h, m, `${name}D`);
    const e = await promoterFixture(h, m, `${name}E`, a.code);
    programs.push({ m, tz, promoters: [a, b, c, d, e] });
  }
  halves = fc.sample(fc.array(opArb, { minLength: 90, maxLength: 90 }), { seed: 20_260_301, numRuns: 2 });
  // The first half of each history, then nothing folded yet.
  for (const [i, p] of programs.entries()) await replay(p, (halves[i] as Op[]).slice(0, 55), `h${i}`);
}, 600_000);
afterAll(async () => h?.close());

describe("analytics summaries folded in the background", () => {
  it("give every endpoint's figures as computed from the rows before any fold (every day is the tail)", async () => {
    await checkEndpoints(programs[0] as (typeof programs)[number]);
  }, 300_000);

  it("give them with a tail of new orders, refunds, cancellations and close lines after the last fold", async () => {
    for (const p of programs) {
      const r = await fold(p);
      expect(r.days).toBeGreaterThan(5);
    }
    const before = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM commission_lines WHERE merchant_id = $1", [programs[0]?.m.merchantId]),
    );
    // The second half replays the same op indexes (so refunds and cancellations reach orders of the first half).
    for (const [i, p] of programs.entries()) await replayTail(p, halves[i] as Op[], `h${i}`);
    const after = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM commission_lines WHERE merchant_id = $1", [programs[0]?.m.merchantId]),
    );
    expect(after[0]?.n).toBeGreaterThan(before[0]?.n ?? 0);
    for (const p of programs) {
      // The tail is not empty: rows changed after the watermark.
      const [t] = await h.db.read((q) =>
        q.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM orders o JOIN analytics_folds f ON f.merchant_id = o.merchant_id AND f.program_id = o.program_id
           WHERE o.merchant_id = $1 AND o.analytics_xid >= f.folded_xid`,
          [p.m.merchantId],
        ),
      );
      expect(t?.n).toBeGreaterThan(0);
      await checkEndpoints(p);
    }
  }, 600_000);

  it("hold what the history must exercise, and equal a fold from scratch once folded", async () => {
    // Suspended after the fold: active and participating promoters follow the membership at once.
    const first = programs[0] as (typeof programs)[number];
    const s = await h.call("PATCH", `/v1/promoters/${first.promoters[1]?.promoterId}`, {
      token: first.m.apiKey,
      body: { programId: first.m.programId, status: "suspended", reason: "test" },
    });
    expect(s.status).toBe(200);
    for (const p of programs) {
      const [c] = await h.db.read((q) =>
        q.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM orders WHERE merchant_id = $1 AND status = 'cancelled') AS cancelled,
                  (SELECT count(*)::int FROM orders WHERE merchant_id = $1 AND refunded_minor > 0 AND status <> 'cancelled') AS refunded,
                  (SELECT count(*)::int FROM commission_lines WHERE merchant_id = $1 AND order_id IS NULL) AS unordered,
                  (SELECT count(*)::int FROM commission_lines WHERE merchant_id = $1 AND reversed_minor > 0) AS reversed,
                  (SELECT count(*)::int FROM (SELECT 1 FROM order_lines WHERE merchant_id = $1 GROUP BY order_id, product_id HAVING count(*) > 1) x) AS repeated`,
          [p.m.merchantId],
        ),
      );
      for (const [what, count] of Object.entries(c ?? {})) expect(count, what).toBeGreaterThan(0);
      await fold(p);
      const kept = await h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId));
      expect(kept.days.length).toBeGreaterThan(5);
      expect(kept.months.length).toBeGreaterThan(1);
      expect(await fromScratch(p)).toEqual(kept);
      await checkEndpoints(p);
    }
  }, 600_000);

  it("change nothing when a fold fails before its commit, and the next fold counts nothing twice", async () => {
    const p = programs[0] as (typeof programs)[number];
    const kept = await h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId));
    const mark = await h.db.read((q) =>
      q.query("SELECT program_id, folded_xid::text FROM analytics_folds WHERE merchant_id = $1", [p.m.merchantId]),
    );
    // New rows in the tail: an order on an already folded day, a refund of a folded order.
    const key = p.m.apiKey;
    const order = await h.call("POST", "/v1/orders", {
      token: key,
      body: {
        orderRef: "late-1",
        customer: { ref: "cust-late" },
        paidAt: "2026-01-03T04:00:00Z",
        promoCode: p.promoters[0]?.code,
        lines: [{ productId: "P1", quantity: 1, netAmountMinor: 4_000 }],
      },
      headers: { "idempotency-key": "late-1" },
    });
    expect(order.status).toBeLessThan(300);
    const crash = new Error("fold stopped");
    await expect(foldMerchant(h.db, p.m.merchantId, h.clock.now(), { beforeCommit: async () => Promise.reject(crash) })).rejects.toBe(
      crash,
    );
    expect(await h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId))).toEqual(kept);
    expect(
      await h.db.read((q) => q.query("SELECT program_id, folded_xid::text FROM analytics_folds WHERE merchant_id = $1", [p.m.merchantId])),
    ).toEqual(mark);
    await checkEndpoints(p);
    await fold(p);
    await fold(p); // again, with nothing new: the same summaries
    const now = await h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId));
    expect(now).not.toEqual(kept);
    expect(await fromScratch(p)).toEqual(now);
    await checkEndpoints(p);
  }, 600_000);

  it("miss no change of a transaction that began before a fold and commits after it (PostgreSQL)", async (ctx) => {
    if (!(h.db instanceof PostgresDb)) return ctx.skip(); // one connection on PGlite: no transaction runs beside a fold
    const p = programs[0] as (typeof programs)[number];
    await fold(p);
    const [o] = await h.db.read((q) =>
      q.query<{ id: string }>(
        "SELECT id FROM orders WHERE merchant_id = $1 AND status <> 'cancelled' AND refunded_minor < amount_minor ORDER BY paid_at LIMIT 1",
        [p.m.merchantId],
      ),
    );
    expect(o).toBeDefined();
    const other = await h.db.pool.connect();
    try {
      // A write on an old day, begun before the fold and committed after it: its transaction id is below the fold's
      // snapshot's xmax but still running, so the fold's watermark stays at or below it.
      await other.query("BEGIN");
      await other.query("UPDATE orders SET refunded_minor = refunded_minor + 1 WHERE merchant_id = $1 AND id = $2", [
        p.m.merchantId,
        o?.id,
      ]);
      const r = await fold(p);
      expect(r.programs).toBe(1);
      await other.query("COMMIT");
    } finally {
      other.release();
    }
    await checkEndpoints(p);
    await fold(p);
    const kept = await h.db.read((q) => summaries(q, p.m.merchantId, p.m.programId));
    expect(await fromScratch(p)).toEqual(kept);
    await checkEndpoints(p);
  }, 600_000);

  it("give each promoter's own figures as computed from the rows", async () => {
    for (const p of programs) await checkPromoterFigures(p);
  }, 120_000);

  it("move every figure to the new days when the program's time zone changes, before and after the next fold", async () => {
    const p = programs[1] as (typeof programs)[number];
    const r = await h.call("PATCH", `/v1/programs/${p.m.programId}`, { token: p.m.apiKey, body: { timezone: "Asia/Tokyo" } });
    expect(r.status).toBe(200);
    const moved = { ...p, tz: "Asia/Tokyo" };
    await checkEndpoints(moved);
    await fold(p);
    await checkEndpoints(moved);
  }, 600_000);
});
