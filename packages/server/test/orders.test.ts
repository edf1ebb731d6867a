import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRelease } from "../src/jobs/release.ts";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, START, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let a: Awaited<ReturnType<typeof promoterFixture>>;
let b: Awaited<ReturnType<typeof promoterFixture>>;
let c: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Acme");
  a = await promoterFixture(h, m, "Alice");
  b = await promoterFixture(h, m, "Bob", a.code);
  c = await promoterFixture(h, m, "Carol", b.code);
});
afterAll(async () => h?.close());

const amounts = (body: { commissions: { beneficiaryId: string; lineNo: number; amountMinor: number }[] }) =>
  Object.fromEntries(body.commissions.map((x) => [`${x.beneficiaryId}#${x.lineNo}`, x.amountMinor]));

describe("order lifecycle", () => {
  it("pays the seller and two uplines per line, rounded per line, with explanations", async () => {
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-1", "cust-1", { promoCode: c.code }) });
    expect(r.status).toBe(201);
    expect(r.body.attributionPath).toBe("code");
    expect(r.body.promoterId).toBe(c.promoterId);
    expect(r.body.isFirstOrder).toBe(true);
    expect(amounts(r.body)).toEqual({
      [`${c.promoterId}#1`]: 1000,
      [`${c.promoterId}#2`]: 500, // 5001 × 10 % = 500.1 → 500
      [`${b.promoterId}#1`]: 300,
      [`${b.promoterId}#2`]: 150, // 150.03 → 150
      [`${a.promoterId}#1`]: 100,
      [`${a.promoterId}#2`]: 50, // 50.01 → 50
    });
    for (const line of r.body.commissions) {
      expect(line.explanation.zh).toContain("订单 #O-1");
      expect(line.explanation.en).toContain("Order #O-1");
    }
    const bal = await h.call("GET", `/v1/balances?promoterId=${c.promoterId}`, { token: m.apiKey });
    expect(bal.body.balances[0].pendingMinor).toBe(1500);
  });

  it("binds the customer: a later order without code goes to the bound promoter and is not a first order", async () => {
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-2", "cust-1") });
    expect(r.status).toBe(201);
    expect(r.body.attributionPath).toBe("binding");
    expect(r.body.promoterId).toBe(c.promoterId);
    expect(r.body.isFirstOrder).toBe(false);
  });

  it("reverses proportionally on partial refunds and exactly on the full refund (P19)", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-3", "cust-3", { promoCode: c.code }) });
    const r1 = await h.call("POST", "/v1/orders/O-3/refunds", { token: m.apiKey, body: { lines: [{ lineNo: 2, amountMinor: 1667 }] } });
    expect(r1.status).toBe(200);
    const line2 = r1.body.commissions.find(
      (x: { beneficiaryId: string; lineNo: number }) => x.beneficiaryId === c.promoterId && x.lineNo === 2,
    );
    // kept = round(500 × 3334 / 5001) = round(333.33) = 333 → reversed 167
    expect(line2.reversedMinor).toBe(167);
    const r2 = await h.call("POST", "/v1/orders/O-3/refunds", { token: m.apiKey, body: { amountMinor: 15_001 - 1667 } });
    expect(r2.status).toBe(200);
    expect(r2.body.status).toBe("refunded");
    for (const x of r2.body.commissions) {
      expect(x.reversedMinor).toBe(x.amountMinor);
      expect(x.state).toBe("reversed");
    }
    const over = await h.call("POST", "/v1/orders/O-3/refunds", { token: m.apiKey, body: { amountMinor: 1 } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("ORDER_STATE");
  });

  it("refuses a refund above what remains, naming the field, and changes nothing", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-4", "cust-4", { promoCode: b.code }) });
    const r = await h.call("POST", "/v1/orders/O-4/refunds", { token: m.apiKey, body: { lines: [{ lineNo: 1, amountMinor: 10_001 }] } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("REFUND_EXCEEDS_PAID");
    expect(r.body.error.details.field).toBe("lines.0.amountMinor");
    const o = await h.call("GET", "/v1/orders/O-4", { token: m.apiKey });
    expect(o.body.refundedMinor).toBe(0);
    expect(o.body.commissions.every((x: { reversedMinor: number }) => x.reversedMinor === 0)).toBe(true);
  });

  it("releases commission after completion + hold days, and a later refund takes available negative", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-5", "cust-5", { promoCode: a.code }) });
    h.clock.set("2026-03-03T00:00:00Z");
    const done = await h.call("POST", "/v1/orders/O-5/complete", { token: m.apiKey, body: { completedAt: "2026-03-03T00:00:00Z" } });
    expect(done.status).toBe(200);
    h.clock.set("2026-03-09T23:59:59Z");
    expect(await runRelease(h.db, h.clock)).toBe(0); // hold is 7 days: due 2026-03-10T00:00Z
    h.clock.set("2026-03-10T00:00:00Z");
    expect(await runRelease(h.db, h.clock)).toBe(2); // Alice's two lines
    const before = (await h.call("GET", `/v1/balances?promoterId=${a.promoterId}`, { token: m.apiKey })).body.balances[0];
    expect(before.availableMinor).toBe(1500);
    // Alice has nothing else available; a full refund claws back 1,500 from available.
    await h.call("POST", "/v1/orders/O-5/refunds", { token: m.apiKey, body: { amountMinor: 15_001 } });
    const after = (await h.call("GET", `/v1/balances?promoterId=${a.promoterId}`, { token: m.apiKey })).body.balances[0];
    expect(after.availableMinor).toBe(0);
    // pending Alice lines from other orders are untouched
    expect(after.pendingMinor).toBe(before.pendingMinor);
  });

  it("cancels: reverses everything that remains", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-6", "cust-6", { promoCode: c.code }) });
    await h.call("POST", "/v1/orders/O-6/refunds", { token: m.apiKey, body: { amountMinor: 3000 } });
    const r = await h.call("POST", "/v1/orders/O-6/cancel", { token: m.apiKey, body: { reason: "buyer" } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("cancelled");
    for (const x of r.body.commissions) expect(x.reversedMinor).toBe(x.amountMinor);
    const again = await h.call("POST", "/v1/orders/O-6/cancel", { token: m.apiKey, body: { reason: "buyer" } });
    expect(again.status).toBe(200);
  });

  it("keeps the ledger verifiable: chain intact and balances equal the postings", async () => {
    const v = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(v.body.ok).toBe(true);
    expect(v.body.transactions).toBeGreaterThan(5);
    const sums = await h.db.read((q) =>
      q.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM (SELECT tx_seq FROM ledger_postings GROUP BY merchant_id, tx_seq HAVING sum(amount_minor) <> 0) x",
      ),
    );
    expect(sums[0]?.n).toBe(0);
  });

  it("verify beside live traffic reports no false problem and covers the chain up to the head it read", async () => {
    const posts = Array.from({ length: 48 }, (_, i) =>
      h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder(`LIVE-${i}`, `live-cust-${i % 7}`, { promoCode: c.code }) }),
    );
    const verifies: Promise<{ status: number; body: { ok: boolean; transactions: number; headProblem: string | null } }>[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 3));
      verifies.push(h.call("GET", "/v1/ledger/verify", { token: m.apiKey }));
    }
    const results = await Promise.all(verifies);
    for (const r of await Promise.all(posts)) expect(r.status).toBe(201);
    for (const v of results) {
      expect(v.status).toBe(200);
      expect(v.body.headProblem).toBeNull();
      expect(v.body.ok).toBe(true);
    }
    const end = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(end.body.ok).toBe(true);
    const [n] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_transactions WHERE merchant_id = $1", [m.merchantId]),
    );
    expect(end.body.transactions).toBe(n?.n);
  });

  it("verify reports transactions written beyond the head (a row the server did not write)", async () => {
    const t = await merchantFixture(h, "Tamper");
    const tp = await promoterFixture(h, t, "Tammy");
    const r = await h.call("POST", "/v1/orders", {
      token: t.apiKey,
      body: paidOrder("TAMPER-1", "tamper-c", { promoCode: tp.code, paidAt: h.clock.now().toISOString() }),
    });
    expect(r.status).toBe(201);
    expect((await h.call("GET", "/v1/ledger/verify", { token: t.apiKey })).body.ok).toBe(true);
    await h.db.tx((q) =>
      q.query(
        `INSERT INTO ledger_transactions (merchant_id, seq, kind, cause_ref, memo, created_at, created_at_text, prev_hash, hash)
         SELECT t.merchant_id, t.seq + 1, t.kind, 'forged', t.memo, t.created_at, t.created_at_text, t.hash, t.hash
         FROM ledger_heads h JOIN ledger_transactions t ON t.merchant_id = h.merchant_id AND t.seq = h.seq WHERE h.merchant_id = $1`,
        [t.merchantId],
      ),
    );
    const v = await h.call("GET", "/v1/ledger/verify", { token: t.apiKey });
    expect(v.body.ok).toBe(false);
    expect(v.body.headProblem).toMatch(/beyond the head/);
  });

  it("refuses UPDATE and DELETE on ledger rows", async () => {
    await expect(h.db.tx((q) => q.query("UPDATE ledger_postings SET amount_minor = amount_minor + 1"))).rejects.toThrow(/append-only/);
    await expect(h.db.tx((q) => q.query("DELETE FROM ledger_transactions"))).rejects.toThrow(/append-only/);
    await expect(h.db.tx((q) => q.query("TRUNCATE ledger_postings"))).rejects.toThrow(/append-only/);
  });
});

describe("idempotency", () => {
  it("returns the first response for the same key and body; 409 for a different body", async () => {
    const body = paidOrder("I-1", "cust-i1", { promoCode: c.code });
    const first = await h.call("POST", "/v1/orders", { token: m.apiKey, body, headers: { "idempotency-key": "k-1" } });
    const again = await h.call("POST", "/v1/orders", { token: m.apiKey, body, headers: { "idempotency-key": "k-1" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: { ...body, channel: "community" },
      headers: { "idempotency-key": "k-1" },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // later events change the order, not the first response: a replay after a partial refund returns it unchanged
    expect(first.body.commissions.length).toBeGreaterThan(0);
    const refund = await h.call("POST", "/v1/orders/I-1/refunds", { token: m.apiKey, body: { amountMinor: 1000 } });
    expect(refund.status).toBe(200);
    expect(refund.body.commissions.some((x: { reversedMinor: number }) => x.reversedMinor > 0)).toBe(true);
    const late = await h.call("POST", "/v1/orders", { token: m.apiKey, body, headers: { "idempotency-key": "k-1" } });
    expect(late.status).toBe(201);
    expect(late.body).toEqual(first.body);
  });

  it("10 concurrent duplicates have exactly one effect", async () => {
    const body = paidOrder("I-2", "cust-i2", { promoCode: c.code });
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => h.call("POST", "/v1/orders", { token: m.apiKey, body, headers: { "idempotency-key": "k-2" } })),
    );
    expect(rs.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(rs.map((r) => r.body.orderId));
    expect(ids.size).toBe(1);
    const [row] = await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE order_ref = 'I-2'"));
    expect(row?.n).toBe(1);
    const [lines] = await h.db.read((q) =>
      q.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM commission_lines cl JOIN orders o ON o.id = cl.order_id AND o.merchant_id = cl.merchant_id WHERE o.order_ref = 'I-2'",
      ),
    );
    expect(lines?.n).toBe(6);
  });

  it("10 concurrent refunds with one key reverse once", async () => {
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("I-3", "cust-i3", { promoCode: c.code }) });
    const rs = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.call("POST", "/v1/orders/I-3/refunds", { token: m.apiKey, body: { amountMinor: 5000 }, headers: { "idempotency-key": "r-3" } }),
      ),
    );
    expect(new Set(rs.map((r) => r.status))).toEqual(new Set([200]));
    const o = await h.call("GET", "/v1/orders/I-3", { token: m.apiKey });
    expect(o.body.refundedMinor).toBe(5000);
  });

  it("an orderRef posted twice without a key is a 409 and counted once", async () => {
    const body = paidOrder("I-4", "cust-i4");
    expect((await h.call("POST", "/v1/orders", { token: m.apiKey, body })).status).toBe(201);
    const dup = await h.call("POST", "/v1/orders", { token: m.apiKey, body });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("ORDER_EXISTS");
  });
});

describe("clicks and binding policies", () => {
  it("records a click, redirects with a token, attributes the order to the click within the window", async () => {
    h.clock.set("2026-03-04T00:00:00Z");
    const link = await h.call("POST", "/v1/me/links", { token: b.token, body: { merchantId: m.merchantId, programId: m.programId } });
    expect(link.status).toBe(201);
    const r = await h.call("GET", `/r/${link.body.code}`);
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get("location") as string);
    const token = loc.searchParams.get("fx_click");
    expect(token).toMatch(/^clk_/);
    h.clock.set("2026-03-05T00:00:00Z");
    const o = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("K-1", "cust-k1", { clickToken: token, paidAt: "2026-03-05T00:00:00Z" }),
    });
    expect(o.body.attributionPath).toBe("click");
    expect(o.body.promoterId).toBe(b.promoterId);
  });

  it("ignores a click older than the window and falls back to the binding", async () => {
    h.clock.set("2026-03-06T00:00:00Z");
    const link = await h.call("POST", "/v1/me/links", { token: a.token, body: { merchantId: m.merchantId, programId: m.programId } });
    const r = await h.call("GET", `/r/${link.body.code}`);
    const token = new URL(r.headers.get("location") as string).searchParams.get("fx_click");
    h.clock.set("2026-03-20T00:00:00Z");
    const o = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("K-2", "cust-k1", { clickToken: token, paidAt: "2026-03-20T00:00:00Z" }),
    });
    expect(o.body.attributionPath).toBe("binding");
    expect(o.body.promoterId).toBe(b.promoterId);
  });

  it("sticky: another promoter's code wins the order but the customer stays bound to the first", async () => {
    h.clock.set("2026-03-21T00:00:00Z");
    const o = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("K-3", "cust-k1", { promoCode: a.code, paidAt: "2026-03-21T00:00:00Z" }),
    });
    expect(o.body.promoterId).toBe(a.promoterId);
    h.clock.set("2026-03-22T00:00:00Z");
    const next = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("K-4", "cust-k1", { paidAt: "2026-03-22T00:00:00Z" }),
    });
    expect(next.body.attributionPath).toBe("binding");
    expect(next.body.promoterId).toBe(b.promoterId);
  });

  it("last-click: a newer code rebinds the customer", async () => {
    h.clock.set(START); // the program exists from the first order on
    const m2 = await merchantFixture(h, "LastClick", { program: { bindingPolicy: "last-click" } });
    const p1 = await promoterFixture(h, m2, "P1");
    const p2 = await promoterFixture(h, m2, "P2");
    await h.call("POST", "/v1/orders", { token: m2.apiKey, body: paidOrder("L-1", "cust-l", { promoCode: p1.code }) });
    h.clock.set("2026-03-03T00:00:00Z");
    await h.call("POST", "/v1/orders", {
      token: m2.apiKey,
      body: paidOrder("L-2", "cust-l", { promoCode: p2.code, paidAt: "2026-03-03T00:00:00Z" }),
    });
    h.clock.set("2026-03-04T00:00:00Z");
    const o = await h.call("POST", "/v1/orders", {
      token: m2.apiKey,
      body: paidOrder("L-3", "cust-l", { paidAt: "2026-03-04T00:00:00Z" }),
    });
    expect(o.body.attributionPath).toBe("binding");
    expect(o.body.promoterId).toBe(p2.promoterId);
  });

  it("customer registration through a code binds the customer", async () => {
    const r = await h.call("POST", "/v1/customers", {
      token: m.apiKey,
      body: { customerRef: "reg-1", phone: "13812345678", promoCode: a.code, registeredAt: "2026-03-01T00:00:00Z" },
    });
    expect(r.status).toBe(201);
    expect(r.body.promoterId).toBe(a.promoterId);
    const mine = await h.call("GET", `/v1/me/customers?merchantId=${m.merchantId}&programId=${m.programId}`, { token: a.token });
    const reg = mine.body.items.find((x: { phone: string }) => x.phone === "138****5678");
    expect(reg).toBeTruthy();
    expect(JSON.stringify(mine.body)).not.toContain("13812345678");
  });
});

describe("validation", () => {
  it("names the field and writes nothing", async () => {
    const bad = paidOrder("V-1", "cust-v", { lines: [{ productId: "P1", quantity: 1, netAmountMinor: 12.5 }] });
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: bad });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION_FAILED");
    expect(r.body.error.message).toContain("lines.0.netAmountMinor");
    const o = await h.call("GET", "/v1/orders/V-1", { token: m.apiKey });
    expect(o.status).toBe(404);
  });

  it("refuses a wrong currency by name", async () => {
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("V-2", "cust-v", { currency: "USD" }) });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("currency");
  });
});

describe("POST /v1/orders/batch", () => {
  it("ingests many orders as POST /v1/orders would, each with its own result, in order", async () => {
    const orders = [
      { ...paidOrder("BA-1", "cust-ba1", { promoCode: c.code }), idempotencyKey: "ba-1" },
      { ...paidOrder("BA-2", "cust-ba1"), idempotencyKey: "ba-2" }, // same customer, no code: bound by BA-1 just before
      { ...paidOrder("O-1", "cust-ba3", { promoCode: c.code }) }, // orderRef taken
      { ...paidOrder("BA-4", "cust-ba4"), currency: "USD" }, // the program pays in CNY
    ];
    const r = await h.call("POST", "/v1/orders/batch", { token: m.apiKey, body: { orders } });
    expect(r.status).toBe(200);
    const [one, two, three, four] = r.body.results;
    expect(one).toMatchObject({
      orderRef: "BA-1",
      status: 201,
      replayed: false,
      order: { attributionPath: "code", promoterId: c.promoterId },
    });
    expect(amounts(one.order)).toEqual({
      [`${c.promoterId}#1`]: 1000,
      [`${c.promoterId}#2`]: 500,
      [`${b.promoterId}#1`]: 300,
      [`${b.promoterId}#2`]: 150,
      [`${a.promoterId}#1`]: 100,
      [`${a.promoterId}#2`]: 50,
    });
    expect(two).toMatchObject({
      orderRef: "BA-2",
      status: 201,
      order: { attributionPath: "binding", promoterId: c.promoterId, isFirstOrder: false },
    });
    expect(three).toMatchObject({ orderRef: "O-1", status: 409, error: { code: "ORDER_EXISTS" } });
    expect(four).toMatchObject({ orderRef: "BA-4", status: 400, error: { code: "VALIDATION_FAILED" } });
    expect(four.error.details.issues[0].path).toBe("currency");
    const stored = await h.call("GET", "/v1/orders/BA-4", { token: m.apiKey });
    expect(stored.status).toBe(404);

    // the same keys again, through either endpoint: the first responses, and nothing new
    const again = await h.call("POST", "/v1/orders/batch", { token: m.apiKey, body: { orders: orders.slice(0, 2) } });
    expect(again.body.results.map((x: { replayed: boolean }) => x.replayed)).toEqual([true, true]);
    expect(again.body.results[0].order).toEqual(one.order);
    expect(again.body.results[1].order).toEqual(two.order);
    const { idempotencyKey: _k, ...single } = orders[1] as Record<string, unknown>;
    const viaSingle = await h.call("POST", "/v1/orders", { token: m.apiKey, body: single, headers: { "idempotency-key": "ba-2" } });
    expect(viaSingle.status).toBe(201);
    expect(viaSingle.headers.get("idempotent-replayed")).toBe("true");
    expect(viaSingle.body).toEqual(two.order);
    const [n] = await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE order_ref IN ('BA-1', 'BA-2')"));
    expect(n?.n).toBe(2);
  });

  it("refuses the whole request when one order is invalid, naming it, and writes nothing", async () => {
    const before = await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders"));
    const r = await h.call("POST", "/v1/orders/batch", {
      token: m.apiKey,
      body: { orders: [paidOrder("BV-1", "cust-bv1"), { ...paidOrder("BV-2", "cust-bv2"), lines: [] }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION_FAILED");
    expect(r.body.error.details.issues[0].path).toBe("orders.1.lines");
    const after = await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders"));
    expect(after).toEqual(before);
    const tooMany = await h.call("POST", "/v1/orders/batch", {
      token: m.apiKey,
      body: { orders: Array.from({ length: 501 }, (_, i) => paidOrder(`BV-M-${i}`, "cust-bvm")) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.issues[0].path).toBe("orders");
  });
});
