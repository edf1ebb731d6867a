/**
 * Global uniqueness of public codes (promo / invite codes of memberships, short-link codes) through the registry
 * table public_codes (migration 0006):
 * - a race of many concurrent creations, on two server processes against one PostgreSQL (on PGlite, two servers in
 *   this process on the one embedded database), where every first attempt draws from a few contested codes, never
 *   gives a code two owners, and every code leads to its owner's merchant; a code two merchants choose at once goes
 *   to one of them;
 * - the migration's backfill registers the earliest holder of a code and gives every later holder a new code derived
 *   from its old one, the same on every run, with the holder's clicks and an audit record.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { keyRing } from "../src/crypto/sealed.ts";
import { type Db, PostgresDb } from "../src/db/client.ts";
import { loadMigrations, migrate, splitStatements } from "../src/db/migrate.ts";
import { PgliteThreadDb } from "../src/db/pglite-thread.ts";
import { hashPassword, PASSWORD_COST_TESTS_ONLY } from "../src/modules/auth/passwords.ts";
import { createUser } from "../src/modules/auth/service.ts";
import { CONTESTED, collidingCodes } from "./fixtures/colliding-codes.ts";
import {
  createTestDatabase,
  type Harness,
  type Json,
  type MerchantFixture,
  merchantFixture,
  onPostgres,
  PASSWORD,
  promoterFixture,
  START,
  testDb,
} from "./helpers.ts";

type Call = Harness["call"];

function caller(base: string): Call {
  return async (method, path, opts = {}) => {
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
    let body: Json = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  };
}

const SERVER = join(dirname(fileURLToPath(import.meta.url)), "fixtures/colliding-code-server.ts");
const SERVER_START_MS = 60_000;

interface Server {
  base: string;
  call: Call;
  stop(): Promise<void>;
}

/** A server in this process (PGlite: the embedded database cannot be shared between processes). */
async function inProcess(db: Db, clock: ManualClock): Promise<Server> {
  const app = await buildApp({
    db,
    clock,
    // The key the child processes of this file use too (vitest.config.ts): both seal and find alike.
    secrets: keyRing(process.env.FENXIAO_SECRET_KEY as string),
    config: { publicUrl: "http://localhost", sessionHours: 24 },
    codes: collidingCodes(),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  return { base, call: caller(base), stop: () => app.close() };
}

/** A server process of its own on the PostgreSQL database `url` (fixtures/colliding-code-server.ts). */
async function childProcess(url: string): Promise<Server> {
  const proc = spawn(process.execPath, ["--import", "tsx", SERVER], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((ok) => proc.once("exit", () => ok()));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server not listening within ${SERVER_START_MS} ms:\n${out}`)), SERVER_START_MS);
    proc.stderr.on("data", (b: Buffer) => {
      out += b.toString("utf8");
    });
    proc.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    proc.once("exit", () => fail(new Error(`server exited during start:\n${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    call: caller(base),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

describe("a race of code creations on two servers", () => {
  let db: Db;
  let h: Harness;
  let call2: Call;
  let closeAll: () => Promise<void>;

  beforeAll(async () => {
    const t = await testDb();
    db = t.db;
    const clock = new ManualClock(START);
    // Two server processes on PostgreSQL, each with its own pool; on PGlite two servers in this process.
    const servers = onPostgres
      ? await Promise.all([childProcess(t.url as string), childProcess(t.url as string)])
      : [await inProcess(db, clock), await inProcess(db, clock)];
    const [s1, s2] = servers as [Server, Server];
    call2 = s2.call;
    closeAll = async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await t.drop();
    };
    const passwordHash = await hashPassword(PASSWORD, PASSWORD_COST_TESTS_ONLY);
    await db.tx((q) => createUser(q, { email: "root@test.local", passwordHash, name: "root", role: "platform_admin" }));
    const login = await s1.call("POST", "/v1/auth/login", { body: { email: "root@test.local", password: PASSWORD } });
    h = { base: s1.base, db, clock, adminToken: login.body.token, call: s1.call, close: closeAll };
  });
  afterAll(async () => closeAll?.());

  it("never gives a code two owners, and every code leads to its owner's merchant", async () => {
    const merchants: MerchantFixture[] = [];
    for (const name of ["Alpha", "Beta"]) {
      const m = await merchantFixture(h, name);
      await h.call("PUT", "/v1/products", { token: m.apiKey, body: { items: ["P1", "P2", "P3"].map((id) => ({ id, name: id })) } });
      merchants.push(m);
    }
    // promoters with a login, for links (created before the race, one at a time)
    const withLogin = [];
    for (const m of merchants) for (let i = 0; i < 4; i++) withLogin.push({ m, p: await promoterFixture(h, m, `Linker${i}`) });
    const calls = [h.call, call2];
    const requests: Promise<{ status: number; body: Json; kind: string; key: string }>[] = [];
    for (let i = 0; i < 60; i++) {
      const m = merchants[i % 2] as MerchantFixture;
      const call = calls[Math.floor(i / 2) % 2] as Call;
      requests.push(
        call("POST", "/v1/promoters", { token: m.apiKey, body: { programId: m.programId, name: `Racer${i}` } }).then((r) => ({
          ...r,
          kind: "membership",
          key: `p${i}`,
        })),
      );
    }
    // every link is asked for on both servers at once: one link, one code
    for (const { m, p } of withLogin) {
      for (const productId of ["P1", "P2", "P3"]) {
        for (const call of calls) {
          requests.push(
            call("POST", "/v1/me/links", { token: p.token, body: { merchantId: m.merchantId, programId: m.programId, productId } }).then(
              (r) => ({ ...r, kind: "link", key: `${p.promoterId}/${productId}` }),
            ),
          );
        }
      }
    }
    const results = await Promise.all(requests);
    for (const r of results) expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    const linkCodes = new Map<string, Set<string>>();
    for (const r of results.filter((x) => x.kind === "link")) linkCodes.set(r.key, (linkCodes.get(r.key) ?? new Set()).add(r.body.code));
    for (const codes of linkCodes.values()) expect(codes.size).toBe(1);

    const held = await db.read((q) =>
      q.query<{ code: string; merchant_id: string; kind: string; program_id: string; promoter_id: string }>(
        `SELECT code, merchant_id, 'membership' AS kind, program_id, promoter_id FROM memberships
         UNION ALL SELECT code, merchant_id, 'link', program_id, promoter_id FROM links ORDER BY code`,
      ),
    );
    expect(held.length).toBe(60 + withLogin.length * (1 + 3));
    expect(new Set(held.map((x) => x.code)).size).toBe(held.length);
    const registry = await db.read((q) =>
      q.query("SELECT code, merchant_id, kind, program_id, promoter_id FROM public_codes ORDER BY code"),
    );
    expect(registry).toEqual(held);
    // the contested codes were taken, each by one owner (a link request that lost its link gives its code back, so
    // not every one need be held), so the writers did collide
    const taken = CONTESTED.filter((c) => held.some((x) => x.code === c));
    expect(taken.length).toBeGreaterThanOrEqual(CONTESTED.length / 2);
    for (const x of held.filter((y, i) => i % 5 === 0 || CONTESTED.includes(y.code))) {
      const r = await call2("GET", `/r/${x.code}`);
      expect(r.status, x.code).toBe(302);
      const token = new URL(r.headers.get("location") as string).searchParams.get("fx_click");
      const [click] = await db.read((q) => q.query("SELECT merchant_id, promoter_id FROM clicks WHERE token = $1", [token]));
      expect(click).toEqual({ merchant_id: x.merchant_id, promoter_id: x.promoter_id });
    }
  });

  it("a code chosen by two merchants at once goes to one of them; every other request is a 409 CODE_TAKEN", async () => {
    const merchants = [await merchantFixture(h, "Gamma"), await merchantFixture(h, "Delta")];
    const calls = [h.call, call2];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const m = merchants[i % 2] as MerchantFixture;
        const call = calls[Math.floor(i / 2) % 2] as Call;
        return call("POST", "/v1/promoters", { token: m.apiKey, body: { programId: m.programId, name: `Chooser${i}`, code: "same01" } });
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect([r.status, r.body.error.code]).toEqual([409, "CODE_TAKEN"]);
    const holders = await db.read((q) =>
      q.query(
        "SELECT merchant_id FROM memberships WHERE code = 'SAME01' UNION ALL SELECT merchant_id FROM public_codes WHERE code = 'SAME01'",
      ),
    );
    expect(holders).toHaveLength(2);
    expect(holders[0]).toEqual(holders[1]);
  });
});

/** A database with migrations up to 0005 applied, as a deployment had it before the registry existed. */
async function databaseBefore0006(): Promise<{ db: Db; drop(): Promise<void> }> {
  let db: Db;
  let drop: () => Promise<void>;
  if (onPostgres) {
    const t = await createTestDatabase();
    db = PostgresDb.open(t.url, 4);
    drop = async () => {
      await db.close();
      await t.drop();
    };
  } else {
    db = await PgliteThreadDb.open();
    drop = () => db.close();
  }
  await db.tx(async (q) => {
    await q.query(
      "CREATE TABLE schema_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    for (const m of loadMigrations().filter((x) => x.id < "0006")) {
      for (const stmt of splitStatements(m.sql)) await q.query(stmt);
      await q.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [m.id, m.checksum]);
    }
  });
  return { db, drop };
}

/** Codes held twice across merchants (and once across kinds), as the per-merchant keys allowed. */
async function seedCollisions(db: Db): Promise<void> {
  await db.tx(async (q) => {
    for (const m of ["mA", "mB", "mC"]) {
      await q.query("INSERT INTO merchants (id, name) VALUES ($1, $1)", [m]);
      await q.query("INSERT INTO programs (merchant_id, id, name, landing_url) VALUES ($1, 'prg', 'p', 'https://x.example/')", [m]);
    }
    const member = async (m: string, p: string, code: string, at: string) => {
      await q.query("INSERT INTO promoters (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING", [p]);
      await q.query("INSERT INTO memberships (merchant_id, program_id, promoter_id, code, joined_at) VALUES ($1, 'prg', $2, $3, $4)", [
        m,
        p,
        code,
        at,
      ]);
    };
    await member("mB", "p1", "DUP111", "2026-01-02T00:00:00Z"); // later
    await member("mA", "p2", "DUP111", "2026-01-01T00:00:00Z"); // earliest: keeps it
    await member("mC", "p3", "DUP111", "2026-01-03T00:00:00Z");
    await member("mA", "p4", "SOLO01", "2026-01-01T00:00:00Z");
    await member("mC", "p5", "LINK0001", "2026-01-05T00:00:00Z"); // a membership holding a link's code, later
    const link = async (m: string, code: string, p: string, at: string) =>
      q.query(
        "INSERT INTO links (merchant_id, code, program_id, promoter_id, target_url, created_at) VALUES ($1, $2, 'prg', $3, 'https://x.example/', $4)",
        [m, code, p, at],
      );
    await link("mA", "LINK0001", "p2", "2026-01-04T00:00:00Z"); // earliest
    await link("mB", "LINK0001", "p1", "2026-01-04T00:00:00Z"); // same time: merchant order decides
    for (const [m, code, p] of [
      ["mB", "LINK0001", "p1"],
      ["mA", "LINK0001", "p2"],
      ["mB", "DUP111", "p1"],
    ] as const) {
      await q.query(
        "INSERT INTO clicks (merchant_id, id, token, link_code, program_id, promoter_id, clicked_at) VALUES ($1, $2, $2, $3, 'prg', $4, now())",
        [m, `clk_${randomBytes(6).toString("hex")}`, code, p],
      );
    }
  });
}

async function codesAfterMigration(): Promise<{ held: Json[]; audit: Json[]; clicks: Json[]; registry: Json[] }> {
  const t = await databaseBefore0006();
  try {
    await seedCollisions(t.db);
    expect(await migrate(t.db)).toContain("0006_public_codes");
    return await t.db.read(async (q) => ({
      held: await q.query(
        `SELECT 'membership' AS kind, merchant_id, promoter_id, code FROM memberships
         UNION ALL SELECT 'link', merchant_id, promoter_id, code FROM links ORDER BY kind, merchant_id, promoter_id`,
      ),
      registry: await q.query("SELECT kind, merchant_id, promoter_id, code FROM public_codes ORDER BY kind, merchant_id, promoter_id"),
      audit: await q.query(
        "SELECT merchant_id, actor, action, subject, details FROM audit_log WHERE action = 'code.reassigned' ORDER BY merchant_id, subject",
      ),
      clicks: await q.query("SELECT merchant_id, promoter_id, link_code FROM clicks ORDER BY merchant_id, link_code"),
    }));
  } finally {
    await t.drop();
  }
}

describe("migration 0006 backfills the registry", () => {
  it("keeps each code for its earliest holder and gives later holders a derived code, the same on every run", async () => {
    const first = await codesAfterMigration();
    const code = (kind: string, merchant: string, promoter: string) =>
      first.held.find((x) => x.kind === kind && x.merchant_id === merchant && x.promoter_id === promoter)?.code as string;
    expect(code("membership", "mA", "p2")).toBe("DUP111");
    expect(code("membership", "mA", "p4")).toBe("SOLO01");
    expect(code("link", "mA", "p2")).toBe("LINK0001");
    const renamed = [
      ["membership", "mB", "p1", "DUP111"],
      ["membership", "mC", "p3", "DUP111"],
      ["membership", "mC", "p5", "LINK0001"],
      ["link", "mB", "p1", "LINK0001"],
    ] as const;
    for (const [kind, m, p, old] of renamed) {
      const now = code(kind, m, p);
      expect(now).toMatch(new RegExp(`^${old}[0-9A-HJKMNP-TV-Z]{2}$`));
    }
    // one owner per code, and the registry is exactly what the tables hold
    expect(new Set(first.held.map((x) => x.code)).size).toBe(first.held.length);
    expect(first.registry).toEqual(first.held);
    // the merchant's audit log says what changed
    expect(first.audit).toHaveLength(renamed.length);
    for (const [kind, m, p, old] of renamed) {
      expect(first.audit).toContainEqual({
        merchant_id: m,
        actor: "system:migration-0006",
        action: "code.reassigned",
        subject: `promoter:${p}`,
        details: expect.objectContaining({ kind, programId: "prg", from: old, to: code(kind, m, p) }),
      });
    }
    // clicks follow the holder's new code; the winner's stay
    expect(first.clicks).toEqual(
      [
        { merchant_id: "mA", promoter_id: "p2", link_code: "LINK0001" },
        { merchant_id: "mB", promoter_id: "p1", link_code: code("membership", "mB", "p1") },
        { merchant_id: "mB", promoter_id: "p1", link_code: code("link", "mB", "p1") },
      ].sort((x, y) => (x.merchant_id + x.link_code < y.merchant_id + y.link_code ? -1 : 1)),
    );
    const again = await codesAfterMigration();
    expect(again.held).toEqual(first.held);
  });
});
