/**
 * Abuse and isolation: security headers, no-store on answers that carry secrets, compression, rate limits (429 with
 * Retry-After and the RateLimit headers), the login/join lockout kept in the database, TRUST_PROXY, and a revoked API
 * key or session refused by every server process within one second. On PGlite and PostgreSQL; the two-process test
 * needs PostgreSQL.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from "node:zlib";
import Fastify from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig, parseTrustProxy } from "../src/config.ts";
import { registerHeaders } from "../src/http/headers.ts";
import { DEFAULT_LIMITS } from "../src/http/limits.ts";
import webApp, { WEB_BUILDING_RETRY_S } from "../src/http/web.ts";
import { purgeStaleAuthFailures } from "../src/jobs/sessions.ts";
import { hashPassword, PASSWORD_COST_TESTS_ONLY } from "../src/modules/auth/passwords.ts";
import { createUser } from "../src/modules/auth/service.ts";
import { createMerchantWithAdmin } from "../src/modules/merchants/service.ts";
import { type ServerChild, startServerChild } from "./child-server.ts";
import {
  GENEROUS_LIMITS,
  type Harness,
  type HarnessOptions,
  merchantFixture,
  onPostgres,
  PASSWORD,
  paidOrder,
  promoterFixture,
  startHarness,
  TEST_KEY_RING,
  tempDirs,
  testDb,
} from "./helpers.ts";

/** One server per set of options, shared by the tests that use the same options (a server takes seconds to start). */
const harnesses = new Map<string, Promise<Harness>>();
function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const key = JSON.stringify(opts);
  let h = harnesses.get(key);
  if (!h) {
    h = startHarness(undefined, opts);
    harnesses.set(key, h);
  }
  return h;
}
afterAll(async () => {
  for (const h of harnesses.values()) await (await h).close();
});

/** A raw GET (no automatic decompression): status, headers and the bytes on the wire. */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }>((ok, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

function expectRateLimited(r: { status: number; body: { error: { code: string; message: string; details: object } }; headers: Headers }) {
  expect(r.status, JSON.stringify(r.body)).toBe(429);
  expect(r.body.error.code).toBe("RATE_LIMITED");
  expect(typeof r.body.error.message).toBe("string");
  expect(r.body.error.details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
  const retry = Number(r.headers.get("retry-after"));
  expect(retry).toBeGreaterThanOrEqual(1);
}

describe("settings", () => {
  it("limits are named environment settings with defaults; a bad value stops the start naming the variable", () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(loadConfig({ RATE_LIMIT_API_PER_KEY: "25" }).limits.apiPerKey).toBe(25);
    expect(() => loadConfig({ RATE_LIMIT_API_PER_KEY: "0" })).toThrow(/RATE_LIMIT_API_PER_KEY/);
    expect(() => loadConfig({ LOGIN_LOCKOUT_MINUTES: "ten" })).toThrow(/LOGIN_LOCKOUT_MINUTES/);
    expect(() => loadConfig({ RATE_LIMIT_INGEST_PER_MERCHANT: "1.5" })).toThrow(/RATE_LIMIT_INGEST_PER_MERCHANT/);
  });

  it("TRUST_PROXY is off by default and takes true, a hop count, or addresses/CIDRs", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("0")).toBe(false);
    expect(parseTrustProxy("true")).toBe(true);
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("10.0.0.1, 192.168.0.0/16,::1")).toEqual(["10.0.0.1", "192.168.0.0/16", "::1"]);
    expect(() => parseTrustProxy("proxy.local")).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
  });
});

/** Believes X-Forwarded-For; one login per client address and window. */
const TRUSTING: HarnessOptions = { trustProxy: true, limits: { loginPerIp: 1 } };

describe("security headers and no-store", () => {
  it("every response carries the CSP, nosniff, frame refusal and Referrer-Policy; no HSTS over plain HTTP", async () => {
    const h = await harness();
    for (const path of ["/health", "/v1/me", "/v1/nothing-here", "/openapi.json"]) {
      const r = await h.call("GET", path);
      const csp = r.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("default-src 'self'");
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(r.headers.get("x-frame-options"), path).toBe("DENY");
      expect(r.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(r.headers.get("strict-transport-security"), path).toBeNull();
    }
    // Not believed without TRUST_PROXY: a client cannot ask for HSTS on plain HTTP.
    const forged = await h.call("GET", "/health", { headers: { "x-forwarded-proto": "https" } });
    expect(forged.headers.get("strict-transport-security")).toBeNull();
  });

  it("HSTS when the request came over https through a trusted proxy", async () => {
    const h = await harness(TRUSTING);
    const r = await h.call("GET", "/health", { headers: { "x-forwarded-proto": "https" } });
    expect(r.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect((await h.call("GET", "/health")).headers.get("strict-transport-security")).toBeNull();
  });

  it("answers that carry a session token or a secret are Cache-Control: no-store", async () => {
    const h = await harness();
    const m = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "NoStore", adminEmail: "nostore@test.local", adminPassword: PASSWORD, adminName: "N" },
    });
    expect(m.status).toBe(201);
    expect(m.headers.get("cache-control")).toBe("no-store");
    const login = await h.call("POST", "/v1/auth/login", { body: { email: "nostore@test.local", password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.headers.get("cache-control")).toBe("no-store");
    const key = await h.call("POST", "/v1/api-keys", { token: login.body.token, body: { name: "second" } });
    expect(key.status).toBe(201);
    expect(key.headers.get("cache-control")).toBe("no-store");
    const p = await h.call("POST", "/v1/programs", {
      token: m.body.apiKey.key,
      body: { name: "P", landingUrl: "https://shop.example/", holdDays: 7 },
    });
    const join = await h.call("POST", "/v1/join", {
      body: { merchantId: m.body.merchantId, programId: p.body.id, name: "J", email: "join-nostore@test.local", password: PASSWORD },
    });
    expect(join.status, JSON.stringify(join.body)).toBe(202);
    expect(join.headers.get("cache-control")).toBe("no-store");
    const refused = await h.call("POST", "/v1/auth/login", { body: { email: "nostore@test.local", password: "wrong-password" } });
    expect(refused.headers.get("cache-control")).toBe("no-store");
  });
});

describe("compression", () => {
  const dirs = tempDirs("fenxiao-web-");
  afterEach(dirs.cleanup);

  it("API JSON is sent with brotli or gzip as the client accepts, and decodes to the same body", async () => {
    const h = await harness();
    const f = await merchantFixture(h, "Zip");
    const pr = await promoterFixture(h, f, "Zipper");
    for (let i = 0; i < 20; i++) {
      const r = await h.call("POST", "/v1/orders", { token: f.apiKey, body: paidOrder(`Z-${i}`, `ZC-${i}`, { promoCode: pr.code }) });
      expect(r.status).toBe(201);
    }
    const url = `${h.base}/v1/commissions?limit=100`;
    const auth = { authorization: `Bearer ${f.apiKey}` };
    const plain = await rawGet(url, auth);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const br = await rawGet(url, { ...auth, "accept-encoding": "br, gzip" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
    const gz = await rawGet(url, { ...auth, "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gz.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 4);
  });

  it("the web app's files are compressed and keep their caching headers", async () => {
    const root = dirs.make();
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), `<!doctype html><html><body><div id="root"></div>${"<p>x</p>".repeat(400)}</body></html>`);
    const js = `export const words = ${JSON.stringify(Array.from({ length: 5000 }, (_, i) => `word${i % 50}`))};\n`;
    writeFileSync(join(root, "assets", "app-abc123.js"), js);
    // A file the build compressed (packages/web/vite.config.ts) is sent as it is.
    const pre = brotliCompressSync(Buffer.from(js));
    writeFileSync(join(root, "assets", "pre-abc123.js"), js);
    writeFileSync(join(root, "assets", "pre-abc123.js.br"), pre);
    const { app, base } = await serveWebApp(root);
    try {
      const r = await rawGet(`${base}/assets/app-abc123.js`, { "accept-encoding": "gzip, deflate, br" });
      expect(r.status).toBe(200);
      expect(r.headers["content-encoding"]).toBe("br");
      expect(r.headers["cache-control"]).toContain("immutable");
      expect(brotliDecompressSync(r.bytes).toString()).toBe(js);
      expect(r.bytes.length).toBeLessThan(js.length / 4);
      const p = await rawGet(`${base}/assets/pre-abc123.js`, { "accept-encoding": "br" });
      expect(p.headers["content-encoding"]).toBe("br");
      expect(p.headers["content-type"]).toMatch(/javascript/);
      expect(p.bytes.equals(pre)).toBe(true);
      const page = await rawGet(`${base}/console/orders`, { "accept-encoding": "gzip" });
      expect(page.headers["content-encoding"]).toBe("gzip");
      expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    } finally {
      await app.close();
    }
  });
});

/** The web app of `root` behind the server's headers and compression, listening on a free port. */
async function serveWebApp(root: string) {
  const app = Fastify();
  await registerHeaders(app);
  await app.register(webApp, { root });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const a = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}` };
}

describe("the web app before it is built", () => {
  const dirs = tempDirs("fenxiao-web-");
  afterEach(dirs.cleanup);

  it("answers its pages with a self-reloading 503 page, and serves the app from the first request after the build", async () => {
    const root = dirs.make();
    const { app, base } = await serveWebApp(root);
    try {
      for (const path of ["/", "/console/orders"]) {
        const r = await fetch(`${base}${path}`);
        expect(r.status).toBe(503);
        expect(r.headers.get("retry-after")).toBe(String(WEB_BUILDING_RETRY_S));
        const html = await r.text();
        expect(html).toContain("控制台正在构建");
        expect(html).toContain(`http-equiv="refresh" content="${WEB_BUILDING_RETRY_S}"`);
      }
      expect((await fetch(`${base}/assets/app-abc123.js`)).status).toBe(404);
      mkdirSync(join(root, "assets"));
      writeFileSync(join(root, "index.html"), '<!doctype html><html><body><div id="root">the app</div></body></html>');
      const page = await fetch(`${base}/console/orders`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("the app");
    } finally {
      await app.close();
    }
  });
});

/** Small ingest, anonymous and click limits. */
const FEW: HarnessOptions = { limits: { ingestPerKey: 2, ingestPerMerchant: 3, anonymousPerIp: 2, clicksPerIp: 2 } };

describe("rate limits", () => {
  it("per API key: the request past the limit is 429 RATE_LIMITED with Retry-After and RateLimit headers", async () => {
    const h = await harness({ limits: { apiPerKey: 3 } });
    const f = await merchantFixture(h, "Limited");
    // A fresh key (the fixture has used its own for three calls already).
    const key = (await h.call("POST", "/v1/api-keys", { token: f.adminToken, body: { name: "limited" } })).body.key as string;
    for (let i = 0; i < 3; i++) expect((await h.call("GET", "/v1/orders?limit=1", { token: key })).status).toBe(200);
    const r = await h.call("GET", "/v1/orders?limit=1", { token: key });
    expectRateLimited(r);
    expect(r.headers.get("ratelimit-limit")).toBe("3");
    expect(r.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(r.body.error.details.scope).toBe("caller");
    // Other callers are not affected: the merchant admin's session counts on its own.
    expect((await h.call("GET", "/v1/orders?limit=1", { token: f.adminToken })).status).toBe(200);
  });

  it("headers below the limit say how many requests remain", async () => {
    const h = await harness();
    const f = await merchantFixture(h, "Counting");
    const a = await h.call("GET", "/v1/orders?limit=1", { token: f.apiKey });
    const b = await h.call("GET", "/v1/orders?limit=1", { token: f.apiKey });
    expect(a.headers.get("ratelimit-limit")).toBe(String(GENEROUS_LIMITS.apiPerKey));
    expect(Number(b.headers.get("ratelimit-remaining"))).toBe(Number(a.headers.get("ratelimit-remaining")) - 1);
  });

  it("order ingest has its own limit per key, and the merchant's keys share a per-merchant limit", async () => {
    const h = await harness(FEW);
    const f = await merchantFixture(h, "Ingest");
    const second = await h.call("POST", "/v1/api-keys", { token: f.apiKey, body: { name: "second" } });
    const k2 = second.body.key as string;
    expect((await h.call("POST", "/v1/orders", { token: f.apiKey, body: paidOrder("I-1", "IC-1") })).status).toBe(201);
    expect((await h.call("POST", "/v1/orders", { token: f.apiKey, body: paidOrder("I-2", "IC-2") })).status).toBe(201);
    const third = await h.call("POST", "/v1/orders", { token: f.apiKey, body: paidOrder("I-3", "IC-3") });
    expectRateLimited(third);
    expect(third.body.error.details.scope).toBe("caller");
    // Reads are not ingest.
    expect((await h.call("GET", "/v1/orders?limit=1", { token: f.apiKey })).status).toBe(200);
    // The second key has its own per-key count, but the merchant has used 2 of 3 (the refused one counted too).
    const other = await h.call("POST", "/v1/orders", { token: k2, body: paidOrder("I-4", "IC-4") });
    expectRateLimited(other);
    expect(other.body.error.details.scope).toBe("merchant");
    expect(other.headers.get("ratelimit-limit")).toBe("3");
    // Nothing was written by the refused requests.
    const n = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1", [f.merchantId]),
    );
    expect(n[0]?.n).toBe(2);
  });

  it("requests without valid credentials count per client address; click tracking too", async () => {
    const h = await harness(FEW);
    expect((await h.call("GET", "/v1/orders", { token: "fxk_not_a_key" })).status).toBe(401);
    expect((await h.call("GET", "/v1/orders", { token: "fxk_another_bad_key" })).status).toBe(401);
    expectRateLimited(await h.call("GET", "/v1/orders", { token: "fxk_a_third_bad_key" }));
    expect((await h.call("GET", "/r/NOSUCHCODE")).status).toBe(404);
    expect((await h.call("GET", "/r/NOSUCHCODE")).status).toBe(404);
    expectRateLimited(await h.call("GET", "/r/NOSUCHCODE"));
  });

  it("login attempts are limited per client address; without TRUST_PROXY a forged X-Forwarded-For does not dodge it", async () => {
    const h = await harness({ limits: { loginPerIp: 2 } });
    const body = { email: "nobody@test.local", password: "whatever-it-is" };
    // startHarness logged in once already.
    expect((await h.call("POST", "/v1/auth/login", { body, headers: { "x-forwarded-for": "198.51.100.7" } })).status).toBe(401);
    expectRateLimited(await h.call("POST", "/v1/auth/login", { body, headers: { "x-forwarded-for": "198.51.100.8" } }));
  });
});

/** Move the harness clock on by `ms`. */
function later(h: Harness, ms: number): void {
  h.clock.set(new Date(h.clock.now().getTime() + ms));
}

describe("login and join lockout", () => {
  const lockout = { loginDelayAfterFailures: 2, loginLockoutAfterFailures: 4, loginLockoutMinutes: 15, loginDelayMaxSeconds: 60 };

  it("failures of one account bring growing delays, then a lockout that a right password does not lift", async () => {
    const h = await harness({ limits: lockout });
    await h.db.tx(async (q) =>
      createUser(q, {
        email: "victim@test.local",
        passwordHash: await hashPassword(PASSWORD, PASSWORD_COST_TESTS_ONLY),
        name: "V",
        role: "platform_admin",
      }),
    );
    const wrong = { email: "Victim@test.local", password: "not-the-password" };
    const right = { email: "victim@test.local", password: PASSWORD };
    const login = (body: object) => h.call("POST", "/v1/auth/login", { body });
    expect((await login(wrong)).status).toBe(401);
    expect((await login(wrong)).status).toBe(401);
    // Two failures: the next attempt must wait 1 s, even with the right password.
    let r = await login(right);
    expectRateLimited(r);
    expect(r.body.error.details).toMatchObject({ scope: "account", reason: "delay", retryAfterSeconds: 1 });
    expect(r.headers.get("retry-after")).toBe("1");
    later(h, 1000);
    expect((await login(wrong)).status).toBe(401);
    r = await login(wrong);
    expect(r.body.error.details).toMatchObject({ reason: "delay", retryAfterSeconds: 2 });
    later(h, 2000);
    expect((await login(wrong)).status).toBe(401); // the fourth failure locks the account for 15 minutes
    r = await login(right);
    expectRateLimited(r);
    expect(r.body.error.details).toMatchObject({ scope: "account", reason: "locked" });
    expect(Number(r.headers.get("retry-after"))).toBe(15 * 60);
    // Another server process on the same database sees the same lockout.
    const other = await buildApp({
      db: h.db,
      clock: h.clock,
      secrets: TEST_KEY_RING,
      config: { publicUrl: "http://localhost", sessionHours: 1, limits: { ...GENEROUS_LIMITS, ...lockout } },
    });
    try {
      const o = await other.inject({ method: "POST", url: "/v1/auth/login", payload: right });
      expect(o.statusCode).toBe(429);
      expect(o.json().error.details.reason).toBe("locked");
    } finally {
      await other.close();
    }
    later(h, 15 * 60_000);
    expect((await login(right)).status).toBe(200);
    // Success forgets the failures: one wrong attempt is again just a 401.
    expect((await login(wrong)).status).toBe(401);
    expect((await login(wrong)).status).toBe(401);
  });

  it("a join with a locked account's e-mail (always 202) does not lift its failures", async () => {
    const h = await harness({ limits: lockout });
    const m = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "Lock", adminEmail: "lock-admin@test.local", adminPassword: PASSWORD, adminName: "L" },
    });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    const p = await h.call("POST", "/v1/programs", {
      token: m.body.apiKey.key,
      body: { name: "P", landingUrl: "https://shop.example/", holdDays: 7 },
    });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const email = "locked-joiner@test.local";
    const wrong = { email, password: "not-the-password" };
    const login = (body: object) => h.call("POST", "/v1/auth/login", { body });
    expect((await login(wrong)).status).toBe(401);
    expect((await login(wrong)).status).toBe(401);
    later(h, 1000);
    const j = await h.call("POST", "/v1/join", {
      body: { merchantId: m.body.merchantId, programId: p.body.id, name: "J", email, password: PASSWORD },
    });
    expect(j.status, JSON.stringify(j.body)).toBe(202);
    // Still two failures on the account, whatever the join answered (only a successful login forgets them).
    const rows = await h.db.read((q) =>
      q.query<{ failures: number }>("SELECT failures FROM auth_failures WHERE scope = 'account' AND key = $1", [email]),
    );
    expect(rows[0]?.failures).toBe(2);
  });

  it("an unknown account is answered exactly like a known one", async () => {
    const h = await harness({ limits: lockout });
    const ghost = { email: "ghost@test.local", password: "not-the-password" };
    const login = () => h.call("POST", "/v1/auth/login", { body: ghost });
    expect((await login()).status).toBe(401);
    expect((await login()).status).toBe(401);
    expect((await login()).body.error.details).toMatchObject({ reason: "delay", retryAfterSeconds: 1 });
    // The counts are forgotten once they no longer count.
    const ghosts = () =>
      h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM auth_failures WHERE key = 'ghost@test.local'"));
    expect((await ghosts())[0]?.n).toBe(1);
    expect(await purgeStaleAuthFailures(h.db, h.clock, 15)).toBe(0);
    later(h, 15 * 60_000 + 1);
    expect(await purgeStaleAuthFailures(h.db, h.clock, 15)).toBeGreaterThanOrEqual(1);
    expect((await ghosts())[0]?.n).toBe(0);
  });

  it("failed joins count for the e-mail too", async () => {
    const h = await harness({ limits: lockout });
    const body = { inviteCode: "ZZZZZZ", name: "N", email: "joiner@test.local", password: PASSWORD };
    expect((await h.call("POST", "/v1/join", { body })).status).toBe(422);
    expect((await h.call("POST", "/v1/join", { body })).status).toBe(422);
    const r = await h.call("POST", "/v1/join", { body });
    expectRateLimited(r);
    expect(r.body.error.details).toMatchObject({ scope: "account", reason: "delay" });
  });

  it("failures from one client address lock it out whatever the account", async () => {
    const h = await harness({ limits: { ...lockout, loginIpDelayAfterFailures: 100, loginIpLockoutAfterFailures: 3 } });
    for (let i = 0; i < 3; i++)
      expect((await h.call("POST", "/v1/auth/login", { body: { email: `spray${i}@test.local`, password: "guess-guess" } })).status).toBe(
        401,
      );
    const r = await h.call("POST", "/v1/auth/login", { body: { email: "root@test.local", password: PASSWORD } });
    expectRateLimited(r);
    expect(r.body.error.details).toMatchObject({ scope: "ip", reason: "locked" });
  });
});

describe("TRUST_PROXY", () => {
  async function clickIp(h: Harness, xff: string): Promise<string | null> {
    const f = await merchantFixture(h, "Clicks");
    const p = await promoterFixture(h, f, "Clicker");
    const r = await h.call("GET", `/r/${p.code}`, { headers: { "x-forwarded-for": xff } });
    expect(r.status).toBe(302);
    const rows = await h.db.read((q) => q.query<{ ip: string | null }>("SELECT ip FROM clicks WHERE merchant_id = $1", [f.merchantId]));
    expect(rows.length).toBe(1);
    return rows[0]?.ip ?? null;
  }

  it("off (the default): a forged X-Forwarded-For does not change the recorded click IP", async () => {
    const h = await harness();
    expect(await clickIp(h, "203.0.113.9")).toBe("127.0.0.1");
    // (That it does not dodge a per-address limit either: "rate limits" above.)
  });

  it("on: the address the trusted proxy reports is the client's", async () => {
    const h = await harness(TRUSTING);
    expect(await clickIp(h, "203.0.113.9")).toBe("203.0.113.9");
    // Each reported address has its own login bucket (one login each): both succeed.
    for (const ip of ["198.51.100.1", "198.51.100.2"]) {
      const r = await h.call("POST", "/v1/auth/login", {
        body: { email: "root@test.local", password: PASSWORD },
        headers: { "x-forwarded-for": ip },
      });
      expect(r.status, ip).toBe(200);
    }
  });

  it("a list of proxies: only a listed proxy is believed", async () => {
    const h = await harness({ trustProxy: ["10.1.2.3"] });
    expect(await clickIp(h, "203.0.113.9")).toBe("127.0.0.1");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Revocation across server processes (PostgreSQL: the embedded database belongs to one process).

function startChild(databaseUrl: string): Promise<ServerChild> {
  return startServerChild({ ...process.env, DATABASE_URL: databaseUrl });
}

/** Poll `url` on the other process until it answers 401; the milliseconds that took. */
async function msUntilRefused(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (r.status === 401) return performance.now() - t0;
    expect(r.status).toBe(200);
    if (performance.now() - t0 > 10_000) throw new Error("still accepted after 10 s");
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe.skipIf(!onPostgres)("revocation across two server processes on one PostgreSQL (embedded PGlite is one process)", () => {
  let drop: (() => Promise<void>) | null = null;
  const children: ChildProcess[] = [];
  let a = "";
  let b = "";
  let merchantKey = "";
  const adminEmail = "revoker@test.local";

  beforeAll(async () => {
    const t = await testDb();
    drop = t.drop;
    // A merchant already exists, so the servers start without creating demo data.
    const m = await t.db.tx(async (q) =>
      createMerchantWithAdmin(
        q,
        { name: "Revoke", adminEmail, adminPasswordHash: await hashPassword(PASSWORD, PASSWORD_COST_TESTS_ONLY), adminName: "R" },
        new Date(),
      ),
    );
    merchantKey = m.apiKey.key;
    await t.db.close();
    const url = t.url as string;
    const first = await startChild(url);
    children.push(first.proc);
    const second = await startChild(url);
    children.push(second.proc);
    a = first.base;
    b = second.base;
  }, 120_000);

  afterAll(async () => {
    for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
    await Promise.all(children.map((p) => (p.exitCode !== null ? null : new Promise((ok) => p.once("exit", ok)))));
    await drop?.();
  });

  it("an API key revoked through one process is refused by the other within one second", async () => {
    const created = await fetch(`${a}/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${merchantKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "short-lived" }),
    });
    const key = (await created.json()) as { id: string; key: string };
    // The other process has just verified (and may remember) the key.
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${b}/v1/merchant`, { headers: { authorization: `Bearer ${key.key}` } })).status).toBe(200);
    const del = await fetch(`${a}/v1/api-keys/${key.id}`, { method: "DELETE", headers: { authorization: `Bearer ${merchantKey}` } });
    expect(del.status).toBe(204);
    const ms = await msUntilRefused(`${b}/v1/merchant`, key.key);
    console.log(`revoked API key refused by the other process after ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    expect((await fetch(`${a}/v1/merchant`, { headers: { authorization: `Bearer ${key.key}` } })).status).toBe(401);
  });

  it("a session logged out through one process is refused by the other within one second", async () => {
    const login = await fetch(`${a}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: adminEmail, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    expect((await fetch(`${b}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const out = await fetch(`${a}/v1/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    const ms = await msUntilRefused(`${b}/v1/me`, token);
    expect(ms).toBeLessThan(1000);
  });
});
