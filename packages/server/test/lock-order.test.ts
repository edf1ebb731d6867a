/**
 * One lock order everywhere (docs/ledger.md, "Lock order"): paid-order sets, refunds, cancellations and the release
 * job take the merchant's ledger head before any period-stats row or commission line. Paid orders and refunds of the
 * same promoter and period are streamed at once; on PostgreSQL the test database's deadlock counter
 * (pg_stat_database.deadlocks) must stay at zero. The money must add up on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRelease } from "../src/jobs/release.ts";
import {
  deadlockCount,
  type Harness,
  type MerchantFixture,
  merchantFixture,
  onPostgres,
  paidOrder,
  promoterFixture,
  runConcurrently,
  startHarness,
} from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let seller: Awaited<ReturnType<typeof promoterFixture>>;

/** Orders paid before the stream starts (then refunded during it), and orders paid during it. */
const REFUNDED = 240;
const STREAMED = 240;
const CONCURRENCY = 6;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "LockOrder");
  const top = await promoterFixture(h, m, "Top");
  const mid = await promoterFixture(h, m, "Mid", top.code);
  seller = await promoterFixture(h, m, "Seller", mid.code);
});
afterAll(async () => h?.close());

describe("lock order of paid orders, refunds and releases", () => {
  it("streams paid orders and refunds of one promoter and period at once without a deadlock", { timeout: 120_000 }, async () => {
    for (let i = 0; i < REFUNDED; i += 50) {
      const orders = Array.from({ length: Math.min(50, REFUNDED - i) }, (_, k) =>
        paidOrder(`LR-${i + k}`, `lr-c${(i + k) % 37}`, { promoCode: seller.code }),
      );
      const r = await h.call("POST", "/v1/orders/batch", { token: m.apiKey, body: { orders } });
      expect(r.status).toBe(200);
    }
    // Half of the refunded orders are completed (and released) while the stream runs.
    for (let i = 0; i < REFUNDED; i += 2) {
      const r = await h.call("POST", `/v1/orders/LR-${i}/complete`, { token: m.apiKey, body: {} });
      expect(r.status).toBe(200);
    }
    const before = onPostgres ? await deadlockCount(h) : 0;

    type Job = { kind: "paid" | "refund" | "cancel"; i: number };
    const jobs: Job[] = [];
    for (let i = 0; i < Math.max(REFUNDED, STREAMED); i++) {
      if (i < STREAMED) jobs.push({ kind: "paid", i });
      if (i < REFUNDED) jobs.push({ kind: i % 5 === 4 && i % 2 === 1 ? "cancel" : "refund", i });
    }
    const failures: string[] = [];
    let released = 0;
    const releasing = (async () => {
      h.clock.advanceDays(8);
      for (let k = 0; k < 10; k++) {
        released += await runRelease(h.db, h.clock);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await runConcurrently(CONCURRENCY, jobs, async (j) => {
      const r =
        j.kind === "paid"
          ? await h.call("POST", "/v1/orders", {
              token: m.apiKey,
              body: paidOrder(`LS-${j.i}`, `ls-c${j.i % 41}`, { promoCode: seller.code }),
            })
          : j.kind === "cancel"
            ? await h.call("POST", `/v1/orders/LR-${j.i}/cancel`, { token: m.apiKey, body: {} })
            : await h.call("POST", `/v1/orders/LR-${j.i}/refunds`, {
                token: m.apiKey,
                body: { amountMinor: 3_000 },
                headers: { "idempotency-key": `lr-refund-${j.i}` },
              });
      if (r.status !== (j.kind === "paid" ? 201 : 200)) failures.push(`${j.kind} ${j.i}: ${r.status} ${JSON.stringify(r.body)}`);
    });
    await releasing;
    expect(failures).toEqual([]);
    expect(released).toBeGreaterThan(0);

    const verify = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
    expect(verify.body.ok).toBe(true);
    const [stats] = await h.db.read((q) =>
      q.query<{ sales: number; refunded: number }>(
        `SELECT sum(sales_minor)::bigint AS sales, sum(refunded_minor)::bigint AS refunded FROM promoter_period_stats
         WHERE merchant_id = $1 AND promoter_id = $2`,
        [m.merchantId, seller.promoterId],
      ),
    );
    const [orders] = await h.db.read((q) =>
      q.query<{ amount: number; refunded: number }>(
        `SELECT sum(amount_minor)::bigint AS amount,
                sum(CASE WHEN status = 'cancelled' THEN amount_minor ELSE refunded_minor END)::bigint AS refunded
         FROM orders WHERE merchant_id = $1 AND promoter_id = $2`,
        [m.merchantId, seller.promoterId],
      ),
    );
    expect(Number(stats?.sales)).toBe(Number(orders?.amount));
    expect(Number(stats?.refunded)).toBe(Number(orders?.refunded));
    if (onPostgres) expect((await deadlockCount(h)) - before).toBe(0);
  });
});
