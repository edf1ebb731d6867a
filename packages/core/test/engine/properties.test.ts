/** Properties of the engine over random programs and histories (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertBalanced, type LineTrace, orderCap, parsePlan, runScenario, type Scenario } from "../../src/index.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2025-04-01T00:00:00+08:00");
const at = (ms: number) => new Date(T0 + ms).toISOString();

const planArb = fc.record({
  defaultRateBps: fc.integer({ min: 0, max: 2000 }),
  tiers: fc.option(fc.constantFrom("retroactive", "marginal"), { nil: undefined }),
  team1: fc.integer({ min: 0, max: 800 }),
  team2: fc.integer({ min: 0, max: 500 }),
  share: fc.boolean(),
  capBps: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  community: fc.boolean(),
  qualify: fc.option(fc.constantFrom("forfeit", "compress"), { nil: undefined }),
});

const orderArb = fc.record({
  seller: fc.nat(5),
  dayMs: fc.integer({ min: 0, max: 27 * DAY }),
  lines: fc.array(fc.integer({ min: 0, max: 3_000_000 }), { minLength: 1, maxLength: 3 }),
  community: fc.boolean(),
  refunds: fc.array(
    fc.record({ line: fc.nat(2), amount: fc.integer({ min: 1, max: 3_000_000 }), afterMs: fc.integer({ min: 0, max: 40 * DAY }) }),
    { maxLength: 3 },
  ),
  completeAfterMs: fc.option(fc.integer({ min: 0, max: 10 * DAY }), { nil: undefined }),
  cancel: fc.boolean(),
});

type PlanGen = typeof planArb extends fc.Arbitrary<infer R> ? R : never;
type OrderGen = typeof orderArb extends fc.Arbitrary<infer R> ? R : never;

function buildPlan(p: PlanGen) {
  const levels = p.share ? [{ shareBps: p.team1 * 10 }, { shareBps: p.team2 * 10 }] : [{ rateBps: p.team1 }, { rateBps: p.team2 }];
  return {
    version: 1,
    base: { defaultRateBps: p.defaultRateBps, categoryRates: { c1: 1500 } },
    ...(p.tiers
      ? {
          tiers: {
            mode: p.tiers,
            steps: [
              { fromMinor: 0, rateBps: 800 },
              { fromMinor: 2_000_000, rateBps: 1000, bonusMinor: 10_000 },
              { fromMinor: 5_000_000, rateBps: 1200 },
            ],
          },
        }
      : {}),
    team: { levels, ...(p.qualify ? { qualification: { ownSalesAtLeastMinor: 100_000, onFail: p.qualify } } : {}) },
    ...(p.capBps !== undefined ? { cap: { orderRateBps: p.capBps } } : {}),
    ...(p.community ? { channels: { community: { multiplierBps: 11_000 } } } : {}),
  };
}

function scenario(p: PlanGen, orders: OrderGen[], closeTwice = false, fullRefund = false): Scenario {
  const events: Scenario["events"] = [];
  orders.forEach((o, i) => {
    const oid = `o${i}`;
    events.push({
      type: "order_paid",
      at: at(o.dayMs),
      orderId: oid,
      customerRef: `c${i % 4}`,
      promoterId: `p${o.seller}`,
      channel: o.community ? "community" : "online",
      lines: o.lines.map((amt, j) => ({ lineNo: j + 1, productId: `x${j}`, categoryId: j === 1 ? "c1" : null, netAmountMinor: amt })),
    });
    if (fullRefund) {
      events.push({
        type: "order_refunded",
        at: at(o.dayMs + 1000),
        orderId: oid,
        lines: o.lines.map((amt, j) => ({ lineNo: j + 1, amountMinor: amt })),
      });
      return;
    }
    for (const r of o.refunds) {
      if (r.line < o.lines.length)
        events.push({
          type: "order_refunded",
          at: at(o.dayMs + r.afterMs),
          orderId: oid,
          lines: [{ lineNo: r.line + 1, amountMinor: r.amount }],
        });
    }
    if (o.completeAfterMs !== undefined) events.push({ type: "order_completed", at: at(o.dayMs + o.completeAfterMs), orderId: oid });
    if (o.cancel) events.push({ type: "order_cancelled", at: at(o.dayMs + 2 * DAY), orderId: oid });
  });
  events.push({ type: "period_close", at: "2025-05-01T03:00:00+08:00", period: "2025-04" });
  if (closeTwice) events.push({ type: "period_close", at: "2025-05-02T03:00:00+08:00", period: "2025-04" });
  return {
    program: { holdDays: 7, roundingMode: "half-up" },
    plans: [{ effectiveFrom: "2025-01-01T00:00:00+08:00", plan: buildPlan(p) }],
    // p0 ← p1 ← p2 ← p3 (a chain three deep above p3), p4 and p5 under p1
    promoters: [
      { id: "p0", joinedAt: "2025-01-01T00:00:00Z" },
      { id: "p1", inviterId: "p0", joinedAt: "2025-01-01T00:00:00Z" },
      { id: "p2", inviterId: "p1", joinedAt: "2025-01-01T00:00:00Z" },
      { id: "p3", inviterId: "p2", joinedAt: "2025-01-01T00:00:00Z" },
      { id: "p4", inviterId: "p1", joinedAt: "2025-01-01T00:00:00Z" },
      { id: "p5", inviterId: "p4", joinedAt: "2025-01-01T00:00:00Z" },
    ],
    events,
    asOf: "2025-06-30T00:00:00+08:00",
  };
}

const runs = { numRuns: 60 };

describe("engine properties", () => {
  it("plans built by the generator are valid", () => {
    fc.assert(
      fc.property(planArb, (p) => {
        expect(parsePlan(buildPlan(p)).ok).toBe(true);
      }),
    );
  });

  it("replay is deterministic (twice, and after a JSON round trip like a restart)", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { maxLength: 8 }), (p, orders) => {
        const sc = scenario(p, orders);
        const a = runScenario(sc);
        expect(runScenario(sc)).toEqual(a);
        expect(runScenario(JSON.parse(JSON.stringify(sc)))).toEqual(a);
      }),
      runs,
    );
  });

  it("no order pays more than its cap (order-time lines and period true-ups), and no line is above level 2", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { maxLength: 8 }), (p, orders) => {
        const sc = scenario(p, orders);
        const r = runScenario(sc);
        const plan = buildPlan(p);
        const perOrder = new Map<string, number>();
        for (const l of r.lines) {
          expect(l.level).toBeLessThanOrEqual(2);
          if (l.orderId !== null && l.kind !== "qualification_forfeit" && l.kind !== "qualification_compress") {
            // what the order pays: every line net of what refunds reversed (a true-up after a partial refund is bounded by
            // the cap of what remains, so gross amounts may pass the full-amount cap by the fen that the refund reversed)
            perOrder.set(l.orderId, (perOrder.get(l.orderId) ?? 0) + l.amountMinor - l.reversedMinor);
          }
          const t = l.trace as LineTrace;
          if (t.cap) expect(t.cap.capMinor).toBeGreaterThanOrEqual(0);
        }
        if (!plan.cap) return;
        orders.forEach((o, i) => {
          const cap = orderCap(plan.cap, {
            lines: o.lines.map((amt, j) => ({
              lineNo: j + 1,
              productId: "x",
              categoryId: null,
              quantity: 1,
              netAmountMinor: amt as never,
            })),
          } as never);
          expect(perOrder.get(`o${i}`) ?? 0).toBeLessThanOrEqual(cap?.capMinor ?? 0);
        });
      }),
      runs,
    );
  });

  it("after close each upline holds at most one level of an order line and at most two levels are held (P7 compress)", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { maxLength: 8 }), (p, orders) => {
        const r = runScenario(scenario(p, orders));
        // per order line and kind: the levels each upline holds = its order-time line and the levels moved to it, less
        // the levels taken from it (forfeited, or shifted away)
        const held = new Map<string, Map<string, number[]>>();
        const hold = (k: string, who: string, level: number, sign: 1 | -1) => {
          let g = held.get(k);
          if (!g) {
            g = new Map();
            held.set(k, g);
          }
          const levels = g.get(who) ?? [];
          if (sign > 0) levels.push(level);
          else levels.splice(levels.indexOf(level), 1);
          g.set(who, levels);
        };
        // A line that pays nothing by close (a zero amount, or refunded in full) is held by no one: close moves nothing of it.
        const pays = (l: (typeof r.lines)[number]) => l.kind !== "team" || l.amountMinor - l.reversedMinor !== 0;
        const moves = r.lines.filter((l) => l.level > 0 && (l.kind === "team" || l.kind.startsWith("qualification_")) && pays(l));
        for (const l of moves)
          if (l.kind === "team" || l.kind === "qualification_compress") hold(`${l.orderId}#${l.lineNo}`, l.beneficiaryId, l.level, 1);
        for (const l of moves)
          if (l.kind === "qualification_forfeit" || l.kind === "qualification_shift")
            hold(`${l.orderId}#${l.lineNo}`, l.beneficiaryId, l.level, -1);
        for (const g of held.values()) {
          const holders = [...g.values()].filter((levels) => levels.length > 0);
          for (const levels of holders) expect(levels.length).toBe(1);
          expect(holders.length).toBeLessThanOrEqual(2);
          expect(new Set(holders.map((levels) => levels[0])).size).toBe(holders.length);
        }
      }),
      runs,
    );
  });

  it("every ledger transaction balances and balances equal the sum of postings", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { maxLength: 8 }), (p, orders) => {
        const r = runScenario(scenario(p, orders), { keepLedger: true });
        const sums = new Map<string, number>();
        for (const tx of r.ledger.txs ?? []) {
          assertBalanced(tx);
          for (const x of tx.postings) sums.set(x.account, (sums.get(x.account) ?? 0) + x.amountMinor);
        }
        for (const [id, b] of Object.entries(r.balances.promoters)) {
          expect(b.pending).toBe(sums.get(`promoter:${id}:pending`) ?? 0);
          expect(b.available).toBe(sums.get(`promoter:${id}:available`) ?? 0);
        }
        // what promoters hold equals what the merchant expensed
        let held = 0;
        for (const b of Object.values(r.balances.promoters)) held += b.pending + b.available + b.held;
        expect(held + (r.balances.merchants.m1?.commissionExpense ?? 0)).toBe(0);
      }),
      runs,
    );
  });

  it("a fully refunded order nets to zero", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { minLength: 1, maxLength: 6 }), (p, orders) => {
        const r = runScenario(scenario(p, orders, false, true));
        for (const l of r.lines) if (l.orderId !== null) expect(l.amountMinor - l.reversedMinor).toBe(0);
        for (const b of Object.values(r.balances.promoters)) expect(b.pending + b.available).toBe(0);
      }),
      runs,
    );
  });

  it("closing a period twice equals closing it once", () => {
    fc.assert(
      fc.property(planArb, fc.array(orderArb, { maxLength: 8 }), (p, orders) => {
        const once = runScenario(scenario(p, orders));
        const twice = runScenario(scenario(p, orders, true));
        expect(twice.lines).toEqual(once.lines);
        expect(twice.balances).toEqual(once.balances);
      }),
      runs,
    );
  });
});
