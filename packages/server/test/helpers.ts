/**
 * Test harness: a fresh database per call (in-memory PGlite, or a new PostgreSQL database when FENXIAO_TEST_DB=postgres),
 * and a real HTTP server listening on a free port. No mocks.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { buildApp } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { keyRing, newSecretKeyText } from "../src/crypto/sealed.ts";
import { type Db, PgliteDb, PostgresDb } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { PgliteThreadDb } from "../src/db/pglite-thread.ts";
import { DB_UNIT_MODULES } from "../src/db-units.ts";
import { DEFAULT_LIMITS, type Limits } from "../src/http/limits.ts";
import { hashPassword, PASSWORD_COST_TESTS_ONLY, type ScryptCost } from "../src/modules/auth/passwords.ts";
import { createUser } from "../src/modules/auth/service.ts";
import type { ProviderRegistry } from "../src/modules/payouts/contract.ts";

/** A key ring of its own per test process (personal data sealed in tests opens only in that process). */
export const TEST_KEY_RING = keyRing(newSecretKeyText());

export const onPostgres = process.env.FENXIAO_TEST_DB === "postgres";

export interface TestDb {
  db: Db;
  /** PostgreSQL URL of the test database (postgres only). */
  url?: string;
  drop(): Promise<void>;
}

/**
 * A new PostgreSQL database, empty (for the tests of migrating and starting), or a copy of `template` (a migrated
 * template database, db-images.ts).
 */
export async function createTestDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("FENXIAO_TEST_DB=postgres needs TEST_DATABASE_URL");
  const name = `fenxiao_test_${randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** What the run's globalSetup (db-images.ts) made, or "" when the file runs without it. */
function provided(key: "fenxiaoPgTemplate" | "fenxiaoPgliteImage"): string {
  try {
    return inject(key) ?? "";
  } catch {
    return "";
  }
}

let pgliteImage: Uint8Array | null | undefined;
/** The run's migrated PGlite image (read once per test process), or null without one. */
function migratedImage(): Uint8Array | null {
  if (pgliteImage === undefined) {
    const path = provided("fenxiaoPgliteImage");
    pgliteImage = path ? new Uint8Array(readFileSync(path)) : null;
  }
  return pgliteImage;
}

/**
 * An in-memory PgliteDb on this thread, migrated: loaded from the run's migrated image when there is one, then
 * `migrate` (which finds everything applied).
 */
export async function migratedPglite(): Promise<PgliteDb> {
  const image = migratedImage();
  const db = await PgliteDb.open(undefined, image ? new Blob([image]) : undefined);
  await migrate(db);
  return db;
}

/**
 * A fresh migrated database: a copy of the run's template (PostgreSQL) or image (PGlite) when there is one, and then
 * `migrate`, which finds everything applied; without one, an empty database migrated here.
 */
export async function testDb(): Promise<TestDb> {
  if (onPostgres) {
    const t = await createTestDatabase(provided("fenxiaoPgTemplate") || undefined);
    const db = PostgresDb.open(t.url, 20);
    await migrate(db);
    return {
      db,
      url: t.url,
      drop: async () => {
        await db.close();
        await t.drop();
      },
    };
  }
  // Embedded mode as the server runs it: PGlite on its own thread (db/pglite-thread.ts).
  const db = await PgliteThreadDb.open(undefined, DB_UNIT_MODULES, migratedImage() ?? undefined);
  await migrate(db);
  return { db, drop: () => db.close() };
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
export type Json = any;

export const START = "2026-03-02T02:00:00.000Z";
export const PASSWORD = "secret-pass-1";

export interface Harness {
  base: string;
  db: Db;
  /** PostgreSQL URL of the test database (postgres only), e.g. for server processes of its own. */
  url?: string;
  clock: ManualClock;
  adminToken: string;
  close(): Promise<void>;
  /** fetch JSON against the server; returns status, body, headers. */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Json; headers: Headers }>;
}

/**
 * Limits no test reaches by its own traffic (every request comes from 127.0.0.1, and tests log in and fail logins
 * a lot); a test of the limits themselves passes small ones.
 */
export const GENEROUS_LIMITS: Limits = Object.fromEntries(
  Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, /Minutes|Seconds/.test(k) ? v : 10_000_000]),
) as Limits;

export interface HarnessOptions {
  passwordCost?: ScryptCost;
  limits?: Partial<Limits>;
  trustProxy?: boolean | number | string[];
  /** Payout providers of the server (modules/payouts/contract.ts). */
  payoutProviders?: ProviderRegistry;
}

/**
 * The harness hashes passwords at a cheap cost that only tests select (PASSWORD_COST_TESTS_ONLY), so that the many
 * users the tests create cost milliseconds; `passwordCost` gives another (e.g. the production PASSWORD_COST).
 */
export async function startHarness(start = START, opts: HarnessOptions = {}): Promise<Harness> {
  const t = await testDb();
  const clock = new ManualClock(start);
  const passwordCost = opts.passwordCost ?? PASSWORD_COST_TESTS_ONLY;
  const app = await buildApp({
    db: t.db,
    clock,
    secrets: TEST_KEY_RING,
    payoutProviders: opts.payoutProviders,
    config: {
      publicUrl: "http://localhost",
      sessionHours: 24 * 3650,
      passwordCost,
      limits: { ...GENEROUS_LIMITS, ...opts.limits },
      trustProxy: opts.trustProxy ?? false,
    },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  const passwordHash = await hashPassword(PASSWORD, passwordCost);
  await t.db.tx((q) => createUser(q, { email: "root@test.local", passwordHash, name: "root", role: "platform_admin" }));
  const call: Harness["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(base + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      redirect: "manual",
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };
  const login = await call("POST", "/v1/auth/login", { body: { email: "root@test.local", password: PASSWORD } });
  return {
    base,
    db: t.db,
    url: t.url,
    clock,
    adminToken: login.body.token,
    call,
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
}

export interface MerchantFixture {
  merchantId: string;
  apiKey: string;
  adminToken: string;
  programId: string;
}

/** Onboard a merchant with a program and a published plan (default 10 %, level-1 3 %, level-2 1 % unless given). */
export async function merchantFixture(
  h: Harness,
  name: string,
  opts: { plan?: unknown; program?: Record<string, unknown> } = {},
): Promise<MerchantFixture> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, "")}-${randomBytes(3).toString("hex")}@test.local`;
  const m = await h.call("POST", "/v1/merchants", {
    token: h.adminToken,
    body: { name, adminEmail: email, adminPassword: PASSWORD, adminName: `${name} admin` },
  });
  if (m.status !== 201) throw new Error(`merchant: ${JSON.stringify(m.body)}`);
  const apiKey = m.body.apiKey.key as string;
  const login = await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
  const p = await h.call("POST", "/v1/programs", {
    token: apiKey,
    body: { name: `${name} program`, landingUrl: "https://shop.example/", holdDays: 7, ...opts.program },
  });
  if (p.status !== 201) throw new Error(`program: ${JSON.stringify(p.body)}`);
  const plan = opts.plan ?? { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] } };
  const d = await h.call("POST", `/v1/programs/${p.body.id}/plans`, { token: apiKey, body: { document: plan } });
  if (d.status !== 201) throw new Error(`plan: ${JSON.stringify(d.body)}`);
  const pub = await h.call("POST", `/v1/programs/${p.body.id}/plans/${d.body.version}/publish`, {
    token: apiKey,
    body: { effectiveFrom: "2020-01-01T00:00:00Z" },
  });
  if (pub.status !== 200) throw new Error(`publish: ${JSON.stringify(pub.body)}`);
  return { merchantId: m.body.merchantId, apiKey, adminToken: login.body.token, programId: p.body.id };
}

/** Add a promoter with a login; returns its id, code and session token. */
export async function promoterFixture(h: Harness, f: MerchantFixture, name: string, inviteCode?: string) {
  const email = `${name.toLowerCase()}-${randomBytes(3).toString("hex")}@test.local`;
  const r = await h.call("POST", "/v1/promoters", {
    token: f.apiKey,
    body: { programId: f.programId, name, email, password: PASSWORD, phone: "13812341234", inviteCode },
  });
  if (r.status !== 201) throw new Error(`promoter: ${JSON.stringify(r.body)}`);
  const login = await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
  return { promoterId: r.body.promoterId as string, code: r.body.code as string, token: login.body.token as string };
}

/** The test database's deadlock count (PostgreSQL), after every backend of the server's pool has reported its statistics. */
export async function deadlockCount(h: Pick<Harness, "url">): Promise<number> {
  if (!h.url) throw new Error("deadlockCount needs the PostgreSQL test database");
  // Backends report their statistics when idle, at most once a second: wait until they have.
  await new Promise((r) => setTimeout(r, 1500));
  const c = new pg.Client({ connectionString: h.url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>("SELECT deadlocks::text AS n FROM pg_stat_database WHERE datname = current_database()");
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

/** Run `fn` over `items` with `n` at once (each worker takes the next item when done). */
export async function runConcurrently<T>(n: number, items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        await fn(items[i] as T);
      }
    }),
  );
}

export function paidOrder(orderRef: string, customerRef: string, extra: Record<string, unknown> = {}) {
  return {
    orderRef,
    customer: { ref: customerRef, phone: "13900001111" },
    channel: "online",
    paidAt: START,
    lines: [
      { productId: "P1", quantity: 1, netAmountMinor: 10_000 },
      { productId: "P2", quantity: 2, netAmountMinor: 5_001 },
    ],
    ...extra,
  };
}

/**
 * Temporary directories for one test file: `make()` creates one, and every directory made is removed after each
 * test (register with `afterEach(dirs.cleanup)`).
 */
export function tempDirs(prefix: string): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup() {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * What a refused request must leave as it was: the row count of every table but sessions (logins add sessions) and
 * auth_failures (a refused login is counted there on purpose, http/limits.ts), and
 * every merchant's ledger head.
 */
export async function writeSnapshot(db: Db): Promise<{ counts: Record<string, number>; heads: string }> {
  const tables = await db.read((q) =>
    q.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', 'auth_failures') ORDER BY table_name",
    ),
  );
  const counts = tables.map((t) => `SELECT '${t.table_name}' AS t, count(*)::int AS n FROM ${t.table_name}`).join(" UNION ALL ");
  const { rows, heads } = await db.read(async (q) => ({
    rows: await q.query<{ t: string; n: number }>(counts),
    heads: await q.query<{ h: string | null }>(
      "SELECT string_agg(merchant_id || ':' || seq || ':' || hash, ',' ORDER BY merchant_id) AS h FROM ledger_heads",
    ),
  }));
  return { counts: Object.fromEntries(rows.map((r) => [r.t, Number(r.n)])), heads: heads[0]?.h ?? "" };
}
