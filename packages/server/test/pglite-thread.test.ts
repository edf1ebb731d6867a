import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromWire, PgliteThreadDb, toWire } from "../src/db/pglite-thread.ts";
import { ApiError } from "../src/http/errors.ts";
import { THREAD_UNIT_MODULE } from "./fixtures/thread-unit.ts";
import { onPostgres } from "./helpers.ts";

// Embedded mode runs PGlite on its own thread; every other test goes through it too (helpers.ts). These pin down what
// the thread boundary itself must keep: transactions, units that never interleave, and errors as they were thrown.
describe.skipIf(onPostgres)("PGlite on its own thread", () => {
  let db: PgliteThreadDb;
  beforeAll(async () => {
    db = await PgliteThreadDb.open();
    await db.tx((q) => q.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)"));
    await db.tx((q) => q.query("INSERT INTO counter VALUES (1, 0)"));
  });
  afterAll(async () => {
    await db.close();
  });

  it("a unit that throws is rolled back; one that returns is committed", async () => {
    await expect(
      db.tx(async (q) => {
        await q.query("UPDATE counter SET n = n + 100 WHERE id = 1");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const [r] = await db.read((q) => q.query<{ n: number }>("SELECT n FROM counter WHERE id = 1"));
    expect(r?.n).toBe(0);
    await db.tx((q) => q.query("UPDATE counter SET n = n + 1 WHERE id = 1"));
    const [r2] = await db.read((q) => q.query<{ n: number }>("SELECT n FROM counter WHERE id = 1"));
    expect(r2?.n).toBe(1);
  });

  it("concurrent units run one after another (read, then write what was read: no update is lost)", async () => {
    const before = (await db.read((q) => q.query<{ n: number }>("SELECT n FROM counter WHERE id = 1")))[0]?.n ?? 0;
    await Promise.all(
      Array.from({ length: 25 }, () =>
        db.tx(async (q) => {
          const [row] = await q.query<{ n: number }>("SELECT n FROM counter WHERE id = 1");
          await new Promise((r) => setTimeout(r, 1)); // the server's thread does other work mid-unit
          await q.query("UPDATE counter SET n = $1 WHERE id = 1", [(row?.n ?? 0) + 1]);
        }),
      ),
    );
    const [r] = await db.read((q) => q.query<{ n: number }>("SELECT n FROM counter WHERE id = 1"));
    expect(r?.n).toBe(before + 25);
  });

  it("a database error keeps its code and constraint; the unit can go on after it is caught inside a savepoint", async () => {
    const err = await db.tx((q) => q.query("INSERT INTO counter VALUES (1, 5)")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe("23505");
    expect((err as { constraint?: string }).constraint).toBe("counter_pkey");
    const out = await db.tx(async (q) => {
      await q.query("SAVEPOINT s");
      const e = await q.query("INSERT INTO counter VALUES (1, 5)").catch((x: unknown) => x);
      await q.query("ROLLBACK TO SAVEPOINT s");
      await q.query("INSERT INTO counter VALUES (2, 7)");
      return (e as { code?: string }).code;
    });
    expect(out).toBe("23505");
    const rows = await db.read((q) => q.query<{ id: number }>("SELECT id FROM counter ORDER BY id"));
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("API errors cross the thread with their code, status and details", () => {
    const e = fromWire(toWire(new ApiError("ORDER_EXISTS", undefined, { orderRef: "A-1" })));
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe("ORDER_EXISTS");
    expect((e as ApiError).status).toBe(409);
    expect((e as ApiError).details).toEqual({ orderRef: "A-1" });
  });

  it("values of every type come back as PGlite parses them", async () => {
    const at = new Date("2026-11-26T10:00:00.123Z");
    const [r] = await db.read((q) =>
      q.query<{ t: Date; j: unknown; a: string[]; b: boolean; n: number }>(
        "SELECT $1::timestamptz AS t, $2::jsonb AS j, $3::text[] AS a, true AS b, 12345::bigint AS n",
        [at, JSON.stringify({ x: [1, "二"] }), ["a", "b,c", 'd"e']],
      ),
    );
    expect(r?.t).toBeInstanceOf(Date);
    expect(r?.t.toISOString()).toBe(at.toISOString());
    expect(r?.j).toEqual({ x: [1, "二"] });
    expect(r?.a).toEqual(["a", "b,c", 'd"e']);
    expect(r?.b).toBe(true);
    expect(Number(r?.n)).toBe(12345);
  });

  it("a named unit of work runs on the database's thread when it loaded the unit's module, else on this one", async () => {
    const loaded = await PgliteThreadDb.open(undefined, [THREAD_UNIT_MODULE]);
    try {
      const there = await loaded.runUnit<{ threadId: number; n: number }>("test.where", 41);
      expect(there.n).toBe(42);
      expect(there.threadId).not.toBe(threadId);
    } finally {
      await loaded.close();
    }
    const here = await db.runUnit<{ threadId: number; n: number }>("test.where", 1);
    expect(here).toEqual({ threadId, n: 2 });
    await expect(db.runUnit("test.nothing", null)).rejects.toThrow(/no unit of work named test.nothing/);
  });

  it("when the database thread dies, calls fail at once with the reason instead of hanging", async () => {
    const lone = await PgliteThreadDb.open();
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(" "));
    try {
      await (lone as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(lone.read((q) => q.query("SELECT 1"))).rejects.toThrow(/database thread exited/);
      await expect(lone.tx((q) => q.query("SELECT 1"))).rejects.toThrow(/database thread exited/);
      expect(errors.join("\n")).toMatch(/embedded database thread failed/);
    } finally {
      console.error = orig;
      await lone.close();
    }
  });
});
