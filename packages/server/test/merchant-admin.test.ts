/**
 * The merchant's API keys and admin users, and the platform console: onboarding, suspension (enforced on API keys,
 * sessions, logins, ingest, links and sign-up), reactivation, platform figures and fees. Real HTTP server, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Harness,
  type MerchantFixture,
  merchantFixture,
  PASSWORD,
  paidOrder,
  promoterFixture,
  START,
  startHarness,
  writeSnapshot,
} from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let other: MerchantFixture;
let promoter: { promoterId: string; code: string; token: string };

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Admin Shop");
  other = await merchantFixture(h, "Other Shop");
  promoter = await promoterFixture(h, m, "Lily");
});
afterAll(async () => h?.close());

const key = (k: string) => ({ "idempotency-key": k });
const field = (r: { body: { error: { details: { issues?: { path: string }[]; field?: string } } } }) =>
  r.body.error.details.issues?.[0]?.path ?? r.body.error.details.field;

describe("API keys", () => {
  it("creates a key whose secret is shown once (a retry gets null), lists it with its last use, revokes it", async () => {
    const made = await h.call("POST", "/v1/api-keys", { token: m.adminToken, body: { name: "ERP" }, headers: key("k-erp") });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^fxk_/);
    const again = await h.call("POST", "/v1/api-keys", { token: m.adminToken, body: { name: "ERP" }, headers: key("k-erp") });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual({ id: made.body.id, prefix: made.body.prefix, key: null });
    const stored = await h.db.read((q) =>
      q.query("SELECT count(*)::int AS n FROM idempotency_keys WHERE strpos(response::text, $1) > 0", [made.body.key]),
    );
    expect(stored[0]?.n).toBe(0);

    const before = await h.call("GET", "/v1/api-keys", { token: m.adminToken });
    expect(before.body.items.find((k: { id: string }) => k.id === made.body.id)).toMatchObject({
      name: "ERP",
      lastUsedAt: null,
      revokedAt: null,
    });
    expect((await h.call("GET", "/v1/merchant", { token: made.body.key })).status).toBe(200);
    const used = await h.call("GET", "/v1/api-keys", { token: m.adminToken });
    expect(used.body.items.find((k: { id: string }) => k.id === made.body.id).lastUsedAt).toBe(START);

    const revoked = await h.call("DELETE", `/v1/api-keys/${made.body.id}`, { token: m.adminToken, headers: key("r-erp") });
    expect(revoked.status).toBe(204);
    expect((await h.call("GET", "/v1/merchant", { token: made.body.key })).status).toBe(401);
    const audit = await h.db.read((q) =>
      q.query<{ action: string }>("SELECT action FROM audit_log WHERE merchant_id = $1 AND subject = $2 ORDER BY created_at, action", [
        m.merchantId,
        `api_key:${made.body.id}`,
      ]),
    );
    expect(audit.map((a) => a.action).sort()).toEqual(["api_key.create", "api_key.revoke"]);
  });

  it("refuses a blank name, naming the field, and another merchant's key id", async () => {
    const r = await h.call("POST", "/v1/api-keys", { token: m.adminToken, body: { name: " " } });
    expect(r.status).toBe(400);
    expect(field(r)).toBe("name");
    const keys = await h.call("GET", "/v1/api-keys", { token: other.apiKey });
    const foreign = await h.call("DELETE", `/v1/api-keys/${keys.body.items[0].id}`, { token: m.adminToken });
    expect(foreign.status).toBe(404);
  });
});

describe("merchant users", () => {
  let invited: { id: string; email: string };
  let invitedToken: string;

  it("invites an admin with a one-time password, who must choose a new one before anything else", async () => {
    const r = await h.call("POST", "/v1/merchant/users", {
      token: m.adminToken,
      body: { email: "Second.Admin@test.local", name: "第二位管理员" },
      headers: key("invite-1"),
    });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ email: "second.admin@test.local", status: "active", passwordChangeRequired: true });
    expect(r.body.initialPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    invited = r.body.user;
    const retry = await h.call("POST", "/v1/merchant/users", {
      token: m.adminToken,
      body: { email: "Second.Admin@test.local", name: "第二位管理员" },
      headers: key("invite-1"),
    });
    expect(retry.body).toEqual({ user: r.body.user, initialPassword: null });

    const login = await h.call("POST", "/v1/auth/login", { body: { email: invited.email, password: r.body.initialPassword } });
    expect(login.status).toBe(200);
    expect(login.body.user.passwordChangeRequired).toBe(true);
    invitedToken = login.body.token;
    const blocked = await h.call("GET", "/v1/programs", { token: invitedToken });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    expect((await h.call("GET", "/v1/me", { token: invitedToken })).body.passwordChangeRequired).toBe(true);
    const weak = await h.call("POST", "/v1/auth/password", {
      token: invitedToken,
      body: { currentPassword: r.body.initialPassword, newPassword: "short" },
    });
    expect(weak.status).toBe(400);
    expect(field(weak)).toBe("newPassword");
    const changed = await h.call("POST", "/v1/auth/password", {
      token: invitedToken,
      body: { currentPassword: r.body.initialPassword, newPassword: "a-brand-new-pass-2" },
    });
    expect(changed.status).toBe(200);
    expect((await h.call("GET", "/v1/programs", { token: invitedToken })).status).toBe(200);
    const list = await h.call("GET", "/v1/merchant/users", { token: m.adminToken });
    expect(list.body.items.map((u: { email: string }) => u.email)).toContain("second.admin@test.local");
    expect(list.body.items.find((u: { id: string }) => u.id === invited.id).passwordChangeRequired).toBe(false);
  });

  it("refuses a bad e-mail or a taken one, naming the field, writing nothing", async () => {
    const before = await writeSnapshot(h.db);
    const bad = await h.call("POST", "/v1/merchant/users", { token: m.adminToken, body: { email: "nope", name: "x" } });
    expect(bad.status).toBe(400);
    expect(field(bad)).toBe("email");
    const taken = await h.call("POST", "/v1/merchant/users", {
      token: m.adminToken,
      body: { email: "SECOND.admin@test.local", name: "x" },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "EMAIL_TAKEN", details: { field: "email" } });
    const noName = await h.call("POST", "/v1/merchant/users", { token: m.adminToken, body: { email: "x@test.local" } });
    expect(field(noName)).toBe("name");
    expect(await writeSnapshot(h.db)).toEqual(before);
  });

  it("disables another admin (sessions end, login refused, audited) but never oneself or the last admin", async () => {
    const me = await h.call("GET", "/v1/me", { token: m.adminToken });
    const self = await h.call("POST", `/v1/merchant/users/${me.body.id}/disable`, { token: m.adminToken, body: {} });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe("NOT_YOURSELF");

    const off = await h.call("POST", `/v1/merchant/users/${invited.id}/disable`, {
      token: m.adminToken,
      body: { reason: "left the company" },
      headers: key("disable-1"),
    });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe("disabled");
    expect((await h.call("GET", "/v1/programs", { token: invitedToken })).status).toBe(401);
    expect((await h.call("POST", "/v1/auth/login", { body: { email: invited.email, password: "a-brand-new-pass-2" } })).status).toBe(401);

    // The first admin is now the last active one: the API key cannot disable them.
    const last = await h.call("POST", `/v1/merchant/users/${me.body.id}/disable`, { token: m.apiKey, body: {} });
    expect(last.status).toBe(409);
    expect(last.body.error).toMatchObject({ code: "LAST_ADMIN", details: { field: "userId" } });
    const foreign = await h.call("POST", `/v1/merchant/users/${me.body.id}/disable`, { token: other.apiKey, body: {} });
    expect(foreign.status).toBe(404);

    const on = await h.call("POST", `/v1/merchant/users/${invited.id}/enable`, { token: m.adminToken, body: {} });
    expect(on.body.status).toBe("active");
    expect((await h.call("POST", "/v1/auth/login", { body: { email: invited.email, password: "a-brand-new-pass-2" } })).status).toBe(200);
    const audit = await h.db.read((q) =>
      q.query<{ action: string; details: { reason?: string } }>(
        "SELECT action, details FROM audit_log WHERE merchant_id = $1 AND subject = $2 ORDER BY created_at, id",
        [m.merchantId, `user:${invited.id}`],
      ),
    );
    expect(audit.map((a) => a.action).sort()).toEqual(["user.disable", "user.enable", "user.invite"]);
    expect(audit.find((a) => a.action === "user.disable")?.details.reason).toBe("left the company");
  });
});

describe("platform console", () => {
  it("onboards a merchant by slug and first admin e-mail: the admin gets a one-time password", async () => {
    const r = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "新商家", slug: "new-shop", adminEmail: "boss@new-shop.test", adminName: "老板" },
      headers: key("onboard-new-shop"),
    });
    expect(r.status).toBe(201);
    expect(r.body.initialPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const login = await h.call("POST", "/v1/auth/login", { body: { email: "boss@new-shop.test", password: r.body.initialPassword } });
    expect(login.body.user.passwordChangeRequired).toBe(true);
    const retry = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "新商家", slug: "new-shop", adminEmail: "boss@new-shop.test", adminName: "老板" },
      headers: key("onboard-new-shop"),
    });
    expect(retry.body).toMatchObject({ merchantId: r.body.merchantId, initialPassword: null, apiKey: { key: null } });
    const taken = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "又一个", slug: "new-shop", adminEmail: "boss2@new-shop.test", adminName: "老板" },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "SLUG_TAKEN", details: { field: "slug" } });
    const bad = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "x", slug: "Not A Slug", adminEmail: "x@new-shop.test", adminName: "x" },
    });
    expect(bad.status).toBe(400);
    expect(field(bad)).toBe("slug");
    const search = await h.call("GET", "/v1/merchants?search=NEW-sh", { token: h.adminToken });
    expect(search.body.items.map((x: { slug: string }) => x.slug)).toEqual(["new-shop"]);
    expect(search.body.total).toBe(1);
  });

  it("lists merchants with this month's promoters, attributed sales and commission, and the platform KPIs", async () => {
    const order = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      body: { ...paidOrder("ADM-1", "cust-1"), promoCode: promoter.code },
      headers: key("o-adm-1"),
    });
    expect(order.status).toBe(201);
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("ADM-2", "cust-2"), headers: key("o-adm-2") });
    const list = await h.call("GET", "/v1/merchants?limit=200", { token: h.adminToken });
    const row = list.body.items.find((x: { id: string }) => x.id === m.merchantId);
    // 10,000 + 5,001 fen through the promoter at 10 %: 1,500 fen commission (the unattributed order counts in neither).
    expect(row).toMatchObject({ status: "active", promoters: 1, salesMinor: 15_001, commissionMinor: 1_500 });
    expect(list.body.month).toBe("2026-03");
    const kpis = await h.call("GET", "/v1/platform/kpis", { token: h.adminToken });
    expect(kpis.body).toMatchObject({
      month: "2026-03",
      timeZone: "Asia/Shanghai",
      merchants: 3,
      activeMerchants: 3,
      promoters: 1,
      salesMinor: 15_001,
    });
    expect(kpis.body.commissionMinor).toBe(1_500);
    expect(kpis.body.payoutsMinor).toBe(0);
    const fees = await h.call("GET", `/v1/platform/service-fees?merchantId=${m.merchantId}`, { token: h.adminToken });
    expect(fees.body.items).toEqual([expect.objectContaining({ programId: m.programId, rateBps: 0 })]);
    expect((await h.call("GET", "/v1/platform/kpis", { token: m.adminToken })).status).toBe(403);
    const badQuery = await h.call("GET", "/v1/merchants?status=gone", { token: h.adminToken });
    expect(field(badQuery)).toBe("querystring.status");
  });

  it("suspends a merchant with a reason: keys, sessions, logins, ingest, links and sign-up refused; nothing deleted", async () => {
    const noReason = await h.call("POST", `/v1/merchants/${m.merchantId}/suspend`, { token: h.adminToken, body: {} });
    expect(noReason.status).toBe(400);
    expect(field(noReason)).toBe("reason");
    expect((await h.call("POST", `/v1/merchants/${m.merchantId}/suspend`, { token: m.adminToken, body: { reason: "x" } })).status).toBe(
      403,
    );
    // Warm the key cache, so that the suspension must reach a key remembered a moment ago.
    expect((await h.call("GET", "/v1/merchant", { token: m.apiKey })).status).toBe(200);
    const before = await writeSnapshot(h.db);

    const s = await h.call("POST", `/v1/merchants/${m.merchantId}/suspend`, {
      token: h.adminToken,
      body: { reason: "unpaid invoices" },
      headers: key("suspend-1"),
    });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: "suspended", statusReason: "unpaid invoices" });

    for (const token of [m.apiKey, m.adminToken]) {
      const r = await h.call("GET", "/v1/programs", { token });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("MERCHANT_SUSPENDED");
    }
    const ingest = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("ADM-3", "cust-3") });
    expect(ingest.body.error.code).toBe("MERCHANT_SUSPENDED");
    // A login of the merchant's admin says why (only to whoever knows the password).
    const login = await h.call("POST", "/v1/auth/login", { body: { email: "second.admin@test.local", password: "a-brand-new-pass-2" } });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe("MERCHANT_SUSPENDED");
    expect((await h.call("POST", "/v1/auth/login", { body: { email: "second.admin@test.local", password: "wrong-pass-99" } })).status).toBe(
      401,
    );

    const link = await fetch(`${h.base}/r/${promoter.code}`, { redirect: "manual", headers: { accept: "text/html" } });
    expect(link.status).toBe(403);
    expect(await link.text()).toContain("该商家的推广活动已暂停");
    const linkJson = await h.call("GET", `/r/${promoter.code}`);
    expect(linkJson.body.error.code).toBe("MERCHANT_SUSPENDED");
    const join = await h.call("POST", "/v1/join", {
      body: { inviteCode: promoter.code, name: "New", email: "new-promoter@test.local", password: PASSWORD },
    });
    expect(join.status).toBe(403);
    expect(join.body.error.code).toBe("MERCHANT_SUSPENDED");
    // The promoter keeps seeing the balance earned there, marked suspended; no new link, poster or withdrawal meanwhile.
    const wallet = await h.call("GET", "/v1/me/wallet", { token: promoter.token });
    expect(wallet.status).toBe(200);
    expect(wallet.body.merchants.find((e: { merchantId: string }) => e.merchantId === m.merchantId)).toMatchObject({
      merchantSuspended: true,
    });
    const promoterWrites = [
      await h.call("POST", "/v1/me/links", {
        token: promoter.token,
        body: { merchantId: m.merchantId, programId: m.programId, productId: "P1" },
      }),
      await h.call("GET", `/v1/me/posters/P1?programId=${m.programId}&merchantId=${m.merchantId}`, { token: promoter.token }),
      await h.call("POST", "/v1/me/withdrawals/preview", {
        token: promoter.token,
        body: { programId: m.programId, amountMinor: 100, payoutAccountId: "pa_none" },
      }),
      await h.call("POST", "/v1/me/withdrawals", {
        token: promoter.token,
        body: { programId: m.programId, amountMinor: 100, payoutAccountId: "pa_none" },
        headers: key("withdraw-while-suspended"),
      }),
    ];
    expect(promoterWrites.map((r) => [r.status, r.body.error?.code])).toEqual(Array(4).fill([403, "MERCHANT_SUSPENDED"]));
    // The other merchant is untouched.
    expect((await h.call("GET", "/v1/programs", { token: other.apiKey })).status).toBe(200);
    // Nothing was deleted or written but the status and its audit entry (and the retry-safe key of the suspension).
    const after = await writeSnapshot(h.db);
    expect(after.heads).toBe(before.heads);
    expect(Object.fromEntries(Object.entries(after.counts).filter(([t, n]) => before.counts[t] !== n))).toEqual({
      audit_log: (before.counts.audit_log ?? 0) + 1,
      idempotency_keys: (before.counts.idempotency_keys ?? 0) + 1,
    });
    const list = await h.call("GET", "/v1/merchants?status=suspended", { token: h.adminToken });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([m.merchantId]);
    const kpis = await h.call("GET", "/v1/platform/kpis", { token: h.adminToken });
    expect(kpis.body).toMatchObject({ merchants: 3, activeMerchants: 2 });
  });

  it("reactivates the merchant: the same key and session work again, and its link redirects", async () => {
    const r = await h.call("POST", `/v1/merchants/${m.merchantId}/reactivate`, { token: h.adminToken, body: { reason: "paid" } });
    expect(r.body.status).toBe("active");
    const wallet = await h.call("GET", "/v1/me/wallet", { token: promoter.token });
    expect(wallet.body.merchants.find((e: { merchantId: string }) => e.merchantId === m.merchantId)).toMatchObject({
      merchantSuspended: false,
    });
    const link = await h.call("POST", "/v1/me/links", {
      token: promoter.token,
      body: { merchantId: m.merchantId, programId: m.programId },
    });
    expect([200, 201]).toContain(link.status);
    expect(link.body.url).toContain("/r/");
    expect((await h.call("GET", "/v1/programs", { token: m.apiKey })).status).toBe(200);
    expect((await h.call("GET", "/v1/programs", { token: m.adminToken })).status).toBe(200);
    expect((await h.call("GET", `/r/${promoter.code}`)).status).toBe(302);
    const audit = await h.db.read((q) =>
      q.query<{ action: string; actor: string }>(
        "SELECT action, actor FROM audit_log WHERE merchant_id = $1 AND subject = $2 ORDER BY created_at, id",
        [m.merchantId, `merchant:${m.merchantId}`],
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["merchant.onboard", "merchant.suspend", "merchant.reactivate"]));
    const missing = await h.call("POST", "/v1/merchants/mch_nope/suspend", { token: h.adminToken, body: { reason: "x" } });
    expect(missing.status).toBe(404);
  });
});
