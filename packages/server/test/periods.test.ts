import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueCloses } from "../src/jobs/close.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";

const TIER_PLAN = {
  version: 1,
  ranks: [{ key: "partner", name: "合伙人" }],
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 800 },
      { fromMinor: 5_000_000, rateBps: 1000, bonusMinor: 200_000 },
      { fromMinor: 10_000_000, rateBps: 1200, promoteToRank: "partner" },
    ],
  },
};

let h: Harness;
let m: MerchantFixture;
let s: Awaited<ReturnType<typeof promoterFixture>>;

const order = (orderRef: string, paidAt: string, amount: number) => ({
  orderRef,
  customer: { ref: `c-${orderRef}` },
  paidAt,
  promoCode: s.code,
  lines: [{ productId: "P", quantity: 1, netAmountMinor: amount }],
});

async function sellerEarned(): Promise<number> {
  const rows = await h.db.read((q) =>
    q.query<{ net: number }>(
      "SELECT coalesce(sum(amount_minor - reversed_minor), 0)::bigint AS net FROM commission_lines WHERE merchant_id = $1 AND beneficiary_id = $2",
      [m.merchantId, s.promoterId],
    ),
  );
  return Number(rows[0]?.net);
}

beforeAll(async () => {
  h = await startHarness("2026-03-01T00:00:00Z");
  m = await merchantFixture(h, "Tiers", { plan: TIER_PLAN });
  s = await promoterFixture(h, m, "Seller");
});
afterAll(async () => h?.close());

describe("period close (retroactive tiers, seed 004 table)", () => {
  it("refuses to close a period that has not ended", async () => {
    h.clock.set("2026-03-05T10:00:00+08:00"); // each order arrives when it is paid
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: order("T-1", "2026-03-05T10:00:00+08:00", 3_000_000) });
    h.clock.set("2026-03-20T10:00:00+08:00");
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: order("T-2", "2026-03-20T10:00:00+08:00", 3_000_000) });
    h.clock.set("2026-03-31T12:00:00Z"); // 20:00 in Shanghai: March is not over
    const r = await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("PERIOD_NOT_ENDED");
  });

  it("trues up the whole period to the reached step and pays the step bonus once", async () => {
    h.clock.set("2026-04-02T00:00:00Z");
    const r = await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.alreadyClosed).toBeUndefined();
    // ¥60,000 of sales reach step 2: 10 % of 6,000,000 = 600,000, plus the step bonus 200,000
    expect(await sellerEarned()).toBe(800_000);
    const lines = await h.call("GET", `/v1/commissions?promoterId=${s.promoterId}&limit=50`, { token: m.apiKey });
    const kinds = new Set(lines.body.items.map((x: { kind: string }) => x.kind));
    expect(kinds.has("step_bonus")).toBe(true);
    for (const x of lines.body.items) {
      expect(x.explanationZh.length).toBeGreaterThan(5);
      expect(x.explanationEn.length).toBeGreaterThan(5);
    }
  });

  it("closing twice changes nothing", async () => {
    const before = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    const again = await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    expect(again.status).toBe(200);
    expect(again.body.alreadyClosed).toBe(true);
    const after = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(after.body.transactions).toBe(before.body.transactions);
    expect(await sellerEarned()).toBe(800_000);
    expect(await runDueCloses(h.db, h.clock)).toEqual([]);
  });

  it("a refund after close reverses at the rate originally applied (10 % after the true-up)", async () => {
    const before = await sellerEarned();
    const r = await h.call("POST", "/v1/orders/T-2/refunds", { token: m.apiKey, body: { amountMinor: 1_500_000 } });
    expect(r.status).toBe(200);
    expect(before - (await sellerEarned())).toBe(150_000);
    const v = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(v.body.ok).toBe(true);
  });

  it("an order paid in a closed period counts in the open period", async () => {
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: order("T-3", "2026-03-30T10:00:00+08:00", 100_000) });
    expect(r.status).toBe(201);
    const rows = await h.db.read((q) =>
      q.query<{ period_key: string }>("SELECT period_key FROM orders WHERE merchant_id = $1 AND order_ref = 'T-3'", [m.merchantId]),
    );
    expect(rows[0]?.period_key).toBe("2026-04");
  });

  it("the close job closes the previous period after the grace days", async () => {
    h.clock.set("2026-05-03T00:00:00Z"); // April ended 2026-04-30T16:00Z; grace 3 days not yet over
    expect(await runDueCloses(h.db, h.clock)).toEqual([]);
    h.clock.set("2026-05-04T00:00:00Z");
    expect(await runDueCloses(h.db, h.clock)).toEqual([`${m.merchantId}/${m.programId}/2026-04`]);
    const list = await h.call("GET", `/v1/programs/${m.programId}/periods`, { token: m.apiKey });
    expect(list.body.items.map((x: { periodKey: string }) => x.periodKey)).toEqual(["2026-04", "2026-03"]);
  });

  it("what-if replays the stored history under a draft plan", async () => {
    const draft = { version: 1, base: { defaultRateBps: 500 } };
    const r = await h.call("POST", `/v1/programs/${m.programId}/simulate`, { token: m.apiKey, body: { document: draft } });
    expect(r.status).toBe(200);
    expect(r.body.orders).toBe(3);
    // draft: 5 % of net sales (3,000,000 + 1,500,000 + 100,000 remaining) = 230,000
    expect(r.body.draft.totalCostMinor).toBe(230_000);
    expect(r.body.deltaCostMinor).toBe(r.body.draft.totalCostMinor - r.body.current.totalCostMinor);
  });
});

describe("period close: uplines paid a share of the seller's commission are trued up with it (P5 + P6)", () => {
  const SHARE_PLAN = {
    version: 1,
    tiers: {
      mode: "retroactive",
      steps: [
        { fromMinor: 0, rateBps: 800 },
        { fromMinor: 5_000_000, rateBps: 1000 },
      ],
    },
    team: { levels: [{ shareBps: 1000 }, { shareBps: 500 }] },
  };
  let h2: Harness;
  let m2: MerchantFixture;
  const ids: Record<string, string> = {};
  const earned = async (promoterId: string) =>
    Number(
      (
        await h2.db.read((q) =>
          q.query<{ net: number }>(
            "SELECT coalesce(sum(amount_minor - reversed_minor), 0)::bigint AS net FROM commission_lines WHERE merchant_id = $1 AND beneficiary_id = $2",
            [m2.merchantId, promoterId],
          ),
        )
      )[0]?.net,
    );

  beforeAll(async () => {
    h2 = await startHarness("2026-03-01T00:00:00Z");
    m2 = await merchantFixture(h2, "Share", { plan: SHARE_PLAN });
    const a = await promoterFixture(h2, m2, "Aunt");
    const b = await promoterFixture(h2, m2, "Bo", a.code);
    const s2 = await promoterFixture(h2, m2, "Sun", b.code);
    Object.assign(ids, { A: a.promoterId, B: b.promoterId, S: s2.promoterId, code: s2.code });
  });
  afterAll(async () => h2?.close());

  it("order time: 8 % then 10 % for the seller, 10 % and 5 % of that for the two uplines", async () => {
    for (const [ref, at] of [
      ["SH-1", "2026-03-05T10:00:00+08:00"],
      ["SH-2", "2026-03-20T10:00:00+08:00"],
    ] as const) {
      h2.clock.set(at); // each order arrives when it is paid
      const r = await h2.call("POST", "/v1/orders", {
        token: m2.apiKey,
        body: {
          orderRef: ref,
          customer: { ref: `c-${ref}` },
          paidAt: at,
          promoCode: ids.code,
          lines: [{ productId: "P", quantity: 1, netAmountMinor: 3_000_000 }],
        },
      });
      expect(r.status).toBe(201);
    }
    // seller: 240,000 (8 %, below step 2) + 300,000 (10 %: the second order reaches ¥50,000)
    expect(await earned(ids.S as string)).toBe(540_000);
    expect(await earned(ids.B as string)).toBe(24_000 + 30_000);
    expect(await earned(ids.A as string)).toBe(12_000 + 15_000);
  });

  it("close: the seller's first line is trued up to 10 % and each upline's share of it follows", async () => {
    h2.clock.set("2026-04-02T00:00:00Z");
    const r = await h2.call("POST", `/v1/programs/${m2.programId}/periods/2026-03/close`, { token: m2.apiKey });
    expect(r.status).toBe(200);
    expect(await earned(ids.S as string)).toBe(600_000); // +60,000
    expect(await earned(ids.B as string)).toBe(60_000); // 10 % of 300,000 on each order: +6,000
    expect(await earned(ids.A as string)).toBe(30_000); // 5 % of 300,000 on each order: +3,000
    const b = await h2.call("GET", `/v1/commissions?promoterId=${ids.B}&limit=50`, { token: m2.apiKey });
    const up = b.body.items.filter((x: { kind: string }) => x.kind === "team_trueup");
    expect(up.map((x: { amountMinor: number; level: number }) => [x.amountMinor, x.level])).toEqual([[6_000, 1]]);
    expect(up[0].explanationZh).toContain("团队补差");
    expect(up[0].explanationEn).toContain("team true-up");
    const v = await h2.call("GET", "/v1/ledger/verify", { token: m2.apiKey });
    expect(v.body.ok).toBe(true);
  });

  it("a refund after close takes back the uplines' true-ups in proportion too", async () => {
    const r = await h2.call("POST", "/v1/orders/SH-1/refunds", { token: m2.apiKey, body: { amountMinor: 1_500_000 } });
    expect(r.status).toBe(200);
    // half of SH-1: seller 300,000 → 150,000; B 30,000 → 15,000; A 15,000 → 7,500 (order time and true-up alike)
    expect(await earned(ids.S as string)).toBe(450_000);
    expect(await earned(ids.B as string)).toBe(45_000);
    expect(await earned(ids.A as string)).toBe(22_500);
    const v = await h2.call("GET", "/v1/ledger/verify", { token: m2.apiKey });
    expect(v.body.ok).toBe(true);
  });
});

describe("period close with hundreds of records", () => {
  it("closes a period whose true-ups number in the hundreds (ids drawn for every record at once)", async () => {
    const h3 = await startHarness("2026-03-01T00:00:00Z");
    try {
      const m3 = await merchantFixture(h3, "Many", { plan: TIER_PLAN });
      const s3 = await promoterFixture(h3, m3, "Busy");
      // 300 orders of ¥200 = ¥60,000: step 2 is reached by the 250th, so the first 249 lines are trued up at close
      const orders = Array.from({ length: 300 }, (_, i) => ({
        idempotencyKey: `many-${i}`,
        orderRef: `MANY-${i}`,
        customer: { ref: `many-c-${i % 40}` },
        paidAt: "2026-03-10T10:00:00+08:00",
        promoCode: s3.code,
        lines: [{ productId: "P", quantity: 1, netAmountMinor: 20_000 }],
      }));
      h3.clock.set("2026-03-10T10:00:00+08:00"); // the orders arrive when they are paid
      const b = await h3.call("POST", "/v1/orders/batch", { token: m3.apiKey, body: { orders } });
      expect(b.status).toBe(200);
      h3.clock.set("2026-04-02T00:00:00Z");
      const r = await h3.call("POST", `/v1/programs/${m3.programId}/periods/2026-03/close`, { token: m3.apiKey });
      expect(r.status).toBe(200);
      const [n] = await h3.db.read((q) =>
        q.query<{ n: number; total: number }>(
          "SELECT count(*)::int AS n, sum(amount_minor)::bigint AS total FROM commission_lines WHERE merchant_id = $1 AND kind = 'tier_trueup'",
          [m3.merchantId],
        ),
      );
      // each trued-up line: 10 % − 8 % of ¥200 = ¥4
      expect(n?.n).toBe(249);
      expect(Number(n?.total)).toBe(249 * 400);
      expect((await h3.call("GET", "/v1/ledger/verify", { token: m3.apiKey })).body.ok).toBe(true);
    } finally {
      await h3.close();
    }
  });
});
