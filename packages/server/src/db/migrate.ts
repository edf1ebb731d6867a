/** Forward-only, numbered migrations applied from code on start. Never edit an applied file; add a new one. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "./client.ts";
import { type Routine, registeredRoutines } from "./routines.ts";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK_KEY = 7_240_531;

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(DIR, f), "utf8");
      return { id: f.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Apply the migrations not applied yet, then install the routines whose text changed (by default those registered). */
export async function migrate(db: Db, routines: readonly Routine[] = registeredRoutines()): Promise<string[]> {
  const applied: string[] = [];
  await db.tx(async (q) => {
    if (db.kind === "postgres") await q.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await q.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Map(
      (await q.query<{ id: string; checksum: string }>("SELECT id, checksum FROM schema_migrations")).map((r) => [r.id, r.checksum]),
    );
    for (const m of loadMigrations()) {
      const prev = done.get(m.id);
      if (prev !== undefined) {
        if (prev !== m.checksum) throw new Error(`migration ${m.id} was changed after it was applied; add a new migration instead`);
        continue;
      }
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [m.id, m.checksum]);
      applied.push(m.id);
    }
    await q.query("CREATE TABLE IF NOT EXISTS schema_routines (name text PRIMARY KEY, checksum text NOT NULL)");
    const installed = new Map(
      (await q.query<{ name: string; checksum: string }>("SELECT name, checksum FROM schema_routines")).map((r) => [r.name, r.checksum]),
    );
    for (const r of routines) {
      const checksum = createHash("sha256").update(r.sql).digest("hex");
      if (installed.get(r.name) === checksum) continue;
      // A changed signature would add an overload beside the old function: drop every function of the name first.
      const old = await q.query<{ sig: string }>(
        "SELECT p.oid::regprocedure::text AS sig FROM pg_proc p WHERE p.proname = $1 AND p.pronamespace = current_schema()::regnamespace",
        [r.name],
      );
      for (const o of old) await q.query(`DROP FUNCTION ${o.sig}`);
      await q.query(r.sql);
      await q.query(
        "INSERT INTO schema_routines (name, checksum) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum",
        [r.name, checksum],
      );
    }
  });
  return applied;
}

/** Split a migration on lines that are exactly `--;` so that function bodies with semicolons stay whole. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/^--;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, "").trim().length > 0);
}
