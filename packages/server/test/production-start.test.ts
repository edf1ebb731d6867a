/**
 * A real production start, through the `fenxiao` command as an operator runs it (child processes, no shortcuts):
 * `fenxiao migrate` names what it applied; `fenxiao admin create` makes the first platform admin without a password on
 * the command line; a server on DATABASE_URL creates no demo data unless FENXIAO_DEMO=1, and two of them starting at
 * once on an empty PostgreSQL both come up with exactly one demo; the banner shows demo logins only when the demo
 * exists. Then the documented path (docs/operations.md) from there to a first merchant with an API key.
 * On PostgreSQL (a fresh database per test) and on embedded PGlite (a fresh data directory).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { newSecretKeyText } from "../src/crypto/sealed.ts";
import { PgliteDb } from "../src/db/client.ts";
import { loadMigrations } from "../src/db/migrate.ts";
import { DEMO } from "../src/demo/seed.ts";
import { banner, startServer } from "../src/server.ts";
import { freePort } from "./child-server.ts";
import { createTestDatabase, type Json, onPostgres, tempDirs } from "./helpers.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = join(ROOT, "packages/server/src/cli/main.ts");
const START_TIMEOUT_MS = 120_000;
const dirs = tempDirs("fenxiao-prod-");
const cleanups: (() => Promise<void>)[] = [];
/** A server started in this process on DATABASE_URL needs a key ring, as a production one does. */
const KEY = { FENXIAO_SECRET_KEY: newSecretKeyText() };
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  dirs.cleanup();
});

/** The store under test: a fresh PostgreSQL database or a fresh data directory, with a way to query it afterwards. */
interface Store {
  env: Record<string, string>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

async function freshStore(): Promise<Store> {
  if (onPostgres) {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    return {
      env: { DATABASE_URL: t.url },
      async query<T>(sql: string, params: unknown[] = []) {
        const c = new pg.Client({ connectionString: t.url });
        await c.connect();
        try {
          return (await c.query(sql, params)).rows as T[];
        } finally {
          await c.end();
        }
      },
    };
  }
  const dir = dirs.make();
  return {
    env: { FENXIAO_DATA_DIR: dir },
    async query<T>(sql: string, params: unknown[] = []) {
      const db = await PgliteDb.open(dir); // only while no server holds the directory
      try {
        return (await db.read((q) => q.query(sql, params))) as T[];
      } finally {
        await db.close();
      }
    },
  };
}

function childEnv(store: Store, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...store.env, ...extra };
  if (!store.env.DATABASE_URL) delete env.DATABASE_URL;
  delete env.FENXIAO_DEMO;
  delete env.FENXIAO_ADMIN_PASSWORD;
  Object.assign(env, extra);
  return env;
}

/** Run a `fenxiao` command to its end; `fd3` is written to the child's file descriptor 3. */
function fenxiao(args: string[], env: NodeJS.ProcessEnv, fd3?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe", fd3 === undefined ? "ignore" : "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout?.on("data", (b: Buffer) => {
      out += b.toString("utf8");
    });
    proc.stderr?.on("data", (b: Buffer) => {
      err += b.toString("utf8");
    });
    if (fd3 !== undefined) (proc.stdio[3] as NodeJS.WritableStream).end(fd3);
    proc.once("error", fail);
    proc.once("exit", (code) => ok({ code, out, err }));
  });
}

interface Server {
  base: string;
  output(): string;
  stop(): Promise<void>;
}

/** `fenxiao serve` as a child; resolves once /health answers. */
async function serve(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", CLI, "serve"], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (b: Buffer) => {
    out += b.toString("utf8");
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 15_000))]);
    if (!done) {
      proc.kill("SIGKILL");
      await exited;
    }
  };
  cleanups.push(stop);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited during start:\n${out}`);
    try {
      // Healthy, and the banner is out (it is printed right after listening).
      if ((await fetch(`${base}/health`)).ok && out.includes("is running")) return { base, output: () => out, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`server not healthy within ${START_TIMEOUT_MS} ms:\n${out}`);
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

const count = async (store: Store, sql: string) =>
  Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`))[0]?.n);

describe("fenxiao migrate", () => {
  it("names every migration it applied, then says that none are pending", { timeout: 120_000 }, async () => {
    const store = await freshStore();
    const ids = loadMigrations().map((m) => m.id);
    const first = await fenxiao(["migrate"], childEnv(store));
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`applied ${ids.length} migrations:`);
    for (const id of ids) expect(first.out).toContain(`  ${id}\n`);
    const again = await fenxiao(["migrate"], childEnv(store));
    expect(again.code, again.err).toBe(0);
    expect(again.out.trim()).toBe(`no pending migrations: the database is at ${ids.at(-1)}`);
    expect(await count(store, "schema_migrations")).toBe(ids.length);
  });
});

describe("from a fresh database to a first merchant with an API key", () => {
  it("migrate → admin create → serve (no demo) → log in → merchant → API key", { timeout: 240_000 }, async () => {
    const store = await freshStore();
    expect((await fenxiao(["migrate"], childEnv(store))).code).toBe(0);

    // Never from an argument; without a terminal, a file descriptor or the variable must give it.
    const argv = await fenxiao(["admin", "create", "--email", "ops@example.com", "--password", "ops-pass-phrase-1"], childEnv(store));
    expect(argv.code).toBe(1);
    expect(argv.err).toContain("visible to other users");
    const noTty = await fenxiao(["admin", "create", "--email", "ops@example.com"], childEnv(store));
    expect(noTty.code).toBe(1);
    expect(noTty.err).toContain("--password-fd");
    const weak = await fenxiao(["admin", "create", "--email", "ops@example.com", "--password-fd", "3"], childEnv(store), "fenxiao123\n");
    expect(weak.code).toBe(1);
    expect(weak.err).toContain("password: is too common");

    const created = await fenxiao(
      ["admin", "create", "--email", "Ops@Example.com", "--password-fd", "3"],
      childEnv(store),
      "ops-pass-phrase-1\n",
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/platform admin created: ops@example\.com \(usr_/);
    const byEnv = await fenxiao(
      ["admin", "create", "--email", "ops2@example.com"],
      childEnv(store, { FENXIAO_ADMIN_PASSWORD: "ops2-pass-phrase" }),
    );
    expect(byEnv.code, byEnv.err).toBe(0);
    const dup = await fenxiao(
      ["admin", "create", "--email", "ops@example.com", "--password-fd", "3"],
      childEnv(store),
      "ops-pass-phrase-1",
    );
    expect(dup.code).toBe(1);
    expect(dup.err).toContain("already has an account");
    const [hash] = await store.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'ops@example.com'");
    expect(hash?.password_hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);

    // The database is not empty any more: no demo, on PostgreSQL and in an embedded directory alike.
    const server = await serve(childEnv(store));
    expect(server.output()).not.toContain("Demo logins");
    expect(server.output()).not.toContain(DEMO.password);
    expect(server.output()).not.toContain(DEMO.apiKey);
    expect((await call(server.base, "GET", "/v1/merchant", DEMO.apiKey)).status).toBe(401);
    expect(
      (await call(server.base, "POST", "/v1/auth/login", undefined, { email: DEMO.platformAdmin, password: DEMO.password })).status,
    ).toBe(401);

    // The steps of docs/operations.md, "From a fresh PostgreSQL to a first merchant".
    const admin = await call(server.base, "POST", "/v1/auth/login", undefined, { email: "ops@example.com", password: "ops-pass-phrase-1" });
    expect(admin.status).toBe(200);
    expect(admin.body.user.role).toBe("platform_admin");
    const merchant = await call(server.base, "POST", "/v1/merchants", admin.body.token, {
      name: "First Shop",
      adminEmail: "owner@first.example",
      adminPassword: "owner-pass-phrase",
      adminName: "Owner",
    });
    expect(merchant.status).toBe(201);
    const owner = await call(server.base, "POST", "/v1/auth/login", undefined, {
      email: "owner@first.example",
      password: "owner-pass-phrase",
    });
    expect(owner.status).toBe(200);
    const key = await call(server.base, "POST", "/v1/api-keys", owner.body.token, { name: "shop" });
    expect(key.status).toBe(201);
    const me = await call(server.base, "GET", "/v1/merchant", key.body.key);
    expect(me.body).toEqual({ id: merchant.body.merchantId, name: "First Shop", status: "active" });
    await server.stop();
    expect(await count(store, "merchants")).toBe(1);
    // A server started by the command hashes at the production cost (the cheap cost is for tests only).
    const [ownerHash] = await store.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'owner@first.example'");
    expect(ownerHash?.password_hash).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
    expect(await count(store, "api_keys")).toBe(2); // the merchant's first key and "shop"
  });
});

describe("demo data only where asked", () => {
  it("the banner shows demo logins only when the demo exists in the database", () => {
    const config = loadConfig({ PORT: "3000", HOST: "127.0.0.1", DATABASE_URL: "postgres://x@127.0.0.1/db" });
    const withDemo = banner(config, 3000, "postgres", { demo: true, platformAdmin: true });
    expect(withDemo).toContain("Demo logins");
    expect(withDemo).toContain(DEMO.password);
    expect(withDemo).toContain(DEMO.apiKey);
    const without = banner(config, 3000, "postgres", { demo: false, platformAdmin: false });
    expect(without).not.toContain("Demo logins");
    expect(without).not.toContain(DEMO.password);
    expect(without).not.toContain(DEMO.apiKey);
    expect(without).toContain("fenxiao admin create --email");
    expect(banner(config, 3000, "postgres", { demo: false, platformAdmin: true })).not.toContain("admin create");
  });

  it("FENXIAO_DEMO: on by default for an embedded directory, off on DATABASE_URL, 1 or 0 either way", () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ FENXIAO_DEMO: "0" }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: "postgres://x@h/db" }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: "postgres://x@h/db", FENXIAO_DEMO: "1" }).demo).toBe(true);
    expect(() => loadConfig({ FENXIAO_DEMO: "maybe" })).toThrow(/FENXIAO_DEMO must be 1 or 0/);
  });

  it.skipIf(!onPostgres)(
    "a server on DATABASE_URL seeds nothing; with FENXIAO_DEMO=1 it does; later starts show the demo that exists",
    { timeout: 180_000 },
    async () => {
      const store = await freshStore();
      const quiet = { log: () => {} };
      const plain = await startServer(loadConfig({ ...store.env, ...KEY, PORT: "0", HOST: "127.0.0.1" }), quiet);
      expect(plain.seeded).toBe(false);
      expect(plain.state).toEqual({ demo: false, platformAdmin: false });
      await plain.close();
      expect(await count(store, "merchants")).toBe(0);
      expect(await count(store, "users")).toBe(0);
      expect(await count(store, "api_keys")).toBe(0);

      const demo = await startServer(loadConfig({ ...store.env, ...KEY, PORT: "0", HOST: "127.0.0.1", FENXIAO_DEMO: "1" }), quiet);
      expect(demo.seeded).toBe(true);
      await demo.close();
      // Started again without FENXIAO_DEMO: nothing is seeded this time, and the banner still shows the demo that exists.
      const again = await startServer(loadConfig({ ...store.env, ...KEY, PORT: "0", HOST: "127.0.0.1" }), quiet);
      expect(again.seeded).toBe(false);
      expect(again.state.demo).toBe(true);
      expect(banner(loadConfig(store.env), again.port, "postgres", again.state)).toContain("Demo logins");
      await again.close();
    },
  );

  it.skipIf(onPostgres)("`npm start` on a fresh embedded directory is still a one-step demo", { timeout: 240_000 }, async () => {
    const store = await freshStore();
    const server = await serve(childEnv(store));
    expect(server.output()).toContain("first run: creating demo data");
    expect(server.output()).toContain("Demo logins");
    expect(server.output()).toContain(DEMO.password);
    const login = await call(server.base, "POST", "/v1/auth/login", undefined, { email: DEMO.merchantAdmin, password: DEMO.password });
    expect(login.status).toBe(200);
    expect((await call(server.base, "GET", "/v1/merchant", DEMO.apiKey)).status).toBe(200);
  });
});

describe.skipIf(!onPostgres)("two servers starting at once on an empty PostgreSQL", () => {
  it("both come up, and exactly one demo exists (FENXIAO_DEMO=1)", { timeout: 240_000 }, async () => {
    const store = await freshStore();
    const env = childEnv(store, { FENXIAO_DEMO: "1" });
    const [a, b] = await Promise.all([serve(env), serve(env)]);
    for (const s of [a, b]) {
      expect((await call(s.base, "GET", "/health")).status).toBe(200);
      expect(s.output()).toContain("Demo logins");
      const orders = await call(s.base, "GET", "/v1/orders?limit=3", DEMO.apiKey);
      expect(orders.status).toBe(200);
      expect(orders.body.items.length).toBe(3);
    }
    // One of them created the demo; the other waited for it and started on it.
    expect([a, b].filter((s) => s.output().includes("first run: creating demo data"))).toHaveLength(1);
    expect(await count(store, "merchants")).toBe(1);
    expect(await count(store, "users")).toBe(22);
    expect(await count(store, "api_keys")).toBe(1);
    expect(await count(store, "promoters")).toBe(20);
    const [paid] = await store.query<{ n: number; refs: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT order_ref)::int AS refs FROM orders",
    );
    expect(paid?.n).toBe(paid?.refs);
    expect(paid?.n).toBeGreaterThan(900);
  });
});
