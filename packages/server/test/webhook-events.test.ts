/**
 * Domain events written in the transaction of their change, and delivered as webhooks: order attributed, commission
 * created / reversed / available, customer rewarded, period closed, plan published. A refused change writes no event.
 */
import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRelease } from "../src/jobs/release.ts";
import { runWebhooks } from "../src/jobs/webhooks.ts";
import {
  type Harness,
  type Json,
  type MerchantFixture,
  merchantFixture,
  paidOrder,
  promoterFixture,
  startHarness,
  TEST_KEY_RING,
} from "./helpers.ts";

const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000 },
  team: { levels: [{ rateBps: 300 }] },
  referral: { promoterAmountMinor: 500, customerReward: { kind: "coupon", valueMinor: 1000 } },
};

let h: Harness;
let m: MerchantFixture;
let guide: Awaited<ReturnType<typeof promoterFixture>>;
let receiver: Server;
let url = "";
const received: { id: string; body: Json }[] = [];
let secret = "";

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = "1";
  h = await startHarness("2026-03-02T02:00:00.000Z");
  m = await merchantFixture(h, "Events", { plan: PLAN, program: { holdDays: 0 } });
  guide = await promoterFixture(h, m, "Guide");
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      // the server's clock is in March 2026: check the signature, the timestamp is checked in webhooks.test.ts
      const ts = Number(req.headers["webhook-timestamp"]);
      const sig = new Webhook(secret).sign(req.headers["webhook-id"] as string, new Date(ts * 1000), body);
      const ok = (req.headers["webhook-signature"] as string).split(" ").includes(sig);
      if (ok) received.push({ id: req.headers["webhook-id"] as string, body: JSON.parse(body) });
      res.writeHead(ok ? 200 : 400).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, "127.0.0.1", () => ok()));
  const a = receiver.address();
  url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/`;
});
afterAll(async () => {
  await new Promise((ok) => receiver?.close(ok));
  await h?.close();
  delete process.env.WEBHOOKS_ALLOW_PRIVATE;
});

async function eventsOf(type: string): Promise<{ id: string; subject: string; data: Json }[]> {
  return h.db.read((q) =>
    q.query<{ id: string; subject: string; data: Json }>(
      "SELECT id, subject, data FROM events WHERE merchant_id = $1 AND type = $2 ORDER BY pos",
      [m.merchantId, type],
    ),
  );
}

describe("domain events", () => {
  it("a published plan emits plan.published (the fixture published version 1)", async () => {
    const [e] = await eventsOf("plan.published");
    expect(e?.data).toMatchObject({ programId: m.programId, version: 1, effectiveFrom: "2020-01-01T00:00:00.000Z" });
    expect(e?.subject).toBe(`plan:${m.programId}:1`);
  });

  it("a paid order emits order.attributed and commission.created per line, in one insert with the order", async () => {
    h.clock.set("2026-03-02T02:30:00Z"); // the endpoint is created after the plan was published: that event is not its
    const ep = await h.call("POST", "/v1/webhook-endpoints", { token: m.apiKey, body: { url, events: ["*"] } });
    expect(ep.status).toBe(201);
    secret = ep.body.secret;
    const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("E-1", "cust-1", { promoCode: guide.code }) });
    expect(r.status).toBe(201);
    const [att] = await eventsOf("order.attributed");
    expect(att?.data).toMatchObject({
      orderId: r.body.orderId,
      orderRef: "E-1",
      promoterId: guide.promoterId,
      customerRef: "cust-1",
      amountMinor: 15_001,
    });
    const created = await eventsOf("commission.created");
    expect(created.map((e) => e.data.id).sort()).toEqual(r.body.commissions.map((c: Json) => c.id).sort());
    expect(created[0]?.data).toMatchObject({ orderRef: "E-1", state: "pending" });
    // an unattributed order and a refused one emit nothing
    const before = (await eventsOf("order.attributed")).length;
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("E-2", "cust-2") });
    const dup = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("E-1", "cust-1", { promoCode: guide.code }) });
    expect(dup.status).toBe(409);
    expect(await eventsOf("order.attributed")).toHaveLength(before);
    expect(await eventsOf("commission.created")).toHaveLength(created.length);
  });

  it("a referral emits customer.rewarded with the coupon", async () => {
    await h.call("POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "A", promoCode: guide.code } });
    const r = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: {
        orderRef: "E-R",
        customer: { ref: "B" },
        referrerCustomerRef: "A",
        paidAt: "2026-03-02T02:00:00Z",
        lines: [{ productId: "X", quantity: 1, netAmountMinor: 20_000 }],
      },
    });
    expect(r.status).toBe(201);
    const [e] = await eventsOf("customer.rewarded");
    expect(e?.data).toMatchObject({
      orderRef: "E-R",
      reward: { kind: "coupon", valueMinor: 1000, customerRef: "A", orderId: r.body.orderId },
    });
  });

  it("a refund emits commission.reversed per line it reverses", async () => {
    const r = await h.call("POST", "/v1/orders/E-1/refunds", { token: m.apiKey, body: { amountMinor: 15_001 } });
    expect(r.status).toBe(200);
    const rev = await eventsOf("commission.reversed");
    const nonZero = r.body.commissions.filter((c: Json) => c.amountMinor !== 0);
    expect(rev.map((e) => e.data.id).sort()).toEqual(nonZero.map((c: Json) => c.id).sort());
    for (const e of rev) expect(e.data).toMatchObject({ state: "reversed", cause: "refund", orderRef: "E-1" });
  });

  it("a release emits commission.available", async () => {
    const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("E-3", "cust-3", { promoCode: guide.code }) });
    expect(
      (await h.call("POST", "/v1/orders/E-3/complete", { token: m.apiKey, body: { completedAt: "2026-03-02T03:00:00Z" } })).status,
    ).toBe(200);
    h.clock.set("2026-03-03T00:00:00Z");
    expect(await runRelease(h.db, h.clock)).toBeGreaterThan(0);
    const av = await eventsOf("commission.available");
    const ids = o.body.commissions.filter((c: Json) => c.amountMinor !== 0).map((c: Json) => c.id);
    expect(av.map((e) => e.data.id)).toEqual(expect.arrayContaining(ids));
    expect(av[0]?.data.state).toBe("available");
  });

  it("a period close emits period.closed once", async () => {
    h.clock.set("2026-04-02T00:00:00Z");
    const r = await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    expect(r.status).toBe(200);
    await h.call("POST", `/v1/programs/${m.programId}/periods/2026-03/close`, { token: m.apiKey });
    const closed = await eventsOf("period.closed");
    expect(closed).toHaveLength(1);
    expect(closed[0]?.data).toMatchObject({ programId: m.programId, periodKey: "2026-03" });
  });

  it("every event since the endpoint was created reaches it once, signed, under its event id", async () => {
    await runWebhooks(h.db, h.clock, TEST_KEY_RING);
    const rows = await h.db.read((q) =>
      q.query<{ id: string; type: string }>(
        "SELECT id, type FROM events WHERE merchant_id = $1 AND type <> 'plan.published' ORDER BY pos",
        [m.merchantId],
      ),
    );
    expect(received.map((r) => `${r.body.type} ${r.id}`).sort()).toEqual(rows.map((r) => `${r.type} ${r.id}`).sort());
    expect(new Set(received.map((r) => r.body.type))).toEqual(
      new Set([
        "order.attributed",
        "commission.created",
        "customer.rewarded",
        "commission.reversed",
        "commission.available",
        "period.closed",
      ]),
    );
  });
});

describe("the records of a period close", () => {
  it("a tier true-up and a bonus written by the close emit commission.created each, with the period", async () => {
    h.clock.set("2026-04-02T01:00:00Z");
    const t = await merchantFixture(h, "EventsTiers", {
      plan: {
        version: 1,
        tiers: {
          mode: "retroactive",
          steps: [
            { fromMinor: 0, rateBps: 800 },
            { fromMinor: 50_000, rateBps: 1000, bonusMinor: 2_000 },
          ],
        },
      },
    });
    const seller = await promoterFixture(h, t, "TierSeller");
    h.clock.set("2026-04-10T02:00:00Z");
    for (const ref of ["TE-1", "TE-2"]) {
      const r = await h.call("POST", "/v1/orders", {
        token: t.apiKey,
        body: {
          orderRef: ref,
          customer: { ref: `c-${ref}` },
          paidAt: "2026-04-10T02:00:00Z",
          promoCode: seller.code,
          lines: [{ productId: "P", quantity: 1, netAmountMinor: 30_000 }],
        },
      });
      expect(r.status).toBe(201);
    }
    h.clock.set("2026-05-02T00:00:00Z");
    expect((await h.call("POST", `/v1/programs/${t.programId}/periods/2026-04/close`, { token: t.apiKey })).status).toBe(200);
    const records = await h.db.read((q) =>
      q.query<{ id: string; kind: string; amount_minor: number }>(
        "SELECT id, kind, amount_minor::int AS amount_minor FROM commission_lines WHERE merchant_id = $1 AND adjustment_key IS NOT NULL ORDER BY id",
        [t.merchantId],
      ),
    );
    expect(records.length).toBeGreaterThanOrEqual(2); // the true-ups of the two orders' lines (8 % → 10 %) and the bonus
    const events = await h.db.read((q) =>
      q.query<{ subject: string; data: Json }>(
        "SELECT subject, data FROM events WHERE merchant_id = $1 AND type = 'commission.created' AND data->>'periodKey' = '2026-04' ORDER BY subject",
        [t.merchantId],
      ),
    );
    expect(events.map((e) => e.subject)).toEqual(records.map((r) => `commission:${r.id}`));
    for (const e of events) {
      const rec = records.find((r) => `commission:${r.id}` === e.subject);
      expect(e.data).toMatchObject({
        programId: t.programId,
        beneficiaryId: seller.promoterId,
        amountMinor: rec?.amount_minor,
        kind: rec?.kind,
      });
      expect(String((e.data.explanation as Json).zh)).not.toBe("");
    }
    // a retried close writes no record and no event again
    await h.call("POST", `/v1/programs/${t.programId}/periods/2026-04/close`, { token: t.apiKey });
    const again = await h.db.read((q) =>
      q.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM events WHERE merchant_id = $1 AND type = 'commission.created' AND data->>'periodKey' = '2026-04'",
        [t.merchantId],
      ),
    );
    expect(again[0]?.n).toBe(events.length);
  });
});
