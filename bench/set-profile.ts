/**
 * Where one merchant's paid-order set spends its time on PostgreSQL: `npm run bench -- set-profile [--seconds S]
 * [--concurrency C] [--admin-url URL]`. In process (no HTTP): a fresh database with the demo data, C clients each
 * submitting one paid order at a time of the demo merchant to the group-commit queue (modules/orders/queue.ts) for S
 * seconds. Every statement of the queue's
 * transactions is timed at the client, so the report splits a set's wall time into the state read, the write, the
 * events, other reads, JavaScript between the statements (attribution, evaluation, hashing) and BEGIN/COMMIT with the
 * pool's connect — and says how long the merchant's slot stood idle between sets (orders waiting for a set to start).
 */

import { parseArgs } from "node:util";
import { systemClock } from "../packages/server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../packages/server/src/crypto/sealed.ts";
import { type Db, PostgresDb, type Sql } from "../packages/server/src/db/client.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { DEMO, seedDemo } from "../packages/server/src/demo/seed.ts";
import "../packages/server/src/db-units.ts";
import { PaidOrderQueue } from "../packages/server/src/modules/orders/queue.ts";
import type { PaidOrderBody } from "../packages/server/src/modules/orders/schema.ts";
import { createDatabase } from "./ingest.ts";
import { benchAdminUrl, intOption } from "./options.ts";

type Phase = "state" | "write" | "events" | "other" | "js" | "begin+commit";

function classify(text: string): Exclude<Phase, "js" | "begin+commit"> {
  if (text.includes("fenxiao_ingest_state")) return "state";
  if (text.includes("fenxiao_ingest_write")) return "write";
  if (text.startsWith("INSERT INTO events")) return "events";
  return "other";
}

/** The database, with every statement of the queue's transactions timed. */
function timed(db: Db, totals: Map<Phase, number>, sets: { n: number; busyMs: number }) {
  const add = (p: Phase, ms: number) => totals.set(p, (totals.get(p) ?? 0) + ms);
  return Object.assign(Object.create(db) as Db, {
    kind: db.kind,
    tx: async <T>(fn: (q: Sql) => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      let inFn = 0;
      let inQueries = 0;
      const out = await db.tx(async (q) => {
        const f0 = performance.now();
        const tq: Sql = {
          query: async (text, params) => {
            const s = performance.now();
            try {
              return await q.query(text, params);
            } finally {
              const ms = performance.now() - s;
              inQueries += ms;
              add(classify(text), ms);
            }
          },
        };
        try {
          return await fn(tq);
        } finally {
          inFn = performance.now() - f0;
        }
      });
      const total = performance.now() - t0;
      add("js", inFn - inQueries);
      add("begin+commit", total - inFn);
      sets.n++;
      sets.busyMs += total;
      return out;
    },
  });
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: "string" }, concurrency: { type: "string" }, "admin-url": { type: "string" } },
  });
  const seconds = intOption("seconds", values.seconds, 10, 1, 300);
  const concurrency = intOption("concurrency", values.concurrency, 8, 1, 256);
  const database = await createDatabase(benchAdminUrl(values["admin-url"]));
  const db = PostgresDb.open(database.url);
  const ring = keyRing(newSecretKeyText());
  try {
    await migrate(db);
    await seedDemo(db, systemClock, ring);
    const codes = (
      await db.read((q) => q.query<{ code: string }>("SELECT code FROM memberships WHERE merchant_id = $1", [DEMO.merchantId]))
    ).map((r) => r.code);
    const products = await db.read((q) =>
      q.query<{ id: string; price_minor: number }>("SELECT id, price_minor FROM products WHERE merchant_id = $1", [DEMO.merchantId]),
    );
    const totals = new Map<Phase, number>();
    const sets = { n: 0, busyMs: 0 };
    const queue = new PaidOrderQueue(timed(db, totals, sets));
    let done = 0;
    let seq = 0;
    const until = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const i = seq++;
          const p = products[i % products.length] as { id: string; price_minor: number };
          const body = {
            orderRef: `SP-${i}`,
            customer: { ref: `sp-c${i % 997}` },
            channel: "online",
            paidAt: new Date().toISOString(),
            promoCode: codes[i % codes.length],
            shippingMinor: 0,
            lines: [{ productId: p.id, quantity: 1, netAmountMinor: Math.max(1, p.price_minor) }],
          } as unknown as PaidOrderBody;
          const r = await queue.submit(ring, DEMO.merchantId, body, `sp-${i}`, new Date());
          if (r.statusCode !== 201) throw new Error(`order ${i}: ${r.statusCode}`);
          done++;
        }
      }),
    );
    const wall = performance.now() - t0;
    console.log(
      `set profile: C = ${concurrency}, one merchant, ${seconds} s: ${((done / wall) * 1000).toFixed(0)} orders/s, ` +
        `${sets.n} sets of ${(done / sets.n).toFixed(1)} orders, a set ${(sets.busyMs / sets.n).toFixed(2)} ms`,
    );
    for (const p of ["state", "write", "events", "other", "js", "begin+commit"] as Phase[])
      console.log(
        `  ${p.padEnd(13)} ${((totals.get(p) ?? 0) / sets.n).toFixed(2)} ms per set (${(((totals.get(p) ?? 0) / sets.busyMs) * 100).toFixed(0)} %)`,
      );
    console.log(`  no set running: ${(((wall - sets.busyMs) / wall) * 100).toFixed(0)} % of the wall time (orders waiting to start a set)`);
  } finally {
    await db.close();
    await database.drop();
  }
}
