/**
 * Growth tools over HTTP: the join policy per program (open, invite, approval) with the merchant's queue of
 * applications (approve makes the member under the inviter; reject keeps a reason; both audited, both idempotent),
 * and the promotion poster: a 750 × 1200 PNG whose QR code (decoded here with jsQR) is the promoter's product link.
 */
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, PASSWORD, paidOrder, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Growth");
  const put = await h.call("PUT", "/v1/products", {
    token: m.apiKey,
    body: { items: [{ id: "TEA-1", name: "明前龙井礼盒 250克 特级", priceMinor: 12_800 }] },
  });
  expect(put.status).toBe(200);
});
afterAll(async () => h?.close());

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

const setPolicy = async (joinPolicy: string) => {
  const r = await h.call("PATCH", `/v1/programs/${m.programId}`, { token: m.apiKey, body: { joinPolicy } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.joinPolicy).toBe(joinPolicy);
};

const join = (email: string, extra: Record<string, unknown>) =>
  h.call("POST", "/v1/join", { body: { name: email.split("@")[0], email, password: PASSWORD, ...extra } });

const memberOf = (email: string) =>
  rows<{ inviter_id: string | null }>(
    "SELECT m.inviter_id FROM memberships m JOIN users u ON u.promoter_id = m.promoter_id WHERE u.email = $1 AND m.program_id = $2",
    [email, m.programId],
  );

describe("join policy", () => {
  it("a new program is open; anyone joins, with or without an invite code", async () => {
    const g = await h.call("GET", `/v1/programs/${m.programId}`, { token: m.apiKey });
    expect(g.body.joinPolicy).toBe("open");
    const inviter = await promoterFixture(h, m, "Inviter");
    expect((await join("open1@test.local", { inviteCode: inviter.code })).status).toBe(202);
    expect(await memberOf("open1@test.local")).toEqual([{ inviter_id: inviter.promoterId }]);
    const direct = await join("open2@test.local", { merchantId: m.merchantId, programId: m.programId });
    expect(direct.status).toBe(202);
    expect(direct.body.status).toBe("accepted");
    expect(await memberOf("open2@test.local")).toEqual([{ inviter_id: null }]);
  });

  it("invite: a sign-up without a code is refused naming inviteCode and writes nothing; with a member's code it joins", async () => {
    await setPolicy("invite");
    const before = await rows<{ n: number }>("SELECT count(*)::int AS n FROM users");
    const r = await join("inv1@test.local", { merchantId: m.merchantId, programId: m.programId });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: "INVITE_REQUIRED", details: { field: "inviteCode" } });
    expect(await rows("SELECT count(*)::int AS n FROM users")).toEqual(before);
    const inviter = await promoterFixture(h, m, "Inv");
    expect((await join("inv2@test.local", { inviteCode: inviter.code })).status).toBe(202);
    expect(await memberOf("inv2@test.local")).toEqual([{ inviter_id: inviter.promoterId }]);
    // a logged-in promoter of another program needs a code as well
    const other = await merchantFixture(h, "Other");
    const p = await promoterFixture(h, other, "Hopper");
    const me = await h.call("POST", "/v1/me/memberships", { token: p.token, body: { merchantId: m.merchantId, programId: m.programId } });
    expect(me.status).toBe(422);
    expect(me.body.error.code).toBe("INVITE_REQUIRED");
  });

  it("approval: the sign-up files an application; the merchant approves it (member under the inviter) or rejects it with a reason", async () => {
    await setPolicy("approval");
    const inviter = await promoterFixture(h, m, "Sponsor");
    const r = await join("app1@test.local", { inviteCode: inviter.code });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe("pending");
    expect(await memberOf("app1@test.local")).toEqual([]);
    // the account exists and can log in; it sees its application
    const login = await h.call("POST", "/v1/auth/login", { body: { email: "app1@test.local", password: PASSWORD } });
    expect(login.status).toBe(200);
    const mine = await h.call("GET", "/v1/me/applications", { token: login.body.token });
    expect(mine.body.items).toMatchObject([{ programId: m.programId, status: "pending" }]);
    // the same sign-up again: the same answer, no second application
    expect((await join("app1@test.local", { inviteCode: inviter.code })).body.status).toBe("pending");
    expect((await join("app2@test.local", { merchantId: m.merchantId, programId: m.programId })).status).toBe(202);

    const queue = await h.call("GET", `/v1/promoters/applications?programId=${m.programId}&status=pending`, { token: m.adminToken });
    expect(queue.status).toBe(200);
    expect(queue.body.total).toBe(2);
    // (the test clock stands still: both applied at the same instant, so the queue's order is by id)
    const byName = (n: string) => queue.body.items.find((a: { name: string }) => a.name === n);
    const [first, second] = [byName("app1"), byName("app2")];
    expect(first).toMatchObject({ name: "app1", inviterId: inviter.promoterId, inviterName: "Sponsor", status: "pending" });

    const key = { "idempotency-key": `approve-${first.id}` };
    const ok = await h.call("POST", `/v1/promoters/applications/${first.id}/approve`, { token: m.adminToken, body: {}, headers: key });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.application.status).toBe("approved");
    expect(ok.body.membership).toMatchObject({ inviterId: inviter.promoterId });
    expect(await memberOf("app1@test.local")).toEqual([{ inviter_id: inviter.promoterId }]);
    const again = await h.call("POST", `/v1/promoters/applications/${first.id}/approve`, { token: m.adminToken, body: {}, headers: key });
    expect(again.body).toEqual(ok.body);
    const twice = await h.call("POST", `/v1/promoters/applications/${first.id}/approve`, { token: m.adminToken, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("APPLICATION_DECIDED");

    const noReason = await h.call("POST", `/v1/promoters/applications/${second.id}/reject`, { token: m.adminToken, body: {} });
    expect(noReason.status).toBe(400);
    const rej = await h.call("POST", `/v1/promoters/applications/${second.id}/reject`, {
      token: m.adminToken,
      body: { reason: "资料不完整" },
    });
    expect(rej.status).toBe(200);
    expect(rej.body).toMatchObject({ application: { status: "rejected", reason: "资料不完整" }, membership: null });
    expect(await memberOf("app2@test.local")).toEqual([]);
    const audits = await rows<{ action: string; details: { reason: string | null } }>(
      "SELECT action, details FROM audit_log WHERE merchant_id = $1 AND action LIKE 'promoter.application.%' ORDER BY created_at, action",
      [m.merchantId],
    );
    expect(audits.map((a) => [a.action, a.details.reason])).toEqual([
      ["promoter.application.approve", null],
      ["promoter.application.reject", "资料不完整"],
    ]);
    // after a rejection the applicant may apply again
    expect((await join("app2@test.local", { merchantId: m.merchantId, programId: m.programId })).status).toBe(202);
    const pending = await h.call("GET", "/v1/promoters/applications?status=pending", { token: m.apiKey });
    expect(pending.body.total).toBe(1);
    // a logged-in promoter of another merchant applies too (202 with the application), and is no member yet
    const elsewhere = await merchantFixture(h, "Elsewhere");
    const hopper = await promoterFixture(h, elsewhere, "Hopper2");
    const applied = await h.call("POST", "/v1/me/memberships", {
      token: hopper.token,
      body: { merchantId: m.merchantId, programId: m.programId, inviteCode: inviter.code },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(202);
    expect(applied.body).toMatchObject({ status: "pending", promoterId: hopper.promoterId, inviteCode: inviter.code });
    const again2 = await h.call("POST", "/v1/me/memberships", {
      token: hopper.token,
      body: { merchantId: m.merchantId, programId: m.programId },
    });
    expect(again2.status).toBe(409);
    expect(again2.body.error.code).toBe("APPLICATION_PENDING");
    // a promoter cannot see the merchant's queue
    expect((await h.call("GET", "/v1/promoters/applications", { token: inviter.token })).status).toBe(403);
    await setPolicy("open");
  });

  it("refuses an unknown policy naming the field", async () => {
    const r = await h.call("PATCH", `/v1/programs/${m.programId}`, { token: m.apiKey, body: { joinPolicy: "closed" } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error.details)).toContain("joinPolicy");
  });
});

async function poster(token: string, productId: string, query = `programId=${m.programId}`) {
  const res = await fetch(`${h.base}/v1/me/posters/${productId}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

// jsqr is a CommonJS bundle: its function is the module itself or its `default`, depending on the loader.
const jsQR: typeof jsQRModule.default =
  (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? (jsQRModule as unknown as typeof jsQRModule.default);

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}

describe("posters", () => {
  it("is a 750 × 1200 PNG whose QR code is the promoter's link for the product, and the link leads to the product", async () => {
    const p = await promoterFixture(h, m, "Wang");
    await h.db.tx((q) => q.query("UPDATE promoters SET name = '王小明' WHERE id = $1", [p.promoterId]));
    const r = await poster(p.token, "TEA-1");
    expect(r.status, r.bytes.toString()).toBe(200);
    expect(r.type).toBe("image/png");
    const img = PNG.sync.read(r.bytes);
    expect([img.width, img.height]).toEqual([750, 1200]);
    const url = decodeQr(r.bytes);
    if (process.env.POSTER_OUT) (await import("node:fs")).writeFileSync(process.env.POSTER_OUT, r.bytes);
    const links = await h.call("GET", `/v1/me/links?merchantId=${m.merchantId}&programId=${m.programId}`, { token: p.token });
    const link = links.body.items.find((l: { productId: string | null }) => l.productId === "TEA-1");
    expect(url).toBe(link.url);
    expect(url).toMatch(/^http:\/\/localhost\/r\/[A-Z0-9]+$/);
    const follow = await h.call("GET", new URL(url as string).pathname);
    expect(follow.status).toBe(302);
    expect(follow.headers.get("location")).toContain("product=TEA-1");
    // a second request is the same poster from the cache (the same link, no second one)
    const again = await poster(p.token, "TEA-1");
    expect(again.bytes.equals(r.bytes)).toBe(true);
    const after = await h.call("GET", `/v1/me/links?merchantId=${m.merchantId}&programId=${m.programId}`, { token: p.token });
    expect(after.body.items).toHaveLength(links.body.items.length);
    // another promoter's poster of the same product carries that promoter's own link
    const q = await promoterFixture(h, m, "Li");
    expect(decodeQr((await poster(q.token, "TEA-1")).bytes)).not.toBe(url);
  });

  it("refuses an unknown product, a program the promoter is not in, and a merchant key", async () => {
    const p = await promoterFixture(h, m, "Zhao");
    const unknown = await poster(p.token, "NOPE");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.bytes.toString()).error.details.field).toBe("productId");
    expect((await poster(p.token, "TEA-1", "programId=prg_none")).status).toBe(404);
    expect((await poster(m.apiKey, "TEA-1")).status).toBe(403);
    expect((await poster(p.token, "TEA-1", "")).status).toBe(400);
  });
});

describe("portal orders and earnings", () => {
  it("an order shows its products and my commission; a refunded line explains its reversal; earnings today, this month, total", async () => {
    const p = await promoterFixture(h, m, "Seller");
    const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("G-1", "g-cust-1", { promoCode: p.code }) });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const refund = await h.call("POST", "/v1/orders/G-1/refunds", {
      token: m.apiKey,
      body: { lines: [{ lineNo: 1, amountMinor: 5_000 }] },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBeLessThan(300);
    const q = `merchantId=${m.merchantId}&programId=${m.programId}`;
    const orders = await h.call("GET", `/v1/me/orders?${q}`, { token: p.token });
    const [order] = orders.body.items;
    // 10 % of 10,000 + 10 % of 5,001 (rounded half-up) = 1,000 + 500; line 1 half refunded → 500 reversed
    expect(order).toMatchObject({ orderRef: "G-1", myCommissionMinor: 1_500, myReversedMinor: 500 });
    expect(order.lines).toEqual([
      { lineNo: 1, productId: "P1", productName: null, quantity: 1, netAmountMinor: 10_000, refundedMinor: 5_000 },
      { lineNo: 2, productId: "P2", productName: null, quantity: 2, netAmountMinor: 5_001, refundedMinor: 0 },
    ]);
    const lines = await h.call("GET", `/v1/me/commissions?${q}&orderRef=G-1`, { token: p.token });
    const line1 = lines.body.items.find((l: { lineNo: number }) => l.lineNo === 1);
    expect(line1).toMatchObject({ amountMinor: 1_000, reversedMinor: 500, lineRefundedMinor: 5_000 });

    const e = await h.call("GET", `/v1/me/earnings?${q}`, { token: p.token });
    expect(e.body).toEqual({ currency: "CNY", timezone: "Asia/Shanghai", todayMinor: 1_000, monthMinor: 1_000, totalMinor: 1_000 });
    h.clock.advanceDays(1);
    const tomorrow = await h.call("GET", `/v1/me/earnings?${q}`, { token: p.token });
    expect(tomorrow.body).toMatchObject({ todayMinor: 0, monthMinor: 1_000, totalMinor: 1_000 });
    h.clock.advanceDays(31);
    const nextMonth = await h.call("GET", `/v1/me/earnings?${q}`, { token: p.token });
    expect(nextMonth.body).toMatchObject({ todayMinor: 0, monthMinor: 0, totalMinor: 1_000 });
    const stranger = await merchantFixture(h, "Stranger");
    const s = await promoterFixture(h, stranger, "Nosy");
    expect((await h.call("GET", `/v1/me/earnings?${q}`, { token: s.token })).status).toBe(404);
  });
});
