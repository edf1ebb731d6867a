import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDb } from "./helpers.ts";
import { testDb } from "./helpers.ts";

let t: TestDb;
beforeAll(async () => {
  t = await testDb();
  await t.db.tx((q) => q.query("CREATE TABLE batch_probe (k text PRIMARY KEY, v integer NOT NULL)"));
});
afterAll(async () => t?.drop());

describe("group commit (db.batch)", () => {
  it("commits every unit but the failing one, which is rolled back alone and gets its own error", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        t.db.batch("m1", async (q) => {
          await q.query("INSERT INTO batch_probe (k, v) VALUES ($1, $2)", [`k${i}`, i]);
          if (i === 7) throw new Error("unit 7 fails after writing");
          if (i === 13) await q.query("INSERT INTO batch_probe (k, v) VALUES ('k0', 0)"); // unique violation
          return i;
        }),
      ),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual([7, 13]);
    const rows = await t.db.read((q) => q.query<{ k: string }>("SELECT k FROM batch_probe ORDER BY v"));
    expect(rows.map((r) => r.k)).toEqual(Array.from({ length: 40 }, (_, i) => `k${i}`).filter((k) => k !== "k7" && k !== "k13"));
  });

  it("keeps the order of one key's units", async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.db.batch("m2", async () => {
          seen.push(i);
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
