/**
 * The schema stays shardable by merchant_id (Citus, docs/citus.sql). Every migration is applied to a fresh database
 * and the catalog is read (pg_constraint, pg_index, information_schema), not the migrations' SQL text; the rules are
 * those in the header of docs/citus.sql:
 *  1. every table is named in docs/citus.sql exactly once, as a reference or a distributed table, and every table
 *     named there exists;
 *  2. a distributed (tenant) table is distributed by a NOT NULL merchant_id, co-located with the first one, and its
 *     primary key, unique constraints, unique indexes and exclusion constraints all contain merchant_id;
 *  3. a foreign key of a tenant table points to a reference table, or to a tenant table mapping merchant_id to
 *     merchant_id;
 *  4. a foreign key of a reference table points to a reference table;
 *  5. a table appears in docs/citus.sql after every table its foreign keys point to.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.ts";
import { type TestDb, testDb } from "./helpers.ts";

const CITUS_SQL = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/citus.sql");

interface Layout {
  kind: "reference" | "distributed";
  /** Position in the file (rule 5). */
  order: number;
  column?: string;
  colocateWith?: string;
}

/** The tables docs/citus.sql names, in order (comments are ignored). */
function parseCitusSql(sql: string): { tables: Map<string, Layout>; duplicates: string[] } {
  const text = sql.replace(/--.*$/gm, "");
  const calls =
    /create_(reference|distributed)_table\(\s*'([a-z_][a-z0-9_]*)'\s*(?:,\s*'([a-z_][a-z0-9_]*)'\s*)?(?:,\s*colocate_with\s*=>\s*'([a-z_][a-z0-9_]*)'\s*)?\)/g;
  const tables = new Map<string, Layout>();
  const duplicates: string[] = [];
  let order = 0;
  for (const m of text.matchAll(calls)) {
    const [, kind, table, column, colocateWith] = m as unknown as [string, "reference" | "distributed", string, string?, string?];
    if (tables.has(table)) duplicates.push(table);
    tables.set(table, { kind, order: order++, column, colocateWith });
  }
  return { tables, duplicates };
}

interface Constraint {
  table: string;
  name: string;
  type: "p" | "u" | "f" | "x" | "i";
  columns: string[];
  refTable: string | null;
  refColumns: string[];
}

/** Keys of every table: constraints, and unique indexes that back no constraint (type "i"). */
async function keys(db: Db): Promise<Constraint[]> {
  const rows = await db.read((q) =>
    q.query<{ table: string; name: string; type: Constraint["type"]; columns: string; ref_table: string | null; ref_columns: string }>(
      `SELECT t.relname AS table, c.conname AS name, c.contype AS type,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), ',') AS columns,
              r.relname AS ref_table,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i), ',') AS ref_columns
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
       WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f', 'x')
       UNION ALL
       SELECT t.relname, x.relname, 'i',
              array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) ORDER BY a.attnum), ','),
              NULL, ''
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
       WHERE t.relnamespace = current_schema()::regnamespace AND i.indisunique
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
       ORDER BY 1, 2`,
    ),
  );
  return rows.map((r) => ({
    table: r.table,
    name: r.name,
    type: r.type,
    columns: r.columns ? r.columns.split(",") : [],
    refTable: r.ref_table,
    refColumns: r.ref_columns ? r.ref_columns.split(",") : [],
  }));
}

/** Every rule broken by a schema (its tables, their merchant_id columns, their keys) against a layout. */
function layoutProblems(
  tables: { name: string; merchantIdNullable: boolean | null }[],
  constraints: Constraint[],
  layout: ReturnType<typeof parseCitusSql>,
): string[] {
  const problems: string[] = [];
  const names = new Set(tables.map((t) => t.name));
  for (const d of layout.duplicates) problems.push(`${d}: named more than once in docs/citus.sql`);
  for (const t of tables) if (!layout.tables.has(t.name)) problems.push(`${t.name}: missing from docs/citus.sql`);
  for (const name of layout.tables.keys()) if (!names.has(name)) problems.push(`${name}: in docs/citus.sql but not in the schema`);
  const distributed = [...layout.tables.entries()].filter(([, l]) => l.kind === "distributed").sort((x, y) => x[1].order - y[1].order);
  const anchor = distributed[0]?.[0];
  for (const [name, l] of distributed) {
    if (l.column !== "merchant_id") problems.push(`${name}: distributed by ${l.column ?? "nothing"}, not merchant_id`);
    if (name !== anchor && l.colocateWith !== anchor) problems.push(`${name}: not co-located with ${anchor}`);
    const t = tables.find((x) => x.name === name);
    if (t && t.merchantIdNullable === null) problems.push(`${name}: tenant table without a merchant_id column`);
    if (t?.merchantIdNullable) problems.push(`${name}: merchant_id may be NULL`);
  }
  const kindOf = (t: string | null) => (t ? layout.tables.get(t)?.kind : undefined);
  for (const c of constraints) {
    const kind = kindOf(c.table);
    if (!kind) continue;
    if (kind === "distributed" && c.type !== "f" && !c.columns.includes("merchant_id")) {
      const what = { p: "primary key", u: "unique key", x: "exclusion constraint", i: "unique index" }[c.type];
      problems.push(`${c.table}: ${what} ${c.name} (${c.columns.join(", ")}) lacks merchant_id`);
    }
    if (c.type !== "f") continue;
    const target = kindOf(c.refTable);
    if (kind === "reference" && target !== "reference")
      problems.push(`${c.table}: reference table with foreign key ${c.name} to ${c.refTable}, which is not a reference table`);
    if (kind === "distributed" && target === "distributed") {
      const i = c.columns.indexOf("merchant_id");
      if (i < 0 || c.refColumns[i] !== "merchant_id")
        problems.push(`${c.table}: foreign key ${c.name} to tenant table ${c.refTable} does not map merchant_id to merchant_id`);
    }
    const from = layout.tables.get(c.table)?.order ?? 0;
    const to = c.refTable ? layout.tables.get(c.refTable)?.order : undefined;
    if (to !== undefined && c.refTable !== c.table && to > from)
      problems.push(`${c.table}: named in docs/citus.sql before ${c.refTable}, which its foreign key ${c.name} points to`);
  }
  return problems;
}

describe("the schema is shardable by merchant_id (docs/citus.sql)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(async () => t?.drop());

  async function schema() {
    const tables = await t.db.read((q) =>
      q.query<{ name: string; nullable: string | null }>(
        `SELECT t.table_name AS name, c.is_nullable AS nullable FROM information_schema.tables t
         LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'merchant_id'
         WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY 1`,
      ),
    );
    return tables.map((r) => ({ name: r.name, merchantIdNullable: r.nullable === null ? null : r.nullable === "YES" }));
  }

  it("every table is laid out, and every tenant key, unique index and foreign key keeps merchant_id", async () => {
    const tables = await schema();
    expect(tables.length).toBeGreaterThan(25);
    const layout = parseCitusSql(readFileSync(CITUS_SQL, "utf8"));
    expect(layoutProblems(tables, await keys(t.db), layout)).toEqual([]);
  });

  it("the check catches each kind of mistake", async () => {
    const tables = await schema();
    const good = readFileSync(CITUS_SQL, "utf8");
    const cases: [string, (sql: string) => string, RegExp][] = [
      [
        "a table left out",
        (s) => s.replace("SELECT create_distributed_table('clicks', 'merchant_id', colocate_with => 'programs');", ""),
        /clicks: missing/,
      ],
      ["a table named twice", (s) => `${s}\nSELECT create_reference_table('links');`, /links: named more than once/],
      ["a table that does not exist", (s) => `${s}\nSELECT create_reference_table('nope');`, /nope: in docs\/citus.sql but not/],
      ["another distribution column", (s) => s.replace("'orders', 'merchant_id'", "'orders', 'id'"), /orders: distributed by id/],
      [
        "not co-located",
        (s) => s.replace("'bindings', 'merchant_id', colocate_with => 'programs'", "'bindings', 'merchant_id'"),
        /bindings: not co-located/,
      ],
      [
        "a reference table pointing to a tenant table",
        (s) =>
          s.replace(
            "SELECT create_distributed_table('memberships', 'merchant_id', colocate_with => 'programs');",
            "SELECT create_reference_table('memberships');",
          ),
        /memberships: reference table with foreign key \S+ to programs/,
      ],
      [
        "a global table made a tenant table without merchant_id",
        (s) =>
          s
            .replace("SELECT create_reference_table('sessions');", "")
            .replace("RESET", "SELECT create_distributed_table('sessions', 'merchant_id', colocate_with => 'programs');\nRESET"),
        /sessions: tenant table without a merchant_id column/,
      ],
      [
        "a referenced table named after the table that points to it",
        (s) =>
          s
            .replace("SELECT create_reference_table('merchants');", "")
            .replace("RESET", "SELECT create_reference_table('merchants');\nRESET"),
        /programs: named in docs\/citus.sql before merchants/,
      ],
    ];
    const constraints = await keys(t.db);
    for (const [what, edit, expected] of cases) {
      const problems = layoutProblems(tables, constraints, parseCitusSql(edit(good)));
      expect(problems.join("\n"), what).toMatch(expected);
    }
    // a tenant table's key without merchant_id, and a foreign key between tenant tables that skips it
    await t.db.tx(async (q) => {
      await q.query("CREATE TABLE citus_probe (merchant_id text NOT NULL, id text NOT NULL, program_id text, PRIMARY KEY (id))");
      await q.query("CREATE UNIQUE INDEX citus_probe_program ON citus_probe (program_id) WHERE program_id IS NOT NULL");
      await q.query("ALTER TABLE programs ADD CONSTRAINT programs_id_unique_probe UNIQUE (id)");
      await q.query("ALTER TABLE citus_probe ADD CONSTRAINT citus_probe_program_fk FOREIGN KEY (program_id) REFERENCES programs (id)");
    });
    try {
      const probe = `${good}\nSELECT create_distributed_table('citus_probe', 'merchant_id', colocate_with => 'programs');`;
      const problems = layoutProblems(await schema(), await keys(t.db), parseCitusSql(probe));
      expect(problems).toEqual(
        expect.arrayContaining([
          "citus_probe: primary key citus_probe_pkey (id) lacks merchant_id",
          "citus_probe: unique index citus_probe_program (program_id) lacks merchant_id",
          "programs: unique key programs_id_unique_probe (id) lacks merchant_id",
          "citus_probe: foreign key citus_probe_program_fk to tenant table programs does not map merchant_id to merchant_id",
        ]),
      );
      expect(layoutProblems(await schema(), await keys(t.db), parseCitusSql(good))).toContain("citus_probe: missing from docs/citus.sql");
    } finally {
      await t.db.tx(async (q) => {
        await q.query("DROP TABLE citus_probe");
        await q.query("ALTER TABLE programs DROP CONSTRAINT programs_id_unique_probe");
      });
    }
  });
});
