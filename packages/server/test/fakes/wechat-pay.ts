/**
 * A local fake of WeChat Pay's 商家转账 API v3, a real HTTP server on a free port. It checks what the real one checks
 * that matters here, with its own code (not the adapter's), so that a mistake in the adapter's cryptography shows:
 *
 * - the Authorization signature, against the merchant's public key and serial;
 * - the body: scene 1005 with 岗位类型 and 报酬说明, a remark of at most 32 characters, at least 10 fen, user_name
 *   (decrypted with the platform private key, with the Wechatpay-Serial header) from ¥2,000;
 * - out_bill_no idempotency: the same parameters answer the same bill, other parameters INVALID_REQUEST.
 *
 * It signs every response with its platform key, and sends MCHTRANSFER.BILL.FINISHED callbacks encrypted under the
 * APIv3 key and signed. A test drives each bill's state (`setState`), the state new bills start in (`initialState`),
 * and faults (`faults`: a 500 after the bill is created, a response with a broken signature).
 */
import {
  constants,
  createCipheriv,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
  randomUUID,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeBill {
  params: string;
  notifyUrl: string;
  userName: string | null;
  bill: {
    mch_id: string;
    appid: string;
    out_bill_no: string;
    transfer_bill_no: string;
    state: string;
    transfer_amount: number;
    transfer_remark: string;
    openid: string;
    fail_reason?: string;
    package_info?: string;
    create_time: string;
    update_time: string;
  };
}

export interface WechatFakeOptions {
  mchId: string;
  merchantPublicKeyPem: string;
  merchantSerial: string;
  apiV3Key: string;
  now: () => Date;
}

export interface WechatFake {
  url: string;
  platformPublicKeyPem: string;
  platformSerial: string;
  bills: Map<string, FakeBill>;
  /** Every request received: method, path and whether its signature verified. */
  requests: { method: string; path: string; signed: boolean; body: string; headers: IncomingMessage["headers"] }[];
  /** The state a new bill starts in. */
  initialState: "ACCEPTED" | "PROCESSING" | "WAIT_USER_CONFIRM" | "SUCCESS" | "FAIL";
  faults: { failAfterCreate?: number; badSignature?: number; systemError?: number };
  setState(outBillNo: string, state: string, failReason?: string): void;
  /** Send the bill's MCHTRANSFER.BILL.FINISHED callback `times` times; the HTTP statuses of the answers. */
  notify(outBillNo: string, times?: number, opts?: { tamper?: boolean }): Promise<number[]>;
  /** A callback as the fake would send it, without sending it. */
  callbackFor(outBillNo: string): { headers: Record<string, string>; body: string };
  close(): Promise<void>;
}

const PATH = "/v3/fund-app/mch-transfer/transfer-bills";

function cst(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().replace("Z", "")}+08:00`;
}

export async function startWechatFake(o: WechatFakeOptions): Promise<WechatFake> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const platformPrivatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const fake: WechatFake = {
    url: "",
    platformPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    platformSerial: "PUB_KEY_ID_0119000000000000000000000000001",
    bills: new Map(),
    requests: [],
    initialState: "ACCEPTED",
    faults: {},
    setState(outBillNo, state, failReason) {
      const b = fake.bills.get(outBillNo);
      if (!b) throw new Error(`no bill ${outBillNo}`);
      b.bill.state = state;
      b.bill.update_time = cst(o.now());
      if (failReason) b.bill.fail_reason = failReason;
      if (state === "WAIT_USER_CONFIRM") b.bill.package_info = `affffddafdfafddffda==${outBillNo}`;
    },
    callbackFor(outBillNo) {
      const b = fake.bills.get(outBillNo);
      if (!b) throw new Error(`no bill ${outBillNo}`);
      const { mch_id, out_bill_no, transfer_bill_no, state, transfer_amount, openid, fail_reason, create_time, update_time } = b.bill;
      const plain = JSON.stringify({
        mch_id,
        out_bill_no,
        transfer_bill_no,
        state,
        transfer_amount,
        openid,
        fail_reason,
        create_time,
        update_time,
      });
      const iv = randomBytes(6).toString("hex");
      const c = createCipheriv("aes-256-gcm", Buffer.from(o.apiV3Key, "utf8"), Buffer.from(iv, "utf8"));
      c.setAAD(Buffer.from("mch_payment", "utf8"));
      const ciphertext = Buffer.concat([c.update(plain, "utf8"), c.final(), c.getAuthTag()]).toString("base64");
      const body = JSON.stringify({
        id: `EV-${randomUUID()}`,
        create_time: cst(o.now()),
        resource_type: "encrypt-resource",
        event_type: "MCHTRANSFER.BILL.FINISHED",
        summary: "商家转账单据终态通知",
        resource: { original_type: "mch_payment", algorithm: "AEAD_AES_256_GCM", ciphertext, associated_data: "mch_payment", nonce: iv },
      });
      return { headers: { "content-type": "application/json", ...signed(body) }, body };
    },
    async notify(outBillNo, times = 1, opts = {}) {
      const out: number[] = [];
      for (let i = 0; i < times; i++) {
        const { headers, body } = fake.callbackFor(outBillNo);
        const sent = opts.tamper ? body.replace(/"ciphertext":"(.)/, (_m, ch: string) => `"ciphertext":"${ch === "A" ? "B" : "A"}`) : body;
        const res = await fetch(fake.bills.get(outBillNo)!.notifyUrl, { method: "POST", headers, body: sent });
        out.push(res.status);
      }
      return out;
    },
    close: async () => undefined,
  };

  function signed(body: string, broken = false): Record<string, string> {
    const ts = String(Math.floor(o.now().getTime() / 1000));
    const nonceStr = randomBytes(16).toString("hex");
    const sig = createSign("RSA-SHA256")
      .update(`${ts}\n${nonceStr}\n${broken ? `${body} ` : body}\n`)
      .sign(platformPrivatePem, "base64");
    return { "wechatpay-timestamp": ts, "wechatpay-nonce": nonceStr, "wechatpay-signature": sig, "wechatpay-serial": fake.platformSerial };
  }

  function send(res: ServerResponse, status: number, json: unknown) {
    const body = JSON.stringify(json);
    const broken = (fake.faults.badSignature ?? 0) > 0;
    if (broken) fake.faults.badSignature = (fake.faults.badSignature ?? 0) - 1;
    res.writeHead(status, { "content-type": "application/json", "request-id": randomUUID(), ...signed(body, broken) }).end(body);
  }

  function checkAuth(req: IncomingMessage, path: string, body: string): boolean {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req.headers.authorization ?? "");
    if (!m) return false;
    const parts = Object.fromEntries([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (parts.mchid !== o.mchId || parts.serial_no !== o.merchantSerial) return false;
    if (Math.abs(o.now().getTime() / 1000 - Number(parts.timestamp)) > 300) return false;
    const message = `${req.method}\n${path}\n${parts.timestamp}\n${parts.nonce_str}\n${body}\n`;
    return createVerify("RSA-SHA256")
      .update(message)
      .verify(createPublicKey(o.merchantPublicKeyPem), parts.signature ?? "", "base64");
  }

  function create(req: IncomingMessage, res: ServerResponse, raw: string) {
    const b = JSON.parse(raw) as Record<string, unknown>;
    const infos = (b.transfer_scene_report_infos as { info_type: string; info_content: string }[] | undefined) ?? [];
    const bad = (message: string) => send(res, 400, { code: "PARAM_ERROR", message });
    if (b.transfer_scene_id !== "1005") return bad("transfer_scene_id: only 1005 is granted to this merchant");
    if (!["岗位类型", "报酬说明"].every((t) => infos.some((i) => i.info_type === t && i.info_content)))
      return bad("需传入转账场景报备信息,请检查");
    if (typeof b.out_bill_no !== "string" || !/^[A-Za-z0-9]{1,32}$/.test(b.out_bill_no)) return bad("out_bill_no");
    if (typeof b.transfer_remark !== "string" || [...b.transfer_remark].length > 32) return bad("transfer_remark: at most 32 characters");
    const amount = b.transfer_amount as number;
    if (!Number.isInteger(amount) || amount < 10) return bad("transfer_amount: at least 10 fen");
    let userName: string | null = null;
    if (typeof b.user_name === "string") {
      if (req.headers["wechatpay-serial"] !== fake.platformSerial) return bad("Wechatpay-Serial: the key user_name is encrypted under");
      try {
        const key = { key: platformPrivatePem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" };
        userName = privateDecrypt(key, Buffer.from(b.user_name, "base64")).toString("utf8");
      } catch {
        return bad("user_name: does not decrypt");
      }
    }
    if (amount >= 200_000 && !userName) return bad("user_name: required from ¥2,000");
    const params = JSON.stringify({ ...b, user_name: userName });
    const existing = fake.bills.get(b.out_bill_no);
    if (existing) {
      if (existing.params !== params) return send(res, 400, { code: "INVALID_REQUEST", message: "商户单号重复,请求参数与原单据不一致" });
      return send(res, 200, brief(existing));
    }
    const now = cst(o.now());
    const fb: FakeBill = {
      params,
      notifyUrl: String(b.notify_url),
      userName,
      bill: {
        mch_id: o.mchId,
        appid: String(b.appid),
        out_bill_no: b.out_bill_no,
        transfer_bill_no: `1330000071100999991182020050700019480${fake.bills.size.toString().padStart(3, "0")}`,
        state: "ACCEPTED",
        transfer_amount: amount,
        transfer_remark: b.transfer_remark,
        openid: String(b.openid),
        create_time: now,
        update_time: now,
      },
    };
    fake.bills.set(b.out_bill_no, fb);
    fake.setState(b.out_bill_no, fake.initialState, fake.initialState === "FAIL" ? "PAYEE_ACCOUNT_ABNORMAL" : undefined);
    if ((fake.faults.failAfterCreate ?? 0) > 0) {
      fake.faults.failAfterCreate = (fake.faults.failAfterCreate ?? 0) - 1;
      return send(res, 500, { code: "SYSTEM_ERROR", message: "系统繁忙,请稍后重试" });
    }
    return send(res, 200, brief(fb));
  }

  const brief = (fb: FakeBill) => {
    const { out_bill_no, transfer_bill_no, create_time, state, package_info, fail_reason } = fb.bill;
    return { out_bill_no, transfer_bill_no, create_time, state, package_info, fail_reason };
  };

  function route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const path = req.url ?? "/";
    const ok = checkAuth(req, path, raw);
    fake.requests.push({ method: req.method ?? "", path, signed: ok, body: raw, headers: req.headers });
    if (!ok) return send(res, 401, { code: "SIGN_ERROR", message: "签名错误" });
    if ((fake.faults.systemError ?? 0) > 0) {
      fake.faults.systemError = (fake.faults.systemError ?? 0) - 1;
      return send(res, 503, { code: "SYSTEM_ERROR", message: "系统繁忙" });
    }
    if (req.method === "POST" && path === PATH) return create(req, res, raw);
    const q = new RegExp(`^${PATH}/out-bill-no/([A-Za-z0-9]+)(/cancel)?$`).exec(path);
    const fb = q ? fake.bills.get(q[1] as string) : undefined;
    if (q && !fb) return send(res, 404, { code: "NOT_FOUND", message: "记录不存在" });
    if (q && fb && req.method === "GET" && !q[2]) return send(res, 200, fb.bill);
    if (q && fb && req.method === "POST" && q[2]) {
      if (!["ACCEPTED", "PROCESSING", "WAIT_USER_CONFIRM"].includes(fb.bill.state))
        return send(res, 400, { code: "INVALID_REQUEST", message: "当前单据状态不支持撤销" });
      fake.setState(fb.bill.out_bill_no, "CANCELLED", "TRANSFER_CANCELLED");
      const { out_bill_no, transfer_bill_no, state, update_time } = fb.bill;
      return send(res, 200, { out_bill_no, transfer_bill_no, state, update_time });
    }
    return send(res, 404, { code: "NOT_FOUND", message: "no such API" });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => route(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  fake.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
