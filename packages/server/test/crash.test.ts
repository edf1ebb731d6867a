/**
 * Crash recovery: the server runs as a child process, order events stream in with Idempotency-Keys, the child is
 * SIGKILLed mid-stream, restarted, and every request is sent again with its key. Afterwards every order exists exactly
 * once, every acknowledged response is returned unchanged, no commission line is duplicated, the ledger verifies
 * (`fenxiao ledger verify`) and every account balance equals the sum of its postings. On PostgreSQL (the required
 * case) and on embedded PGlite, whose database runs on a thread of the killed process.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteDb } from "../src/db/client.ts";
import { CLI, ROOT, type ServerChild, startServerChild } from "./child-server.ts";
import { createTestDatabase, onPostgres } from "./helpers.ts";

const API_KEY = "fxk_demo_beibei_0000000000000000";
const MERCHANT = "mch_demo_beibei";
const ORDERS = 300;
const CONCURRENCY = 4;
/** SIGKILL once this many orders have been acknowledged. */
const KILL_AFTER_ACKS = 100;

type Child = ServerChild;

/** Where the server keeps its data: a PostgreSQL database, or an embedded data directory. */
type Store = { DATABASE_URL: string } | { FENXIAO_DATA_DIR: string };
const storeEnv = (store: Store): NodeJS.ProcessEnv => {
  // The test runs on the demo data: a server on DATABASE_URL creates it only when asked.
  const env: NodeJS.ProcessEnv = { ...process.env, ...store, FENXIAO_DEMO: "1" };
  if (!("DATABASE_URL" in store)) delete env.DATABASE_URL;
  return env;
};

function startChild(store: Store): Promise<Child> {
  return startServerChild(storeEnv(store));
}

async function killChild(c: Child | null): Promise<void> {
  if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill("SIGKILL");
  await c.exited;
}

interface OrderBody {
  orderId: string;
  orderRef: string;
  commissions: { id: string; beneficiaryId: string; level: number; lineNo: number | null; amountMinor: number }[];
}

async function postOrder(base: string, key: string, body: unknown) {
  const res = await fetch(`${base}/v1/orders`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get("idempotent-replayed"), body: (await res.json()) as OrderBody };
}

function makeRequests(codes: readonly string[]) {
  const products = [
    { id: "SKU-1001", priceMinor: 32_800 },
    { id: "SKU-2001", priceMinor: 12_900 },
    { id: "SKU-3002", priceMinor: 129_900 },
    { id: "SKU-4001", priceMinor: 8_900 },
  ];
  const paidAt = new Date(Date.now() - 3600_000).toISOString();
  return Array.from({ length: ORDERS }, (_, i) => ({
    key: `crash-key-${i}`,
    body: {
      orderRef: `CRASH-${String(i).padStart(4, "0")}`,
      customer: { ref: `CRASH-C${i % 90}` },
      channel: i % 5 === 0 ? "community" : "online",
      paidAt,
      promoCode: codes[i % codes.length],
      lines: Array.from({ length: 1 + (i % 3) }, (_, j) => {
        const p = products[(i + j) % products.length] as { id: string; priceMinor: number };
        return { productId: p.id, quantity: 1 + (j % 2), netAmountMinor: p.priceMinor * (1 + (j % 2)) - (i % 7) };
      }),
    },
  }));
}

/** Rows of a query against the store, after the server has stopped. */
type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;
interface StoreUnderTest {
  store: Store;
  query: Query;
  /** Let go of the store so that another process may open it (the embedded directory); queries reopen it. */
  release(): Promise<void>;
  close(): Promise<void>;
  /** PostgreSQL: the deadlocks its statistics counted in the test database (pg_stat_database). */
  deadlocks?(): Promise<number>;
}

/** Stop a server cleanly (SIGTERM), so that its embedded database may be opened by the checks. */
async function stopChild(c: Child | null): Promise<void> {
  if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill("SIGTERM");
  const done = await Promise.race([c.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
  if (done === null) await killChild(c);
}

function crashSuite(title: string, skip: boolean, open: () => Promise<StoreUnderTest>) {
  describe.skipIf(skip)(title, () => {
    let sut: StoreUnderTest | null = null;
    let child: Child | null = null;
    let requests: ReturnType<typeof makeRequests> = [];
    const acked = new Map<number, OrderBody>();
    const resent = new Map<number, { replayed: string | null; body: OrderBody }>();
    const q: Query = (sql, params) => (sut as StoreUnderTest).query(sql, params);

    beforeAll(async () => {
      sut = await open();
    });

    afterAll(async () => {
      await killChild(child);
      await sut?.close();
    });

    it("acknowledged responses survive SIGKILL and every request replays with its key", { timeout: 360_000 }, async () => {
      const store = (sut as StoreUnderTest).store;
      child = await startChild(store); // the first start migrates and creates the demo data
      const promoters = (await (
        await fetch(`${child.base}/v1/promoters?limit=200`, { headers: { authorization: `Bearer ${API_KEY}` } })
      ).json()) as { items: { code: string; status: string }[] };
      const codes = promoters.items.filter((p) => p.status === "active").map((p) => p.code);
      expect(codes.length).toBeGreaterThan(0);
      requests = makeRequests(codes);

      // Stream at concurrency 4; SIGKILL the server right after the 100th acknowledgement, with requests in flight.
      const first = child;
      let next = 0;
      let killed = false;
      const early: string[] = [];
      const worker = async () => {
        while (!killed) {
          const i = next++;
          if (i >= requests.length) return;
          const r = requests[i] as (typeof requests)[number];
          try {
            const res = await postOrder(first.base, r.key, r.body);
            if (res.status === 201) acked.set(i, res.body);
            else if (!killed) early.push(`${r.body.orderRef}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
          } catch (e) {
            if (!killed) early.push(`${r.body.orderRef}: ${(e as Error).message}`);
          }
          if (!killed && acked.size >= KILL_AFTER_ACKS) {
            killed = true;
            first.proc.kill("SIGKILL");
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(early).toEqual([]);
      expect(killed).toBe(true);
      expect((await first.exited).signal).toBe("SIGKILL");
      expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(acked.size).toBeLessThan(ORDERS);

      // Restart on the same database and send every request again with its own key.
      child = await startChild(store);
      const second = child;
      let j = 0;
      const resend = async () => {
        for (;;) {
          const i = j++;
          if (i >= requests.length) return;
          const r = requests[i] as (typeof requests)[number];
          const res = await postOrder(second.base, r.key, r.body);
          expect(res.status, `${r.body.orderRef}: ${JSON.stringify(res.body)}`).toBe(201);
          resent.set(i, { replayed: res.replayed, body: res.body });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, resend));
      expect(resent.size).toBe(ORDERS);

      for (const [i, body] of acked) {
        const again = resent.get(i);
        expect(again?.replayed, `order ${i} was acknowledged, so its key must replay`).toBe("true");
        expect(again?.body).toEqual(body);
      }
      // Requests that were in flight at the kill either committed (and now replay) or rolled back (and now ran once).
      const inFlightCommitted = [...resent].filter(([i, r]) => !acked.has(i) && r.replayed === "true").length;
      expect(inFlightCommitted).toBeLessThanOrEqual(CONCURRENCY);
      console.log(
        `crash (${title.split(":")[0]}): ${acked.size} acknowledged before SIGKILL; ${inFlightCommitted} unacknowledged requests had committed and replayed`,
      );
      await stopChild(child);
    });

    it("every orderRef exists exactly once, with one set of commission lines and one accrual", async () => {
      const orders = await q<{ order_ref: string; id: string; n: string }>(
        `SELECT order_ref, min(id) AS id, count(*) AS n FROM orders WHERE merchant_id = $1 AND order_ref LIKE 'CRASH-%' GROUP BY order_ref`,
        [MERCHANT],
      );
      expect(orders.length).toBe(ORDERS);
      expect(orders.filter((r) => Number(r.n) !== 1)).toEqual([]);
      const idByRef = new Map(orders.map((r) => [r.order_ref, r.id]));
      for (const [i, r] of resent) expect(r.body.orderId).toBe(idByRef.get(requests[i]?.body.orderRef as string));

      const dupLines = await q(
        `SELECT order_id, beneficiary_id, level, kind, line_no, count(*) FROM commission_lines
       WHERE merchant_id = $1 AND order_id = ANY($2) GROUP BY order_id, beneficiary_id, level, kind, line_no HAVING count(*) > 1`,
        [MERCHANT, [...idByRef.values()]],
      );
      expect(dupLines).toEqual([]);
      const perOrder = await q<{ order_id: string; ids: string[] }>(
        `SELECT order_id, array_agg(id ORDER BY id) AS ids FROM commission_lines WHERE merchant_id = $1 AND order_id = ANY($2) GROUP BY order_id`,
        [MERCHANT, [...idByRef.values()]],
      );
      const linesOf = new Map(perOrder.map((r) => [r.order_id, r.ids]));
      let withCommission = 0;
      for (const r of resent.values()) {
        const ids = r.body.commissions.map((x) => x.id).sort();
        expect(linesOf.get(r.body.orderId) ?? []).toEqual(ids);
        if (ids.length > 0) withCommission++;
      }
      expect(withCommission).toBeGreaterThan(0);
      const accruals = await q<{ cause_ref: string }>(
        `SELECT cause_ref FROM ledger_transactions WHERE merchant_id = $1 AND cause_ref = ANY($2)`,
        [MERCHANT, [...idByRef.values()].map((id) => `order:${id}:paid`)],
      );
      expect(accruals.length).toBe(withCommission);
    });

    it("every account balance equals the sum of its postings", async () => {
      const diff = await q(
        `SELECT coalesce(b.merchant_id, p.merchant_id) AS merchant_id, coalesce(b.account, p.account) AS account, b.balance_minor, p.total
       FROM account_balances b
       FULL OUTER JOIN (SELECT merchant_id, account, currency, sum(amount_minor)::bigint AS total FROM ledger_postings GROUP BY 1, 2, 3) p
         ON p.merchant_id = b.merchant_id AND p.account = b.account AND p.currency = b.currency
       WHERE b.balance_minor IS DISTINCT FROM p.total`,
      );
      expect(diff).toEqual([]);
      const [sum] = await q<{ s: string }>("SELECT coalesce(sum(amount_minor), 0)::text AS s FROM ledger_postings");
      expect(sum?.s).toBe("0");
    });

    it.skipIf(!onPostgres)("PostgreSQL counted no deadlock in the test database", async () => {
      expect(await (sut as StoreUnderTest).deadlocks?.()).toBe(0);
    });

    it("`fenxiao ledger verify` exits 0 and prints OK", { timeout: 45_000 }, async () => {
      await sut?.release(); // the embedded data directory is opened by one process at a time
      const out = await new Promise<{ code: number; stdout: string; stderr: string }>((ok) => {
        execFile(
          process.execPath,
          ["--import", "tsx", CLI, "ledger", "verify"],
          { cwd: ROOT, env: storeEnv((sut as StoreUnderTest).store), timeout: 40_000 },
          (err, stdout, stderr) => ok({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(out.stderr + out.stdout).toContain("ledger verify: OK");
      expect(out.code).toBe(0);
    });
  });
}

crashSuite("PostgreSQL: SIGKILL mid-stream, restart, resend every request (FENXIAO_TEST_DB=postgres)", !onPostgres, async () => {
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let closed = false;
  return {
    store: { DATABASE_URL: db.url },
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    release: async () => {},
    deadlocks: async () => {
      // Every server backend has exited (the server was stopped), so its statistics are in.
      const r = await client.query<{ n: string }>("SELECT deadlocks::text AS n FROM pg_stat_database WHERE datname = current_database()");
      return Number(r.rows[0]?.n ?? -1);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
      await db.drop();
    },
  };
});

crashSuite("embedded PGlite: SIGKILL mid-stream, restart, resend every request", onPostgres, async () => {
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-crash-"));
  let db: PgliteDb | null = null;
  return {
    store: { FENXIAO_DATA_DIR: dir },
    // Opened only once the server has stopped: one process per data directory.
    query: async <T>(sql: string, params?: unknown[]) => {
      db ??= await PgliteDb.open(dir);
      return (await db.read((x) => x.query(sql, params))) as T[];
    },
    release: async () => {
      await db?.close();
      db = null;
    },
    close: async () => {
      await db?.close();
      db = null;
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
