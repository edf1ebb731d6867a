/**
 * Fixtures of the withdrawal tests: an available balance earned through real orders (paid, completed, released),
 * a recorded identity and payout accounts (sealed with the test key ring, as the identity module stores them), and
 * shortcuts for the money settings and the ledger check.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { seal } from "../src/crypto/sealed.ts";
import { runRelease } from "../src/jobs/release.ts";
import { type Harness, type MerchantFixture, type promoterFixture, TEST_KEY_RING } from "./helpers.ts";

export type Promoter = Awaited<ReturnType<typeof promoterFixture>>;

let orderSeq = 0;

/**
 * Give the promoter `availableMinor` of available balance: an order of ten times the amount under the fixture's 10 %
 * plan, paid and completed now, released at once (the program has 0 hold days).
 */
export async function fund(h: Harness, m: MerchantFixture, p: Promoter, availableMinor: number): Promise<string> {
  orderSeq += 1;
  const ref = `F-${orderSeq}-${randomBytes(3).toString("hex")}`;
  const at = h.clock.now().toISOString();
  const paid = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: {
      orderRef: ref,
      customer: { ref: `cust-${ref}`, phone: "13900001111" },
      channel: "online",
      paidAt: at,
      promoCode: p.code,
      lines: [{ productId: "P1", quantity: 1, netAmountMinor: availableMinor * 10 }],
    },
  });
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  const done = await h.call("POST", `/v1/orders/${ref}/complete`, { token: m.apiKey, body: { completedAt: at } });
  expect(done.status).toBe(200);
  await runRelease(h.db, h.clock);
  return ref;
}

/** The promoter's balance of one account type in the merchant's ledger. */
export async function balance(h: Harness, merchantId: string, account: string): Promise<number> {
  const [row] = await h.db.read((q) =>
    q.query<{ b: number }>(
      "SELECT coalesce(sum(balance_minor), 0)::bigint AS b FROM account_balances WHERE merchant_id = $1 AND account = $2",
      [merchantId, account],
    ),
  );
  return Number(row?.b ?? 0);
}

export async function balances(h: Harness, merchantId: string, promoterId: string) {
  const of = (t: string) => balance(h, merchantId, `promoter:${promoterId}:${t}`);
  return { available: await of("available"), locked: await of("locked"), paid: await of("paid"), tax: await of("tax") };
}

/** Record the promoter's identity (as PUT /v1/me/identity stores it: sealed values, masked copies). */
export async function addIdentity(h: Harness, promoterId: string): Promise<void> {
  const now = h.clock.now();
  await h.db.tx((q) =>
    q.query(
      `INSERT INTO promoter_identities (promoter_id, legal_name_sealed, legal_name_masked, id_type, id_number_sealed, id_number_masked,
         id_number_index, created_at, updated_at) VALUES ($1, $2, '张*', 'cn_resident_id', $3, '110***********1234', $4, $5, $5)`,
      [
        promoterId,
        seal(TEST_KEY_RING, "张三", `identity:${promoterId}:legal_name`),
        seal(TEST_KEY_RING, "110101199001011234", `identity:${promoterId}:id_number`),
        randomBytes(16).toString("hex"),
        now,
      ],
    ),
  );
}

/** details_masked as the identity module stores it: the display line and the kind's masked fields. */
const MASKED: Record<string, { display: string; fields: Record<string, string | null> }> = {
  wechat: { display: "微信 o6_b…Y8Kc", fields: { appid: "wx8888888888888888", openid: "o6_b…Y8Kc" } },
  alipay: { display: "支付宝 2088****0001", fields: { identityType: "ALIPAY_USER_ID", identity: "2088****0001", name: null } },
  alipay_logon: { display: "支付宝 138****5678 (张*)", fields: { identityType: "ALIPAY_LOGON_ID", identity: "138****5678", name: "张*" } },
  bank: { display: "招商银行 6222 **** **** 1234", fields: { holderName: "张*", bankName: "招商银行", cardNumber: "6222 **** **** 1234" } },
};

/** A payout account of the promoter (kind `alipay_logon` is an Alipay account by login id). */
export async function addPayoutAccount(
  h: Harness,
  promoterId: string,
  kind: "wechat" | "alipay" | "alipay_logon" | "bank" = "bank",
  status: "active" | "removed" = "active",
): Promise<string> {
  const id = `pa_${randomBytes(6).toString("hex")}`;
  const stored = kind === "alipay_logon" ? "alipay" : kind;
  await h.db.tx((q) =>
    q.query(
      `INSERT INTO payout_accounts (id, promoter_id, kind, details_sealed, details_masked, account_index, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        promoterId,
        stored,
        seal(TEST_KEY_RING, JSON.stringify({ kind: stored }), `payout_account:${id}`),
        JSON.stringify(MASKED[kind]),
        randomBytes(16).toString("hex"),
        status,
        h.clock.now(),
      ],
    ),
  );
  return id;
}

/** PATCH the program's money settings; expects 200. */
export async function setMoney(h: Harness, m: MerchantFixture, body: Record<string, unknown>, programId = m.programId) {
  const r = await h.call("PATCH", `/v1/programs/${programId}/money-settings`, { token: m.apiKey, body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** The merchant's ledger verifies: chain intact, balances equal to their postings. */
export async function expectLedgerOk(h: Harness, m: MerchantFixture): Promise<void> {
  const v = await h.call("GET", "/v1/ledger/verify", { token: m.apiKey });
  expect(v.status).toBe(200);
  expect(v.body.ok, JSON.stringify(v.body)).toBe(true);
}

export function withdraw(h: Harness, p: Promoter, body: Record<string, unknown>, key?: string) {
  return h.call("POST", "/v1/me/withdrawals", { token: p.token, body, headers: key ? { "idempotency-key": key } : {} });
}

export function preview(h: Harness, p: Promoter, body: Record<string, unknown>) {
  return h.call("POST", "/v1/me/withdrawals/preview", { token: p.token, body });
}
