/**
 * Payout provider configuration over HTTP (GET/PUT /v1/payout-providers): validation naming the field, secrets sealed
 * and never shown, merchant admins only, idempotent, and the factory returning a working live adapter (against the
 * local fakes) only once configured and enabled.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyRing, newSecretKeyText } from "../src/crypto/sealed.ts";
import { loadConfig, resealProviderConfigs } from "../src/modules/payouts/providers/config.ts";
import { providerFor } from "../src/modules/payouts/providers/factory.ts";
import type { PayoutRequest } from "../src/modules/payouts/providers/types.ts";
import { type AlipayFake, startAlipayFake } from "./fakes/alipay.ts";
import { startWechatFake, type WechatFake } from "./fakes/wechat-pay.ts";
import { type Harness, type MerchantFixture, merchantFixture, startHarness, TEST_KEY_RING } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let wx: WechatFake;
let ali: AlipayFake;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE_PEM = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const PUBLIC_PEM = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
const API_V3_KEY = "V3keyV3keyV3keyV3keyV3keyV3key32";

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Providers");
  wx = await startWechatFake({
    mchId: "1900000109",
    merchantPublicKeyPem: PUBLIC_PEM,
    merchantSerial: "ABCDEF0123456789",
    apiV3Key: API_V3_KEY,
    now: () => h.clock.now(),
  });
  ali = await startAlipayFake({ appId: "2021000122600001", appPublicKeyPem: PUBLIC_PEM });
});
afterAll(async () => {
  await wx?.close();
  await ali?.close();
  await h?.close();
});

const wechatConfig = () => ({
  mchId: "1900000109",
  appId: "wx8888888888888888",
  serialNo: "ABCDEF0123456789",
  privateKeyPem: PRIVATE_PEM,
  apiV3Key: API_V3_KEY,
  platformPublicKeyPem: wx.platformPublicKeyPem,
  platformSerial: wx.platformSerial,
  baseUrl: wx.url,
});

const put = (provider: string, body: unknown, token = m.adminToken, headers: Record<string, string> = {}) =>
  h.call("PUT", `/v1/payout-providers/${provider}`, { token, body, headers });

const configRows = async () =>
  (await h.db.read((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM payout_provider_configs")))[0]?.n;

function expectField(r: { status: number; body: { error: { code: string; details: { issues: { path: string }[] } } } }, field: string) {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe("VALIDATION_FAILED");
  expect(r.body.error.details.issues.map((i) => i.path)).toContain(field);
}

function request(kind: "wechat" | "alipay", n: number): PayoutRequest {
  return {
    merchantId: m.merchantId,
    withdrawalId: `wd_${kind}_${n}`,
    outRef: `PR${kind}${n}`,
    amountMinor: 1_000,
    currency: "CNY",
    payee:
      kind === "wechat"
        ? { kind, appid: "wx8888888888888888", openid: "o6_openid", legalName: null }
        : { kind, identityType: "ALIPAY_USER_ID", identity: "2088000000000001", name: null },
    remark: "佣金",
    notifyUrl: `${h.base}/v1/payout-callbacks/${kind}/${m.merchantId}`,
  };
}

describe("payout provider configuration", () => {
  it("lists the providers: the sandbox always, the live ones not configured", async () => {
    const r = await h.call("GET", "/v1/payout-providers", { token: m.apiKey });
    expect(r.status).toBe(200);
    expect(
      r.body.items.map((i: { provider: string; configured: boolean; enabled: boolean }) => [i.provider, i.configured, i.enabled]),
    ).toEqual([
      ["sandbox", true, true],
      ["wechat", false, false],
      ["alipay", false, false],
    ]);
  });

  it("refuses bad configurations naming the field, and API keys, writing nothing", async () => {
    expectField(await put("wechat", { enabled: true, config: { ...wechatConfig(), apiV3Key: "short" } }), "config.apiV3Key");
    expectField(
      await put("wechat", {
        enabled: true,
        config: { ...wechatConfig(), privateKeyPem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----" },
      }),
      "config.privateKeyPem",
    );
    expectField(
      await put("wechat", { enabled: true, config: { ...wechatConfig(), platformPublicKeyPem: PRIVATE_PEM } }),
      "config.platformPublicKeyPem",
    );
    expectField(await put("wechat", { enabled: true, config: { ...wechatConfig(), baseUrl: "http://evil.example" } }), "config.baseUrl");
    expectField(await put("wechat", { enabled: true, config: { ...wechatConfig(), colour: "red" } }), "config.colour");
    expectField(await put("wechat", { enabled: true }), "config");
    expectField(
      await put("alipay", {
        enabled: true,
        config: { appId: "123", privateKeyPem: PRIVATE_PEM, alipayPublicKeyPem: ali.alipayPublicKeyPem },
      }),
      "config.appId",
    );
    expectField(await put("sandbox", { enabled: true, config: { failureRate: 2 } }), "config.failureRate");
    expectField(await put("wechat", { enabled: true, config: wechatConfig(), rotateSecret: true }), "rotateSecret");
    const byKey = await put("wechat", { enabled: true, config: wechatConfig() }, m.apiKey);
    expect(byKey.status).toBe(403);
    expect((await put("paypal", { enabled: true })).status).toBe(400);
    expect(await configRows()).toBe(0);
  });

  it("stores WeChat Pay sealed and shows it masked; off while disabled; on when enabled (against the fake)", async () => {
    const r = await put("wechat", { enabled: false, config: wechatConfig() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      provider: "wechat",
      configured: true,
      enabled: false,
      masked: { mchId: "1900000109", apiV3Key: "set" },
    });
    expect(r.body.masked.merchantKey).toMatch(/^rsa2048:[0-9a-f]{16}$/);
    const text = JSON.stringify((await h.call("GET", "/v1/payout-providers", { token: m.apiKey })).body);
    for (const secret of [API_V3_KEY, "PRIVATE KEY", "PUBLIC KEY"]) expect(text).not.toContain(secret);
    const [row] = await h.db.read((q) =>
      q.query<{ config_sealed: string }>("SELECT config_sealed FROM payout_provider_configs WHERE provider = 'wechat'"),
    );
    expect(row?.config_sealed).toMatch(/^v1\./);
    expect(row?.config_sealed).not.toContain(API_V3_KEY);
    const [a] = await h.db.read((q) =>
      q.query<{ details: unknown }>("SELECT details FROM audit_log WHERE action = 'payout_provider.configure'"),
    );
    expect(JSON.stringify(a?.details)).not.toContain(API_V3_KEY);
    const deps = { db: h.db, clock: h.clock };
    await expect(h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "wechat", deps))).rejects.toMatchObject({
      code: "PAYOUT_PROVIDER_NOT_CONFIGURED",
    });
    // Enabling keeps the stored configuration.
    expect((await put("wechat", { enabled: true })).body).toMatchObject({ enabled: true, masked: { mchId: "1900000109" } });
    const p = await h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "wechat", deps));
    expect(p.name).toBe("wechat");
    expect(await p.submit(request("wechat", 1))).toMatchObject({ state: "processing", providerState: "ACCEPTED" });
    expect(wx.requests.at(-1)?.signed).toBe(true);
  });

  it("an edit that leaves the keys out keeps the stored ones; a bad field is still refused on that field, changing nothing", async () => {
    const before = (await h.call("GET", "/v1/payout-providers", { token: m.apiKey })).body.items.find(
      (i: { provider: string }) => i.provider === "wechat",
    );
    expect(before.configured).toBe(true);
    const r = await put("wechat", { enabled: true, config: { postType: "分享推广" } });
    expect(r.status).toBe(200);
    expect(r.body.masked).toMatchObject({
      postType: "分享推广",
      mchId: "1900000109",
      merchantKey: before.masked.merchantKey,
      apiV3Key: "set",
    });
    const p = await h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "wechat", { db: h.db, clock: h.clock }));
    const config = (p as unknown as { config: { privateKeyPem: string; apiV3Key: string } }).config;
    expect(config.privateKeyPem).toBe(PRIVATE_PEM);
    expect(config.apiV3Key).toBe(API_V3_KEY);
    expectField(await put("wechat", { enabled: true, config: { mchId: "12ab" } }), "config.mchId");
    const after = (await h.call("GET", "/v1/payout-providers", { token: m.apiKey })).body.items.find(
      (i: { provider: string }) => i.provider === "wechat",
    );
    expect(after.masked).toMatchObject({ mchId: "1900000109", postType: "分享推广" });
  });

  it("stores Alipay and the factory's adapter pays through the fake", async () => {
    const r = await put("alipay", {
      enabled: true,
      config: { appId: "2021000122600001", privateKeyPem: PRIVATE_PEM, alipayPublicKeyPem: ali.alipayPublicKeyPem, gateway: ali.url },
    });
    expect(r.status).toBe(200);
    expect(r.body.masked).toMatchObject({ appId: "2021000122600001", gateway: ali.url, orderTitle: "佣金提现" });
    const p = await h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "alipay", { db: h.db, clock: h.clock }));
    expect(await p.submit(request("alipay", 1))).toMatchObject({ state: "succeeded" });
  });

  it("a PUT is idempotent with an Idempotency-Key; the sandbox's settings merge and its secret rotates", async () => {
    const first = await put("sandbox", { enabled: true, config: { delayMs: 10, failureRate: 0 } }, m.adminToken, {
      "idempotency-key": "sbx-1",
    });
    expect(first.status).toBe(200);
    expect(first.body.masked).toMatchObject({ delayMs: 10, failureRate: 0, duplicateRate: 0.1, secret: "set" });
    const again = await put("sandbox", { enabled: true, config: { delayMs: 10, failureRate: 0 } }, m.adminToken, {
      "idempotency-key": "sbx-1",
    });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect((await put("sandbox", { enabled: true, config: { delayMs: 11 } }, m.adminToken, { "idempotency-key": "sbx-1" })).status).toBe(
      409,
    );
    const secretOf = async () => {
      const p = await h.db.tx((q) => providerFor(q, TEST_KEY_RING, m.merchantId, "sandbox", { db: h.db, clock: h.clock }));
      return (p as unknown as { config: { secret: string; delayMs: number } }).config;
    };
    const before = await secretOf();
    expect(before.delayMs).toBe(10);
    expect((await put("sandbox", { enabled: true, config: { lateRate: 0 } })).body.masked).toMatchObject({ delayMs: 10, lateRate: 0 });
    expect((await secretOf()).secret).toBe(before.secret);
    await put("sandbox", { enabled: true, rotateSecret: true });
    expect((await secretOf()).secret).not.toBe(before.secret);
  });

  it("key rotation re-seals every configuration under the current key, resumably; one no key opens is counted", async () => {
    const n = await configRows();
    expect(n).toBeGreaterThanOrEqual(3);
    const rotated = { current: keyRing(newSecretKeyText()).current, previous: [TEST_KEY_RING.current] };
    expect(await resealProviderConfigs(h.db, rotated, 1)).toEqual({
      table: "payout_provider_configs",
      found: n,
      resealed: n,
      unreadable: 0,
    });
    expect(await resealProviderConfigs(h.db, rotated, 1)).toMatchObject({ found: 0, resealed: 0 });
    const onlyNew = { current: rotated.current, previous: [] };
    const w = await h.db.read((q) => loadConfig(q, onlyNew, m.merchantId, "wechat"));
    expect(w?.config.apiV3Key).toBe(API_V3_KEY);
    const stranger = keyRing(newSecretKeyText());
    expect(await resealProviderConfigs(h.db, stranger)).toMatchObject({ found: n, resealed: 0, unreadable: n });
  });
});
