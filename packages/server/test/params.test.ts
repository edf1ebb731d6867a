import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { type TestDb, testDb } from "./helpers.ts";

// On PGlite every statement is prepared once and bound with parameters encoded by this server (db/client.ts), not by
// PGlite's query(): values of every type and length must arrive and come back exactly as they do on PostgreSQL.
const PGLITE_BINARY_PARAM_MIN = 256;
describe("string parameters of every length", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(async () => {
    await t.drop();
  });

  const samples = [
    "",
    "a",
    "a".repeat(PGLITE_BINARY_PARAM_MIN - 1),
    "a".repeat(PGLITE_BINARY_PARAM_MIN),
    "订单 #ST-2393 · 商品 有机婴儿奶粉 ¥50.00 × 5%（类目佣金）= ¥2.50 👶🏻 ".repeat(40),
    `quote ' backslash \\ newline \n tab \t ${"é".repeat(300)}`,
  ];

  it("text and varchar arrive unchanged, measured in characters", async () => {
    for (const s of samples) {
      const [r] = await t.db.read((q) =>
        q.query<{ same: boolean; v: string; chars: number; bytes: number; vc: string }>(
          "SELECT $1::text = $2::text AS same, $1::text AS v, length($1::text) AS chars, octet_length($1::text) AS bytes, $1::varchar AS vc",
          [s, s],
        ),
      );
      expect(r?.v).toBe(s);
      expect(r?.vc).toBe(s);
      expect(Number(r?.chars)).toBe([...s].length);
      expect(Number(r?.bytes)).toBe(Buffer.byteLength(s, "utf8"));
    }
  });

  it("json and jsonb parameters, as text or as objects, long and short", async () => {
    for (const s of samples) {
      const doc = { s, n: [1, 2, 3], nested: { zh: [...s].slice(0, 50).join("") } };
      for (const value of [doc, JSON.stringify(doc)]) {
        const [r] = await t.db.read((q) =>
          q.query<{ a: string; b: string; la: number; lb: number }>(
            "SELECT $1::jsonb->>'s' AS a, $2::json->>'s' AS b, jsonb_array_length($1::jsonb->'n') AS la, json_array_length($2::json->'n') AS lb",
            [value, value],
          ),
        );
        expect(r?.a).toBe(s);
        expect(r?.b).toBe(s);
        expect(Number(r?.la)).toBe(3);
        expect(Number(r?.lb)).toBe(3);
      }
    }
  });

  it("arrays of long strings and long values written to a table", async () => {
    const long = samples.filter((s) => s.length >= PGLITE_BINARY_PARAM_MIN);
    const [r] = await t.db.read((q) => q.query<{ v: string[] }>("SELECT $1::text[] AS v", [long]));
    expect(r?.v).toEqual(long);
    const rows = await t.db.tx(async (q) => {
      await q.query("CREATE TEMP TABLE p_t (t text, j jsonb)");
      for (const s of long) await q.query("INSERT INTO p_t (t, j) VALUES ($1, $2)", [s, JSON.stringify({ s })]);
      return q.query<{ t: string; s: string }>("SELECT t, j->>'s' AS s FROM p_t");
    });
    expect(rows.map((x) => x.t)).toEqual(long);
    expect(rows.map((x) => x.s)).toEqual(long);
  });

  it("rows, NULLs, notices and errors come back as PostgreSQL sent them", async () => {
    const rows = await t.db.read((q) =>
      q.query<{ n: number; s: string | null; b: boolean | null }>(
        "SELECT g AS n, CASE WHEN g % 2 = 0 THEN NULL ELSE 'v' || g END AS s, CASE WHEN g = 3 THEN NULL ELSE g > 2 END AS b FROM generate_series(1, 4) g ORDER BY g",
      ),
    );
    expect(rows).toEqual([
      { n: 1, s: "v1", b: false },
      { n: 2, s: null, b: false },
      { n: 3, s: "v3", b: null },
      { n: 4, s: null, b: true },
    ]);
    const empty = await t.db.read((q) => q.query("SELECT 1 AS x WHERE false"));
    expect(empty).toEqual([]);
    const noted = await t.db.tx(async (q) => {
      await q.query("DO $$ BEGIN RAISE NOTICE 'just so you know'; END $$");
      return q.query<{ ok: number }>("SELECT 1 AS ok");
    });
    expect(noted).toEqual([{ ok: 1 }]);
    const err = await t.db.read((q) => q.query("SELEC 1")).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("42601");
    expect(String((err as Error).message)).toMatch(/syntax error/);
    const div = await t.db.read((q) => q.query("SELECT 1 / $1::int AS x", [0])).catch((e: unknown) => e);
    expect((div as { code?: string }).code).toBe("22012");
    // and the connection is fine afterwards
    expect(await t.db.read((q) => q.query<{ x: number }>("SELECT 2 AS x"))).toEqual([{ x: 2 }]);
  });

  it("a table that changes its columns under a prepared SELECT * is read afresh", async () => {
    await t.db.tx((q) => q.query("CREATE TABLE reshape (a int)"));
    await t.db.tx((q) => q.query("INSERT INTO reshape VALUES (1)"));
    expect(await t.db.read((q) => q.query("SELECT * FROM reshape"))).toEqual([{ a: 1 }]);
    await t.db.tx((q) => q.query("ALTER TABLE reshape ADD COLUMN b text DEFAULT 'x'"));
    // outside a transaction: prepared again and answered
    expect(await t.db.read((q) => q.query("SELECT * FROM reshape"))).toEqual([{ a: 1, b: "x" }]);
    await t.db.tx((q) => q.query("ALTER TABLE reshape ADD COLUMN c int DEFAULT 3"));
    // inside one: the first try may fail with the database's own error (the transaction is aborted), never another
    const first = await t.db.tx((q) => q.query("SELECT * FROM reshape")).catch((e: unknown) => e);
    if (first instanceof Error) expect((first as { code?: string }).code).toBe("0A000");
    else expect(first).toEqual([{ a: 1, b: "x", c: 3 }]);
    expect(await t.db.tx((q) => q.query("SELECT * FROM reshape"))).toEqual([{ a: 1, b: "x", c: 3 }]);
    await t.db.tx((q) => q.query("DROP TABLE reshape"));
  });

  it("text that is not valid in the database is refused as before (NUL)", async () => {
    const bad = `${"x".repeat(PGLITE_BINARY_PARAM_MIN)}\u0000`;
    await expect(t.db.read((q) => q.query("SELECT $1::text AS v", [bad]))).rejects.toThrow();
    await expect(t.db.read((q) => q.query("SELECT $1::text AS v", ["x\u0000"]))).rejects.toThrow();
  });
});

describe("routines installed by migrate", () => {
  it("a routine whose parameter types changed replaces the old one instead of adding an overload", async () => {
    const t = await testDb();
    try {
      // As a database migrated by an earlier version holds it: the write routine taking json arrays.
      await t.db.tx(async (q) => {
        await q.query("DROP FUNCTION fenxiao_ingest_write");
        await q.query(
          `CREATE FUNCTION fenxiao_ingest_write(p_m text, p_at timestamptz, p_scope text, p_head_seq bigint, p_head_hash text,
             a json, b json, c json, d json, e json, f json, g json, h json, i json, j json, k json, l json) RETURNS void
           LANGUAGE sql AS 'SELECT NULL'`,
        );
        await q.query("UPDATE schema_routines SET checksum = 'older' WHERE name = 'fenxiao_ingest_write'");
      });
      await migrate(t.db);
      const fns = await t.db.read((q) =>
        q.query<{ sig: string }>(
          "SELECT oid::regprocedure::text AS sig FROM pg_proc WHERE proname = 'fenxiao_ingest_write' AND pronamespace = current_schema()::regnamespace",
        ),
      );
      expect(fns).toHaveLength(1);
      expect(fns[0]?.sig).toMatch(/^fenxiao_ingest_write\(text,timestamp with time zone,text,bigint,text(,text){12}\)$/);
      // and migrating again changes nothing
      await migrate(t.db);
      const again = await t.db.read((q) => q.query("SELECT 1 FROM pg_proc WHERE proname = 'fenxiao_ingest_write'"));
      expect(again).toHaveLength(1);
    } finally {
      await t.drop();
    }
  });
});
