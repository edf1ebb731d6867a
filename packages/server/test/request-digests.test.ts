/**
 * An Idempotency-Key's stored request hash of a request that carries a phone or a name (paid orders, customers,
 * promoters) is keyed: the personal values enter it as HMACs under the server's key, so that the hash cannot be
 * searched for a guessed phone number (an 11-digit phone has about 10^9 possibilities around a request whose other
 * fields the database already holds). Retries still replay, a changed phone is still a reused key, keys stored before
 * (a plain hash) still replay, and a retry across a key rotation replays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyRing, newSecretKeyText } from "../src/crypto/sealed.ts";
import { personalRequest, requestHash } from "../src/modules/idempotency/service.ts";
import { paidOrderBody } from "../src/modules/orders/schema.ts";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let code: string;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Digests");
  code = (await promoterFixture(h, m, "Seller")).code;
}, 120_000);
afterAll(async () => h?.close());

async function storedHash(scope: string, key: string): Promise<string> {
  const [r] = await h.db.read((q) =>
    q.query<{ request_hash: string }>("SELECT request_hash FROM idempotency_keys WHERE merchant_id = $1 AND scope = $2 AND key = $3", [
      m.merchantId,
      scope,
      key,
    ]),
  );
  return r?.request_hash as string;
}

const post = (path: string, body: unknown, key: string) =>
  h.call("POST", path, { token: m.apiKey, body, headers: { "idempotency-key": key } });

describe("stored request hashes of personal data", () => {
  it("a paid order's key stores the keyed hash, not the plain one; a retry replays; another phone is a reused key", async () => {
    const body = paidOrder("DG-1", "dg-c1", { promoCode: code, customer: { ref: "dg-c1", phone: "13912345678", name: "王小明" } });
    const first = await post("/v1/orders", body, "dg-1");
    expect(first.status).toBe(201);
    const stored = await storedHash("POST /v1/orders", "dg-1");
    const parsed = paidOrderBody.parse(body); // what the route hashes: the body as its schema parsed it
    expect(stored).not.toBe(requestHash(parsed));
    expect(stored).toBe(personalRequest(TEST_KEY_RING, parsed, ["customer.phone", "customer.name"]).hash);
    const again = await post("/v1/orders", body, "dg-1");
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const otherPhone = await post("/v1/orders", { ...body, customer: { ...body.customer, phone: "13912345679" } }, "dg-1");
    expect(otherPhone.status).toBe(409);
    expect(otherPhone.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("the hash depends on the key: the same request under another key hashes differently", () => {
    const body = paidOrder("DG-X", "dg-x");
    const other = keyRing(newSecretKeyText());
    const paths = ["customer.phone", "customer.name"];
    expect(personalRequest(TEST_KEY_RING, body, paths).hash).not.toBe(personalRequest(other, body, paths).hash);
    // A ring whose earlier key is this one accepts what this one stored (a retry across a rotation).
    const earlier = newSecretKeyText();
    const rotated = keyRing(newSecretKeyText(), [earlier]);
    expect(personalRequest(rotated, body, paths).alternates).toContain(personalRequest(keyRing(earlier), body, paths).hash);
  });

  it("a key stored with the plain hash (before the keyed one) still replays its request", async () => {
    const body = paidOrder("DG-2", "dg-c2", { promoCode: code });
    const first = await post("/v1/orders", body, "dg-2");
    expect(first.status).toBe(201);
    await h.db.tx((q) =>
      q.query("UPDATE idempotency_keys SET request_hash = $4 WHERE merchant_id = $1 AND scope = $2 AND key = $3", [
        m.merchantId,
        "POST /v1/orders",
        "dg-2",
        requestHash(paidOrderBody.parse(body)),
      ]),
    );
    const again = await post("/v1/orders", body, "dg-2");
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it("a customer's and a promoter's keys store keyed hashes too", async () => {
    const customer = { customerRef: "dg-c3", phone: "13700001234", name: "李四" };
    expect((await post("/v1/customers", customer, "dg-3")).status).toBe(201);
    expect(await storedHash("POST /v1/customers", "dg-3")).toBe(personalRequest(TEST_KEY_RING, customer, ["phone", "name"]).hash);
    expect((await post("/v1/customers", customer, "dg-3")).status).toBe(201);
    const promoter = { programId: m.programId, name: "赵六", phone: "13600004321" };
    const made = await post("/v1/promoters", promoter, "dg-4");
    expect(made.status).toBe(201);
    const stored = await storedHash("POST /v1/promoters", "dg-4");
    expect(stored).not.toBe(requestHash({ ...promoter, password: undefined }));
    expect(stored).toBe(personalRequest(TEST_KEY_RING, { ...promoter, password: undefined }, ["phone"]).hash);
    expect((await post("/v1/promoters", { ...promoter, phone: "13600004322" }, "dg-4")).status).toBe(409);
  });
});
