/**
 * Ledger and refund properties (fast-check) against the real server and database. Each run onboards a fresh merchant
 * with three promoters in an invite chain and plays a random sequence of order events over HTTP: paid (1–3 lines of
 * random amounts), partial and full refunds by amount or by line, cancels, completions, and the release job at random
 * clock times. After every run:
 *   - every ledger transaction's postings sum to zero;
 *   - account_balances equal the sum of the postings per account;
 *   - each commission line's cumulative reversal is exactly P19's original − round(original × remaining ÷ line amount),
 *     so it never exceeds the original and equals it when the order is fully refunded or cancelled;
 *   - promoter balances equal what the commission lines hold, and nothing due is left unreleased;
 *   - GET /v1/ledger/verify is ok.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRelease } from "../src/jobs/release.ts";
import { type Harness, PASSWORD, START, startHarness } from "./helpers.ts";

const HOLD_DAYS = 3;
/** Rates chosen so that most lines round: 7.33 % to the seller, 2.97 % to level 1, 15 % of the seller's commission to level 2. */
const PLAN = { version: 1, base: { defaultRateBps: 733 }, team: { levels: [{ rateBps: 297 }, { shareBps: 1500 }] } };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

async function call(method: string, path: string, token: string, body?: unknown) {
  return h.call(method, path, { token, body });
}

interface World {
  merchantId: string;
  key: string;
  programId: string;
  codes: string[];
}

let runNo = 0;

/** A fresh merchant, program (hold 3 days), published plan, and promoters P0 ← P1 ← P2 (P2 invited by P1, P1 by P0). */
async function world(): Promise<World> {
  runNo++;
  h.clock.set(START);
  const mc = await call("POST", "/v1/merchants", h.adminToken, {
    name: `Prop ${runNo}`,
    adminEmail: `prop-${runNo}@test.local`,
    adminPassword: PASSWORD,
    adminName: "p",
  });
  expect(mc.status).toBe(201);
  const key = mc.body.apiKey.key as string;
  const p = await call("POST", "/v1/programs", key, { name: "p", landingUrl: "https://shop.example/", holdDays: HOLD_DAYS });
  expect(p.status).toBe(201);
  const d = await call("POST", `/v1/programs/${p.body.id}/plans`, key, { document: PLAN });
  expect(d.status).toBe(201);
  const pub = await call("POST", `/v1/programs/${p.body.id}/plans/${d.body.version}/publish`, key, {
    effectiveFrom: "2020-01-01T00:00:00Z",
  });
  expect(pub.status).toBe(200);
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await call("POST", "/v1/promoters", key, { programId: p.body.id, name: `P${i}`, inviteCode: codes[i - 1] });
    expect(r.status).toBe(201);
    codes.push(r.body.code);
  }
  return { merchantId: mc.body.merchantId, key, programId: p.body.id, codes };
}

type Cmd =
  | { t: "pay"; promoter: number; customer: number; amounts: number[] }
  | { t: "refundAmount"; order: number; part: number; full: boolean; over: boolean }
  | { t: "refundLine"; order: number; line: number; part: number; full: boolean }
  | { t: "cancel"; order: number }
  | { t: "complete"; order: number }
  | { t: "release"; hours: number }
  /** Several events on one order at once (refunds, maybe a cancel or completion, maybe the release job): one effect each. */
  | { t: "burst"; order: number; parts: number[]; cancel: boolean; complete: boolean; release: boolean; hours: number };

const amount = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 300_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant("pay" as const),
      promoter: fc.integer({ min: -1, max: 2 }), // -1: no code (binding or nobody)
      customer: fc.integer({ min: 0, max: 3 }),
      amounts: fc.array(amount, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("refundAmount" as const),
      order: fc.nat(),
      part: fc.integer({ min: 0, max: 1000 }),
      full: fc.boolean(),
      over: fc.integer({ min: 0, max: 9 }).map((n) => n < 2), // now and then a refund above what remains
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("refundLine" as const),
      order: fc.nat(),
      line: fc.nat(),
      part: fc.integer({ min: 0, max: 1000 }),
      full: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cancel" as const), order: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("complete" as const), order: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("release" as const), hours: fc.integer({ min: 0, max: 24 * 8 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("burst" as const),
      order: fc.nat(),
      parts: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 4 }),
      cancel: fc.boolean(),
      complete: fc.boolean(),
      release: fc.boolean(),
      hours: fc.integer({ min: 0, max: 24 * 8 }),
    }),
  },
);

interface OrderModel {
  ref: string;
  lines: number[];
  refunded: number[];
  status: "paid" | "completed" | "refunded" | "cancelled";
}

const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** round-half-up(a × r ÷ b) for non-negative integers, exactly. */
function mulDivHalfUp(a: number, r: number, b: number): number {
  if (b === 0) return 0;
  const num = 2n * BigInt(a) * BigInt(r) + BigInt(b);
  return Number(num / (2n * BigInt(b)));
}

async function play(w: World, cmds: Cmd[]): Promise<{ orders: OrderModel[]; lastRelease: Date | null }> {
  const orders: OrderModel[] = [];
  let lastRelease: Date | null = null;
  const expectStatus = (r: { status: number; body: unknown }, status: number, what: string) =>
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(status);
  const syncLines = async (o: OrderModel) => {
    const ls = await rows<{ line_no: number; refunded_minor: number }>(
      "SELECT l.line_no, l.refunded_minor FROM order_lines l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id WHERE o.merchant_id = $1 AND o.order_ref = $2 ORDER BY l.line_no",
      [w.merchantId, o.ref],
    );
    o.refunded = ls.map((l) => Number(l.refunded_minor));
  };
  for (const c of cmds) {
    const now = h.clock.now();
    if (c.t === "pay") {
      const ref = `O${orders.length + 1}`;
      const r = await call("POST", "/v1/orders", w.key, {
        orderRef: ref,
        customer: { ref: `c${c.customer}` },
        paidAt: now.toISOString(),
        promoCode: c.promoter >= 0 ? w.codes[c.promoter] : undefined,
        lines: c.amounts.map((a, i) => ({ productId: `SKU${i}`, quantity: 1, netAmountMinor: a })),
      });
      if (total(c.amounts) === 0) {
        // an order whose lines total 0 is refused, naming its lines (zero-amount lines of a paid order are fine)
        expectStatus(r, 400, `pay ${ref} of 0`);
        expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain("lines");
        continue;
      }
      expectStatus(r, 201, `pay ${ref}`);
      orders.push({ ref, lines: c.amounts, refunded: c.amounts.map(() => 0), status: "paid" });
      continue;
    }
    if (c.t === "release") {
      h.clock.set(new Date(now.getTime() + c.hours * 3_600_000));
      await runRelease(h.db, h.clock);
      lastRelease = h.clock.now();
      continue;
    }
    const o = orders.length > 0 ? orders[c.order % orders.length] : undefined;
    if (!o) continue;
    const path = `/v1/orders/${o.ref}`;
    const closed = o.status === "cancelled" || o.status === "refunded";
    if (c.t === "burst") {
      h.clock.set(new Date(now.getTime() + c.hours * 3_600_000));
      const before = total(o.refunded);
      const left = total(o.lines) - before;
      const amts = c.parts.map((p) => 1 + Math.floor((p / 1000) * Math.max(left - 1, 0)));
      const done = await Promise.all([
        ...amts.map(async (a) => ({ what: "refund", a, r: await call("POST", `${path}/refunds`, w.key, { amountMinor: a }) })),
        ...(c.cancel ? [(async () => ({ what: "cancel", a: 0, r: await call("POST", `${path}/cancel`, w.key, {}) }))()] : []),
        ...(c.complete ? [(async () => ({ what: "complete", a: 0, r: await call("POST", `${path}/complete`, w.key, {}) }))()] : []),
        ...(c.release ? [(async () => ({ what: "release", a: await runRelease(h.db, h.clock), r: null }))()] : []),
      ]);
      let accepted = 0;
      for (const d of done) {
        if (!d.r) continue;
        expect([200, 409, 422], `${d.what}: ${JSON.stringify(d.r.body)}`).toContain(d.r.status);
        if (d.what === "refund" && d.r.status === 200) accepted += d.a;
      }
      // Every accepted refund counted exactly once, nothing else.
      await syncLines(o);
      expect(total(o.refunded)).toBe(before + accepted);
      const [row] = await rows<{ status: OrderModel["status"] }>("SELECT status FROM orders WHERE merchant_id = $1 AND order_ref = $2", [
        w.merchantId,
        o.ref,
      ]);
      o.status = row?.status ?? o.status;
      if (c.release) {
        // The job skips lines a concurrent event holds; its next run picks them up.
        await runRelease(h.db, h.clock);
        lastRelease = h.clock.now();
      }
      continue;
    }
    if (c.t === "cancel") {
      const r = await call("POST", `${path}/cancel`, w.key, {});
      if (o.status === "completed") expectStatus(r, 409, "cancel completed");
      else {
        expectStatus(r, 200, "cancel");
        o.status = "cancelled";
      }
    } else if (c.t === "complete") {
      const r = await call("POST", `${path}/complete`, w.key, {});
      if (closed) expectStatus(r, 409, "complete closed");
      else {
        expectStatus(r, 200, "complete");
        o.status = "completed";
      }
    } else if (c.t === "refundAmount") {
      const left = total(o.lines) - total(o.refunded);
      let amt = c.full ? left : 1 + Math.floor((c.part / 1000) * Math.max(left - 1, 0));
      if (c.over || left === 0) amt = left + 1;
      const r = await call("POST", `${path}/refunds`, w.key, { amountMinor: amt });
      if (closed) expectStatus(r, 409, "refund closed");
      else if (amt > left) expectStatus(r, 422, "refund above what remains");
      else {
        expectStatus(r, 200, "refund");
        await syncLines(o);
        expect(total(o.refunded)).toBe(total(o.lines) - left + amt);
        if (amt === left) o.status = "refunded";
      }
    } else if (c.t === "refundLine") {
      const i = c.line % o.lines.length;
      const left = (o.lines[i] as number) - (o.refunded[i] as number);
      const amt = left === 0 ? 1 : c.full ? left : 1 + Math.floor((c.part / 1000) * (left - 1));
      const r = await call("POST", `${path}/refunds`, w.key, { lines: [{ lineNo: i + 1, amountMinor: amt }] });
      if (closed) expectStatus(r, 409, "line refund closed");
      else if (amt > left) expectStatus(r, 422, "line refund above the line");
      else {
        expectStatus(r, 200, "line refund");
        o.refunded[i] = (o.refunded[i] as number) + amt;
        if (total(o.refunded) === total(o.lines)) o.status = "refunded";
      }
    }
  }
  return { orders, lastRelease };
}

async function checkInvariants(w: World, model: { orders: OrderModel[]; lastRelease: Date | null }) {
  const mid = w.merchantId;
  // 1. Every transaction balances (per currency), with at least two non-zero legs.
  const unbalanced = await rows<{ seq: number }>(
    `SELECT tx_seq AS seq FROM ledger_postings WHERE merchant_id = $1 GROUP BY tx_seq, currency
     HAVING sum(amount_minor) <> 0 OR count(*) < 2 OR bool_or(amount_minor = 0)`,
    [mid],
  );
  expect(unbalanced).toEqual([]);
  const [orphans] = await rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_transactions t WHERE t.merchant_id = $1
       AND NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.merchant_id = t.merchant_id AND p.tx_seq = t.seq)`,
    [mid],
  );
  expect(orphans?.n).toBe(0);

  // 2. Stored balances equal the sum of postings, account by account (both ways round).
  const diff = await rows<{ account: string }>(
    `SELECT coalesce(b.account, p.account) AS account FROM
       (SELECT account, currency, balance_minor FROM account_balances WHERE merchant_id = $1) b
       FULL OUTER JOIN (SELECT account, currency, sum(amount_minor)::bigint AS s FROM ledger_postings WHERE merchant_id = $1 GROUP BY account, currency) p
       ON p.account = b.account AND p.currency = b.currency
     WHERE coalesce(b.balance_minor, 0) <> coalesce(p.s, 0)`,
    [mid],
  );
  expect(diff).toEqual([]);

  // 3. Orders as the model expects them.
  const orders = await rows<{ id: string; order_ref: string; status: string; amount_minor: number; refunded_minor: number }>(
    "SELECT id, order_ref, status, amount_minor, refunded_minor FROM orders WHERE merchant_id = $1",
    [mid],
  );
  expect(orders).toHaveLength(model.orders.length);
  const lines = await rows<{ order_id: string; line_no: number; net_amount_minor: number; refunded_minor: number }>(
    "SELECT order_id, line_no, net_amount_minor, refunded_minor FROM order_lines WHERE merchant_id = $1",
    [mid],
  );
  const byRef = new Map(orders.map((o) => [o.order_ref, o]));
  for (const m of model.orders) {
    const o = byRef.get(m.ref);
    expect(o, m.ref).toBeTruthy();
    if (!o) continue;
    expect({ ref: m.ref, status: o.status, amount: Number(o.amount_minor), refunded: Number(o.refunded_minor) }).toEqual({
      ref: m.ref,
      status: m.status,
      amount: total(m.lines),
      refunded: total(m.refunded),
    });
    const ls = lines.filter((l) => l.order_id === o.id).sort((a, b) => a.line_no - b.line_no);
    expect(ls.map((l) => Number(l.refunded_minor))).toEqual(m.refunded);
  }

  // 4. P19 on every commission line: cumulative reversal = original − round(original × remaining ÷ line amount),
  //    everything when the order was cancelled. Hence 0 ≤ reversed ≤ original, and reversed = original on a full refund.
  const cls = await rows<{
    id: string;
    order_id: string;
    line_no: number | null;
    beneficiary_id: string;
    amount_minor: number;
    reversed_minor: number;
    state: string;
    available_at: Date | null;
    released_at: Date | null;
  }>(
    "SELECT id, order_id, line_no, beneficiary_id, amount_minor, reversed_minor, state, available_at, released_at FROM commission_lines WHERE merchant_id = $1",
    [mid],
  );
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const expectedNet = new Map<string, { pending: number; available: number }>();
  const seen = { lines: 0, partial: 0, full: 0, released: 0, releasedThenReversed: 0, cancelled: 0 };
  for (const c of cls) {
    const o = orderById.get(c.order_id);
    expect(o, c.id).toBeTruthy();
    if (!o) continue;
    seen.lines++;
    const amt = Number(c.amount_minor);
    const rev = Number(c.reversed_minor);
    expect(amt).toBeGreaterThanOrEqual(0);
    expect(rev).toBeGreaterThanOrEqual(0);
    expect(rev).toBeLessThanOrEqual(amt);
    let expected: number;
    if (o.status === "cancelled") expected = amt;
    else {
      const l = c.line_no === null ? null : lines.find((x) => x.order_id === o.id && x.line_no === c.line_no);
      const base = l ? Number(l.net_amount_minor) : Number(o.amount_minor);
      const remaining = l ? base - Number(l.refunded_minor) : base - Number(o.refunded_minor);
      expected = amt - mulDivHalfUp(amt, remaining, base);
    }
    expect({ line: c.id, order: o.order_ref, reversed: rev }).toEqual({ line: c.id, order: o.order_ref, reversed: expected });
    const fully = o.status === "cancelled" || (o.status === "refunded" && Number(o.refunded_minor) === Number(o.amount_minor));
    if (fully) expect(rev).toBe(amt);
    if (rev > 0 && rev < amt) seen.partial++;
    if (rev > 0 && rev === amt) seen.full++;
    if (o.status === "cancelled" && amt > 0) seen.cancelled++;
    if (rev === amt && amt > 0) expect(c.state).toBe("reversed");
    if (c.state === "reversed") expect(rev).toBe(amt);

    // 5. Released when due: nothing pending whose time had come at the last release run.
    if (c.state === "pending" && c.available_at && model.lastRelease)
      expect(new Date(c.available_at).getTime()).toBeGreaterThan(model.lastRelease.getTime());
    if (c.state === "available") expect(c.available_at).not.toBeNull();
    if (c.state === "available") expect(c.released_at).not.toBeNull();
    if (c.released_at) seen.released++;
    if (c.released_at && rev > 0) seen.releasedThenReversed++;
    const e = expectedNet.get(c.beneficiary_id) ?? { pending: 0, available: 0 };
    if (c.state === "pending") e.pending += amt - rev;
    if (c.state === "available") e.available += amt - rev;
    expectedNet.set(c.beneficiary_id, e);
  }

  // 6. Balances are exactly what the lines still hold; the merchant's expense is their opposite.
  const bal = await rows<{ account: string; balance_minor: number }>(
    "SELECT account, balance_minor FROM account_balances WHERE merchant_id = $1",
    [mid],
  );
  const balance = (acc: string) => Number(bal.find((b) => b.account === acc)?.balance_minor ?? 0);
  let held = 0;
  for (const [pid, e] of expectedNet) {
    expect({ pid, pending: balance(`promoter:${pid}:pending`), available: balance(`promoter:${pid}:available`) }).toEqual({ pid, ...e });
    held += e.pending + e.available;
  }
  expect(balance(`merchant:${mid}:commission_expense`)).toBe(0 - held);

  // 7. The server's own verification agrees.
  const v = await call("GET", "/v1/ledger/verify", w.key);
  expect(v.status).toBe(200);
  expect(v.body).toMatchObject({ ok: true, chainProblems: [], balanceProblems: [], headProblem: null });
  return seen;
}

describe("ledger and refund properties over random order histories", () => {
  it("postings balance, balances equal postings, reversals follow P19, verify is ok", async () => {
    const seen = { lines: 0, partial: 0, full: 0, released: 0, releasedThenReversed: 0, cancelled: 0, orders: 0 };
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(cmd, { minLength: 4, maxLength: 22 }), async (settledFirst, cmds) => {
        const w = await world();
        // Start with a sale so that most commands have an order to act on; in half the runs it is completed, released
        // and then partly refunded before the random history starts.
        const prefix: Cmd[] = [{ t: "pay", promoter: 2, customer: 0, amounts: [10_001, 333] }];
        if (settledFirst)
          prefix.push(
            { t: "complete", order: 0 },
            { t: "release", hours: 24 * HOLD_DAYS + 1 },
            { t: "refundAmount", order: 0, part: 500, full: false, over: false },
          );
        const model = await play(w, [...prefix, ...cmds]);
        const r = await checkInvariants(w, model);
        for (const k of Object.keys(r) as (keyof typeof r)[]) seen[k] += r[k];
        seen.orders += model.orders.length;
      }),
      { numRuns: Number(process.env.FENXIAO_PROPERTY_RUNS ?? 20) },
    );
    // The histories covered the interesting cases: partial and full reversals, cancels, refunds after release.
    expect(seen.orders).toBeGreaterThan(40);
    expect(seen.lines).toBeGreaterThan(100);
    expect(seen.partial).toBeGreaterThan(0);
    expect(seen.full).toBeGreaterThan(0);
    expect(seen.cancelled).toBeGreaterThan(0);
    expect(seen.releasedThenReversed).toBeGreaterThan(0);
  });

  it("across every merchant of the database, postings balance and balances equal postings", async () => {
    const [bad] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT merchant_id, tx_seq FROM ledger_postings GROUP BY merchant_id, tx_seq, currency HAVING sum(amount_minor) <> 0) x`,
    );
    expect(bad?.n).toBe(0);
    const [diff] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_balances b
       FULL OUTER JOIN (SELECT merchant_id, account, currency, sum(amount_minor)::bigint AS s FROM ledger_postings GROUP BY merchant_id, account, currency) p
         ON p.merchant_id = b.merchant_id AND p.account = b.account AND p.currency = b.currency
       WHERE coalesce(b.balance_minor, 0) <> coalesce(p.s, 0)`,
    );
    expect(diff?.n).toBe(0);
    const merchants = await rows<{ id: string }>("SELECT id FROM merchants");
    expect(merchants.length).toBeGreaterThanOrEqual(20);
  });
});
