/**
 * The Alipay 单笔转账 adapter (alipay-sdk) against a local fake of the gateway (test/fakes/alipay.ts), over real HTTP:
 * RSA2 request signing checked by the fake, response signatures checked by the adapter, SUCCESS / DEALING / FAIL,
 * idempotent retry on out_biz_no, an unknown outcome answered by a query, the change notice verified.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { AlipayProvider, statusOfOrder } from "../src/modules/payouts/providers/alipay.ts";
import { type AlipayConfig, alipayConfigSchema } from "../src/modules/payouts/providers/config.ts";
import { CallbackRejected, type PayoutRequest } from "../src/modules/payouts/providers/types.ts";
import { type AlipayFake, startAlipayFake } from "./fakes/alipay.ts";
import { type Receiver, startReceiver } from "./fakes/receiver.ts";

const clock = new ManualClock("2026-03-02T02:00:00.000Z");
const appKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const APP_ID = "2021000122600001";
let fake: AlipayFake;
let rx: Receiver;
let config: AlipayConfig;
let seq = 0;

beforeAll(async () => {
  fake = await startAlipayFake({ appId: APP_ID, appPublicKeyPem: appKeys.publicKey.export({ type: "spki", format: "pem" }).toString() });
  rx = await startReceiver();
  config = alipayConfigSchema.parse({
    appId: APP_ID,
    privateKeyPem: appKeys.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    alipayPublicKeyPem: fake.alipayPublicKeyPem,
    gateway: fake.url,
  });
});
afterAll(async () => {
  await fake?.close();
  await rx?.close();
});

const provider = (over: Partial<AlipayConfig> = {}) => new AlipayProvider("mer_1", { ...config, ...over }, { clock, timeoutMs: 3_000 });

function request(over: Partial<PayoutRequest> = {}): PayoutRequest {
  seq++;
  return {
    merchantId: "mer_1",
    withdrawalId: `wd_${seq}`,
    outRef: `AP${seq}T${Date.now().toString(36)}`,
    amountMinor: 123_405,
    currency: "CNY",
    payee: { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "13800138000", name: "张三" },
    remark: "佣金提现",
    notifyUrl: `${rx.url}/alipay`,
    ...over,
  };
}

describe("Alipay 单笔转账 adapter", () => {
  it("sends the documented biz_content, RSA2-signed, and maps SUCCESS", async () => {
    const req = request();
    const s = await provider().submit(req);
    const x = fake.orders.get(req.outRef)!;
    expect(s).toMatchObject({ state: "succeeded", providerState: "SUCCESS", providerRef: x.order.order_id });
    expect((s as { finishedAt: string }).finishedAt).toMatch(/Z$/);
    expect(fake.requests.at(-1)).toMatchObject({ method: "alipay.fund.trans.uni.transfer", signed: true });
    expect(x.bizContent).toEqual({
      out_biz_no: req.outRef,
      trans_amount: "1234.05",
      product_code: "TRANS_ACCOUNT_NO_PWD",
      biz_scene: "DIRECT_TRANSFER",
      order_title: "佣金提现",
      payee_info: { identity: "13800138000", identity_type: "ALIPAY_LOGON_ID", name: "张三" },
      remark: "佣金提现",
    });
    expect(await provider().query(req.outRef)).toMatchObject({ state: "succeeded", providerRef: x.order.order_id });
  });

  it("trans_amount is exact for every fen (no floating point)", async () => {
    for (const [fen, text] of [
      [1, "0.01"],
      [10, "0.10"],
      [100, "1.00"],
      [123_456_789, "1234567.89"],
      [29, "0.29"],
    ] as const) {
      const req = request({ amountMinor: fen });
      await provider().submit(req);
      expect(fake.orders.get(req.outRef)!.bizContent.trans_amount).toBe(text);
    }
  });

  it("DEALING is processing until the notice (sent twice) says SUCCESS; FAIL is failed with the reason", async () => {
    fake.nextStatus = "DEALING";
    try {
      const p = provider();
      const req = request();
      expect(await p.submit(req)).toMatchObject({ state: "processing", providerState: "DEALING" });
      fake.setStatus(req.outRef, "SUCCESS");
      expect(await fake.notify(req.outRef, `${rx.url}/alipay/${req.outRef}`, 2)).toEqual([200, 200]);
      const got = rx.received.filter((r) => r.path === `/alipay/${req.outRef}`);
      expect(got).toHaveLength(2);
      for (const n of got)
        expect(await p.parseCallback(n.headers, n.body)).toMatchObject({ outRef: req.outRef, status: { state: "succeeded" } });
      fake.nextStatus = "FAIL";
      expect(await p.submit(request())).toMatchObject({ state: "failed", providerState: "FAIL", reason: "PAYEE_ACCOUNT_STATUS_ERROR" });
    } finally {
      fake.nextStatus = "SUCCESS";
    }
    expect(statusOfOrder({ status: "REFUND" })).toMatchObject({ state: "failed" });
    expect(statusOfOrder({ status: "WAIT_PAY" })).toMatchObject({ state: "processing" });
    expect(statusOfOrder({ status: "??" })).toMatchObject({ state: "unknown" });
  });

  it("a lost answer is unknown; the query finds the order; the retry with the same out_biz_no is the same order; other parameters conflict", async () => {
    const p = provider();
    const req = request();
    // The answer is lost and the adapter's own query is not believed either: unknown.
    fake.faults.loseAnswer = 1;
    fake.faults.badSignature = 1;
    expect(await p.submit(req)).toMatchObject({ state: "unknown" });
    const found = await p.query(req.outRef);
    expect(found).toMatchObject({ state: "succeeded", providerRef: fake.orders.get(req.outRef)!.order.order_id });
    expect(await p.submit(req)).toMatchObject({ state: "succeeded", providerRef: fake.orders.get(req.outRef)!.order.order_id });
    await expect(p.submit({ ...req, amountMinor: 1 })).rejects.toMatchObject({ code: "OUT_REF_CONFLICT" });
    expect(await p.query("NeverSentAP1")).toEqual({ state: "not_found" });
  });

  it("after a lost answer the adapter queries at once (alipay.fund.trans.common.query): the order found answers", async () => {
    const req = request();
    fake.faults.loseAnswer = 1;
    const before = fake.requests.length;
    expect(await provider().submit(req)).toMatchObject({ state: "succeeded", providerRef: fake.orders.get(req.outRef)!.order.order_id });
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(["alipay.fund.trans.uni.transfer", "alipay.fund.trans.common.query"]);
  });

  it("a refusal without an order is failed; 5xx, 20000 and a response with a bad signature are unknown", async () => {
    const p = provider();
    expect(
      await p.submit(request({ payee: { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "x@y.cn", name: "不匹配" } })),
    ).toMatchObject({
      state: "failed",
      providerState: "PAYEE_USER_INFO_ERROR",
    });
    fake.faults.http500 = 1;
    expect(await p.submit(request())).toMatchObject({ state: "unknown" });
    fake.faults.serviceUnavailable = 1;
    expect(await p.submit(request())).toMatchObject({ state: "unknown" });
    fake.faults.badSignature = 2; // the answer and the adapter's own query after it
    const req = request();
    expect(await p.submit(req)).toMatchObject({ state: "unknown" });
    expect(await p.query(req.outRef)).toMatchObject({ state: "succeeded" });
    expect(await provider({ gateway: "http://127.0.0.1:9/gateway.do" }).submit(request())).toMatchObject({ state: "unknown" });
  });

  it("the fake refuses a request signed with another key; a login id without a name is refused before sending", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forger = provider({ privateKeyPem: other.privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const req = request();
    const s = await forger.submit(req);
    expect(fake.requests.at(-1)!.signed).toBe(false);
    expect(fake.orders.has(req.outRef)).toBe(false);
    expect(s.state).not.toBe("succeeded");
    const before = fake.requests.length;
    await expect(
      provider().submit(request({ payee: { kind: "alipay", identityType: "ALIPAY_LOGON_ID", identity: "x", name: null } })),
    ).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    expect(fake.requests.length).toBe(before);
  });

  it("refuses forged or tampered notices and notices of another application", async () => {
    const p = provider();
    const req = request();
    await p.submit(req);
    const body = fake.notice(req.outRef);
    expect((await p.parseCallback({}, body)).outRef).toBe(req.outRef);
    await expect(p.parseCallback({}, body.replace("SUCCESS", "FAIL"))).rejects.toBeInstanceOf(CallbackRejected);
    const params = new URLSearchParams(body);
    params.set("sign", Buffer.alloc(256, 1).toString("base64"));
    await expect(p.parseCallback({}, params.toString())).rejects.toThrow(/does not verify/);
    await expect(p.parseCallback({}, "not a form")).rejects.toBeInstanceOf(CallbackRejected);
    await expect(provider({ appId: "2021000122609999" }).parseCallback({}, body)).rejects.toThrow(/another|application/);
  });
});
