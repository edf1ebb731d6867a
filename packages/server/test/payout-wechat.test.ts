/**
 * The WeChat Pay 商家转账 adapter against a local fake of the API (test/fakes/wechat-pay.ts), over real HTTP: request
 * signing, response and callback verification, user_name encryption, the encrypted callback, every bill state,
 * idempotent retry with the same out_bill_no, unknown outcomes answered by a query, forged callbacks refused.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { type WechatConfig, wechatConfigSchema } from "../src/modules/payouts/providers/config.ts";
import { CallbackRejected, type PayoutRequest } from "../src/modules/payouts/providers/types.ts";
import { statusOfBill, WechatProvider } from "../src/modules/payouts/providers/wechat.ts";
import { type Receiver, startReceiver } from "./fakes/receiver.ts";
import { startWechatFake, type WechatFake } from "./fakes/wechat-pay.ts";

const clock = new ManualClock("2026-03-02T02:00:00.000Z");
const merchantKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = {
  private: merchantKeys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  public: merchantKeys.publicKey.export({ type: "spki", format: "pem" }).toString(),
};
const API_V3_KEY = "0123456789abcdefghijABCDEFGHIJ01";
let fake: WechatFake;
let rx: Receiver;
let config: WechatConfig;
let seq = 0;

beforeAll(async () => {
  fake = await startWechatFake({
    mchId: "1900000109",
    merchantPublicKeyPem: pem.public,
    merchantSerial: "5F3F154DE4B16B1E",
    apiV3Key: API_V3_KEY,
    now: () => clock.now(),
  });
  rx = await startReceiver();
  config = wechatConfigSchema.parse({
    mchId: "1900000109",
    appId: "wx8888888888888888",
    serialNo: "5F3F154DE4B16B1E",
    privateKeyPem: pem.private,
    apiV3Key: API_V3_KEY,
    platformPublicKeyPem: fake.platformPublicKeyPem,
    platformSerial: fake.platformSerial,
    baseUrl: fake.url,
  });
});
afterAll(async () => {
  await fake?.close();
  await rx?.close();
});

const provider = (over: Partial<WechatConfig> = {}) => new WechatProvider("mer_1", { ...config, ...over }, { clock, timeoutMs: 3_000 });

function request(over: Partial<PayoutRequest> = {}): PayoutRequest {
  seq++;
  const outRef = over.outRef ?? `WX${seq}T${Date.now().toString(36)}`;
  return {
    merchantId: "mer_1",
    withdrawalId: `wd_${seq}`,
    outRef,
    amountMinor: 5_000,
    currency: "CNY",
    payee: { kind: "wechat", appid: "wx8888888888888888", openid: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", legalName: "张三" },
    remark: "2026年3月佣金提现",
    notifyUrl: `${rx.url}/wechat/${outRef}`,
    ...over,
  };
}

const callbacksOf = (req: PayoutRequest) => rx.received.filter((r) => r.path === new URL(req.notifyUrl).pathname);

describe("WeChat Pay 商家转账 adapter", () => {
  it("sends the documented body, signed, and follows the bill from ACCEPTED to SUCCESS; a callback sent twice parses twice the same", async () => {
    const p = provider();
    const req = request();
    const s = await p.submit(req);
    expect(s).toMatchObject({ state: "processing", providerState: "ACCEPTED" });
    const sent = fake.requests.at(-1)!;
    expect(sent.signed).toBe(true);
    expect(JSON.parse(sent.body)).toEqual({
      appid: "wx8888888888888888",
      out_bill_no: req.outRef,
      transfer_scene_id: "1005",
      openid: "o6_bmjrPTlm6_2sgVt7hMZOPfL2M",
      transfer_amount: 5_000,
      transfer_remark: "2026年3月佣金提现",
      notify_url: req.notifyUrl,
      user_recv_perception: "劳务报酬",
      transfer_scene_report_infos: [
        { info_type: "岗位类型", info_content: "推广员" },
        { info_type: "报酬说明", info_content: "推广佣金" },
      ],
    });
    expect(sent.headers["wechatpay-serial"]).toBeUndefined(); // no sensitive field below ¥2,000
    for (const st of ["PROCESSING", "TRANSFERING"]) {
      fake.setState(req.outRef, st);
      expect(await p.query(req.outRef)).toMatchObject({ state: "processing", providerState: st });
    }
    fake.setState(req.outRef, "SUCCESS");
    const done = await p.query(req.outRef);
    expect(done).toMatchObject({
      state: "succeeded",
      providerState: "SUCCESS",
      providerRef: fake.bills.get(req.outRef)!.bill.transfer_bill_no,
    });
    expect(await fake.notify(req.outRef, 2)).toEqual([200, 200]);
    const cbs = callbacksOf(req);
    expect(cbs).toHaveLength(2);
    for (const cb of cbs) expect(await p.parseCallback(cb.headers, cb.body)).toEqual({ outRef: req.outRef, status: done });
  });

  it("WAIT_USER_CONFIRM gives package_info and an expiry 24 h after creation; cancel makes it failed (CANCELLED)", async () => {
    fake.initialState = "WAIT_USER_CONFIRM";
    try {
      const p = provider();
      const req = request();
      const s = await p.submit(req);
      const created = Date.parse(fake.bills.get(req.outRef)!.bill.create_time);
      expect(s).toEqual({
        state: "wait_user_confirm",
        providerRef: fake.bills.get(req.outRef)!.bill.transfer_bill_no,
        providerState: "WAIT_USER_CONFIRM",
        packageInfo: fake.bills.get(req.outRef)!.bill.package_info,
        expiresAt: new Date(created + 24 * 3_600_000).toISOString(),
      });
      expect(await p.query(req.outRef)).toEqual(s);
      expect(await p.cancel(req.outRef)).toMatchObject({ state: "failed", providerState: "CANCELLED" });
      await fake.notify(req.outRef);
      const cb = callbacksOf(req)[0]!;
      expect((await p.parseCallback(cb.headers, cb.body)).status).toMatchObject({ state: "failed", providerState: "CANCELLED" });
      // A bill that already succeeded cannot be cancelled: cancel answers its status.
      const paid = request();
      await p.submit(paid);
      fake.setState(paid.outRef, "SUCCESS");
      expect(await p.cancel(paid.outRef)).toMatchObject({ state: "succeeded" });
    } finally {
      fake.initialState = "ACCEPTED";
    }
  });

  it("FAIL is failed with the reason; CANCELING is still processing; an unknown state is unknown", async () => {
    fake.initialState = "FAIL";
    try {
      expect(await provider().submit(request())).toMatchObject({
        state: "failed",
        providerState: "FAIL",
        reason: "PAYEE_ACCOUNT_ABNORMAL",
      });
    } finally {
      fake.initialState = "ACCEPTED";
    }
    const req = request();
    await provider().submit(req);
    fake.setState(req.outRef, "CANCELING");
    expect(await provider().query(req.outRef)).toMatchObject({ state: "processing", providerState: "CANCELING" });
    fake.setState(req.outRef, "CANCELLED", "TRANSFER_CANCELLED");
    expect(await provider().query(req.outRef)).toMatchObject({ state: "failed", providerState: "CANCELLED", reason: "TRANSFER_CANCELLED" });
    expect(statusOfBill({ out_bill_no: "x", state: "CANCELLED" })).toMatchObject({ state: "failed", reason: "CANCELLED" });
    expect(statusOfBill({ out_bill_no: "x", state: "WHATEVER" })).toMatchObject({ state: "unknown" });
    expect(statusOfBill({ out_bill_no: "x", state: "WAIT_USER_CONFIRM" })).toMatchObject({ state: "unknown" });
  });

  it("from ¥2,000 sends user_name encrypted under the platform key with Wechatpay-Serial, and refuses to send without a name", async () => {
    const p = provider();
    const req = request({ amountMinor: 200_000 });
    expect((await p.submit(req)).state).toBe("processing");
    const sent = fake.requests.at(-1)!;
    expect(sent.headers["wechatpay-serial"]).toBe(fake.platformSerial);
    expect(JSON.parse(sent.body).user_name).not.toContain("张三");
    expect(fake.bills.get(req.outRef)!.userName).toBe("张三");
    const before = fake.requests.length;
    const anonymous = request({
      amountMinor: 200_000,
      payee: { kind: "wechat", appid: "wx8888888888888888", openid: "o6_x", legalName: null },
    });
    await expect(p.submit(anonymous)).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(
      p.submit(request({ payee: { kind: "wechat", appid: "wx0000000000000000", openid: "o6_x", legalName: null } })),
    ).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    await expect(
      p.submit(request({ payee: { kind: "bank", holderName: "a", bankName: "b", cardNumber: "1", branch: null } })),
    ).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    for (const notifyUrl of ["http://shop.example/cb", "https://shop.example/cb?x=1", "not a url"])
      await expect(p.submit(request({ notifyUrl }))).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    expect(fake.requests.length).toBe(before); // nothing was sent
  });

  it("a lost answer is unknown; the query finds the bill; a retry with the same out_bill_no returns the same bill; other parameters are a conflict", async () => {
    const p = provider();
    const req = request();
    // The answer is lost and the adapter's own query is not believed either: unknown.
    fake.faults.failAfterCreate = 1;
    fake.faults.badSignature = 2;
    expect(await p.submit(req)).toMatchObject({ state: "unknown" });
    const found = await p.query(req.outRef);
    expect(found).toMatchObject({ state: "processing", providerRef: fake.bills.get(req.outRef)!.bill.transfer_bill_no });
    const retried = await p.submit(req);
    expect(retried).toEqual(found);
    expect([...fake.bills.keys()].filter((k) => k === req.outRef)).toHaveLength(1);
    await expect(p.submit({ ...req, amountMinor: 5_001 })).rejects.toMatchObject({ code: "OUT_REF_CONFLICT" });
    expect(fake.bills.get(req.outRef)!.bill.transfer_amount).toBe(5_000);
  });

  it("after a lost answer the adapter queries at once: the bill found answers", async () => {
    const req = request();
    fake.faults.failAfterCreate = 1;
    const before = fake.requests.length;
    expect(await provider().submit(req)).toMatchObject({
      state: "processing",
      providerRef: fake.bills.get(req.outRef)!.bill.transfer_bill_no,
    });
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  it("a refusal with no bill created is failed; network errors, 5xx and unverified responses are unknown", async () => {
    const p = provider();
    expect(await p.submit(request({ amountMinor: 5 }))).toMatchObject({ state: "failed", providerState: "PARAM_ERROR" });
    fake.faults.systemError = 1;
    expect(await p.submit(request())).toMatchObject({ state: "unknown" });
    fake.faults.badSignature = 2; // the answer and the adapter's own query after it
    const req = request();
    const s = await p.submit(req);
    expect(s).toMatchObject({ state: "unknown" });
    expect((s as { reason: string }).reason).toMatch(/not believed/);
    expect((await p.query(req.outRef)).state).toBe("processing"); // it was created: the query tells
    fake.faults.badSignature = 1;
    expect(await p.query(req.outRef)).toMatchObject({ state: "unknown" });
    expect(await provider({ baseUrl: "http://127.0.0.1:9" }).submit(request())).toMatchObject({ state: "unknown" });
    expect(await p.query("NeverSent1")).toEqual({ state: "not_found" });
  });

  it("the fake refuses a request signed with another key; the adapter refuses a response signed with another platform key", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forger = provider({ privateKeyPem: other.privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const req = request();
    expect(await forger.submit(req)).toMatchObject({ state: "unknown" });
    expect(fake.requests.at(-1)!.signed).toBe(false);
    expect(fake.bills.has(req.outRef)).toBe(false);
    const misled = provider({ platformPublicKeyPem: other.publicKey.export({ type: "spki", format: "pem" }).toString() });
    expect(await misled.submit(request())).toMatchObject({ state: "unknown" });
  });

  it("refuses forged, tampered, stale or undecryptable callbacks", async () => {
    const p = provider();
    const req = request();
    await p.submit(req);
    fake.setState(req.outRef, "SUCCESS");
    const { headers, body } = fake.callbackFor(req.outRef);
    expect((await p.parseCallback(headers, body)).status.state).toBe("succeeded");
    await expect(p.parseCallback(headers, body.replace("MCHTRANSFER", "MCHTRANSFEX"))).rejects.toThrow(/does not verify/);
    await expect(p.parseCallback({ ...headers, "wechatpay-serial": "PUB_KEY_ID_OTHER" }, body)).rejects.toThrow(/not the configured/);
    await expect(p.parseCallback({ ...headers, "wechatpay-signature": undefined }, body)).rejects.toBeInstanceOf(CallbackRejected);
    await expect(provider({ apiV3Key: "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ" }).parseCallback(headers, body)).rejects.toThrow(
      /not a transfer bill notice/,
    );
    await fake.notify(req.outRef, 1, { tamper: true });
    const tampered = callbacksOf(req).at(-1)!;
    await expect(p.parseCallback(tampered.headers, tampered.body)).rejects.toBeInstanceOf(CallbackRejected);
    clock.set(new Date(clock.now().getTime() + 301_000));
    try {
      await expect(p.parseCallback(headers, body)).rejects.toThrow(/too far/);
    } finally {
      clock.set("2026-03-02T02:00:00.000Z");
    }
  });
});
