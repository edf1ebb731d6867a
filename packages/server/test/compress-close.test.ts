/**
 * P7 compression through the server: a chain of four promoters, the period closed by the API, a refund after close;
 * every upline is paid at most one level of the order line, and the stored lines equal what a replay of the stored
 * history computes (the same core, fed from the database).
 */
import { parsePlan, runScenario } from "@fenxiao/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyScenario } from "../src/modules/periods/simulate.ts";
import { getProgram } from "../src/modules/programs/repository.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000 },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }], qualification: { ownSalesAtLeastMinor: 100_000, onFail: "compress" } },
};

let h: Harness;
let m: MerchantFixture;
const id: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness("2026-03-01T00:00:00Z");
  m = await merchantFixture(h, "Compress", { plan: PLAN });
  const l3 = await promoterFixture(h, m, "L3");
  const l2 = await promoterFixture(h, m, "L2", l3.code);
  const l1 = await promoterFixture(h, m, "L1", l2.code);
  const s = await promoterFixture(h, m, "S", l1.code);
  for (const [k, p] of Object.entries({ L3: l3, L2: l2, L1: l1, S: s })) {
    id[k] = p.promoterId;
    id[`${k}:code`] = p.code;
  }
});
afterAll(async () => h?.close());

async function pay(ref: string, seller: string, amount: number, day: number) {
  // The shop reports the order when it is paid: the server's clock is at its payment time (never before it).
  const paidAt = `2026-03-0${day}T10:00:00+08:00`;
  if (h.clock.now().getTime() < new Date(paidAt).getTime()) h.clock.set(paidAt);
  const r = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: {
      orderRef: ref,
      customer: { ref: `c-${ref}` },
      paidAt,
      promoCode: id[`${seller}:code`],
      lines: [{ productId: "P", quantity: 1, netAmountMinor: amount }],
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

async function earnedByPromoter(): Promise<Record<string, number>> {
  const rows = await h.db.read((q) =>
    q.query<{ beneficiary_id: string; net: number }>(
      "SELECT beneficiary_id, sum(amount_minor - reversed_minor)::bigint AS net FROM commission_lines WHERE merchant_id = $1 GROUP BY beneficiary_id",
      [m.merchantId],
    ),
  );
  const name = Object.fromEntries(["S", "L1", "L2", "L3"].map((k) => [id[k], k]));
  return Object.fromEntries(rows.map((r) => [name[r.beneficiary_id] ?? r.beneficiary_id, Number(r.net)]).sort());
}

describe("P7 compression through period close", () => {
  it("shifts the chain: L2 takes level 1 from the unqualified L1, L3 takes level 2; no one is paid twice", async () => {
    await pay("K-1", "S", 1_000_000, 3);
    await pay("K-2", "L2", 200_000, 4);
    await pay("K-3", "L3", 150_000, 5);
    await pay("K-4", "L1", 50_000, 6);
    h.clock.set("2026-04-02T00:00:00Z");
    const c = await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    // L1: 5,000 own; its 30,000 level-1 line forfeited. L2: 20,000 + 1,500 + 30,000 (level 1 of K-1), its own level-2
    // 10,000 taken back. L3: 15,000 + 6,000 + 500 + 10,000 (level 2 of K-1).
    expect(await earnedByPromoter()).toEqual({ L1: 5_000, L2: 51_500, L3: 31_500, S: 100_000 });
    const rows = await h.db.read((q) =>
      q.query<{ beneficiary_id: string; kind: string; level: number; amount_minor: number }>(
        `SELECT cl.beneficiary_id, cl.kind, cl.level, cl.amount_minor FROM commission_lines cl JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
         WHERE cl.merchant_id = $1 AND o.order_ref = 'K-1' AND cl.level > 0`,
        [m.merchantId],
      ),
    );
    // per upline, the levels it holds on K-1 after close, net
    const held = new Map<string, number>();
    for (const r of rows) held.set(r.beneficiary_id, (held.get(r.beneficiary_id) ?? 0) + Number(r.amount_minor));
    expect(held.get(id.L1 as string)).toBe(0);
    expect(held.get(id.L2 as string)).toBe(30_000);
    expect(held.get(id.L3 as string)).toBe(10_000);
    const v = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(v.body.ok).toBe(true);
  });

  it("a refund after close reverses every record in proportion, and the stored lines equal a replay of the stored history", async () => {
    const r = await h.call("POST", "/v1/orders/K-1/refunds", { token: m.apiKey, body: { amountMinor: 500_000 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await earnedByPromoter()).toEqual({ L1: 5_000, L2: 36_500, L3: 26_500, S: 50_000 });

    const now = h.clock.now();
    const replayed = await h.db.read(async (q) => {
      const program = await getProgram(q, m.merchantId, m.programId);
      const history = await historyScenario(q, program, new Date(now.getTime() + 1000));
      const parsed = parsePlan(PLAN);
      if (!parsed.ok) throw new Error("plan");
      return runScenario({ ...history, plans: [{ effectiveFrom: "2020-01-01T00:00:00Z", plan: parsed.plan }] });
    });
    const stored = await h.db.read((q) =>
      q.query<{ beneficiary_id: string; order_id: string; kind: string; level: number; amount_minor: number; reversed_minor: number }>(
        "SELECT beneficiary_id, order_id, kind, level, amount_minor, reversed_minor FROM commission_lines WHERE merchant_id = $1",
        [m.merchantId],
      ),
    );
    const key = (x: [string, string | null, string, number, number, number]) => x.join("|");
    const mine = stored
      .map((s) => key([s.beneficiary_id, s.order_id, s.kind, s.level, Number(s.amount_minor), Number(s.reversed_minor)]))
      .sort();
    const theirs = replayed.lines.map((l) => key([l.beneficiaryId, l.orderId, l.kind, l.level, l.amountMinor, l.reversedMinor])).sort();
    expect(mine).toEqual(theirs);
    expect(mine.filter((k) => k.includes("qualification_")).length).toBe(4);
  });
});
