/**
 * Paid-order sets span merchants (modules/orders/queue.ts): the orders of merchants waiting for a slot share one
 * transaction, each merchant's part under its own ledger head, taken in merchant-id order. Checked here on a real
 * database: several merchants' orders take fewer transactions than merchants, every order is written once with its
 * commission and replays exactly; a database failure in one merchant's part fails only that merchant's orders; and
 * on PostgreSQL merchants streamed at once with refunds never deadlock.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchQueue } from "../src/db/batch.ts";
import type { Db } from "../src/db/client.ts";
import { lockLedgerHead } from "../src/modules/ledger/repository.ts";
import { PaidOrderQueue } from "../src/modules/orders/queue.ts";
import type { PaidOrderBody } from "../src/modules/orders/schema.ts";
import {
  deadlockCount,
  type Harness,
  type MerchantFixture,
  merchantFixture,
  onPostgres,
  paidOrder,
  promoterFixture,
  runConcurrently,
  START,
  startHarness,
  TEST_KEY_RING,
} from "./helpers.ts";

/** More merchants than PostgreSQL's slots (BATCH_LANES = 4), so that some of them wait for a slot and join a set. */
const MERCHANTS = 6;

let h: Harness;
const shops: { m: MerchantFixture; code: string }[] = [];

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < MERCHANTS; i++) {
    const m = await merchantFixture(h, `Shop${i}`);
    const seller = await promoterFixture(h, m, `Seller${i}`);
    shops.push({ m, code: seller.code });
  }
}, 120_000);
afterAll(async () => h?.close());

/** The server's database, counting the transactions the queue opens (the queries go to the real database). */
function counting(db: Db): { db: Db; txs: () => number } {
  let n = 0;
  const wrapped: Db = {
    kind: db.kind,
    read: (fn) => db.read(fn),
    tx: (fn) => {
      n++;
      return db.tx(fn);
    },
    batch: (key, fn) => db.batch(key, fn),
    runUnit: (unit, input) => db.runUnit(unit, input),
    analyze: () => db.analyze(),
    close: () => db.close(),
  };
  return { db: wrapped, txs: () => n };
}

const body = (ref: string, customer: string, code: string) =>
  ({ ...paidOrder(ref, customer, { promoCode: code }), shippingMinor: 0 }) as unknown as PaidOrderBody;

async function orderCount(merchantId: string, refPrefix: string): Promise<number> {
  const [r] = await h.db.read((q) =>
    q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1 AND order_ref LIKE $2", [
      merchantId,
      `${refPrefix}%`,
    ]),
  );
  return Number(r?.n);
}

describe("paid-order sets across merchants", () => {
  it("ingests several merchants' orders in fewer transactions than merchants, each once, and replays them exactly", async () => {
    const c = counting(h.db);
    const queue = new PaidOrderQueue(c.db);
    const submitAll = () =>
      Promise.all(
        shops.map(({ m, code }, i) =>
          queue.submit(TEST_KEY_RING, m.merchantId, body(`X-${i}`, `x-c${i}`, code), `x-key-${i}`, new Date(START)),
        ),
      );
    const first = await submitAll();
    expect(first.map((r) => r.statusCode)).toEqual(shops.map(() => 201));
    expect(first.every((r) => r.replayed === false)).toBe(true);
    expect(c.txs()).toBeLessThan(MERCHANTS);
    for (const [i, { m }] of shops.entries()) {
      expect(await orderCount(m.merchantId, `X-${i}`)).toBe(1);
      const verify = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
      expect(verify.body.ok).toBe(true);
      const orderId = ((first[i] as (typeof first)[number]).body as { orderId: string }).orderId;
      const [lines] = await h.db.read((q) =>
        q.query<{ n: number }>("SELECT count(*)::int AS n FROM commission_lines WHERE merchant_id = $1 AND order_id = $2", [
          m.merchantId,
          orderId,
        ]),
      );
      expect(Number(lines?.n)).toBeGreaterThan(0);
    }
    const again = await submitAll();
    expect(again.every((r) => r.replayed === true)).toBe(true);
    expect(again.map((r) => (r.body as { orderId: string }).orderId)).toEqual(first.map((r) => (r.body as { orderId: string }).orderId));
  });

  it("fails only the merchant whose part fails in the database; the other merchants' orders of the set are written", async () => {
    const bad = shops[2] as (typeof shops)[number];
    await h.db.tx(async (q) => {
      await q.query(
        `CREATE FUNCTION test_refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.merchant_id = '${bad.m.merchantId}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`,
      );
      await q.query("CREATE TRIGGER test_refuse_order BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION test_refuse_order()");
    });
    try {
      const queue = new PaidOrderQueue(h.db);
      const outcomes = await Promise.all(
        shops.flatMap(({ m, code }, i) =>
          [0, 1].map((k) =>
            queue.submit(TEST_KEY_RING, m.merchantId, body(`Y-${i}-${k}`, `y-c${i}-${k}`, code), `y-key-${i}-${k}`, new Date(START)).then(
              (r) => r.statusCode,
              (e: Error) => e.message,
            ),
          ),
        ),
      );
      shops.forEach((_, i) => {
        const mine = outcomes.slice(2 * i, 2 * i + 2);
        if (i === 2) expect(mine.every((o) => typeof o === "string" && o.includes("refused by the test"))).toBe(true);
        else expect(mine).toEqual([201, 201]);
      });
      expect(await orderCount(bad.m.merchantId, "Y-")).toBe(0);
      for (const [i, { m }] of shops.entries()) if (i !== 2) expect(await orderCount(m.merchantId, `Y-${i}-`)).toBe(2);
      const verify = await h.call("GET", "/v1/ledger/verify", { token: bad.m.apiKey });
      expect(verify.body.ok).toBe(true);
    } finally {
      await h.db.tx(async (q) => {
        await q.query("DROP TRIGGER test_refuse_order ON orders");
        await q.query("DROP FUNCTION test_refuse_order()");
      });
    }
  });

  it("streams every merchant's paid orders and refunds at once without a deadlock", { timeout: 120_000 }, async () => {
    const before = onPostgres ? await deadlockCount(h) : 0;
    const jobs = Array.from({ length: 24 }, (_, i) => shops.map((s, k) => ({ s, k, i }))).flat();
    const failures: string[] = [];
    await runConcurrently(12, jobs, async ({ s, k, i }) => {
      const r = await h.call("POST", "/v1/orders", {
        token: s.m.apiKey,
        body: paidOrder(`Z-${k}-${i}`, `z-c${i % 5}`, { promoCode: s.code }),
        headers: { "idempotency-key": `z-${k}-${i}` },
      });
      if (r.status !== 201) failures.push(`paid ${k}/${i}: ${r.status} ${JSON.stringify(r.body)}`);
      if (i % 3 !== 2) return;
      const f = await h.call("POST", `/v1/orders/Z-${k}-${i}/refunds`, {
        token: s.m.apiKey,
        body: { amountMinor: 2_000 },
        headers: { "idempotency-key": `z-refund-${k}-${i}` },
      });
      if (f.status !== 200) failures.push(`refund ${k}/${i}: ${f.status} ${JSON.stringify(f.body)}`);
    });
    expect(failures).toEqual([]);
    for (const [k, { m }] of shops.entries()) {
      expect(await orderCount(m.merchantId, `Z-${k}-`)).toBe(24);
      const verify = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
      expect(verify.body.ok).toBe(true);
    }
    if (onPostgres) expect((await deadlockCount(h)) - before).toBe(0);
  });

  it.runIf(onPostgres)(
    "a group-commit transaction that holds several merchants' heads takes them in merchant-id order, as a set does",
    { timeout: 60_000 },
    async () => {
      const [low, high] = shops.map((s) => s.m.merchantId).sort() as [string, string];
      // One lane, so that a unit of `high` and a unit of `low` (submitted in that order) share one transaction.
      const lane = new BatchQueue((fn) => h.db.tx(fn), 1);
      const ran: string[] = [];
      const unit = (merchantId: string) => async (q: Parameters<Parameters<Db["tx"]>[0]>[0]) => {
        await lockLedgerHead(q, merchantId);
        ran.push(merchantId);
        return merchantId;
      };
      // Another transaction takes the heads in merchant-id order, as a paid-order set spanning both does: `low` now,
      // `high` once the lane's transaction has begun. Had the lane taken `high` first, the two would wait in a circle.
      const other = new pg.Client({ connectionString: h.url });
      await other.connect();
      try {
        await other.query("BEGIN");
        await other.query("SELECT 1 FROM ledger_heads WHERE merchant_id = $1 FOR UPDATE", [low]);
        let started!: () => void;
        const lanBusy = new Promise<void>((r) => {
          started = r;
        });
        const first = lane.submit("0-first", async () => {
          started();
          await new Promise((r) => setTimeout(r, 200));
          return "first";
        });
        await lanBusy;
        const units = [lane.submit(high, unit(high)), lane.submit(low, unit(low))];
        await first;
        await new Promise((r) => setTimeout(r, 300)); // the lane's transaction of the two units is waiting by now
        await other.query("SELECT 1 FROM ledger_heads WHERE merchant_id = $1 FOR UPDATE", [high]);
        await other.query("COMMIT");
        expect(await Promise.all(units)).toEqual([high, low]);
        expect(ran).toEqual([low, high]);
      } finally {
        await other.end();
      }
    },
  );
});
