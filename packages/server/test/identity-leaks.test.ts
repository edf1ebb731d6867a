/**
 * A full ID number, bank card, openid, Alipay id, phone or legal name never leaves the sealed columns: not in any
 * response (valid requests, refused ones, malformed JSON), not in any row of any table (audit_log, idempotency_keys,
 * events included), and not in what the server writes to stderr. The values checked include the near misses that
 * validation refuses (a mistyped check digit is still most of a real number).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revealIdentity, revealPayee } from "../src/modules/identity/reveal.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";
import { ALIPAY_USER, APPID, cardNumber, OPENID_1, residentId, wrongCheck } from "./identity-fixtures.ts";

const ID = residentId("32010619880808123");
const ID_BAD_CHECK = wrongCheck(residentId("32010619880808124"));
const ID_BAD_DATE = residentId("32010619880230123");
const CARD = cardNumber("621700123456789");
const CARD_BAD = `${cardNumber("621700987654321").slice(0, -1)}${(Number(cardNumber("621700987654321").slice(-1)) + 5) % 10}`;
const PHONE = "13987654321";
const NAME = "欧阳娜娜";
const SECRETS = [ID, ID_BAD_CHECK, ID_BAD_DATE, CARD, CARD_BAD, PHONE, NAME, OPENID_1, ALIPAY_USER, "ouyang.nana@example.com"];

let h: Harness;
let A: MerchantFixture;
let P: Awaited<ReturnType<typeof promoterFixture>>;
let Q: Awaited<ReturnType<typeof promoterFixture>>;
const responses: string[] = [];
let stderr = "";
const realWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  h = await startHarness();
  A = await merchantFixture(h, "LeakShop");
  P = await promoterFixture(h, A, "Leaky");
  Q = await promoterFixture(h, A, "Copycat");
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
});
afterAll(async () => {
  process.stderr.write = realWrite;
  await h?.close();
});

async function call(method: string, path: string, token: string, body?: unknown, key?: string) {
  const r = await h.call(method, path, { token, body, headers: key ? { "idempotency-key": key } : {} });
  responses.push(JSON.stringify(r.body));
  return r;
}

/** A request whose body is not JSON as sent (so that the parser's error is what answers). */
async function raw(path: string, token: string, text: string) {
  const res = await fetch(h.base + path, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: text,
  });
  const body = await res.text();
  responses.push(body);
  return { status: res.status, body };
}

describe("no full personal value leaves the sealed columns", () => {
  it("stderr capture works (a test of the test)", () => {
    process.stderr.write("capture-probe\n");
    expect(stderr).toContain("capture-probe");
  });

  it("valid and refused requests, reveals, then every response, every table row and stderr are searched", async () => {
    const identity = { legalName: NAME, idType: "cn_resident_id", idNumber: ID, phone: PHONE };
    expect((await call("PUT", "/v1/me/identity", P.token, identity, "leak-1")).status).toBe(200);
    expect((await call("PUT", "/v1/me/identity", P.token, identity, "leak-1")).status).toBe(200); // replay
    expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, legalName: "欧阳" })).status).toBe(409);
    for (const idNumber of [ID_BAD_CHECK, ID_BAD_DATE, `${ID}9`, `${ID.slice(0, 10)}${ID.slice(11)}`])
      expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, idNumber })).status).toBe(400);
    expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, idNumber: ID, phone: "99999" })).status).toBe(400);
    expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, idType: "nope" })).status).toBe(400);
    expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, extra: ID })).status).toBe(400);
    expect((await call("PUT", "/v1/me/identity", Q.token, { ...identity, idNumber: `${ID}\u0000` })).status).toBe(400);
    for (const text of [
      `{"legalName":"${NAME}","idType":"cn_resident_id","idNumber":"${ID}",}`,
      `{"legalName":"${NAME}","idType":"cn_resident_id","idNumber":${ID}}`,
      `{"idNumber":"${ID}" "phone":"${PHONE}"}`,
      `x{"idNumber":"${ID}"}`,
      `{"cardNumber":${CARD}x}`,
    ])
      expect((await raw("/v1/me/identity", Q.token, text)).status).toBe(400);

    const bank = { kind: "bank", holderName: NAME, bankName: "建设银行", cardNumber: CARD };
    const b = await call("POST", "/v1/me/payout-accounts", P.token, bank, "leak-2");
    expect(b.status).toBe(201);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, bank)).status).toBe(409);
    expect((await call("POST", "/v1/me/payout-accounts", Q.token, bank)).status).toBe(201);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, { ...bank, cardNumber: CARD_BAD })).status).toBe(400);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, { ...bank, cardNumber: `${CARD}00000` })).status).toBe(400);
    const w = await call("POST", "/v1/me/payout-accounts", P.token, { kind: "wechat", appid: APPID, openid: OPENID_1 });
    expect(w.status).toBe(201);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, { kind: "wechat", appid: OPENID_1, openid: APPID })).status).toBe(400);
    const u = await call("POST", "/v1/me/payout-accounts", P.token, {
      kind: "alipay",
      identityType: "ALIPAY_USER_ID",
      identity: ALIPAY_USER,
    });
    expect(u.status).toBe(201);
    const e = { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "ouyang.nana@example.com", name: NAME };
    expect((await call("POST", "/v1/me/payout-accounts", P.token, e)).status).toBe(201);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, { ...e, name: undefined })).status).toBe(400);
    expect((await call("POST", "/v1/me/payout-accounts", P.token, { ...e, identityType: "ALIPAY_USER_ID", identity: PHONE })).status).toBe(
      400,
    );

    for (const path of ["/v1/me/identity", "/v1/me/payout-accounts"]) expect((await call("GET", path, P.token)).status).toBe(200);
    expect((await call("GET", `/v1/promoters/${P.promoterId}/identity`, A.apiKey)).status).toBe(200);
    const access = { merchantId: A.merchantId, actor: "system:leak-test", purpose: "payout:wd_leak", at: h.clock.now() };
    for (const id of [b.body.id, w.body.id, u.body.id]) await h.db.tx((q) => revealPayee(q, TEST_KEY_RING, P.promoterId, id, access));
    expect((await h.db.tx((q) => revealIdentity(q, TEST_KEY_RING, P.promoterId, access)))?.idNumber).toBe(ID);
    expect((await call("DELETE", `/v1/me/payout-accounts/${b.body.id}`, P.token, undefined, "leak-3")).status).toBe(200);

    // responses
    const all = responses.join("\n");
    expect(responses.length).toBeGreaterThan(25);
    for (const s of SECRETS) expect(all.includes(s), `a response shows ${s}`).toBe(false);
    // every row of every table
    const tables = await h.db.read((q) =>
      q.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      ),
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["audit_log", "idempotency_keys", "promoter_identities", "events"]),
    );
    for (const { table_name } of tables) {
      const rows = await h.db.read((q) => q.query<{ t: string }>(`SELECT t::text AS t FROM ${table_name} t`));
      const text = rows.map((r) => r.t).join("\n");
      for (const s of SECRETS) expect(text.includes(s), `${table_name} holds ${s}`).toBe(false);
    }
    const audits = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE merchant_id = $1 AND action = 'identity.revealed'", [
        A.merchantId,
      ]),
    );
    expect(audits[0]?.n).toBe(4);
    // what the server wrote to stderr
    for (const s of SECRETS) expect(stderr.includes(s), `stderr shows ${s}`).toBe(false);
  });
});
