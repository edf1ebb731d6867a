/**
 * Vitest globalSetup of the server and web projects: one migrated database per run, which every test database
 * starts from, instead of running initdb and all migrations again for each (helpers.ts testDb, migratedPglite).
 *
 * - PostgreSQL (FENXIAO_TEST_DB=postgres): a template database `fenxiao_tpl_<hash>_<run>` on TEST_DATABASE_URL,
 *   migrated once; test databases are `CREATE DATABASE … TEMPLATE` it. The hash names the migrations and routines it
 *   holds; the run suffix keeps runs that share the server (and the same migrations) apart. Dropped at the end.
 * - PGlite: a migrated in-memory database's data directory as a tarball (`dumpDataDir`) in a temporary directory of
 *   this run; each test database is a new PGlite loaded from it. Removed at the end.
 *
 * The test databases still run `migrate` after they are opened: it finds everything applied (a stale image would get
 * the rest), so what the tests see is what `migrate` makes. The tests of migrating itself (startup, production-start,
 * crash, …) start from empty databases (createTestDatabase, fresh data directories), as before.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import "../src/app.ts"; // registers every module's routines, as the test processes have them when they migrate
import { PgliteDb, PostgresDb } from "../src/db/client.ts";
import { loadMigrations, migrate } from "../src/db/migrate.ts";
import { registeredRoutines } from "../src/db/routines.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated template database of this run (PostgreSQL), or "" when the run is on PGlite. */
    fenxiaoPgTemplate: string;
    /** The migrated PGlite image of this run (a dumpDataDir tarball), or "" when the run is on PostgreSQL. */
    fenxiaoPgliteImage: string;
  }
}

/** A short hash of what `migrate` installs: the migrations and the routines. */
export function schemaHash(): string {
  const h = createHash("sha256");
  for (const m of loadMigrations()) h.update(m.id).update("\0").update(m.checksum).update("\0");
  for (const r of registeredRoutines()) h.update(r.name).update("\0").update(r.sql).update("\0");
  return h.digest("hex").slice(0, 12);
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function postgresTemplate(): Promise<{ name: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("FENXIAO_TEST_DB=postgres needs TEST_DATABASE_URL");
  const name = `fenxiao_tpl_${schemaHash()}_${randomBytes(3).toString("hex")}`;
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(admin);
    u.pathname = `/${name}`;
    const db = PostgresDb.open(u.toString(), 2);
    try {
      await migrate(db);
    } finally {
      await db.close(); // no session may stay on a template while databases are created from it
    }
  } catch (e) {
    await drop();
    throw e;
  }
  return { name, drop };
}

async function pgliteImage(): Promise<{ path: string; drop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-test-image-"));
  const drop = () => rmSync(dir, { recursive: true, force: true });
  try {
    const db = await PgliteDb.open();
    try {
      await migrate(db);
      const image = await db.pglite.dumpDataDir("gzip");
      const path = join(dir, `fenxiao-${schemaHash()}.tar.gz`);
      writeFileSync(path, new Uint8Array(await image.arrayBuffer()));
      return { path, drop };
    } finally {
      await db.close();
    }
  } catch (e) {
    drop();
    throw e;
  }
}

interface Made {
  value: Promise<{ name: string; drop: () => Promise<void> }>;
  users: number;
}

/**
 * The server and web projects of one run share what is made: the first setup makes it, the last teardown drops it
 * (globalSetup files run in vitest's own process, but each project may load this module anew: hence globalThis).
 */
const shared = globalThis as typeof globalThis & { fenxiaoTestImages?: Map<string, Made> };

async function share(
  key: string,
  make: () => Promise<{ name: string; drop: () => Promise<void> }>,
): Promise<{ name: string; release: () => Promise<void> }> {
  shared.fenxiaoTestImages ??= new Map();
  const all = shared.fenxiaoTestImages;
  let m = all.get(key);
  if (!m) {
    m = { value: make(), users: 0 };
    all.set(key, m);
  }
  m.users++;
  const made = m;
  const { name, drop } = await made.value;
  return {
    name,
    release: async () => {
      if (--made.users > 0) return;
      all.delete(key);
      await drop();
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.FENXIAO_TEST_DB === "postgres") {
    const tpl = await share("postgres", postgresTemplate);
    project.provide("fenxiaoPgTemplate", tpl.name);
    project.provide("fenxiaoPgliteImage", "");
    return tpl.release;
  }
  const img = await share("pglite", async () => {
    const i = await pgliteImage();
    return { name: i.path, drop: async () => i.drop() };
  });
  project.provide("fenxiaoPgTemplate", "");
  project.provide("fenxiaoPgliteImage", img.name);
  return img.release;
}
