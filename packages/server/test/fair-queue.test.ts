/**
 * Paid-order sets are fair between merchants (modules/orders/queue.ts): a merchant with a deep backlog delays another
 * merchant's order by one short set at most, and a merchant's backlog is bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteDb } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { PAID_BACKLOG_MAX, PAID_SET_SHARED_MAX, PaidOrderQueue } from "../src/modules/orders/queue.ts";
import { paidOrder, START, TEST_KEY_RING } from "./helpers.ts";

// The database's one slot (embedded PGlite) is where merchants compete; no merchant exists here, so each order
// fails at once (no program) — what is measured is the order in which the queue serves them.
let db: PgliteDb;
beforeAll(async () => {
  db = await PgliteDb.open();
  await migrate(db);
});
afterAll(async () => db?.close());

const body = (ref: string) => ({ ...paidOrder(ref, `c-${ref}`), shippingMinor: 0 }) as Parameters<PaidOrderQueue["submit"]>[2];

describe("the paid-order queue", () => {
  it("serves another merchant after one short set of a flooding merchant, not after its backlog", async () => {
    const queue = new PaidOrderQueue(db);
    const done: string[] = [];
    const track = (who: string, p: Promise<unknown>) =>
      p.then(
        () => done.push(who),
        () => done.push(who),
      );
    const all = [
      ...Array.from({ length: 100 }, (_, i) =>
        track("flood", queue.submit(TEST_KEY_RING, "mch_flood", body(`F-${i}`), null, new Date(START))),
      ),
      track("quiet", queue.submit(TEST_KEY_RING, "mch_quiet", body("Q-1"), null, new Date(START))),
    ];
    await Promise.all(all);
    expect(done.indexOf("quiet")).toBe(PAID_SET_SHARED_MAX);
  });

  it("refuses an order beyond a merchant's backlog with 429, and serves the others", async () => {
    const queue = new PaidOrderQueue(db);
    const submitted = Array.from({ length: PAID_BACKLOG_MAX + 1 }, (_, i) =>
      queue.submit(TEST_KEY_RING, "mch_backlog", body(`B-${i}`), null, new Date(START)).then(
        () => "ok",
        (e: { code?: string; status?: number }) => e.code ?? "error",
      ),
    );
    const outcomes = await Promise.all(submitted);
    expect(outcomes.at(-1)).toBe("RATE_LIMITED");
    expect(outcomes.slice(0, -1).filter((o) => o === "RATE_LIMITED")).toEqual([]);
    // and it takes orders again once its backlog drained
    await expect(queue.submit(TEST_KEY_RING, "mch_backlog", body("B-after"), null, new Date(START))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  }, 60_000);
});
