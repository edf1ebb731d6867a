/**
 * HTTP tests for the endpoints that orders.test.ts does not exercise: auth, merchants and API keys, programs, plans,
 * catalogue, promoters and joining, links and clicks, customers, list pagination, commissions, balances, ledger,
 * system endpoints and request limits. Every refused request is checked to leave no partial write.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOIN_ACCEPTED } from "../src/modules/promoters/join.ts";
import {
  type Harness,
  type MerchantFixture,
  merchantFixture,
  onPostgres,
  PASSWORD,
  paidOrder,
  promoterFixture,
  START,
  startHarness,
} from "./helpers.ts";

type Promoter = Awaited<ReturnType<typeof promoterFixture>>;

let h: Harness;
let m: MerchantFixture;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Endpoints");
});
afterAll(async () => h?.close());

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

async function count(table: string, where = "true", params: unknown[] = []): Promise<number> {
  const [r] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(r?.n);
}

/**
 * Row counts of every table but sessions (logins legitimately add sessions) and auth_failures (a refused login or
 * join is counted there by design, for the lockout; hardening.test.ts checks it).
 */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = await rows<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables)
    if (table_name !== "sessions" && table_name !== "auth_failures") out[table_name] = await count(table_name);
  expect(Object.keys(out).length).toBeGreaterThan(15);
  return out;
}

/** Run a request that must be refused with `status`, and check that no table gained or lost a row. */
async function refused(
  status: number,
  code: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const before = await tableCounts();
  const r = await h.call(method, path, opts);
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(await tableCounts()).toEqual(before);
  return r;
}

/** A validation error that names the field, both in the message and in details.issues. */
function expectNamesField(
  r: { body: { error: { code: string; message: string; details: { issues?: { path: string }[] } } } },
  field: string,
) {
  expect(r.body.error.code).toBe("VALIDATION_FAILED");
  expect(r.body.error.message).toContain(field);
  expect(r.body.error.details.issues?.map((i) => i.path)).toContain(field);
}

async function ok(method: string, path: string, token: string | undefined, body?: unknown, status = [200, 201]) {
  const r = await h.call(method, path, { token, body });
  if (!status.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("system endpoints", () => {
  it("GET /health reports the database", async () => {
    const r = await ok("GET", "/health", undefined);
    expect(r.body).toMatchObject({ status: "ok", database: onPostgres ? "postgres" : "pglite" });
    expect(Date.parse(r.body.time)).toBe(Date.parse(START));
  });

  it("GET /openapi.json is OpenAPI 3.1 and lists the order endpoints", async () => {
    const r = await ok("GET", "/openapi.json", undefined);
    expect(r.body.openapi).toBe("3.1.0");
    expect(r.body.info.title).toBeTruthy();
    const paths = r.body.paths;
    expect(Object.keys(paths["/v1/orders"]).sort()).toEqual(["get", "post"]);
    for (const ev of ["refunds", "complete", "cancel"]) expect(paths[`/v1/orders/{orderRef}/${ev}`].post).toBeTruthy();
    expect(paths["/v1/orders/{orderRef}"].get).toBeTruthy();
    // The order body documents its fields, with amounts as integers.
    const schema = paths["/v1/orders"].post.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["orderRef", "customer", "paidAt", "lines"]));
    expect(schema.properties.lines.items.properties.netAmountMinor.type).toBe("integer");
  });

  it("GET /docs serves the browsable reference as HTML", async () => {
    let url = `${h.base}/docs`;
    let res = await fetch(url, { redirect: "manual" });
    for (let hop = 0; hop < 3 && res.status >= 300 && res.status < 400; hop++) {
      url = new URL(res.headers.get("location") as string, url).toString();
      res = await fetch(url, { redirect: "manual" });
    }
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect((await res.text()).toLowerCase()).toContain("<html");
  });

  it("malformed JSON and a non-JSON body are 400 VALIDATION_FAILED and write nothing", async () => {
    const before = await tableCounts();
    for (const [type, body] of [
      ["application/json", '{"orderRef": "J-1", '],
      ["text/plain", "orderRef=J-1"],
    ]) {
      const res = await fetch(`${h.base}/v1/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${m.apiKey}`, "content-type": type as string },
        body,
      });
      expect(res.status, type).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("an unknown route is a 404 ROUTE_NOT_FOUND", async () => {
    const r = await h.call("GET", "/v1/nothing-here", { token: m.apiKey });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("ROUTE_NOT_FOUND");
  });

  it("a body above 1 MiB is refused with 413 PAYLOAD_TOO_LARGE and writes nothing", async () => {
    const body = paidOrder("BIG-1", "cust-big", { note: "x".repeat(1_100_000) });
    await refused(413, "PAYLOAD_TOO_LARGE", "POST", "/v1/orders", { token: m.apiKey, body });
    expect((await h.call("GET", "/v1/orders/BIG-1", { token: m.apiKey })).status).toBe(404);
    // Just under the limit is parsed normally (and here refused only for its content).
    const near = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: { ...paidOrder("BIG-2", "cust-big"), paidAt: "x".repeat(1_000_000) },
    });
    expect(near.status).toBe(400);
    expectNamesField(near, "paidAt");
  });
});

describe("auth", () => {
  let email: string;
  let promoter: Promoter;

  beforeAll(async () => {
    email = (await ok("GET", "/v1/me", m.adminToken)).body.email;
    promoter = await promoterFixture(h, m, "Authy");
  });

  it("login with a wrong password or an unknown email is 401 and creates no session", async () => {
    const sessions = await count("sessions");
    for (const body of [
      { email, password: "wrong-password" },
      { email: "nobody@test.local", password: PASSWORD },
    ]) {
      const r = await h.call("POST", "/v1/auth/login", { body });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("UNAUTHENTICATED");
      expect(r.body).not.toHaveProperty("token");
    }
    expect(await count("sessions")).toBe(sessions);
    const bad = await h.call("POST", "/v1/auth/login", { body: { email: "not-an-email", password: "x" } });
    expect(bad.status).toBe(400);
    expectNamesField(bad, "email");
  });

  it("login is case-insensitive on the email and returns a session token", async () => {
    const r = await ok("POST", "/v1/auth/login", undefined, { email: email.toUpperCase(), password: PASSWORD });
    expect(r.body.token).toMatch(/^fxs_/);
    expect(r.body.user).toMatchObject({ role: "merchant_admin", merchantId: m.merchantId });
    // Only the hash of the token is stored.
    expect(await count("sessions", "token_hash = $1", [sha256(r.body.token)])).toBe(1);
    expect(await count("sessions", "token_hash = $1", [r.body.token])).toBe(0);
  });

  it("GET /v1/me for each kind of principal", async () => {
    const key = await ok("GET", "/v1/me", m.apiKey);
    expect(key.body).toEqual({ kind: "api_key", merchantId: m.merchantId, keyId: expect.stringMatching(/^key_/) });
    const admin = await ok("GET", "/v1/me", m.adminToken);
    expect(admin.body).toMatchObject({ kind: "user", role: "merchant_admin", merchantId: m.merchantId, promoterId: null, email });
    const p = await ok("GET", "/v1/me", promoter.token);
    expect(p.body).toMatchObject({ kind: "user", role: "promoter", promoterId: promoter.promoterId, merchantId: null, name: "Authy" });
    const root = await ok("GET", "/v1/me", h.adminToken);
    expect(root.body).toMatchObject({ kind: "user", role: "platform_admin", email: "root@test.local", merchantId: null, promoterId: null });
  });

  it("an API key is also accepted in X-API-Key; a malformed Authorization header is 401", async () => {
    const r = await h.call("GET", "/v1/me", { headers: { "x-api-key": m.apiKey } });
    expect(r.status).toBe(200);
    expect(r.body.merchantId).toBe(m.merchantId);
    for (const authorization of [`Basic ${m.apiKey}`, "Bearer", `Bearer ${m.apiKey}x`, `Bearer ${m.apiKey.replace("fxk_", "fxs_")}`]) {
      const bad = await h.call("GET", "/v1/me", { headers: { authorization } });
      expect(bad.status, authorization).toBe(401);
      expect(bad.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("logout ends that session only", async () => {
    const a = (await ok("POST", "/v1/auth/login", undefined, { email, password: PASSWORD })).body.token;
    const b = (await ok("POST", "/v1/auth/login", undefined, { email, password: PASSWORD })).body.token;
    const out = await h.call("POST", "/v1/auth/logout", { token: a });
    expect(out.status).toBe(204);
    expect((await h.call("GET", "/v1/me", { token: a })).status).toBe(401);
    expect((await h.call("POST", "/v1/auth/logout", { token: a })).status).toBe(401);
    expect((await h.call("GET", "/v1/me", { token: b })).status).toBe(200);
    expect((await h.call("POST", "/v1/auth/logout", {})).status).toBe(401);
  });

  it("an expired session is refused", async () => {
    const t = (await ok("POST", "/v1/auth/login", undefined, { email, password: PASSWORD })).body.token;
    await h.db.tx((q) => q.query("UPDATE sessions SET expires_at = $2 WHERE token_hash = $1", [sha256(t), "2000-01-01T00:00:00Z"]));
    const r = await h.call("GET", "/v1/me", { token: t });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("UNAUTHENTICATED");
  });
});

describe("merchants and API keys", () => {
  let created: { merchantId: string; apiKey: { id: string; key: string; prefix: string } };

  /** Tables in which a secret must never be found in plain text. */
  async function plaintextHits(secret: string): Promise<string[]> {
    const tables = await rows<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const hits: string[] = [];
    for (const { table_name } of tables) {
      if ((await count(`${table_name} t`, "strpos(t::text, $1) > 0", [secret])) > 0) hits.push(table_name);
    }
    return hits;
  }

  it("the platform admin onboards a merchant; the first API key is shown once and stored hashed", async () => {
    const r = await ok("POST", "/v1/merchants", h.adminToken, {
      name: "母婴优选",
      adminEmail: "keys-admin@test.local",
      adminPassword: PASSWORD,
      adminName: "店长",
    });
    expect(r.status).toBe(201);
    created = r.body;
    expect(created.apiKey.key).toMatch(/^fxk_[A-Za-z0-9_-]{20,}$/);
    expect(created.apiKey.prefix).toBe(created.apiKey.key.slice(0, 10));
    const [stored] = await rows<{ key_hash: string; prefix: string }>("SELECT key_hash, prefix FROM api_keys WHERE id = $1", [
      created.apiKey.id,
    ]);
    expect(stored?.key_hash).toBe(sha256(created.apiKey.key));
    expect(await plaintextHits(created.apiKey.key)).toEqual([]);
    expect((await ok("GET", "/v1/merchant", created.apiKey.key)).body).toEqual({
      id: created.merchantId,
      name: "母婴优选",
      status: "active",
    });
    const list = await ok("GET", "/v1/merchants", h.adminToken);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(created.merchantId);
    // The admin can log in.
    expect((await ok("POST", "/v1/auth/login", undefined, { email: "keys-admin@test.local", password: PASSWORD })).body.user.role).toBe(
      "merchant_admin",
    );
  });

  it("refuses invalid onboarding by field, and a taken email with 409, writing nothing", async () => {
    const base = { name: "X", adminEmail: "fresh@test.local", adminPassword: PASSWORD, adminName: "x" };
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/merchants", { token: h.adminToken, body: { ...base, adminEmail: "nope" } }),
      "adminEmail",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/merchants", { token: h.adminToken, body: { ...base, adminPassword: "short" } }),
      "adminPassword",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/merchants", { token: h.adminToken, body: { ...base, name: "" } }),
      "name",
    );
    // The merchant row would be written before the user: the whole transaction must roll back.
    const taken = await refused(409, "EMAIL_TAKEN", "POST", "/v1/merchants", {
      token: h.adminToken,
      body: { ...base, adminEmail: "KEYS-admin@test.local" },
    });
    expect(taken.body.error.details.field).toBe("email");
  });

  it("creates, lists and revokes API keys; secrets are never listed", async () => {
    const token = created.apiKey.key;
    const k = await ok("POST", "/v1/api-keys", token, { name: "shop-sync" });
    expect(k.status).toBe(201);
    expect(k.body.key).toMatch(/^fxk_/);
    expect(await plaintextHits(k.body.key)).toEqual([]);
    expect((await ok("GET", "/v1/me", k.body.key)).body.merchantId).toBe(created.merchantId);

    const list = await ok("GET", "/v1/api-keys", token);
    expect(list.body.items).toHaveLength(2);
    const item = list.body.items.find((x: { id: string }) => x.id === k.body.id);
    expect(item).toMatchObject({ name: "shop-sync", prefix: k.body.prefix, revokedAt: null });
    expect(item).not.toHaveProperty("key");
    expect(JSON.stringify(list.body)).not.toContain(k.body.key);
    expect(JSON.stringify(list.body)).not.toContain(token);

    expect((await h.call("DELETE", `/v1/api-keys/${k.body.id}`, { token })).status).toBe(204);
    const gone = await h.call("GET", "/v1/merchant", { token: k.body.key });
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe("UNAUTHENTICATED");
    const after = await ok("GET", "/v1/api-keys", token);
    expect(after.body.items.find((x: { id: string }) => x.id === k.body.id).revokedAt).toBeTruthy();
    await refused(404, "NOT_FOUND", "DELETE", `/v1/api-keys/${k.body.id}`, { token });
    await refused(404, "NOT_FOUND", "DELETE", "/v1/api-keys/key_does_not_exist", { token });
    expectNamesField(await refused(400, "VALIDATION_FAILED", "POST", "/v1/api-keys", { token, body: { name: "" } }), "name");
    // A merchant admin session manages keys too.
    const admin = (await ok("POST", "/v1/auth/login", undefined, { email: "keys-admin@test.local", password: PASSWORD })).body.token;
    expect((await ok("POST", "/v1/api-keys", admin, { name: "by-admin" })).status).toBe(201);
  });
});

describe("programs", () => {
  let id: string;
  const landingUrl = "https://shop.example/landing";
  // Leave one active program so that later order events need no programId.
  afterAll(async () => {
    await ok("PATCH", `/v1/programs/${id}`, m.apiKey, { status: "paused" });
  });

  it("creates a program with the documented defaults", async () => {
    h.clock.set(new Date(Date.parse(START) + 1000)); // created after the fixture's program: listed after it
    const r = await ok("POST", "/v1/programs", m.apiKey, { name: "春季分销", landingUrl });
    h.clock.set(START);
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.body).toMatchObject({
      merchantId: m.merchantId,
      name: "春季分销",
      currency: "CNY",
      timezone: "Asia/Shanghai",
      holdDays: 7,
      clickWindowDays: 7,
      bindingPolicy: "sticky",
      attributionPrecedence: "code-first",
      protectionDays: 365,
      roundingMode: "half-up",
      compliancePolicy: "standard",
      periodKind: "month",
      landingUrl,
      status: "active",
    });
  });

  it("gets, lists and patches it", async () => {
    expect((await ok("GET", `/v1/programs/${id}`, m.apiKey)).body.name).toBe("春季分销");
    const list = await ok("GET", "/v1/programs", m.adminToken);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([m.programId, id]);
    const p = await ok("PATCH", `/v1/programs/${id}`, m.adminToken, {
      holdDays: 3,
      bindingPolicy: "last-click",
      timezone: "Europe/Berlin",
      roundingMode: "half-even",
    });
    expect(p.body).toMatchObject({
      holdDays: 3,
      bindingPolicy: "last-click",
      timezone: "Europe/Berlin",
      roundingMode: "half-even",
      name: "春季分销",
    });
    expect((await ok("GET", `/v1/programs/${id}`, m.apiKey)).body.holdDays).toBe(3);
    const audit = await count("audit_log", "merchant_id = $1 AND action = 'program.update'", [m.merchantId]);
    expect(audit).toBe(1);
  });

  it("validation errors name the field and write nothing", async () => {
    const tz = await refused(400, "VALIDATION_FAILED", "POST", "/v1/programs", {
      token: m.apiKey,
      body: { name: "Mars", landingUrl, timezone: "Mars/Base" },
    });
    expectNamesField(tz, "timezone");
    for (const [field, value] of [
      ["holdDays", -1],
      ["holdDays", 1.5],
      ["currency", "cny"],
      ["bindingPolicy", "forever"],
      ["compliancePolicy", "none"],
      ["landingUrl", "not a url"],
    ] as const) {
      const r = await refused(400, "VALIDATION_FAILED", "POST", "/v1/programs", {
        token: m.apiKey,
        body: { name: "Bad", landingUrl, [field]: value },
      });
      expectNamesField(r, field);
    }
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/programs", { token: m.apiKey, body: { name: "No URL" } }),
      "landingUrl",
    );
    const patch = await refused(400, "VALIDATION_FAILED", "PATCH", `/v1/programs/${id}`, {
      token: m.apiKey,
      body: { timezone: "Mars/Base" },
    });
    expectNamesField(patch, "timezone");
    expect((await ok("GET", `/v1/programs/${id}`, m.apiKey)).body.timezone).toBe("Europe/Berlin");
    await refused(404, "NOT_FOUND", "GET", "/v1/programs/prg_nope", { token: m.apiKey });
    await refused(404, "NOT_FOUND", "PATCH", "/v1/programs/prg_nope", { token: m.apiKey, body: { holdDays: 1 } });
  });
});

describe("plans", () => {
  const THREE_LEVELS = {
    version: 1,
    base: { defaultRateBps: 1000 },
    team: { levels: [{ rateBps: 300 }, { rateBps: 100 }, { rateBps: 50 }] },
  };
  const TWO_LEVELS = { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] } };
  let wechat: MerchantFixture;

  beforeAll(async () => {
    wechat = await merchantFixture(h, "WeChatShop", {
      program: { compliancePolicy: "wechat" },
      plan: { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }] } },
    });
  });

  it("saves a draft, lists versions and reads one", async () => {
    const d = await ok("POST", `/v1/programs/${m.programId}/plans`, m.apiKey, { document: { version: 1, base: { defaultRateBps: 1200 } } });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ version: 2, status: "draft", lint: { ok: true, errors: [] } });
    const list = await ok("GET", `/v1/programs/${m.programId}/plans`, m.apiKey);
    expect(list.body.items.map((p: { version: number; status: string }) => [p.version, p.status])).toEqual([
      [2, "draft"],
      [1, "published"],
    ]);
    const v2 = await ok("GET", `/v1/programs/${m.programId}/plans/2`, m.apiKey);
    expect(v2.body).toMatchObject({ version: 2, status: "draft", effectiveFrom: null, document: { base: { defaultRateBps: 1200 } } });
    await refused(404, "NOT_FOUND", "GET", `/v1/programs/${m.programId}/plans/99`, { token: m.apiKey });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/programs/${m.programId}/plans/0`, { token: m.apiKey }),
      "params.version",
    );
  });

  it("refuses a draft that is not a valid plan, naming the path, and saves nothing", async () => {
    const r = await refused(422, "PLAN_INVALID", "POST", `/v1/programs/${m.programId}/plans`, {
      token: m.apiKey,
      body: { document: { version: 1, base: { defaultRateBps: 10_001 } } },
    });
    expect(r.body.error.message).toContain("base.defaultRateBps");
  });

  it("lint: 3 upline levels under `standard` are an error with its path and zh/en messages", async () => {
    const r = await ok("POST", `/v1/programs/${m.programId}/plans/lint`, m.apiKey, { document: THREE_LEVELS });
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(false);
    const e = r.body.errors.find((x: { code: string }) => x.code === "UPLINE_LEVELS_EXCEEDED");
    expect(e).toMatchObject({ severity: "error", path: "team.levels[2]" });
    expect(e.messageZh).toContain("最多允许 2 级");
    expect(e.messageEn).toContain("at most 2 upline level");
    // The same document is fine for the level count under standard with two levels.
    const two = await ok("POST", `/v1/programs/${m.programId}/plans/lint`, m.apiKey, { document: TWO_LEVELS });
    expect(two.body.errors).toEqual([]);
    expect(two.body.valid).toBe(true);
  });

  it("lint: 2 upline levels under `wechat` are an error at team.levels[1]", async () => {
    const r = await ok("POST", `/v1/programs/${wechat.programId}/plans/lint`, wechat.apiKey, { document: TWO_LEVELS });
    expect(r.body.valid).toBe(true);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ code: "UPLINE_LEVELS_EXCEEDED", path: "team.levels[1]" });
    expect(r.body.errors[0].messageZh).toContain("wechat");
    expect(r.body.errors[0].messageEn).toContain("at most 1 upline level");
    const lintCalls = await count("plan_versions", "merchant_id = $1", [wechat.merchantId]);
    expect(lintCalls).toBe(1); // linting saves nothing
  });

  it("publish refuses a failing plan with PLAN_LINT_FAILED and leaves it a draft", async () => {
    const d = await ok("POST", `/v1/programs/${wechat.programId}/plans`, wechat.apiKey, { document: TWO_LEVELS });
    expect(d.body.lint.ok).toBe(false);
    const v = d.body.version;
    const r = await refused(422, "PLAN_LINT_FAILED", "POST", `/v1/programs/${wechat.programId}/plans/${v}/publish`, {
      token: wechat.apiKey,
      body: { effectiveFrom: "2020-01-02T00:00:00Z" },
    });
    expect(r.body.error.details.errors[0]).toMatchObject({ code: "UPLINE_LEVELS_EXCEEDED", path: "team.levels[1]" });
    const after = await ok("GET", `/v1/programs/${wechat.programId}/plans/${v}`, wechat.apiKey);
    expect(after.body).toMatchObject({ status: "draft", effectiveFrom: null, publishedAt: null });
    // Orders are still evaluated with v1: only one upline level is paid.
    const p1 = await promoterFixture(h, wechat, "Up");
    const p2 = await promoterFixture(h, wechat, "Down", p1.code);
    const p3 = await promoterFixture(h, wechat, "Further", p2.code);
    const o = await ok("POST", "/v1/orders", wechat.apiKey, paidOrder("W-1", "cust-w", { promoCode: p3.code }));
    expect(new Set(o.body.commissions.map((c: { level: number }) => c.level))).toEqual(new Set([0, 1]));
  });

  it("publishing a published version is PLAN_NOT_DRAFT; an unknown version is 404", async () => {
    await refused(409, "PLAN_NOT_DRAFT", "POST", `/v1/programs/${m.programId}/plans/1/publish`, { token: m.apiKey, body: {} });
    await refused(404, "NOT_FOUND", "POST", `/v1/programs/${m.programId}/plans/42/publish`, { token: m.apiKey, body: {} });
  });

  it("effective-dated: v1 before v2's effectiveFrom, v2 from it; publishing never changes computed lines", async () => {
    const e = await merchantFixture(h, "Dated"); // v1: 10 %, in force since 2020
    const s = await promoterFixture(h, e, "Seller");
    const line = [{ productId: "P", quantity: 1, netAmountMinor: 10_000 }];
    const pay = (ref: string, paidAt: string) => {
      h.clock.set(paidAt); // each order arrives when it is paid
      return ok("POST", "/v1/orders", e.apiKey, { orderRef: ref, customer: { ref: `c-${ref}` }, paidAt, promoCode: s.code, lines: line });
    };
    const seller = (b: { commissions: { beneficiaryId: string; amountMinor: number }[] }) =>
      b.commissions.find((c) => c.beneficiaryId === s.promoterId)?.amountMinor;

    // Paid after v2's future effectiveFrom, but before v2 is published: evaluated with v1.
    const early = await pay("D-1", "2026-04-05T00:00:00Z");
    expect(seller(early.body)).toBe(1000);
    h.clock.set(START); // v2 is published before its effectiveFrom
    const d = await ok("POST", `/v1/programs/${e.programId}/plans`, e.apiKey, { document: { version: 1, base: { defaultRateBps: 2000 } } });
    const pub = await ok("POST", `/v1/programs/${e.programId}/plans/${d.body.version}/publish`, e.apiKey, {
      effectiveFrom: "2026-04-01T00:00:00+08:00",
    });
    expect(pub.body).toMatchObject({ version: 2, status: "published" });
    expect(Date.parse(pub.body.effectiveFrom)).toBe(Date.parse("2026-03-31T16:00:00Z"));

    const before = await ok("GET", "/v1/orders/D-1", e.apiKey);
    const byId = (xs: { id: string }[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(before.body.commissions)).toEqual(byId(early.body.commissions));
    expect(seller((await pay("D-2", "2026-03-31T15:59:59Z")).body)).toBe(1000);
    expect(seller((await pay("D-3", "2026-03-31T16:00:00Z")).body)).toBe(2000);
    expect(seller((await pay("D-4", "2026-04-05T00:00:00Z")).body)).toBe(2000);
    const list = await ok("GET", "/v1/orders", e.apiKey);
    const versions = Object.fromEntries(list.body.items.map((o: { orderRef: string; planVersion: number }) => [o.orderRef, o.planVersion]));
    expect(versions).toEqual({ "D-1": 1, "D-2": 1, "D-3": 2, "D-4": 2 });
    const lines = await ok("GET", `/v1/commissions?orderRef=D-3&promoterId=${s.promoterId}`, e.apiKey);
    expect(lines.body.items[0]).toMatchObject({ planVersion: 2, rateBps: 2000, amountMinor: 2000 });
  });

  it("an order paid before any version is in force earns nothing and says why", async () => {
    h.clock.set("2019-01-01T00:00:00Z"); // the program exists since 2019
    const e = await merchantFixture(h, "Late"); // v1 is in force from 2020-01-01
    const s = await promoterFixture(h, e, "S");
    h.clock.set("2019-06-01T00:00:00Z");
    const o = await ok(
      "POST",
      "/v1/orders",
      e.apiKey,
      paidOrder("EARLY", "c-early", { promoCode: s.code, paidAt: "2019-06-01T00:00:00Z" }),
    );
    expect(o.body.commissions).toEqual([]);
    const [row] = await rows<{ attribution: { notes: string[] } }>(
      "SELECT attribution FROM orders WHERE merchant_id = $1 AND order_ref = 'EARLY'",
      [e.merchantId],
    );
    expect(row?.attribution.notes).toContain("no_plan_in_force");
    h.clock.set(START);
  });
});

describe("catalogue", () => {
  let c: MerchantFixture;
  let s: Promoter;

  beforeAll(async () => {
    c = await merchantFixture(h, "Catalog", { plan: { version: 1, base: { defaultRateBps: 1000, categoryRates: { MILK: 2500 } } } });
    s = await promoterFixture(h, c, "Seller");
  });

  it("upserts and lists categories and products", async () => {
    const cats = await ok("PUT", "/v1/categories", c.apiKey, {
      items: [
        { id: "MILK", name: "奶粉" },
        { id: "TOYS", name: "玩具", parentId: null },
      ],
    });
    expect(cats.body).toEqual({ upserted: 2 });
    await ok("PUT", "/v1/categories", c.adminToken, { items: [{ id: "MILK", name: "婴幼儿奶粉" }] });
    expect((await ok("GET", "/v1/categories", c.apiKey)).body.items).toEqual([
      { id: "MILK", name: "婴幼儿奶粉", parentId: null },
      { id: "TOYS", name: "玩具", parentId: null },
    ]);
    await ok("PUT", "/v1/products", c.apiKey, {
      items: [
        { id: "SKU-MILK", name: "有机奶粉 900g", categoryId: "MILK", priceMinor: 29_900, landingUrl: "https://shop.example/p/milk" },
        { id: "SKU-CAR", name: "婴儿推车", categoryId: "TOYS" },
      ],
    });
    await ok("PUT", "/v1/products", c.apiKey, { items: [{ id: "SKU-CAR", name: "婴儿推车 Pro", categoryId: "TOYS", priceMinor: 99_900 }] });
    const prods = await ok("GET", "/v1/products", c.apiKey);
    expect(prods.body.items).toEqual([
      { id: "SKU-CAR", name: "婴儿推车 Pro", categoryId: "TOYS", priceMinor: 99_900, landingUrl: null },
      { id: "SKU-MILK", name: "有机奶粉 900g", categoryId: "MILK", priceMinor: 29_900, landingUrl: "https://shop.example/p/milk" },
    ]);
    expect((await ok("GET", "/v1/products?limit=1", c.apiKey)).body.items).toHaveLength(1);
  });

  it("an order line without categoryId takes the product's category, so the category rate applies", async () => {
    const o = await ok("POST", "/v1/orders", c.apiKey, {
      orderRef: "CAT-1",
      customer: { ref: "c-cat" },
      paidAt: START,
      promoCode: s.code,
      lines: [
        { productId: "SKU-MILK", quantity: 1, netAmountMinor: 10_000 },
        { productId: "SKU-CAR", quantity: 1, netAmountMinor: 10_000 },
        { productId: "SKU-MILK", categoryId: "TOYS", quantity: 1, netAmountMinor: 10_000 },
      ],
    });
    const byLine = Object.fromEntries(o.body.commissions.map((x: { lineNo: number; amountMinor: number }) => [x.lineNo, x.amountMinor]));
    expect(byLine).toEqual({ 1: 2500, 2: 1000, 3: 1000 });
    const [line] = await rows<{ category_id: string; product_name: string }>(
      "SELECT category_id, product_name FROM order_lines WHERE merchant_id = $1 AND line_no = 1",
      [c.merchantId],
    );
    expect(line).toEqual({ category_id: "MILK", product_name: "有机奶粉 900g" });
  });

  it("refuses invalid items by field and writes none of the batch", async () => {
    const r = await refused(400, "VALIDATION_FAILED", "PUT", "/v1/products", {
      token: c.apiKey,
      body: { items: [{ id: "OK-1", name: "fine" }, { id: "BAD" }] },
    });
    expectNamesField(r, "items.1.name");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "PUT", "/v1/categories", { token: c.apiKey, body: { items: [] } }), "items");
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "PUT", "/v1/products", {
        token: c.apiKey,
        body: { items: [{ id: "P", name: "p", priceMinor: -1 }] },
      }),
      "items.0.priceMinor",
    );
  });
});

describe("promoters and joining", () => {
  let root: Promoter;
  let j1: { promoterId: string; code: string; token: string };
  let j2: { promoterId: string; code: string; token: string };

  beforeAll(async () => {
    root = await promoterFixture(h, m, "Root");
  });

  /** Join (202, no session), then log in and read the new membership, as a client does. */
  async function joinAndLogIn(body: Record<string, unknown>) {
    const r = await ok("POST", "/v1/join", undefined, body, [202]);
    expect(r.body).toEqual(JOIN_ACCEPTED);
    expect(r.body).not.toHaveProperty("session");
    const token = (await ok("POST", "/v1/auth/login", undefined, { email: body.email, password: body.password })).body.token as string;
    const mine = await ok("GET", "/v1/me/memberships", token);
    const membership = mine.body.items.at(-1);
    const me = (await ok("GET", "/v1/me", token)).body;
    return { token, membership: { ...membership, promoterId: me.promoterId } };
  }

  it("joins by invite code: creates the account and a membership with inviter and inviter2 fixed", async () => {
    const ledgerBefore = await count("ledger_transactions");
    const r1 = await joinAndLogIn({
      inviteCode: root.code,
      name: "小李",
      email: "li@test.local",
      password: PASSWORD,
      phone: "13800001111",
    });
    expect(r1.membership).toMatchObject({
      merchantId: m.merchantId,
      programId: m.programId,
      inviterId: root.promoterId,
    });
    const [li] = await rows<{ inviter2_id: string | null }>("SELECT inviter2_id FROM memberships WHERE promoter_id = $1", [
      r1.membership.promoterId,
    ]);
    expect(li?.inviter2_id).toBeNull();
    j1 = { promoterId: r1.membership.promoterId, code: r1.membership.code, token: r1.token };
    const r2 = await joinAndLogIn({
      inviteCode: j1.code.toLowerCase(),
      name: "小王",
      email: "wang@test.local",
      password: PASSWORD,
    });
    expect(r2.membership).toMatchObject({ inviterId: j1.promoterId });
    const [wang] = await rows<{ inviter2_id: string | null }>("SELECT inviter2_id FROM memberships WHERE promoter_id = $1", [
      r2.membership.promoterId,
    ]);
    expect(wang?.inviter2_id).toBe(root.promoterId);
    j2 = { promoterId: r2.membership.promoterId, code: r2.membership.code, token: r2.token };
    expect((await ok("GET", "/v1/me", j2.token)).body).toMatchObject({ role: "promoter", promoterId: j2.promoterId, name: "小王" });
    // Joining moves no money.
    expect(await count("ledger_transactions")).toBe(ledgerBefore);
    expect(await count("audit_log", "action = 'promoter.join' AND merchant_id = $1", [m.merchantId])).toBe(2);
  });

  it("joining has no fee: the request has no fee field and a direct join needs only the program", async () => {
    const doc = await ok("GET", "/openapi.json", undefined);
    const props = Object.keys(doc.body.paths["/v1/join"].post.requestBody.content["application/json"].schema.properties);
    expect(props.sort()).toEqual(["email", "inviteCode", "merchantId", "name", "password", "phone", "programId"]);
    expect(props.some((p) => /fee|price|pay|deposit|amount/i.test(p))).toBe(false);
    const r = await joinAndLogIn({
      merchantId: m.merchantId,
      programId: m.programId,
      name: "Direct",
      email: "direct@test.local",
      password: PASSWORD,
    });
    expect(r.membership).toMatchObject({ inviterId: null });
    expect(r.membership.code).toMatch(/^[A-Z0-9]{4,16}$/);
  });

  it("an unknown invite code is 422 naming inviteCode and creates no account", async () => {
    const r = await refused(422, "INVITE_CODE_UNKNOWN", "POST", "/v1/join", {
      body: { inviteCode: "ZZZZZZ", name: "Nobody", email: "nobody-join@test.local", password: PASSWORD },
    });
    expect(r.body.error.details.field).toBe("inviteCode");
    expect(await count("users", "email = 'nobody-join@test.local'")).toBe(0);
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/join", { body: { name: "Nobody", email: "n2@test.local", password: PASSWORD } }),
      "inviteCode",
    );
    // A taken e-mail with another password is answered like a new one and writes nothing (join.ts).
    const before = await tableCounts();
    const dup = await ok(
      "POST",
      "/v1/join",
      undefined,
      {
        inviteCode: root.code,
        name: "Dup",
        email: "LI@test.local",
        password: "another-pass-77",
      },
      [202],
    );
    expect(dup.body).toEqual(JOIN_ACCEPTED);
    expect(await tableCounts()).toEqual(before);
    await refused(404, "NOT_FOUND", "POST", "/v1/join", {
      body: { merchantId: m.merchantId, programId: "prg_nope", name: "N", email: "n3@test.local", password: PASSWORD },
    });
  });

  it("ALREADY_MEMBER is 409; joining another program with the same account works", async () => {
    const again = await refused(409, "ALREADY_MEMBER", "POST", "/v1/me/memberships", {
      token: j1.token,
      body: { merchantId: m.merchantId, programId: m.programId },
    });
    expect(again.body.error.message).toBeTruthy();
    const p2 = await ok("POST", "/v1/programs", m.apiKey, { name: "Second", landingUrl: "https://shop.example/2" });
    const joined = await ok("POST", "/v1/me/memberships", j1.token, { merchantId: m.merchantId, programId: p2.body.id });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ programId: p2.body.id, inviterId: null });
    const mine = await ok("GET", "/v1/me/memberships", j1.token);
    expect(mine.body.items.map((x: { programId: string }) => x.programId)).toEqual([m.programId, p2.body.id]);
    expect(mine.body.items[0]).toMatchObject({
      merchantName: "Endpoints",
      code: j1.code,
      inviterId: root.promoterId,
      status: "active",
      currency: "CNY",
    });
    // An invite code from another program does not work here.
    await refused(422, "INVITE_CODE_UNKNOWN", "POST", "/v1/me/memberships", {
      token: j2.token,
      body: { merchantId: m.merchantId, programId: p2.body.id, inviteCode: root.code },
    });
    // The program was paused: nobody joins.
    await ok("PATCH", `/v1/programs/${p2.body.id}`, m.apiKey, { status: "paused" });
    await refused(409, "PROGRAM_INACTIVE", "POST", "/v1/me/memberships", {
      token: j2.token,
      body: { merchantId: m.merchantId, programId: p2.body.id },
    });
  });

  it("team endpoints show level 1 and level 2", async () => {
    const t = await ok("GET", `/v1/promoters/${root.promoterId}/team?programId=${m.programId}`, m.apiKey);
    expect(t.body.items.map((x: { promoterId: string; level: number; name: string }) => [x.promoterId, x.level, x.name])).toEqual([
      [j1.promoterId, 1, "小李"],
      [j2.promoterId, 2, "小王"],
    ]);
    expect(t.body.items[0].phone).toBe("138****1111"); // masked for the merchant too (the full number by the audited reveal)
    const mine = await ok("GET", `/v1/me/team?merchantId=${m.merchantId}&programId=${m.programId}`, root.token);
    expect(mine.body.items.map((x: { promoterId: string; level: number }) => [x.promoterId, x.level])).toEqual([
      [j1.promoterId, 1],
      [j2.promoterId, 2],
    ]);
    expect(mine.body.items[0]).toMatchObject({ name: "小*", phone: "138****1111" });
    expect((await ok("GET", `/v1/me/team?merchantId=${m.merchantId}&programId=${m.programId}`, j1.token)).body.items).toMatchObject([
      { promoterId: j2.promoterId, level: 1 },
    ]);
    await refused(404, "NOT_FOUND", "GET", `/v1/promoters/pmt_nope/team?programId=${m.programId}`, { token: m.apiKey });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/promoters/${root.promoterId}/team`, { token: m.apiKey }),
      "querystring.programId",
    );
  });

  it("team lists page by cursor, level 1 first, with counts per level on every page", async () => {
    const top = await promoterFixture(h, m, "Top");
    const l1 = [];
    for (const n of ["T1a", "T1b", "T1c"]) l1.push(await promoterFixture(h, m, n, top.code));
    for (const [i, x] of l1.entries()) await promoterFixture(h, m, `T2${i}`, x.code);
    const base = `/v1/me/team?merchantId=${m.merchantId}&programId=${m.programId}`;
    const all = await ok("GET", base, top.token);
    expect(all.body.counts).toEqual({ level1: 3, level2: 3 });
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.map((x: { level: number }) => x.level)).toEqual([1, 1, 1, 2, 2, 2]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await ok("GET", `${base}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, top.token);
      expect(r.body.counts).toEqual({ level1: 3, level2: 3 });
      seen.push(...r.body.items.map((x: { promoterId: string }) => x.promoterId));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.body.items.map((x: { promoterId: string }) => x.promoterId));
    const l2 = await ok("GET", `${base}&level=2&limit=2`, top.token);
    expect(l2.body.items.map((x: { level: number }) => x.level)).toEqual([2, 2]);
    const l2b = await ok("GET", `${base}&level=2&limit=2&cursor=${l2.body.nextCursor}`, top.token);
    expect(l2b.body.items).toHaveLength(1);
    expect(l2b.body.nextCursor).toBeNull();
    const merchantSide = await ok("GET", `/v1/promoters/${top.promoterId}/team?programId=${m.programId}&limit=4`, m.apiKey);
    expect(merchantSide.body.items.map((x: { promoterId: string }) => x.promoterId)).toEqual(seen.slice(0, 4));
    expect(merchantSide.body.items[0].phone).toBe("138****1234");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `${base}&cursor=nonsense`, { token: top.token }), "cursor");
    const forged = Buffer.from("2026-01-01T00:00:00.000Z|pmt_x", "utf8").toString("base64url");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `${base}&cursor=${forged}`, { token: top.token }), "cursor");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `${base}&level=3`, { token: top.token }), "querystring.level");
  });

  it("lists promoters and reads one", async () => {
    const list = await ok("GET", `/v1/promoters?programId=${m.programId}&limit=200`, m.apiKey);
    const ids = list.body.items.map((x: { promoterId: string }) => x.promoterId);
    expect(ids).toEqual(expect.arrayContaining([root.promoterId, j1.promoterId, j2.promoterId]));
    expect(list.body.items.find((x: { promoterId: string }) => x.promoterId === j2.promoterId)).toMatchObject({
      inviterId: j1.promoterId,
      inviter2Id: root.promoterId,
      netSalesMinor: 0,
      pendingMinor: 0,
      availableMinor: 0,
    });
    const page = await ok("GET", `/v1/promoters?programId=${m.programId}&limit=1&offset=1`, m.apiKey);
    expect(page.body.items.map((x: { promoterId: string }) => x.promoterId)).toEqual([ids[1]]);
    const one = await ok("GET", `/v1/promoters/${j1.promoterId}?programId=${m.programId}`, m.adminToken);
    expect(one.body).toMatchObject({
      promoterId: j1.promoterId,
      name: "小李",
      phone: "138****1111", // the full number by the audited reveal
      code: j1.code,
      inviterId: root.promoterId,
    });
  });

  it("the merchant adds a promoter (with or without a login); email without password is refused by field", async () => {
    const r = await ok("POST", "/v1/promoters", m.apiKey, { programId: m.programId, name: "店员", rank: "staff", inviteCode: root.code });
    expect(r.body).toMatchObject({ inviterId: root.promoterId, inviter2Id: null });
    expect((await ok("GET", `/v1/promoters/${r.body.promoterId}?programId=${m.programId}`, m.apiKey)).body.rank).toBe("staff");
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/promoters", {
        token: m.apiKey,
        body: { programId: m.programId, name: "No pass", email: "nopass@test.local" },
      }),
      "password",
    );
    // The promoter row is written first; an unknown invite code must roll it back.
    await refused(422, "INVITE_CODE_UNKNOWN", "POST", "/v1/promoters", {
      token: m.apiKey,
      body: { programId: m.programId, name: "Orphan", email: "orphan@test.local", password: PASSWORD, inviteCode: "QQQQQQ" },
    });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/promoters", {
        token: m.apiKey,
        body: { programId: m.programId, name: "P", phone: "abc" },
      }),
      "phone",
    );
  });

  it("suspended: new orders with the promoter's code or binding are not attributed to them; reactivated: they are again", async () => {
    await ok("POST", "/v1/orders", m.apiKey, paidOrder("SUS-0", "cust-sus", { promoCode: j2.code }));
    const s = await ok("PATCH", `/v1/promoters/${j2.promoterId}`, m.apiKey, {
      programId: m.programId,
      status: "suspended",
      rank: "silver",
    });
    expect(s.body).toMatchObject({ status: "suspended", rank: "silver" });
    const byCode = await ok("POST", "/v1/orders", m.apiKey, paidOrder("SUS-1", "cust-sus-2", { promoCode: j2.code }));
    expect(byCode.body.promoterId).toBeNull();
    expect(byCode.body.commissions).toEqual([]);
    const byBinding = await ok("POST", "/v1/orders", m.apiKey, paidOrder("SUS-2", "cust-sus"));
    expect(byBinding.body.promoterId).toBeNull();
    const [att] = await rows<{ attribution: { notes: string[] } }>(
      "SELECT attribution FROM orders WHERE merchant_id = $1 AND order_ref = 'SUS-1'",
      [m.merchantId],
    );
    expect(att?.attribution.notes).toContain("code_promoter_inactive");
    // A suspended promoter cannot make new links.
    await refused(403, "FORBIDDEN", "POST", "/v1/me/links", {
      token: j2.token,
      body: { merchantId: m.merchantId, programId: m.programId },
    });
    await ok("PATCH", `/v1/promoters/${j2.promoterId}`, m.apiKey, { programId: m.programId, status: "active" });
    const back = await ok("POST", "/v1/orders", m.apiKey, paidOrder("SUS-3", "cust-sus-3", { promoCode: j2.code }));
    expect(back.body.promoterId).toBe(j2.promoterId);
    expect(back.body.commissions.map((c: { beneficiaryId: string }) => c.beneficiaryId)).toEqual(
      expect.arrayContaining([j2.promoterId, j1.promoterId, root.promoterId]),
    );
  });

  it("patch refuses unknown promoters and values by field", async () => {
    await refused(404, "NOT_FOUND", "PATCH", "/v1/promoters/pmt_nope", {
      token: m.apiKey,
      body: { programId: m.programId, status: "active" },
    });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "PATCH", `/v1/promoters/${j1.promoterId}`, {
        token: m.apiKey,
        body: { programId: m.programId, status: "banned" },
      }),
      "status",
    );
    await refused(404, "NOT_FOUND", "GET", `/v1/promoters/${j1.promoterId}?programId=prg_nope`, { token: m.apiKey });
  });
});

describe("links and clicks", () => {
  let l: Promoter;
  let base: { code: string; url: string; targetUrl: string };

  beforeAll(async () => {
    l = await promoterFixture(h, m, "Linker");
    await ok("PUT", "/v1/products", m.apiKey, {
      items: [
        { id: "SKU-L", name: "Linked", landingUrl: "https://shop.example/p/l" },
        { id: "SKU-N", name: "No landing" },
      ],
    });
  });

  it("POST /v1/me/links returns the same link on repeat", async () => {
    const first = await ok("POST", "/v1/me/links", l.token, { merchantId: m.merchantId, programId: m.programId });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, targetUrl: "https://shop.example/" });
    expect(first.body.url).toBe(`http://localhost/r/${first.body.code}`);
    base = first.body;
    const again = await ok("POST", "/v1/me/links", l.token, { merchantId: m.merchantId, programId: m.programId });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });
    expect(await count("links", "promoter_id = $1", [l.promoterId])).toBe(1);
  });

  it("product links go to the product's page (or the landing page with the product)", async () => {
    const p = await ok("POST", "/v1/me/links", l.token, { merchantId: m.merchantId, programId: m.programId, productId: "SKU-L" });
    expect(p.body.targetUrl).toBe("https://shop.example/p/l");
    expect(p.body.code).not.toBe(base.code);
    const n = await ok("POST", "/v1/me/links", l.token, { merchantId: m.merchantId, programId: m.programId, productId: "SKU-N" });
    expect(n.body.targetUrl).toBe("https://shop.example/?product=SKU-N");
    const same = await ok("POST", "/v1/me/links", l.token, { merchantId: m.merchantId, programId: m.programId, productId: "SKU-L" });
    expect(same.body.code).toBe(p.body.code);
    const bad = await refused(404, "NOT_FOUND", "POST", "/v1/me/links", {
      token: l.token,
      body: { merchantId: m.merchantId, programId: m.programId, productId: "SKU-NONE" },
    });
    expect(bad.body.error.details.field).toBe("productId");
    const mine = await ok("GET", `/v1/me/links?merchantId=${m.merchantId}&programId=${m.programId}`, l.token);
    expect(mine.body.items.map((x: { productId: string | null }) => x.productId ?? "-").sort()).toEqual(["-", "SKU-L", "SKU-N"]);
    const all = await ok("GET", `/v1/links?programId=${m.programId}`, m.apiKey);
    expect(all.body.items.filter((x: { promoterId: string }) => x.promoterId === l.promoterId)).toHaveLength(3);
    expect(mine.body.nextCursor).toBeNull();

    // Both lists page by cursor: every link once, in the list's order, whatever the page size.
    const walk = async (path: string, token: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < 50; n++) {
        const sep = path.includes("?") ? "&" : "?";
        const r = await ok("GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, token);
        expect(r.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...r.body.items.map((x: { code: string }) => x.code));
        cursor = r.body.nextCursor;
        if (!cursor) return seen;
      }
      throw new Error("paging did not end");
    };
    const minePath = `/v1/me/links?merchantId=${m.merchantId}&programId=${m.programId}`;
    const whole = mine.body.items.map((x: { code: string }) => x.code);
    expect(await walk(minePath, l.token, 1)).toEqual(whole);
    expect(await walk(minePath, l.token, 2)).toEqual(whole);
    const allPath = `/v1/links?programId=${m.programId}`;
    const allCodes = all.body.items.map((x: { code: string }) => x.code);
    expect(allCodes.length).toBeGreaterThanOrEqual(3);
    expect(await walk(allPath, m.apiKey, 1)).toEqual(allCodes);
    expect(await walk(allPath, m.apiKey, 2)).toEqual(allCodes);
    await refused(400, "VALIDATION_FAILED", "GET", `${allPath}&cursor=not-a-cursor`, { token: m.apiKey });
    const tooMany = await refused(400, "VALIDATION_FAILED", "GET", `${minePath}&limit=501`, { token: l.token });
    expect(JSON.stringify(tooMany.body)).toContain("limit");
  });

  it("GET /r/{code} records the click and redirects with a click token; the order through it is attributed by click", async () => {
    const clicks = await count("clicks");
    const r = await h.call("GET", `/r/${base.code.toLowerCase()}`, { headers: { "user-agent": "test-agent" } });
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get("location") as string);
    expect(`${loc.origin}${loc.pathname}`).toBe("https://shop.example/");
    const token = loc.searchParams.get("fx_click") as string;
    expect(token).toMatch(/^clk_/);
    expect(await count("clicks")).toBe(clicks + 1);
    const [click] = await rows<{ promoter_id: string; user_agent: string; link_code: string }>(
      "SELECT promoter_id, user_agent, link_code FROM clicks WHERE token = $1",
      [token],
    );
    expect(click).toEqual({ promoter_id: l.promoterId, user_agent: "test-agent", link_code: base.code });
    const mine = await ok("GET", `/v1/me/links?merchantId=${m.merchantId}&programId=${m.programId}`, l.token);
    expect(mine.body.items.find((x: { code: string }) => x.code === base.code).clicks).toBe(1);
    const o = await ok("POST", "/v1/orders", m.apiKey, paidOrder("CLK-1", "cust-clk", { clickToken: token }));
    expect(o.body).toMatchObject({ attributionPath: "click", promoterId: l.promoterId });
  });

  it("/r/{code} for an unknown code is 404 and records nothing; the promoter's own code works as a link", async () => {
    await refused(404, "LINK_UNKNOWN", "GET", "/r/ZZZZZZZZ");
    const r = await h.call("GET", `/r/${l.code}`);
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get("location") as string);
    expect(loc.origin + loc.pathname).toBe("https://shop.example/");
    const token = loc.searchParams.get("fx_click") as string;
    const [click] = await rows<{ promoter_id: string; link_code: string }>("SELECT promoter_id, link_code FROM clicks WHERE token = $1", [
      token,
    ]);
    expect(click).toEqual({ promoter_id: l.promoterId, link_code: l.code });
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", "/r/ab"), "params.code");
  });
});

describe("customers", () => {
  let p: Promoter;

  beforeAll(async () => {
    p = await promoterFixture(h, m, "Custy");
  });

  it("registers customers; a referred customer records the referrer and is attributed by referral", async () => {
    const a = await ok("POST", "/v1/customers", m.apiKey, { customerRef: "REF-A", phone: "13512345678", name: "王芳", promoCode: p.code });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ customerRef: "REF-A", created: true, promoterId: p.promoterId, path: "code" });
    expect(a.body.bound).toBeTruthy();
    const b = await ok("POST", "/v1/customers", m.apiKey, { customerRef: "REF-B", phone: "13600000000", referrerCustomerRef: "REF-A" });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ created: true, promoterId: p.promoterId, path: "referral" });
    const [row] = await rows<{ referrer: string }>(
      "SELECT r.customer_ref AS referrer FROM customers c JOIN customers r ON r.merchant_id = c.merchant_id AND r.id = c.referrer_customer_id WHERE c.merchant_id = $1 AND c.customer_ref = 'REF-B'",
      [m.merchantId],
    );
    expect(row?.referrer).toBe("REF-A");
    const again = await ok("POST", "/v1/customers", m.adminToken, { customerRef: "REF-A" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, customerId: a.body.customerId, promoterId: p.promoterId, path: "binding" });
  });

  it("the merchant lists customers with their binding, masked, and reveals one in full; the promoter sees them masked", async () => {
    const list = await ok("GET", `/v1/customers?programId=${m.programId}&limit=200`, m.apiKey);
    const a = list.body.items.find((x: { customerRef: string }) => x.customerRef === "REF-A");
    expect(a).toMatchObject({ phone: "135****5678", name: "王*", boundPromoterId: p.promoterId, programId: m.programId });
    const full = await h.call("POST", `/v1/customers/${a.id}/reveal`, { token: m.apiKey });
    expect(full.body).toMatchObject({ phone: "13512345678", name: "王芳" });
    const mine = await ok("GET", `/v1/me/customers?merchantId=${m.merchantId}&programId=${m.programId}`, p.token);
    expect(mine.body.items).toHaveLength(1); // REF-B came by referral: attributed, not bound
    expect(mine.body.items[0]).toMatchObject({ phone: "135****5678", name: "王*" });
  });

  it("an unknown referrer is 404 naming referrerCustomerRef and creates nothing; fields are validated by name", async () => {
    const r = await refused(404, "NOT_FOUND", "POST", "/v1/customers", {
      token: m.apiKey,
      body: { customerRef: "REF-C", referrerCustomerRef: "NOPE" },
    });
    expect(r.body.error.details.field).toBe("referrerCustomerRef");
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "" } }),
      "customerRef",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/customers", {
        token: m.apiKey,
        body: { customerRef: "R", registeredAt: "yesterday" },
      }),
      "registeredAt",
    );
    // The merchant has two programs now (one paused), so an explicit unknown program is 404.
    await refused(404, "NOT_FOUND", "POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "R", programId: "prg_nope" } });
  });
});

describe("a promoter's customers, page by page", () => {
  it("pages GET /v1/me/customers by cursor: every bound customer once, newest first, ties by id", async () => {
    const pager = await promoterFixture(h, m, "Pager");
    for (let i = 0; i < 7; i++) {
      // the harness clock stands still: all seven are bound at the same instant, so the id breaks every tie
      const r = await ok("POST", "/v1/customers", m.apiKey, { customerRef: `PAGE-${i}`, phone: "13700000000", promoCode: pager.code });
      expect(r.status).toBe(201);
    }
    const base = `/v1/me/customers?merchantId=${m.merchantId}&programId=${m.programId}`;
    const all = await ok("GET", base, pager.token);
    expect(all.body.items).toHaveLength(7);
    expect(all.body.nextCursor).toBeNull();
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await ok("GET", `${base}&limit=3${cursor ? `&cursor=${cursor}` : ""}`, pager.token);
      sizes.push(r.body.items.length);
      for (const c of r.body.items) {
        seen.push(c.id);
        expect(c.phone).toBe("137****0000");
      }
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `${base}&cursor=nonsense`, { token: pager.token }), "cursor");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `${base}&limit=501`, { token: pager.token }), "querystring.limit");
  });
});

describe("orders list pagination", () => {
  let o: MerchantFixture;

  beforeAll(async () => {
    h.clock.set("2026-03-01T00:00:00Z"); // the program exists before the first order; each order arrives when paid
    o = await merchantFixture(h, "Pages");
    const s = await promoterFixture(h, o, "S");
    const times = [
      "2026-03-01T00:00:00Z",
      "2026-03-02T00:00:00Z",
      "2026-03-02T00:00:00Z",
      "2026-03-02T00:00:00Z",
      "2026-03-03T00:00:00Z",
      "2026-03-04T00:00:00Z",
      "2026-03-04T00:00:00Z",
    ];
    for (const [i, paidAt] of times.entries()) {
      h.clock.set(paidAt);
      await ok("POST", "/v1/orders", o.apiKey, paidOrder(`PG-${i}`, `c-${i}`, { paidAt, promoCode: i % 2 ? s.code : undefined }));
    }
    h.clock.set(START);
    await ok("POST", "/v1/orders/PG-1/refunds", o.apiKey, { amountMinor: 15_001 });
  });

  it("limit 2 walks every page once, newest first, without duplicates", async () => {
    const seen: { id: string; paidAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await ok("GET", `/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ""}`, o.apiKey);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    expect(new Set(seen.map((x) => x.id)).size).toBe(7);
    const times = seen.map((x) => Date.parse(x.paidAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const all = await ok("GET", "/v1/orders?limit=200", o.apiKey);
    expect(all.body.items.map((x: { id: string }) => x.id)).toEqual(seen.map((x) => x.id));
    expect(all.body.nextCursor).toBeNull();
  });

  it("filters by status and promoter; limit 201, 0 and a bad cursor are 400 naming the parameter", async () => {
    const refunded = await ok("GET", "/v1/orders?status=refunded", o.apiKey);
    expect(refunded.body.items.map((x: { orderRef: string }) => x.orderRef)).toEqual(["PG-1"]);
    const first = (await ok("GET", "/v1/orders?limit=200", o.apiKey)).body.items.find((x: { orderRef: string }) => x.orderRef === "PG-1");
    const byPromoter = await ok("GET", `/v1/orders?promoterId=${first.promoterId}`, o.apiKey);
    expect(byPromoter.body.items.map((x: { orderRef: string }) => x.orderRef).sort()).toEqual(["PG-1", "PG-3", "PG-5"]);
    expect(first).toMatchObject({
      attributionPath: "code",
      customerRef: "c-1",
      channel: "online",
      amountMinor: 15_001,
      refundedMinor: 15_001,
    });
    for (const q of ["limit=201", "limit=0", "limit=abc"])
      expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", `/v1/orders?${q}`, { token: o.apiKey }), "querystring.limit");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", "/v1/orders?cursor=not-a-cursor", { token: o.apiKey }), "cursor");
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", "/v1/orders?status=lost", { token: o.apiKey }), "querystring.status");
  });
});

describe("commissions, balances and the ledger", () => {
  let c: MerchantFixture;
  let up: Promoter;
  let s: Promoter;

  beforeAll(async () => {
    c = await merchantFixture(h, "Money");
    up = await promoterFixture(h, c, "Up");
    s = await promoterFixture(h, c, "Seller", up.code);
    await ok("POST", "/v1/orders", c.apiKey, paidOrder("M-1", "c-1", { promoCode: s.code }));
    await ok("POST", "/v1/orders", c.apiKey, paidOrder("M-2", "c-2", { promoCode: s.code }));
    await ok("POST", "/v1/orders", c.apiKey, paidOrder("M-3", "c-3", { promoCode: up.code }));
    await ok("POST", "/v1/orders/M-2/cancel", c.apiKey, {});
    await ok("POST", "/v1/orders/M-3/complete", c.apiKey, { completedAt: "2026-03-03T00:00:00Z" });
    h.clock.set("2026-03-12T00:00:00Z");
    const { runRelease } = await import("../src/jobs/release.ts");
    expect(await runRelease(h.db, h.clock)).toBe(2);
  });
  afterAll(() => h.clock.set(START));

  it("GET /v1/commissions filters by state, promoterId and orderRef, with explanations", async () => {
    const all = await ok("GET", "/v1/commissions?limit=200", c.apiKey);
    expect(all.body.items).toHaveLength(10); // M-1 and M-2: seller + upline on 2 lines; M-3: seller on 2 lines
    const pending = await ok("GET", "/v1/commissions?state=pending", c.apiKey);
    expect(pending.body.items.map((x: { orderRef: string }) => x.orderRef)).toEqual(["M-1", "M-1", "M-1", "M-1"]);
    const reversed = await ok("GET", "/v1/commissions?state=reversed", c.apiKey);
    expect(reversed.body.items).toHaveLength(4);
    expect(reversed.body.items.every((x: { netMinor: number; orderRef: string }) => x.netMinor === 0 && x.orderRef === "M-2")).toBe(true);
    const available = await ok("GET", "/v1/commissions?state=available", c.apiKey);
    expect(available.body.items.map((x: { beneficiaryId: string }) => x.beneficiaryId)).toEqual([up.promoterId, up.promoterId]);
    const bySeller = await ok("GET", `/v1/commissions?promoterId=${s.promoterId}`, c.apiKey);
    expect(bySeller.body.items).toHaveLength(4);
    expect(bySeller.body.items.every((x: { beneficiaryId: string }) => x.beneficiaryId === s.promoterId)).toBe(true);
    const byOrder = await ok("GET", `/v1/commissions?orderRef=M-1&promoterId=${up.promoterId}`, c.apiKey);
    expect(byOrder.body.items.map((x: { level: number; lineNo: number }) => [x.level, x.lineNo]).sort()).toEqual([
      [1, 1],
      [1, 2],
    ]);
    const line = byOrder.body.items[0];
    expect(line.explanationZh).toContain("M-1");
    expect(line.explanationEn).toContain("M-1");
    expect(line.trace).toBeTruthy();
    expect(line).toMatchObject({ currency: "CNY", attributionPath: "code", planVersion: 1 });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", "/v1/commissions?state=paid", { token: c.apiKey }),
      "querystring.state",
    );
    // Cursor pagination over commission lines.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await ok("GET", `/v1/commissions?limit=3${cursor ? `&cursor=${cursor}` : ""}`, c.apiKey);
      ids.push(...r.body.items.map((x: { id: string }) => x.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(all.body.items.map((x: { id: string }) => x.id));
  });

  it("GET /v1/me/commissions shows the caller's lines with the same filters", async () => {
    const mine = await ok("GET", `/v1/me/commissions?merchantId=${c.merchantId}`, up.token);
    expect(mine.body.items).toHaveLength(6);
    expect(mine.body.items.every((x: { beneficiaryId: string }) => x.beneficiaryId === up.promoterId)).toBe(true);
    const avail = await ok("GET", `/v1/me/commissions?merchantId=${c.merchantId}&state=available`, up.token);
    expect(avail.body.items.map((x: { orderRef: string }) => x.orderRef)).toEqual(["M-3", "M-3"]);
    const m1 = await ok("GET", `/v1/me/commissions?merchantId=${c.merchantId}&orderRef=M-1`, s.token);
    expect(m1.body.items.map((x: { amountMinor: number }) => x.amountMinor).sort((a: number, b: number) => a - b)).toEqual([500, 1000]);
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", "/v1/me/commissions", { token: s.token }), "querystring.merchantId");
  });

  it("GET /v1/me/orders lists the caller's attributed orders, newest first, customer masked, with cursor paging", async () => {
    const mine = await ok("GET", `/v1/me/orders?merchantId=${c.merchantId}`, s.token);
    expect(mine.body.items.map((x: { orderRef: string; status: string }) => [x.orderRef, x.status]).sort()).toEqual([
      ["M-1", "paid"],
      ["M-2", "cancelled"],
    ]);
    expect(mine.body.items.every((x: { customerRef: string }) => x.customerRef === "****")).toBe(true);
    expect(mine.body.items[0]).toMatchObject({ amountMinor: 15_001, attributionPath: "code", programId: c.programId });
    const first = await ok("GET", `/v1/me/orders?merchantId=${c.merchantId}&limit=1`, s.token);
    const second = await ok("GET", `/v1/me/orders?merchantId=${c.merchantId}&limit=1&cursor=${first.body.nextCursor}`, s.token);
    expect([...first.body.items, ...second.body.items].map((x: { id: string }) => x.id)).toEqual(
      mine.body.items.map((x: { id: string }) => x.id),
    );
    expect(second.body.nextCursor).toBeNull();
    // The upline earns on M-1 but did not sell it: only the order it sold is "my order".
    const up1 = await ok("GET", `/v1/me/orders?merchantId=${c.merchantId}`, up.token);
    expect(up1.body.items.map((x: { orderRef: string }) => x.orderRef)).toEqual(["M-3"]);
    expect((await ok("GET", `/v1/me/orders?merchantId=${c.merchantId}&programId=prg_other`, s.token)).body.items).toEqual([]);
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/me/orders?merchantId=${c.merchantId}&limit=201`, { token: s.token }),
      "querystring.limit",
    );
  });

  it("balances agree between the merchant's view, the promoter's view and the commission lines", async () => {
    const b = await ok("GET", `/v1/balances?promoterId=${up.promoterId}`, c.apiKey);
    expect(b.body).toEqual({
      promoterId: up.promoterId,
      balances: [{ currency: "CNY", pendingMinor: 450, availableMinor: 1500, lockedMinor: 0, paidMinor: 0, taxMinor: 0, heldMinor: 0 }],
    });
    const me = await ok("GET", `/v1/me/balances?merchantId=${c.merchantId}`, up.token);
    expect(me.body).toEqual(b.body);
    const sb = await ok("GET", `/v1/balances?promoterId=${s.promoterId}`, c.adminToken);
    expect(sb.body.balances[0]).toMatchObject({ pendingMinor: 1500, availableMinor: 0 });
    expect((await ok("GET", "/v1/balances?promoterId=pmt_unknown", c.apiKey)).body.balances).toEqual([]);
    expectNamesField(await refused(400, "VALIDATION_FAILED", "GET", "/v1/balances", { token: c.apiKey }), "querystring.promoterId");
  });

  it("GET /v1/ledger/transactions lists an account's transactions with cursor paging; the sums equal the balance", async () => {
    const acc = `promoter:${up.promoterId}:pending`;
    const all = await ok("GET", `/v1/ledger/transactions?account=${acc}&limit=200`, c.apiKey);
    expect(all.body.items.map((t: { kind: string }) => t.kind).sort()).toEqual(["accrue", "accrue", "accrue", "release", "reverse"]);
    expect(all.body.items.reduce((sum: number, t: { amountMinor: number }) => sum + t.amountMinor, 0)).toBe(450);
    const seqs = all.body.items.map((t: { seq: number }) => t.seq);
    expect([...seqs].sort((a: number, b: number) => b - a)).toEqual(seqs);
    const walked: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await ok("GET", `/v1/ledger/transactions?account=${acc}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, c.apiKey);
      walked.push(...r.body.items.map((t: { seq: number }) => t.seq));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(seqs);
    const expense = await ok("GET", `/v1/ledger/transactions?account=merchant:${c.merchantId}:commission_expense&limit=200`, c.adminToken);
    const [stored] = await rows<{ b: number }>("SELECT balance_minor AS b FROM account_balances WHERE merchant_id = $1 AND account = $2", [
      c.merchantId,
      `merchant:${c.merchantId}:commission_expense`,
    ]);
    expect(expense.body.items.reduce((sum: number, t: { amountMinor: number }) => sum + t.amountMinor, 0)).toBe(Number(stored?.b));
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/ledger/transactions?account=merchant:${m.merchantId}:commission_expense`, {
        token: c.apiKey,
      }),
      "account",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/ledger/transactions?account=${acc}&cursor=abc`, { token: c.apiKey }),
      "querystring.cursor",
    );
  });

  it("GET /v1/me/ledger shows the caller's account; GET /v1/ledger/verify recomputes chain and balances", async () => {
    const mine = await ok("GET", `/v1/me/ledger?merchantId=${c.merchantId}&type=available`, up.token);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ kind: "release", amountMinor: 1500 });
    expect(mine.body.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const pending = await ok("GET", `/v1/me/ledger?merchantId=${c.merchantId}`, s.token);
    expect(pending.body.items).toEqual([]); // default type is available; the seller has none
    const sp = await ok("GET", `/v1/me/ledger?merchantId=${c.merchantId}&type=pending`, s.token);
    expect(sp.body.items.map((t: { kind: string }) => t.kind).sort()).toEqual(["accrue", "accrue", "reverse"]);
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "GET", `/v1/me/ledger?merchantId=${c.merchantId}&type=cash`, { token: s.token }),
      "querystring.type",
    );
    const v = await ok("GET", "/v1/ledger/verify", c.apiKey);
    expect(v.body).toMatchObject({ ok: true, merchantId: c.merchantId, chainProblems: [], balanceProblems: [], headProblem: null });
    expect(v.body.transactions).toBe(await count("ledger_transactions", "merchant_id = $1", [c.merchantId]));
  });

  it("POST /v1/contributions records contribution value for a member, once per eventRef", async () => {
    const body = { programId: c.programId, promoterId: s.promoterId, type: "content_share", count: 3, eventRef: "share-1" };
    const r = await ok("POST", "/v1/contributions", c.apiKey, body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ programId: c.programId, promoterId: s.promoterId, type: "content_share", count: 3 });
    await refused(409, "IDEMPOTENCY_KEY_REUSED", "POST", "/v1/contributions", { token: c.apiKey, body });
    await refused(404, "NOT_FOUND", "POST", "/v1/contributions", {
      token: c.apiKey,
      body: { ...body, eventRef: "share-2", promoterId: "pmt_nope" },
    });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/contributions", { token: c.apiKey, body: { ...body, count: 0 } }),
      "count",
    );
  });
});

describe("order events refused without a partial write", () => {
  it("spot checks: unknown order, refund above what remains, completion before payment, a wrong state", async () => {
    const seller = await promoterFixture(h, m, "Spot");
    const paid = await ok("POST", "/v1/orders", m.apiKey, paidOrder("PW-1", "cust-pw", { promoCode: seller.code }));
    expect(paid.body.commissions.length).toBeGreaterThan(0);
    await refused(404, "NOT_FOUND", "POST", "/v1/orders/PW-404/refunds", { token: m.apiKey, body: { amountMinor: 1 } });
    await refused(422, "REFUND_EXCEEDS_PAID", "POST", "/v1/orders/PW-1/refunds", { token: m.apiKey, body: { amountMinor: 15_002 } });
    // The second line entry pushes line 2 over its amount: nothing of the first entry may stay.
    await refused(422, "REFUND_EXCEEDS_PAID", "POST", "/v1/orders/PW-1/refunds", {
      token: m.apiKey,
      body: {
        lines: [
          { lineNo: 2, amountMinor: 5_000 },
          { lineNo: 2, amountMinor: 2 },
        ],
      },
    });
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/orders/PW-1/refunds", {
        token: m.apiKey,
        body: { lines: [{ lineNo: 9, amountMinor: 1 }] },
      }),
      "lines.0.lineNo",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/orders/PW-1/refunds", {
        token: m.apiKey,
        body: { amountMinor: 1, lines: [{ lineNo: 1, amountMinor: 1 }] },
      }),
      "amountMinor",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/orders/PW-1/complete", {
        token: m.apiKey,
        body: { completedAt: "2026-01-01T00:00:00Z" },
      }),
      "completedAt",
    );
    expectNamesField(
      await refused(400, "VALIDATION_FAILED", "POST", "/v1/orders", {
        token: m.apiKey,
        body: paidOrder("PW-2", "c", { referrerCustomerRef: "nobody" }),
      }),
      "referrerCustomerRef",
    );
    await refused(409, "ORDER_EXISTS", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PW-1", "cust-pw") });
    // A refused request under an Idempotency-Key stores no response: a corrected retry with the same key runs.
    await refused(422, "REFUND_EXCEEDS_PAID", "POST", "/v1/orders/PW-1/refunds", {
      token: m.apiKey,
      body: { amountMinor: 20_000 },
      headers: { "idempotency-key": "pw-refund-1" },
    });
    const retry = await h.call("POST", "/v1/orders/PW-1/refunds", {
      token: m.apiKey,
      body: { amountMinor: 1_000 },
      headers: { "idempotency-key": "pw-refund-1" },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.refundedMinor).toBe(1_000);
    await ok("POST", "/v1/orders/PW-1/complete", m.apiKey, {});
    await refused(409, "ORDER_STATE", "POST", "/v1/orders/PW-1/cancel", { token: m.apiKey, body: {} });
    // The merchant has a second (paused) program but only one active one, so programId may be left out; an unknown one is 404.
    await refused(404, "NOT_FOUND", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("PW-3", "c", { programId: "prg_nope" }) });
    const o = await ok("GET", "/v1/orders/PW-1", m.apiKey);
    expect(o.body).toMatchObject({ status: "completed", refundedMinor: 1_000 });
    // Only the one accepted refund reversed anything: 1,000 of 15,001 spread over the lines.
    const reversed = o.body.commissions.reduce((sum: number, x: { reversedMinor: number }) => sum + x.reversedMinor, 0);
    expect(reversed).toBeGreaterThan(0);
    expect(reversed).toBeLessThan(200);
    expect((await ok("GET", "/v1/ledger/verify", m.apiKey)).body.ok).toBe(true);
  });
});
