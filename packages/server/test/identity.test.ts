/**
 * Identity (实名) and payout accounts (收款账户) through the HTTP API: validation naming the field without repeating
 * the value, sealing at rest, masking in every view, one person one promoter account, duplicate payout accounts as a
 * fraud signal in the merchant's view, idempotent writes, removal refused while a withdrawal pays to the account, and
 * the server-internal reveal functions with their audit entries. On PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { open } from "../src/crypto/sealed.ts";
import type { Sql } from "../src/db/client.ts";
import { identitySummary, maskedPayoutAccount, revealIdentity, revealPayee } from "../src/modules/identity/reveal.ts";
import { usePayoutAccount } from "../src/modules/identity/service.ts";
import { idNumberProblem } from "../src/modules/identity/validate.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, START, startHarness, TEST_KEY_RING } from "./helpers.ts";
import { ALIPAY_USER, APPID, CARD_1, CARD_2, ID_P, ID_Q, ID_R, OPENID_1, residentId, wrongCheck } from "./identity-fixtures.ts";

type Promoter = Awaited<ReturnType<typeof promoterFixture>>;

let h: Harness;
let A: MerchantFixture;
let B: MerchantFixture;
let P: Promoter;
let Q: Promoter;
let R: Promoter;

beforeAll(async () => {
  h = await startHarness();
  A = await merchantFixture(h, "IdShopA");
  B = await merchantFixture(h, "IdShopB");
  P = await promoterFixture(h, A, "Pia");
  Q = await promoterFixture(h, A, "Quinn");
  R = await promoterFixture(h, B, "Rui");
});
afterAll(async () => h?.close());

const identity = (over: Record<string, unknown> = {}) => ({ legalName: "张三丰", idType: "cn_resident_id", idNumber: ID_P, ...over });

async function put(token: string, body: unknown, key?: string) {
  return h.call("PUT", "/v1/me/identity", { token, body, headers: key ? { "idempotency-key": key } : {} });
}

/** A 400 naming `field` whose message and details do not contain `secret`. */
function expectFieldError(r: { status: number; body: { error: { code: string; message: string } } }, field: string, secret: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.code).toBe("VALIDATION_FAILED");
  expect(r.body.error.message.startsWith(`${field}:`), r.body.error.message).toBe(true);
  expect(JSON.stringify(r.body)).not.toContain(secret);
}

describe("identity", () => {
  it("is null until recorded, then shown masked; stored sealed and bound to its row", async () => {
    expect((await h.call("GET", "/v1/me/identity", { token: P.token })).body).toEqual({ identity: null });
    const r = await put(P.token, identity({ phone: "138 1234 5678" }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.identity).toEqual({
      legalName: "张**",
      idType: "cn_resident_id",
      idNumber: `110***********${ID_P.slice(-4)}`,
      phone: "138****5678",
      updatedAt: START,
    });
    expect((await h.call("GET", "/v1/me/identity", { token: P.token })).body).toEqual(r.body);
    const [row] = await h.db.read((q) =>
      q.query<{ id_number_sealed: string; legal_name_sealed: string; phone_sealed: string }>(
        "SELECT * FROM promoter_identities WHERE promoter_id = $1",
        [P.promoterId],
      ),
    );
    expect(JSON.stringify(row)).not.toContain(ID_P);
    expect(JSON.stringify(row)).not.toContain("张三丰");
    expect(open(ringOf(), row?.id_number_sealed as string, `identity:id_number:${P.promoterId}`)).toBe(ID_P);
    expect(open(ringOf(), row?.phone_sealed as string, `identity:phone:${P.promoterId}`)).toBe("13812345678");
    expect(() => open(ringOf(), row?.id_number_sealed as string, `identity:id_number:${Q.promoterId}`)).toThrow();
  });

  it("checks a resident ID's length, characters, region, birth date and check character, naming idNumber", async () => {
    const bad = [
      ID_P.slice(0, 17),
      `${ID_P}1`,
      `${ID_P.slice(0, 10)}A${ID_P.slice(11)}`,
      residentId("99010519491231002"), // no such region
      residentId("11010519490230002"), // 30 February
      residentId("11010520990101002"), // born in the future
      wrongCheck(ID_P),
    ];
    for (const idNumber of bad) expectFieldError(await put(P.token, identity({ idNumber })), "idNumber", idNumber);
    // a final x may be typed in lower case
    const withX = Array.from({ length: 100 }, (_, i) => residentId(`110105198001010${String(i).padStart(2, "0")}`)).find((x) =>
      x.endsWith("X"),
    ) as string;
    expect(idNumberProblem("cn_resident_id", withX.toLowerCase(), new Date(START))).toBeNull();
    expect(idNumberProblem("cn_resident_id", `${withX.slice(0, 17)}0`, new Date(START))).toMatch(/check character/);
  });

  it("checks permits, passports and foreign permanent IDs by their formats", () => {
    const today = new Date(START);
    expect(idNumberProblem("hk_macau_permit", "H12345678", today)).toBeNull();
    expect(idNumberProblem("hk_macau_permit", "M1234567801", today)).toBeNull();
    expect(idNumberProblem("hk_macau_permit", "X12345678", today)).toMatch(/H or M/);
    expect(idNumberProblem("taiwan_permit", "12345678", today)).toBeNull();
    expect(idNumberProblem("taiwan_permit", "1234567", today)).toMatch(/8/);
    expect(idNumberProblem("passport", "E12345678", today)).toBeNull();
    expect(idNumberProblem("passport", "ABCDEFG", today)).toMatch(/digits/);
    expect(idNumberProblem("passport", "E1", today)).toMatch(/5–17/);
    expect(idNumberProblem("foreign_permanent_id", "USA123456789012", today)).toBeNull();
    expect(idNumberProblem("foreign_permanent_id", residentId("93081619900101001"), today)).toBeNull();
    expect(idNumberProblem("foreign_permanent_id", wrongCheck(residentId("93081619900101001")), today)).toMatch(/check/);
    expect(idNumberProblem("cn_resident_id", ` ${ID_P.slice(0, 6)}-${ID_P.slice(6)} `, today)).toBeNull();
  });

  it("checks the name and the phone, naming the field and never repeating the value", async () => {
    expectFieldError(await put(P.token, identity({ legalName: "张3" })), "legalName", "张3");
    expectFieldError(await put(P.token, identity({ legalName: "  " })), "legalName", "xx");
    expectFieldError(await put(P.token, identity({ phone: "12345678901" })), "phone", "12345678901");
    expectFieldError(await put(P.token, identity({ idType: "driving_licence" })), "idType", ID_P);
    expect((await put(P.token, identity({ phone: "+85291234567" }))).body.identity.phone).toBe("+85****4567");
  });

  it("one person, one promoter account: another promoter's ID number is IDENTITY_IN_USE; one's own may be recorded again", async () => {
    const r = await put(Q.token, identity({ legalName: "李四" }));
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "IDENTITY_IN_USE", details: { field: "idNumber" } });
    expect(JSON.stringify(r.body)).not.toContain(ID_P);
    // the same number typed with spaces is the same number
    const spaced = await put(R.token, identity({ idNumber: `${ID_P.slice(0, 6)} ${ID_P.slice(6, 14)} ${ID_P.slice(14)}` }));
    expect(spaced.body.error?.code).toBe("IDENTITY_IN_USE");
    expect((await put(P.token, identity({ legalName: "张三" }))).status).toBe(200);
    expect((await put(Q.token, identity({ legalName: "李四", idNumber: ID_Q }))).status).toBe(200);
    expect((await put(R.token, identity({ legalName: "王五", idNumber: ID_R }))).status).toBe(200);
    // Q cannot take P's number even by changing its own
    expect((await put(Q.token, identity({ legalName: "李四" }))).body.error.code).toBe("IDENTITY_IN_USE");
  });

  it("promoters racing to record the same new ID number: exactly one succeeds, the others are IDENTITY_IN_USE", async () => {
    const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => promoterFixture(h, A, `Racer${i}`)));
    const idNumber = residentId("51010719770707077");
    const results = await Promise.all(racers.map((p) => put(p.token, identity({ legalName: "赵六", idNumber }))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe("IDENTITY_IN_USE");
    const [n] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM promoter_identities WHERE promoter_id = ANY($1::text[])", [
        racers.map((p) => p.promoterId),
      ]),
    );
    expect(n?.n).toBe(1);
  });

  it("a write with an Idempotency-Key is answered once: a retry gets the first response, another body is refused", async () => {
    tick();
    const first = await put(P.token, identity({ legalName: "张三" }), "id-put-1");
    tick();
    const again = await put(P.token, identity({ legalName: "张三" }), "id-put-1");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const other = await put(P.token, identity({ legalName: "张小三" }), "id-put-1");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // the same key of another promoter is another request
    expect((await put(Q.token, identity({ legalName: "李四", idNumber: ID_Q }), "id-put-1")).headers.get("idempotent-replayed")).toBe(
      "false",
    );
    const [k] = await h.db.read((q) =>
      q.query<{ merchant_id: string; request_hash: string }>(
        "SELECT merchant_id, request_hash FROM idempotency_keys WHERE key = 'id-put-1' ORDER BY merchant_id",
      ),
    );
    expect(k?.merchant_id).toMatch(/^promoter:/);
  });

  it("only a promoter has an identity of its own", async () => {
    for (const token of [A.apiKey, A.adminToken, h.adminToken]) {
      expect((await h.call("GET", "/v1/me/identity", { token })).status).toBe(403);
      expect((await put(token, identity())).status).toBe(403);
    }
  });
});

/** The clock a minute on (so that rows made one after the other have times in that order). */
function tick() {
  h.clock.set(new Date(h.clock.now().getTime() + 60_000));
}

async function addAccount(token: string, body: unknown, key?: string) {
  tick();
  return h.call("POST", "/v1/me/payout-accounts", { token, body, headers: key ? { "idempotency-key": key } : {} });
}

const bank = (over: Record<string, unknown> = {}) => ({
  kind: "bank",
  holderName: "张三",
  bankName: "招商银行",
  cardNumber: CARD_1,
  ...over,
});

describe("payout accounts", () => {
  let wechatId = "";
  let bankId = "";
  let alipayId = "";

  it("adds WeChat, Alipay and bank accounts, each shown masked", async () => {
    const w = await addAccount(P.token, { kind: "wechat", appid: APPID, openid: OPENID_1 });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body).toMatchObject({
      kind: "wechat",
      display: "微信 o6_b…fL2M",
      masked: { appid: APPID, openid: "o6_b…fL2M" },
      status: "active",
    });
    wechatId = w.body.id;
    const spaced = `${CARD_1.slice(0, 4)} ${CARD_1.slice(4, 8)} ${CARD_1.slice(8, 12)} ${CARD_1.slice(12)}`;
    const b = await addAccount(P.token, bank({ cardNumber: spaced, branch: "深圳分行" }));
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body).toMatchObject({
      kind: "bank",
      display: `招商银行 6222 **** **** ${CARD_1.slice(-4)}`,
      masked: { holderName: "张*", bankName: "招商银行", cardNumber: `6222 **** **** ${CARD_1.slice(-4)}`, branch: "深圳分行" },
    });
    bankId = b.body.id;
    const a = await addAccount(P.token, { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "13812345678", name: "张三" });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.display).toBe("支付宝 138****5678 (张*)");
    alipayId = a.body.id;
    const u = await addAccount(P.token, { kind: "alipay", identityType: "ALIPAY_USER_ID", identity: ALIPAY_USER });
    expect(u.body.display).toBe("支付宝 2088********5135");
    const e = await addAccount(P.token, {
      kind: "alipay",
      identityType: "ALIPAY_LOGON_ID",
      identity: "zhang.san@example.com",
      name: "张三",
    });
    expect(e.body.masked.identity).toBe("z***@example.com");
    const list = await h.call("GET", "/v1/me/payout-accounts", { token: P.token });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([wechatId, bankId, alipayId, u.body.id, e.body.id]);
    expect(JSON.stringify(list.body)).not.toContain(CARD_1);
    expect(JSON.stringify(list.body)).not.toContain(OPENID_1);
  });

  it("refuses bad account details naming the field, never repeating the number", async () => {
    const badCard = `${CARD_1.slice(0, -1)}${(Number(CARD_1.slice(-1)) + 1) % 10}`;
    expectFieldError(await addAccount(P.token, bank({ cardNumber: badCard })), "cardNumber", badCard);
    expectFieldError(await addAccount(P.token, bank({ cardNumber: "62220210001" })), "cardNumber", "62220210001");
    expectFieldError(await addAccount(P.token, bank({ cardNumber: "6222x21000123456" })), "cardNumber", "6222x21000123456");
    expectFieldError(await addAccount(P.token, bank({ holderName: "" })), "holderName", CARD_1);
    expectFieldError(await addAccount(P.token, { kind: "wechat", appid: "wx123", openid: OPENID_1 }), "appid", OPENID_1);
    expectFieldError(await addAccount(P.token, { kind: "wechat", appid: APPID, openid: "short" }), "openid", "short");
    expectFieldError(
      await addAccount(P.token, { kind: "alipay", identityType: "ALIPAY_USER_ID", identity: "2089102146225135" }),
      "identity",
      "2089102146225135",
    );
    expectFieldError(
      await addAccount(P.token, { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "13912345678" }),
      "name",
      "13912345678",
    );
    expectFieldError(
      await addAccount(P.token, { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "not-an-id", name: "张三" }),
      "identity",
      "not-an-id",
    );
    const r = await addAccount(P.token, { kind: "paypal", email: "a@b.c" });
    expect(r.status).toBe(400);
  });

  it("the same account twice for one promoter is PAYOUT_ACCOUNT_EXISTS; for another promoter it is accepted", async () => {
    const again = await addAccount(P.token, bank({ holderName: "张三" }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "PAYOUT_ACCOUNT_EXISTS", details: { accountId: bankId } });
    expect((await addAccount(Q.token, bank({ holderName: "李四" }))).status).toBe(201);
    expect((await addAccount(R.token, bank({ holderName: "王五" }))).status).toBe(201);
    expect((await addAccount(Q.token, { kind: "wechat", appid: APPID, openid: OPENID_1 })).status).toBe(201);
  });

  it("a retried add with its Idempotency-Key returns the first account, not a second one", async () => {
    const body = bank({ cardNumber: CARD_2, holderName: "李四" });
    const first = await addAccount(Q.token, body, "acc-1");
    const again = await addAccount(Q.token, body, "acc-1");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("the merchant's reviewer sees the identity and accounts masked, with how many other promoters share each", async () => {
    for (const token of [A.apiKey, A.adminToken]) {
      const r = await h.call("GET", `/v1/promoters/${P.promoterId}/identity`, { token });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.identity).toMatchObject({ legalName: "张*", idNumber: `110***********${ID_P.slice(-4)}` });
      const byId = new Map(r.body.payoutAccounts.map((a: { id: string }) => [a.id, a]));
      // the card: Q (a promoter of A) and R (of B) have it too; the openid: Q
      expect(byId.get(bankId)).toMatchObject({ sharedWith: { promoters: 2, promotersHere: 1 } });
      expect(byId.get(wechatId)).toMatchObject({ sharedWith: { promoters: 1, promotersHere: 1 } });
      expect(byId.get(alipayId)).toMatchObject({ sharedWith: { promoters: 0, promotersHere: 0 } });
      expect(JSON.stringify(r.body)).not.toContain(CARD_1);
      expect(JSON.stringify(r.body)).not.toContain(ID_P);
    }
    const viaB = await h.call("GET", `/v1/promoters/${R.promoterId}/identity`, { token: B.apiKey });
    expect(viaB.body.payoutAccounts[0].sharedWith).toEqual({ promoters: 2, promotersHere: 0 });
  });

  it("a merchant sees only its own promoters; a promoter has no merchant view", async () => {
    const r = await h.call("GET", `/v1/promoters/${P.promoterId}/identity`, { token: B.apiKey });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("NOT_FOUND");
    expect(JSON.stringify(r.body)).not.toContain("张");
    expect((await h.call("GET", `/v1/promoters/${P.promoterId}/identity`, { token: P.token })).status).toBe(403);
  });

  it("removing: another promoter's account is not found; one a withdrawal pays to is refused until it is finished", async () => {
    const other = await h.call("DELETE", `/v1/me/payout-accounts/${bankId}`, { token: Q.token });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("PAYOUT_ACCOUNT_NOT_FOUND");
    await insertWithdrawal(bankId, "approved");
    const busy = await h.call("DELETE", `/v1/me/payout-accounts/${bankId}`, { token: P.token });
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({
      code: "PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL",
      details: { accountId: bankId, state: "approved" },
    });
    await h.db.tx((q) => q.query("UPDATE withdrawals SET state = 'paid' WHERE payout_account_id = $1", [bankId]));
    const gone = await h.call("DELETE", `/v1/me/payout-accounts/${bankId}`, { token: P.token, headers: { "idempotency-key": "del-1" } });
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ id: bankId, status: "removed" });
    const again = await h.call("DELETE", `/v1/me/payout-accounts/${bankId}`, { token: P.token, headers: { "idempotency-key": "del-1" } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(gone.body);
    const list = await h.call("GET", "/v1/me/payout-accounts", { token: P.token });
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(bankId);
    // the merchant still sees it, as removed
    const view = await h.call("GET", `/v1/promoters/${P.promoterId}/identity`, { token: A.apiKey });
    expect(view.body.payoutAccounts.find((a: { id: string }) => a.id === bankId)?.status).toBe("removed");
    // it can be added again afterwards
    expect((await addAccount(P.token, bank())).status).toBe(201);
  });

  it("a removal racing a withdrawal being requested waits for it, then is refused", async () => {
    const acc = await addAccount(P.token, bank({ cardNumber: CARD_2 }));
    expect(acc.status).toBe(201);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let locked: () => void = () => {};
    const holding = new Promise<void>((r) => {
      locked = r;
    });
    const request = h.db.tx(async (q) => {
      // checked and locked; the withdrawal row (whose foreign key would lock the account too) comes later
      await usePayoutAccount(q, P.promoterId, acc.body.id);
      locked();
      await gate;
      await insertWithdrawalWith(q, acc.body.id, "requested");
    });
    await holding;
    const removal = h.call("DELETE", `/v1/me/payout-accounts/${acc.body.id}`, { token: P.token });
    await new Promise((r) => setTimeout(r, 300));
    release();
    await request;
    const r = await removal;
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error.code).toBe("PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL");
  });

  it("reveal: the payout adapter and the tax export get full values; each reveal is audited at the merchant, masked", async () => {
    const at = new Date(h.clock.now());
    const access = { merchantId: A.merchantId, actor: "system:test", purpose: "payout:wd_test", at };
    const ring = ringOf();
    const wechat = await h.db.tx((q) => revealPayee(q, ring, P.promoterId, wechatId, access));
    expect(wechat).toEqual({ kind: "wechat", appid: APPID, openid: OPENID_1, legalName: "张三" });
    const alipay = await h.db.tx((q) => revealPayee(q, ring, P.promoterId, alipayId, access));
    expect(alipay).toEqual({ kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "13812345678", name: "张三" });
    const accounts = (await h.call("GET", "/v1/me/payout-accounts", { token: P.token })).body.items;
    const card = accounts.find((a: { kind: string }) => a.kind === "bank");
    expect(await h.db.tx((q) => revealPayee(q, ring, P.promoterId, card.id, access))).toEqual({
      kind: "bank",
      holderName: "张三",
      bankName: "招商银行",
      cardNumber: CARD_1,
      branch: null,
    });
    const id = await h.db.tx((q) => revealIdentity(q, ring, P.promoterId, { ...access, purpose: "tax-export:2026-03" }));
    expect(id).toEqual({ legalName: "张三", idType: "cn_resident_id", idNumber: ID_P, phone: null });
    expect(await h.db.read((q) => identitySummary(q, P.promoterId))).toEqual({ present: true, legalNameMasked: "张*" });
    expect(await h.db.read((q) => identitySummary(q, "pmt_nobody"))).toEqual({ present: false, legalNameMasked: null });
    expect(await h.db.tx((q) => revealIdentity(q, ring, "pmt_nobody", access))).toBeNull();
    expect((await h.db.read((q) => maskedPayoutAccount(q, P.promoterId, wechatId)))?.display).toBe("微信 o6_b…fL2M");
    expect((await h.db.tx((q) => usePayoutAccount(q, P.promoterId, wechatId))).display).toBe("微信 o6_b…fL2M");
    await expect(h.db.tx((q) => usePayoutAccount(q, P.promoterId, bankId))).rejects.toMatchObject({ code: "PAYOUT_ACCOUNT_NOT_FOUND" });
    await expect(h.db.tx((q) => usePayoutAccount(q, Q.promoterId, wechatId))).rejects.toMatchObject({ code: "PAYOUT_ACCOUNT_NOT_FOUND" });
    // not the promoter's, or removed: not found
    await expect(h.db.tx((q) => revealPayee(q, ring, Q.promoterId, wechatId, access))).rejects.toMatchObject({
      code: "PAYOUT_ACCOUNT_NOT_FOUND",
    });
    await expect(h.db.tx((q) => revealPayee(q, ring, P.promoterId, bankId, access))).rejects.toMatchObject({
      code: "PAYOUT_ACCOUNT_NOT_FOUND",
    });
    const audits = await h.db.read((q) =>
      q.query<{ action: string; actor: string; subject: string; details: Record<string, unknown> }>(
        "SELECT action, actor, subject, details FROM audit_log WHERE merchant_id = $1 AND action = 'identity.revealed' ORDER BY created_at, id",
        [A.merchantId],
      ),
    );
    expect(audits).toHaveLength(4);
    expect(audits.every((a) => a.actor === "system:test")).toBe(true);
    expect(audits.map((a) => a.subject).sort()).toEqual(
      [`payout_account:${wechatId}`, `payout_account:${alipayId}`, `payout_account:${card.id}`, `promoter:${P.promoterId}`].sort(),
    );
    const tax = audits.find((a) => a.subject.startsWith("promoter:"));
    expect(tax?.details).toMatchObject({ purpose: "tax-export:2026-03", idNumber: `110***********${ID_P.slice(-4)}` });
    const text = JSON.stringify(audits);
    for (const secret of [ID_P, CARD_1, OPENID_1, "13812345678", "张三"]) expect(text).not.toContain(secret);
    // a sealed value copied into another promoter's row does not open there (bound to its row by its aad)
    const copied = h.db.tx(async (q) => {
      await q.query(
        "UPDATE promoter_identities SET id_number_sealed = (SELECT id_number_sealed FROM promoter_identities WHERE promoter_id = $1) WHERE promoter_id = $2",
        [P.promoterId, Q.promoterId],
      );
      return revealIdentity(q, ring, Q.promoterId, access); // throws, so the copy is rolled back
    });
    await expect(copied).rejects.toThrow(/does not open/);
    expect((await h.db.tx((q) => revealIdentity(q, ring, Q.promoterId, access)))?.idNumber).toBe(ID_Q);
    // B's audit log has none of it
    const [b] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE merchant_id = $1 AND action = 'identity.revealed'", [
        B.merchantId,
      ]),
    );
    expect(b?.n).toBe(0);
  });
});

async function insertWithdrawal(accountId: string, state: string) {
  await h.db.tx((q) => insertWithdrawalWith(q, accountId, state));
}

async function insertWithdrawalWith(q: Sql, accountId: string, state: string) {
  await q.query(
    `INSERT INTO withdrawals (merchant_id, id, program_id, promoter_id, payout_account_id, payout_kind, payee_masked, currency,
         amount_minor, tax_minor, fee_minor, net_minor, state, approval, requested_at, requested_day, review_due_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'bank', '{}', 'CNY', 1000, 0, 0, 1000, $6, 'auto', $7, $7::timestamptz::date, $7, $7)`,
    [A.merchantId, `wd_${accountId}`, A.programId, P.promoterId, accountId, state, h.clock.now()],
  );
}

function ringOf() {
  return TEST_KEY_RING;
}
