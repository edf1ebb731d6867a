/**
 * Period close under a stream of order events: paid orders, refunds and cancellations of the period keep arriving while
 * the period closes. The close must read one consistent cut — what committed before it is in, what comes after follows
 * the rules for late events (the open period; reversal at the applied rate) — so every record the close wrote must equal
 * what `fenxiao replay` computes from the final history, replayed in the order the ledger chained it.
 *
 * On PostgreSQL two server processes (`fenxiao serve`) share the database; on PGlite the in-process server takes the
 * stream and the close at once (its database runs one unit of work at a time).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { periodOfKey, type Scenario } from "@fenxiao/core";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, ROOT, type ServerChild, startServerChild } from "./child-server.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, onPostgres, promoterFixture, startHarness } from "./helpers.ts";

const PERIOD = "2026-10";
/** Promoters join at the start of the period (the harness's clock); the servers run on the real clock, after it. */
const SETUP_AT = "2026-10-01T00:00:00Z";
const SELLERS = 12;
/** Orders written before the stream starts, so that the close has something to read while the stream goes on. */
const PRELOAD_ORDERS = onPostgres ? 3_000 : 600;
/** Events per seller in the stream (each seller's events are sequential; sellers run at once). */
const STREAM_STEPS = onPostgres ? 60 : 25;
/** Events per seller after the close has answered, at least: the late ones. */
const STEPS_AFTER_CLOSE = 5;
/** The close starts once this many stream events are acknowledged. */
const CLOSE_AFTER_EVENTS = onPostgres ? 150 : 60;

const PLAN = {
  version: 1,
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 500 },
      { fromMinor: 300_000, rateBps: 800, bonusMinor: 1_000 },
      { fromMinor: 900_000, rateBps: 1_000 },
    ],
  },
  team: { levels: [{ shareBps: 2_000 }, { rateBps: 100 }], qualification: { ownSalesAtLeastMinor: 200_000, onFail: "forfeit" } },
  thresholdBonuses: [{ id: "t1", salesAtLeastMinor: 500_000, bonusMinor: 2_000 }],
  // 1 % of the team's sales to its leader: every order and refund of the team moves it, so a close that misses one shows
  teamBonuses: [{ id: "lead", form: "leader_rate", teamSalesAtLeastMinor: 1, rateBps: 100 }],
};

type Child = ServerChild;

function startChild(databaseUrl: string): Promise<Child> {
  return startServerChild({ ...process.env, DATABASE_URL: databaseUrl });
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill("SIGTERM");
  const done = await Promise.race([c.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
  if (!done) c.proc.kill("SIGKILL");
}

const timings: Record<string, number[]> = {};
async function post(base: string, apiKey: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const t = performance.now();
  try {
    return await post1(base, apiKey, path, body);
  } finally {
    const k = path.split("/").pop() as string;
    const kind = k.startsWith("LIVE") || k === "orders" ? "orders" : k;
    timings[kind] = [...(timings[kind] ?? []), performance.now() - t];
  }
}
async function post1(base: string, apiKey: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A small deterministic generator, so that a failing run can be repeated. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

type Sellers = { promoterId: string; code: string }[];

async function setup(h: Harness): Promise<{ m: MerchantFixture; sellers: Sellers }> {
  // The close job of the servers must not close the period on its own: the longest grace.
  const m = await merchantFixture(h, "Race", { plan: PLAN, program: { closeGraceDays: 60 } });
  const sellers: Sellers = [];
  for (let i = 0; i < SELLERS; i++) {
    // chains of three: i % 3 == 0 starts one, the next two are its level-1 and level-2 invitees
    const inviter = i % 3 === 0 ? undefined : (sellers[i - 1] as { code: string }).code;
    const p = await promoterFixture(h, m, `S${i}`, inviter);
    sellers.push({ promoterId: p.promoterId, code: p.code });
  }
  return { m, sellers };
}

const paidAtIn = (r: () => number) => {
  const p = periodOfKey(PERIOD);
  const from = Date.parse(SETUP_AT) + 3_600_000;
  return new Date(from + Math.floor(r() * (Date.parse(p.endsAt) - 60_000 - from))).toISOString();
};

function orderBody(ref: string, code: string, r: () => number) {
  const lines = 1 + Math.floor(r() * 2);
  return {
    orderRef: ref,
    customer: { ref: `cust-${ref}` },
    paidAt: paidAtIn(r),
    promoCode: code,
    lines: Array.from({ length: lines }, (_, j) => ({ productId: `P${j}`, quantity: 1, netAmountMinor: 5_000 + Math.floor(r() * 40_000) })),
  };
}

/** Orders before the stream: in sets of 250, one set after another, so that each seller's orders are chained in order. */
async function preload(base: string, apiKey: string, sellers: Sellers): Promise<Map<string, { ref: string; lines: number[] }[]>> {
  const r = rng(7);
  const bySeller = new Map<string, { ref: string; lines: number[] }[]>();
  const all = Array.from({ length: PRELOAD_ORDERS }, (_, i) => {
    const s = sellers[i % sellers.length] as Sellers[number];
    const b = orderBody(`PRE-${i}`, s.code, r);
    const list = bySeller.get(s.code) ?? [];
    list.push({ ref: b.orderRef, lines: b.lines.map((l) => l.netAmountMinor) });
    bySeller.set(s.code, list);
    return { ...b, idempotencyKey: `pre-${i}` };
  });
  for (let i = 0; i < all.length; i += 250) {
    const res = await post(base, apiKey, "/v1/orders/batch", { orders: all.slice(i, i + 250) });
    expect(res.status).toBe(200);
    for (const x of res.body.results) expect(x.status).toBe(201);
  }
  return bySeller;
}

/**
 * Each seller's stream: new orders, partial refunds and cancellations of its own orders, one after another (so that the
 * ledger chains a seller's events in the order they were sent), each to the next server in turn.
 */
async function stream(
  bases: string[],
  apiKey: string,
  seller: Sellers[number],
  orders: { ref: string; lines: number[] }[],
  seed: number,
  acked: () => void,
  closeDone: () => boolean,
): Promise<void> {
  const r = rng(seed);
  const open = orders.map((o) => ({ ...o, refunded: o.lines.map(() => 0), cancelled: false }));
  let afterClose = 0;
  for (let step = 0; step < STREAM_STEPS || afterClose < STEPS_AFTER_CLOSE; step++) {
    if (closeDone()) afterClose++;
    const base = bases[step % bases.length] as string;
    const pick = r();
    const live = open.filter((o) => !o.cancelled && o.refunded.some((x, j) => x < (o.lines[j] as number) / 2));
    if (pick < 0.5 || live.length === 0) {
      const b = orderBody(`LIVE-${seller.code}-${step}`, seller.code, r);
      const res = await post(base, apiKey, "/v1/orders", b);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      open.push({ ref: b.orderRef, lines: b.lines.map((l) => l.netAmountMinor), refunded: b.lines.map(() => 0), cancelled: false });
    } else if (pick < 0.9) {
      const o = live[Math.floor(r() * live.length)] as (typeof live)[number];
      const j = o.refunded.findIndex((x, k) => x < (o.lines[k] as number) / 2);
      // a fifth of the line at least: every refund reverses a non-zero amount, so the ledger chains it
      const amount = Math.max(1_000, Math.floor((o.lines[j] as number) / 5));
      o.refunded[j] = (o.refunded[j] as number) + amount;
      const res = await post(base, apiKey, `/v1/orders/${o.ref}/refunds`, { lines: [{ lineNo: j + 1, amountMinor: amount }] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } else {
      const o = live[Math.floor(r() * live.length)] as (typeof live)[number];
      o.cancelled = true;
      const res = await post(base, apiKey, `/v1/orders/${o.ref}/cancel`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    acked();
  }
}

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * The final history as a scenario: every order event in the order the merchant's ledger chained it (each paid order,
 * refund, cancellation and the close posted a transaction), at made-up instants one second apart inside the period.
 */
async function exportScenario(q: Query, m: MerchantFixture): Promise<Scenario> {
  const [plan] = await q<{ effective_from: Date; document: unknown }>(
    "SELECT effective_from, document FROM plan_versions WHERE merchant_id = $1 AND program_id = $2 AND status = 'published'",
    [m.merchantId, m.programId],
  );
  const promoters = await q<{ promoter_id: string; inviter_id: string | null; rank: string | null; joined_at: Date; status: string }>(
    "SELECT promoter_id, inviter_id, rank, joined_at, status FROM memberships WHERE merchant_id = $1 AND program_id = $2 ORDER BY promoter_id",
    [m.merchantId, m.programId],
  );
  const orders = new Map(
    (
      await q<{ id: string; order_ref: string; customer_ref: string; channel: string; promoter_id: string }>(
        `SELECT o.id, o.order_ref, c.customer_ref, o.channel, o.promoter_id FROM orders o
         JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id WHERE o.merchant_id = $1`,
        [m.merchantId],
      )
    ).map((o) => [o.id, o]),
  );
  const lines = new Map<string, { lineNo: number; productId: string; quantity: number; netAmountMinor: number }[]>();
  for (const l of await q<{ order_id: string; line_no: number; product_id: string; quantity: number; net_amount_minor: number }>(
    "SELECT order_id, line_no, product_id, quantity, net_amount_minor FROM order_lines WHERE merchant_id = $1 ORDER BY order_id, line_no",
    [m.merchantId],
  )) {
    const list = lines.get(l.order_id) ?? [];
    list.push({ lineNo: l.line_no, productId: l.product_id, quantity: l.quantity, netAmountMinor: Number(l.net_amount_minor) });
    lines.set(l.order_id, list);
  }
  const refunds = new Map(
    (
      await q<{ id: string; payload: { perLine: Record<string, number> } }>(
        "SELECT id, payload FROM order_events WHERE merchant_id = $1 AND type = 'refund'",
        [m.merchantId],
      )
    ).map((e) => [e.id, e.payload.perLine]),
  );
  const txs = await q<{ cause_ref: string }>("SELECT cause_ref FROM ledger_transactions WHERE merchant_id = $1 ORDER BY seq", [
    m.merchantId,
  ]);
  const t0 = Date.parse(SETUP_AT) + 3_600_000;
  const events: Scenario["events"] = [];
  const at = () => new Date(t0 + events.length * 1_000).toISOString();
  for (const { cause_ref } of txs) {
    const [kind, id, what, eventId] = cause_ref.split(":") as [string, string, string, string | undefined];
    if (kind === "period") events.push({ type: "period_close", at: at(), period: what });
    if (kind !== "order") continue;
    const o = orders.get(id);
    if (!o) throw new Error(`ledger names an unknown order ${id}`);
    if (what === "paid")
      events.push({
        type: "order_paid",
        at: at(),
        orderId: id,
        orderRef: o.order_ref,
        customerRef: o.customer_ref,
        channel: o.channel,
        promoterId: o.promoter_id,
        lines: lines.get(id) ?? [],
      });
    else if (what === "refund") {
      const perLine = refunds.get(eventId as string);
      if (!perLine) throw new Error(`no refund event ${eventId}`);
      const ls = Object.entries(perLine)
        .map(([lineNo, amountMinor]) => ({ lineNo: Number(lineNo), amountMinor }))
        .filter((l) => l.amountMinor > 0);
      events.push({ type: "order_refunded", at: at(), orderId: id, lines: ls });
    } else if (what === "cancel") events.push({ type: "order_cancelled", at: at(), orderId: id });
  }
  return {
    name: "close under a stream of events",
    program: { merchantId: m.merchantId, holdDays: 7 },
    plans: [{ effectiveFrom: new Date((plan as { effective_from: Date }).effective_from).toISOString(), plan: plan?.document }],
    promoters: promoters.map((p) => ({
      id: p.promoter_id,
      inviterId: p.inviter_id,
      rank: p.rank,
      joinedAt: new Date(p.joined_at).toISOString(),
      status: p.status as "active",
    })),
    events,
    asOf: new Date(t0 + (events.length + 1) * 1_000).toISOString(),
  };
}

/** `fenxiao replay <file>`, as an operator runs it. */
function replayCli(scenario: Scenario): Promise<Json> {
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-race-"));
  const file = join(dir, "history.json");
  writeFileSync(file, JSON.stringify(scenario));
  return new Promise((ok, fail) =>
    execFile(
      process.execPath,
      ["--import", "tsx", CLI, "replay", file],
      { cwd: ROOT, maxBuffer: 1 << 30, env: { ...process.env, DATABASE_URL: "" } },
      (err, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (err) fail(new Error(`${err.message}\n${stderr}`));
        else ok(JSON.parse(stdout));
      },
    ),
  );
}

interface CloseRecord {
  key: string;
  beneficiaryId: string;
  orderId: string | null;
  lineNo: number | null;
  level: number;
  kind: string;
  amountMinor: number;
  reversedMinor: number;
  trace: unknown;
}

const byKey = (a: CloseRecord, b: CloseRecord) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

async function serverRecords(q: Query, m: MerchantFixture): Promise<CloseRecord[]> {
  const rows = await q<{
    adjustment_key: string;
    beneficiary_id: string;
    order_id: string | null;
    line_no: number | null;
    level: number;
    kind: string;
    amount_minor: number;
    reversed_minor: number;
    trace: unknown;
  }>(
    `SELECT adjustment_key, beneficiary_id, order_id, line_no, level, kind, amount_minor, reversed_minor, trace FROM commission_lines
     WHERE merchant_id = $1 AND program_id = $2 AND period_key = $3 AND adjustment_key IS NOT NULL`,
    [m.merchantId, m.programId, PERIOD],
  );
  return rows
    .map((r) => ({
      key: r.adjustment_key,
      beneficiaryId: r.beneficiary_id,
      orderId: r.order_id,
      lineNo: r.line_no,
      level: r.level,
      kind: r.kind,
      amountMinor: Number(r.amount_minor),
      reversedMinor: Number(r.reversed_minor),
      trace: r.trace,
    }))
    .sort(byKey);
}

/** Preload, stream, close in the middle of the stream, and compare the close's records with the replay of the history. */
async function raceAndCompare(h: Harness, bases: string[]): Promise<void> {
  const t0 = Date.now();
  const log = (s: string) => process.env.CLOSE_RACE_LOG && console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s ${s}`);
  const { m, sellers } = await setup(h);
  log("setup");
  // The in-process server's clock (the one the PGlite variant uses) moves past the period: it may close, and the
  // orders' payments are in the past. The server processes run on the real clock, which is past it too.
  h.clock.set("2026-12-01T00:00:00Z");
  const q: Query = (sql, params) => h.db.read((x) => x.query(sql, params)) as never;
  const orders = await preload(bases[0] as string, m.apiKey, sellers);
  log("preloaded");
  let events = 0;
  let closeStarted!: () => void;
  const started = new Promise<void>((ok) => {
    closeStarted = ok;
  });
  const acked = () => {
    if (++events === CLOSE_AFTER_EVENTS) closeStarted();
  };
  let closeDone = false;
  const streams = Promise.all(
    sellers.map((s, i) =>
      stream(i % 2 ? [...bases].reverse() : bases, m.apiKey, s, orders.get(s.code) ?? [], 100 + i, acked, () => closeDone),
    ),
  );
  let watching = true;
  void started.then(async () => {
    while (watching && process.env.CLOSE_RACE_LOG) {
      const rows = await q<Json>(
        "SELECT state, wait_event_type AS w, wait_event AS e, left(query, 70) AS q FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle'",
      ).catch(() => []);
      log(JSON.stringify(rows));
      await new Promise((r) => setTimeout(r, 2000));
    }
  });
  const close = started.then(() =>
    post(bases[bases.length - 1] as string, m.apiKey, `/v1/programs/${m.programId}/periods/${PERIOD}/close`),
  );
  const [, closed] = await Promise.all([
    streams,
    close.then((c) => {
      closeDone = true;
      log("closed");
      return c;
    }),
  ]);
  log("streamed");
  watching = false;
  for (const [k, v] of Object.entries(timings)) {
    v.sort((a, b) => a - b);
    log(`${k}: n=${v.length} p50=${v[Math.floor(v.length / 2)]?.toFixed(0)} ms max=${v[v.length - 1]?.toFixed(0)} ms`);
  }
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  expect(closed.body.alreadyClosed).toBeUndefined();

  const scenario = await exportScenario(q, m);
  const cut = scenario.events.findIndex((e) => e.type === "period_close");
  expect(cut).toBeGreaterThan(0);
  // the stream went on after the cut: orders of the period paid late count in the open period, refunds came after it
  const late = await q<{ n: number }>(
    "SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1 AND period_key <> $2 AND paid_at < $3",
    [m.merchantId, PERIOD, periodOfKey(PERIOD).endsAt],
  );
  expect(late[0]?.n ?? 0).toBeGreaterThan(0);
  expect(scenario.events.slice(cut + 1).some((e) => e.type === "order_refunded" || e.type === "order_cancelled")).toBe(true);

  log("exported");
  const replayed = await replayCli(scenario);
  log("replayed");
  const expected: CloseRecord[] = (replayed.lines as Json[])
    .filter((l) => l.key !== null && l.periodKey === PERIOD)
    .map((l) => ({
      key: l.key,
      beneficiaryId: l.beneficiaryId,
      orderId: l.orderId,
      lineNo: l.lineNo,
      level: l.level,
      kind: l.kind,
      amountMinor: l.amountMinor,
      reversedMinor: l.reversedMinor,
      trace: l.trace,
    }))
    .sort(byKey);
  const actual = await serverRecords(q, m);
  expect(expected.length).toBeGreaterThan(0);
  expect(actual.map((r) => r.key)).toEqual(expected.map((r) => r.key));
  expect(actual).toEqual(expected);
  expect(closed.body.adjustments).toBe(expected.length);
}

describe.skipIf(!onPostgres)("period close during a stream of order events (PostgreSQL, two server processes)", () => {
  let h: Harness | null = null;
  const children: Child[] = [];
  afterAll(async () => {
    for (const c of children) await stopChild(c);
    await h?.close();
  });

  it("every record of the close equals the replay of the final history", { timeout: 300_000 }, async () => {
    h = await startHarness(SETUP_AT);
    // one after the other: the first start creates the demo data
    children.push(await startChild(h.url as string));
    children.push(await startChild(h.url as string));
    await raceAndCompare(
      h,
      children.map((c) => c.base),
    );
  });
});

describe.skipIf(onPostgres)("period close during a stream of order events (PGlite)", () => {
  let h: Harness | null = null;
  afterAll(async () => h?.close());

  it("every record of the close equals the replay of the final history", { timeout: 300_000 }, async () => {
    h = await startHarness(SETUP_AT);
    await raceAndCompare(h, [h.base]);
  });
});

describe.skipIf(!onPostgres)("period close does not hold back the merchant's orders while it reads (PostgreSQL)", () => {
  let h: Harness | null = null;
  afterAll(async () => h?.close());

  it("an order of the open period is acknowledged while the close reads its snapshot", { timeout: 300_000 }, async () => {
    h = await startHarness(SETUP_AT);
    const harness = h;
    const { m, sellers } = await setup(harness);
    harness.clock.set("2026-12-01T00:00:00Z");
    await preload(harness.base, m.apiKey, sellers);
    const q: Query = (sql, params) => harness.db.read((x) => x.query(sql, params)) as never;
    let closed = false;
    const close = post(harness.base, m.apiKey, `/v1/programs/${m.programId}/periods/${PERIOD}/close`).then((r) => {
      closed = true;
      return r;
    });
    // the close's transaction waits, idle, while its snapshot connection reads and decides the period
    let reading = false;
    while (!closed && !reading) {
      const rows = await q<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND (query LIKE 'INSERT INTO commission_lines%' OR query = 'SAVEPOINT fenxiao_close')",
      );
      reading = (rows[0]?.n ?? 0) > 0;
      if (!reading) await new Promise((r) => setTimeout(r, 10));
    }
    expect(reading, "the close finished before it was seen reading: make the period larger").toBe(true);
    const b = { ...orderBody("OPEN-1", (sellers[0] as Sellers[number]).code, rng(1)), paidAt: "2026-11-30T17:00:00Z" };
    const res = await post(harness.base, m.apiKey, "/v1/orders", b);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const answeredDuringClose = !closed;
    const out = await close;
    expect(out.status).toBe(200);
    expect(answeredDuringClose).toBe(true);
    const [o] = await q<{ period_key: string }>("SELECT period_key FROM orders WHERE merchant_id = $1 AND order_ref = 'OPEN-1'", [
      m.merchantId,
    ]);
    expect(o?.period_key).toBe("2026-12");
  });
});
