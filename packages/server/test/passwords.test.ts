/**
 * Passwords: how they are stored (scrypt at OWASP's cost, parameters with the hash, old hashes upgraded at login),
 * the rules for new ones, that a login takes as long for an unknown e-mail as for a known one and never blocks the
 * event loop, that join does not tell whether an e-mail has an account, and password change and reset.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../src/demo/seed.ts";
import {
  COMMON_PASSWORDS,
  hashPassword,
  needsRehash,
  PASSWORD_COST,
  PASSWORD_COST_TESTS_ONLY,
  PASSWORD_LENGTH_MIN,
  parseHash,
  passwordProblem,
  verifyPassword,
} from "../src/modules/auth/passwords.ts";
import { JOIN_ACCEPTED } from "../src/modules/promoters/join.ts";
import { type Harness, type MerchantFixture, merchantFixture, PASSWORD, promoterFixture, startHarness } from "./helpers.ts";

async function storedHash(h: Harness, email: string): Promise<string> {
  const [u] = await h.db.read((q) => q.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = $1", [email]));
  return u?.password_hash as string;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe("the hash format", () => {
  it("stores the scrypt parameters with the hash; reads the first format; refuses what it cannot read", async () => {
    const h = await hashPassword("a good long passphrase", PASSWORD_COST_TESTS_ONLY);
    expect(h).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("a good long passphrase", h)).toBe(true);
    expect(await verifyPassword("a good long passphrasE", h)).toBe(false);
    expect(needsRehash(h, PASSWORD_COST)).toBe(true);
    expect(needsRehash(h, PASSWORD_COST_TESTS_ONLY)).toBe(false);
    // The first format (Node's default cost, N = 2^14) still verifies and is always upgraded.
    const legacy = "scrypt$c2FsdHNhbHRzYWx0c2FsdA$4eKH2N6JTaG0pWbtqF25jUpjJ0L2rsxr-HyeVfPaiEY";
    expect(parseHash(legacy)?.cost).toEqual({ logN: 14, r: 8, p: 1 });
    expect(needsRehash(legacy, PASSWORD_COST_TESTS_ONLY)).toBe(true);
    for (const bad of ["", "plain", "$scrypt$ln=99,r=8,p=1$c2FsdA$a2V5", "$scrypt$ln=17,r=8,p=1$c2FsdA$", "$argon2id$v=19$x$y"]) {
      expect(parseHash(bad), bad).toBeNull();
      expect(await verifyPassword("whatever-it-is", bad)).toBe(false);
    }
  });

  it("the rules: a minimum length, the common list, the e-mail itself", () => {
    expect(PASSWORD_LENGTH_MIN).toBeGreaterThanOrEqual(10);
    expect(passwordProblem("short-9ch")).toBe("too_short");
    expect(passwordProblem("1234567890")).toBe("too_common");
    expect(passwordProblem("Password123")).toBe("too_common");
    expect(passwordProblem("woaini1314")).toBe("too_common");
    expect(passwordProblem("aaaaaaaaaaaa")).toBe("too_common");
    expect(passwordProblem("wang.lei@example.com", "Wang.Lei@example.com")).toBe("too_common");
    expect(passwordProblem("wang.lei.home", "wang.lei.home@example.com")).toBe("too_common");
    expect(passwordProblem("x".repeat(201))).toBe("too_long");
    expect(passwordProblem("correct horse battery")).toBeNull();
    // The demo password passes the rules (the old one, fenxiao123, is on the list).
    expect(COMMON_PASSWORDS.has("fenxiao123")).toBe(true);
    expect(passwordProblem(DEMO.password)).toBeNull();
  });
});

describe("at the production cost", () => {
  let h: Harness;
  let m: MerchantFixture;
  let email: string;

  beforeAll(async () => {
    h = await startHarness(undefined, { passwordCost: PASSWORD_COST });
    m = await merchantFixture(h, "Costly");
    email = (await h.call("GET", "/v1/me", { token: m.adminToken })).body.email;
  }, 60_000);
  afterAll(async () => h?.close());

  it("a new account's hash is scrypt with N = 2^17, r = 8, p = 1", async () => {
    expect(parseHash(await storedHash(h, email))?.cost).toEqual({ logN: 17, r: 8, p: 1 });
    expect(PASSWORD_COST).toEqual({ logN: 17, r: 8, p: 1 });
  });

  it("an older, weaker hash logs in and is replaced by one at the production cost", { timeout: 30_000 }, async () => {
    for (const weak of [await hashPassword(PASSWORD, PASSWORD_COST_TESTS_ONLY), "scrypt$legacy"]) {
      let stored = weak;
      if (weak === "scrypt$legacy") {
        // The first format: scrypt$salt$key at Node's defaults, as the first releases stored it.
        const { scryptSync, randomBytes } = await import("node:crypto");
        const salt = randomBytes(16);
        stored = `scrypt$${salt.toString("base64url")}$${scryptSync(PASSWORD, salt, 32).toString("base64url")}`;
      }
      await h.db.tx((q) => q.query("UPDATE users SET password_hash = $2 WHERE email = $1", [email, stored]));
      const r = await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
      expect(r.status).toBe(200);
      const now = await storedHash(h, email);
      expect(now).not.toBe(stored);
      expect(parseHash(now)?.cost).toEqual(PASSWORD_COST);
      expect((await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } })).status).toBe(200);
    }
  });

  it("a login for an unknown e-mail takes as long as one for a known e-mail (a wrong password)", { timeout: 60_000 }, async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await timed(() => h.call("POST", "/v1/auth/login", { body: { email, password: "not-the-password" } }));
      const b = await timed(() =>
        h.call("POST", "/v1/auth/login", { body: { email: `nobody-${i}@test.local`, password: "not-the-password" } }),
      );
      expect(a.value.status).toBe(401);
      expect(b.value.status).toBe(401);
      expect(b.value.body).toEqual(a.value.body);
      known.push(a.ms);
      unknown.push(b.ms);
    }
    // Both cost one scrypt at N = 2^17 (a few hundred ms); without the dummy hash the unknown e-mail took ~2 ms.
    expect(median(known)).toBeGreaterThan(50);
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    expect(median(unknown)).toBeLessThan(median(known) * 3); // one scrypt, not two (the shared machine's load varies)
  });

  it("hashing runs off the event loop: other work goes on during logins", { timeout: 60_000 }, async () => {
    // What one hash at this cost would block the loop for, were it computed on it.
    const { scryptSync } = await import("node:crypto");
    const N = 2 ** PASSWORD_COST.logN;
    const sync = await timed(async () => scryptSync(PASSWORD, "a-salt-of-16-byt", 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }));
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    for (let i = 0; i < 2; i++) expect((await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } })).status).toBe(200);
    lag.disable();
    expect(lag.max / 1e6).toBeLessThan(sync.ms / 2);
  });
});

describe("rules, change, reset and join", () => {
  let h: Harness;
  let m: MerchantFixture;
  let adminEmail: string;

  beforeAll(async () => {
    h = await startHarness();
    m = await merchantFixture(h, "Rules");
    adminEmail = (await h.call("GET", "/v1/me", { token: m.adminToken })).body.email;
  });
  afterAll(async () => h?.close());

  async function userCount(): Promise<number> {
    const [r] = await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM users"));
    return r?.n as number;
  }

  function expectWeak(
    r: { status: number; body: { error: { code: string; message: string; details: { issues: unknown[] } } } },
    field: string,
    rule: string,
  ) {
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION_FAILED");
    expect(r.body.error.message).toContain(field);
    expect(r.body.error.details.issues[0]).toMatchObject({
      path: field,
      rule,
      messageEn: expect.stringContaining(field),
      messageZh: expect.stringMatching(new RegExp(`^${field}：密码`)),
    });
  }

  it("weak passwords are refused on every route that sets one, naming the field, in English and Chinese, writing nothing", async () => {
    const users = await userCount();
    expectWeak(
      await h.call("POST", "/v1/merchants", {
        token: h.adminToken,
        body: { name: "W", adminEmail: "w@test.local", adminPassword: "1234567890", adminName: "w" },
      }),
      "adminPassword",
      "password_too_common",
    );
    expectWeak(
      await h.call("POST", "/v1/join", {
        body: { merchantId: m.merchantId, programId: m.programId, name: "J", email: "j@test.local", password: "short" },
      }),
      "password",
      "password_too_short",
    );
    expectWeak(
      await h.call("POST", "/v1/promoters", {
        token: m.apiKey,
        body: { programId: m.programId, name: "P", email: "p@test.local", password: "p@test.local" },
      }),
      "password",
      "password_too_common",
    );
    expectWeak(
      await h.call("POST", "/v1/auth/password", { token: m.adminToken, body: { currentPassword: PASSWORD, newPassword: "qwertyuiop" } }),
      "newPassword",
      "password_too_common",
    );
    expect(await userCount()).toBe(users);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: PASSWORD } })).status).toBe(200);
  });

  it("a user changes their password: the current one is checked; other sessions end, this one stays", async () => {
    const other = (await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: PASSWORD } })).body.token;
    const wrong = await h.call("POST", "/v1/auth/password", {
      token: m.adminToken,
      body: { currentPassword: "not-my-password", newPassword: "a-brand-new-passphrase" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: "PASSWORD_INCORRECT", details: { field: "currentPassword" } });
    expect((await h.call("GET", "/v1/me", { token: other })).status).toBe(200);
    // An API key has no password to change; no credentials is 401.
    expect(
      (
        await h.call("POST", "/v1/auth/password", {
          token: m.apiKey,
          body: { currentPassword: "x", newPassword: "a-brand-new-passphrase" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await h.call("POST", "/v1/auth/password", { body: { currentPassword: "x", newPassword: "a-brand-new-passphrase" } })).status,
    ).toBe(401);

    const sessionsOf = async () => {
      const [row] = await h.db.read((q) =>
        q.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", [
          adminEmail,
        ]),
      );
      return row?.n as number;
    };
    const before = await sessionsOf();
    expect(before).toBeGreaterThanOrEqual(2);
    const r = await h.call("POST", "/v1/auth/password", {
      token: m.adminToken,
      body: { currentPassword: PASSWORD, newPassword: "a-brand-new-passphrase" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ sessionsEnded: before - 1 });
    expect(await sessionsOf()).toBe(1);
    expect((await h.call("GET", "/v1/me", { token: other })).status).toBe(401);
    expect((await h.call("GET", "/v1/me", { token: m.adminToken })).status).toBe(200);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: PASSWORD } })).status).toBe(401);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: "a-brand-new-passphrase" } })).status).toBe(200);
    // A promoter changes theirs too.
    const p = await promoterFixture(h, m, "Changer");
    const pr = await h.call("POST", "/v1/auth/password", {
      token: p.token,
      body: { currentPassword: PASSWORD, newPassword: "promoter-new-passphrase" },
    });
    expect(pr.status).toBe(200);
  });

  it("a platform admin resets a merchant user's password: every session of the user ends; audited", async () => {
    const users = await h.call("GET", `/v1/merchants/${m.merchantId}/users`, { token: h.adminToken });
    expect(users.status).toBe(200);
    const user = users.body.items.find((u: { email: string }) => u.email === adminEmail);
    expect(user).toMatchObject({ role: "merchant_admin" });
    const session = (await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: "a-brand-new-passphrase" } })).body
      .token;

    // Only a platform admin; only a merchant's user.
    expect(
      (await h.call("POST", `/v1/users/${user.id}/password`, { token: session, body: { newPassword: "reset-by-admin-1" } })).status,
    ).toBe(403);
    expect((await h.call("GET", `/v1/merchants/${m.merchantId}/users`, { token: m.apiKey })).status).toBe(403);
    const root = (await h.call("GET", "/v1/me", { token: h.adminToken })).body.id;
    expect(
      (await h.call("POST", `/v1/users/${root}/password`, { token: h.adminToken, body: { newPassword: "reset-by-admin-1" } })).status,
    ).toBe(404);
    expectWeak(
      await h.call("POST", `/v1/users/${user.id}/password`, { token: h.adminToken, body: { newPassword: "password123" } }),
      "newPassword",
      "password_too_common",
    );

    const r = await h.call("POST", `/v1/users/${user.id}/password`, { token: h.adminToken, body: { newPassword: "reset-by-admin-1" } });
    expect(r.status).toBe(200);
    expect(r.body.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await h.call("GET", "/v1/me", { token: session })).status).toBe(401);
    expect((await h.call("GET", "/v1/me", { token: m.adminToken })).status).toBe(401);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: "reset-by-admin-1" } })).status).toBe(200);
    const audit = await h.db.read((q) =>
      q.query<{ actor: string; subject: string }>(
        "SELECT actor, subject FROM audit_log WHERE merchant_id = $1 AND action = 'user.password_reset'",
        [m.merchantId],
      ),
    );
    expect(audit).toEqual([{ actor: `user:${root}`, subject: `user:${user.id}` }]);
  });

  it("join answers the same for a new and an existing e-mail; only the account's own password joins with it", async () => {
    const root = await promoterFixture(h, m, "Inviter");
    const program2 = await h.call("POST", "/v1/programs", {
      token: m.apiKey,
      body: { name: "Second", landingUrl: "https://shop.example/2" },
    });
    const join = (email: string, password: string, programId = m.programId) =>
      h.call("POST", "/v1/join", { body: { merchantId: m.merchantId, programId, name: "J", email, password } });

    const fresh = await join("fresh-joiner@test.local", "fresh-joiner-pass");
    const taken = await join(adminEmail, "someone-elses-pass"); // a merchant admin's e-mail
    const takenPromoter = await join((await h.call("GET", "/v1/me", { token: root.token })).body.email, "someone-elses-pass");
    for (const r of [fresh, taken, takenPromoter]) {
      expect(r.status).toBe(202);
      expect(r.body).toEqual(JOIN_ACCEPTED);
    }
    expect(JSON.stringify(fresh.body)).not.toContain("fxs_");
    // The new account logs in; the taken e-mails do not with the stranger's password.
    expect(
      (await h.call("POST", "/v1/auth/login", { body: { email: "fresh-joiner@test.local", password: "fresh-joiner-pass" } })).status,
    ).toBe(200);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: adminEmail, password: "someone-elses-pass" } })).status).toBe(401);

    // The owner of the new account joins the second program through the same public form, with their password.
    const again = await join("fresh-joiner@test.local", "fresh-joiner-pass", program2.body.id);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(JOIN_ACCEPTED);
    const token = (await h.call("POST", "/v1/auth/login", { body: { email: "fresh-joiner@test.local", password: "fresh-joiner-pass" } }))
      .body.token;
    const mine = await h.call("GET", "/v1/me/memberships", { token });
    expect(mine.body.items.map((x: { programId: string }) => x.programId)).toEqual([m.programId, program2.body.id]);
    // Joining again is answered the same and changes nothing.
    expect((await join("fresh-joiner@test.local", "fresh-joiner-pass", program2.body.id)).body).toEqual(JOIN_ACCEPTED);
    expect((await h.call("GET", "/v1/me/memberships", { token })).body.items).toHaveLength(2);
  });
});
