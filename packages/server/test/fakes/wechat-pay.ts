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

const PATH = "/v3/fund-app/mch-transfer/transfer-bills";

function cst(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().replace("Z", "")}+08:00`;
}

export class WechatFake {
  url = "";
  readonly platformPublicKeyPem: string;
  readonly platformSerial = "PUB_KEY_ID_0119000000000000000000000000001";
  readonly bills = new Map<string, FakeBill>();
  /** Every request received: method, path and whether its signature verified. */
  readonly requests: { method: string; path: string; signed: boolean; body: string; headers: IncomingMessage["headers"] }[] = [];
  /** The state a new bill starts in. */
  initialState: "ACCEPTED" | "PROCESSING" | "WAIT_USER_CONFIRM" | "SUCCESS" | "FAIL" = "ACCEPTED";
  /** Faults for the next requests: a 500 after the bill is created, a broken response signature, a 503. */
  faults: { failAfterCreate?: number; badSignature?: number; systemError?: number } = {};
  private readonly platformPrivatePem: string;
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => this.route(req, res, Buffer.concat(chunks).toString("utf8")));
  });

  constructor(private readonly o: WechatFakeOptions) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.platformPrivatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    this.platformPublicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  setState(outBillNo: string, state: string, failReason?: string): void {
    const b = this.bill(outBillNo);
    b.bill.state = state;
    b.bill.update_time = cst(this.o.now());
    if (failReason) b.bill.fail_reason = failReason;
    if (state === "WAIT_USER_CONFIRM") b.bill.package_info = `affffddafdfafddffda==${outBillNo}`;
  }

  /** A MCHTRANSFER.BILL.FINISHED callback as the fake sends it: the bill encrypted under the APIv3 key, signed. */
  callbackFor(outBillNo: string): { headers: Record<string, string>; body: string } {
    const { mch_id, out_bill_no, transfer_bill_no, state, transfer_amount, openid, fail_reason, create_time, update_time } =
      this.bill(outBillNo).bill;
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
    const c = createCipheriv("aes-256-gcm", Buffer.from(this.o.apiV3Key, "utf8"), Buffer.from(iv, "utf8"));
    c.setAAD(Buffer.from("mch_payment", "utf8"));
    const ciphertext = Buffer.concat([c.update(plain, "utf8"), c.final(), c.getAuthTag()]).toString("base64");
    const body = JSON.stringify({
      id: `EV-${randomUUID()}`,
      create_time: cst(this.o.now()),
      resource_type: "encrypt-resource",
      event_type: "MCHTRANSFER.BILL.FINISHED",
      summary: "商家转账单据终态通知",
      resource: { original_type: "mch_payment", algorithm: "AEAD_AES_256_GCM", ciphertext, associated_data: "mch_payment", nonce: iv },
    });
    return { headers: { "content-type": "application/json", ...this.signed(body) }, body };
  }

  /** Send the bill's callback to its notify_url `times` times (a duplicate when more than once); the answers' statuses. */
  async notify(outBillNo: string, times = 1, opts: { tamper?: boolean } = {}): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
      const { headers, body } = this.callbackFor(outBillNo);
      const sent = opts.tamper ? body.replace(/"ciphertext":"(.)/, (_m, ch: string) => `"ciphertext":"${ch === "A" ? "B" : "A"}`) : body;
      const res = await fetch(this.bill(outBillNo).notifyUrl, { method: "POST", headers, body: sent });
      out.push(res.status);
    }
    return out;
  }

  private bill(outBillNo: string): FakeBill {
    const b = this.bills.get(outBillNo);
    if (!b) throw new Error(`no bill ${outBillNo}`);
    return b;
  }

  private take(k: keyof WechatFake["faults"]): boolean {
    if ((this.faults[k] ?? 0) <= 0) return false;
    this.faults[k] = (this.faults[k] ?? 0) - 1;
    return true;
  }

  private signed(body: string, broken = false): Record<string, string> {
    const ts = String(Math.floor(this.o.now().getTime() / 1000));
    const nonceStr = randomBytes(16).toString("hex");
    const sig = createSign("RSA-SHA256")
      .update(`${ts}\n${nonceStr}\n${broken ? `${body} ` : body}\n`)
      .sign(this.platformPrivatePem, "base64");
    return { "wechatpay-timestamp": ts, "wechatpay-nonce": nonceStr, "wechatpay-signature": sig, "wechatpay-serial": this.platformSerial };
  }

  private send(res: ServerResponse, status: number, json: unknown): void {
    const body = JSON.stringify(json);
    res
      .writeHead(status, {
        "content-type": "application/json",
        "request-id": randomUUID(),
        ...this.signed(body, this.take("badSignature")),
      })
      .end(body);
  }

  private checkAuth(req: IncomingMessage, path: string, body: string): boolean {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req.headers.authorization ?? "");
    if (!m) return false;
    const parts = Object.fromEntries([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (parts.mchid !== this.o.mchId || parts.serial_no !== this.o.merchantSerial) return false;
    if (Math.abs(this.o.now().getTime() / 1000 - Number(parts.timestamp)) > 300) return false;
    const message = `${req.method}\n${path}\n${parts.timestamp}\n${parts.nonce_str}\n${body}\n`;
    return createVerify("RSA-SHA256")
      .update(message)
      .verify(createPublicKey(this.o.merchantPublicKeyPem), parts.signature ?? "", "base64");
  }

  /** Why the body is refused (PARAM_ERROR), or null; `userName` is the decrypted user_name. */
  private refusal(req: IncomingMessage, b: Record<string, unknown>): { why: string } | { userName: string | null } {
    const infos = (b.transfer_scene_report_infos as { info_type: string; info_content: string }[] | undefined) ?? [];
    if (b.transfer_scene_id !== "1005") return { why: "transfer_scene_id: only 1005 is granted to this merchant" };
    if (!["岗位类型", "报酬说明"].every((t) => infos.some((i) => i.info_type === t && i.info_content)))
      return { why: "需传入转账场景报备信息,请检查" };
    if (typeof b.out_bill_no !== "string" || !/^[A-Za-z0-9]{1,32}$/.test(b.out_bill_no)) return { why: "out_bill_no" };
    if (typeof b.transfer_remark !== "string" || [...b.transfer_remark].length > 32)
      return { why: "transfer_remark: at most 32 characters" };
    const amount = b.transfer_amount as number;
    if (!Number.isInteger(amount) || amount < 10) return { why: "transfer_amount: at least 10 fen" };
    let userName: string | null = null;
    if (typeof b.user_name === "string") {
      if (req.headers["wechatpay-serial"] !== this.platformSerial) return { why: "Wechatpay-Serial: the key user_name is encrypted under" };
      try {
        const key = { key: this.platformPrivatePem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" };
        userName = privateDecrypt(key, Buffer.from(b.user_name, "base64")).toString("utf8");
      } catch {
        return { why: "user_name: does not decrypt" };
      }
    }
    if (amount >= 200_000 && !userName) return { why: "user_name: required from ¥2,000" };
    return { userName };
  }

  private create(req: IncomingMessage, res: ServerResponse, raw: string) {
    const b = JSON.parse(raw) as Record<string, unknown>;
    const checked = this.refusal(req, b);
    if ("why" in checked) return this.send(res, 400, { code: "PARAM_ERROR", message: checked.why });
    const outBillNo = b.out_bill_no as string;
    const params = JSON.stringify({ ...b, user_name: checked.userName });
    const existing = this.bills.get(outBillNo);
    if (existing && existing.params !== params)
      return this.send(res, 400, { code: "INVALID_REQUEST", message: "商户单号重复,请求参数与原单据不一致" });
    if (existing) return this.send(res, 200, brief(existing));
    const now = cst(this.o.now());
    const fb: FakeBill = {
      params,
      notifyUrl: String(b.notify_url),
      userName: checked.userName,
      bill: {
        mch_id: this.o.mchId,
        appid: String(b.appid),
        out_bill_no: outBillNo,
        transfer_bill_no: `1330000071100999991182020050700019480${this.bills.size.toString().padStart(3, "0")}`,
        state: "ACCEPTED",
        transfer_amount: b.transfer_amount as number,
        transfer_remark: b.transfer_remark as string,
        openid: String(b.openid),
        create_time: now,
        update_time: now,
      },
    };
    this.bills.set(outBillNo, fb);
    this.setState(outBillNo, this.initialState, this.initialState === "FAIL" ? "PAYEE_ACCOUNT_ABNORMAL" : undefined);
    if (this.take("failAfterCreate")) return this.send(res, 500, { code: "SYSTEM_ERROR", message: "系统繁忙,请稍后重试" });
    return this.send(res, 200, brief(fb));
  }

  private cancel(res: ServerResponse, fb: FakeBill) {
    if (!["ACCEPTED", "PROCESSING", "WAIT_USER_CONFIRM"].includes(fb.bill.state))
      return this.send(res, 400, { code: "INVALID_REQUEST", message: "当前单据状态不支持撤销" });
    this.setState(fb.bill.out_bill_no, "CANCELLED", "TRANSFER_CANCELLED");
    const { out_bill_no, transfer_bill_no, state, update_time } = fb.bill;
    return this.send(res, 200, { out_bill_no, transfer_bill_no, state, update_time });
  }

  private route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const path = req.url ?? "/";
    const ok = this.checkAuth(req, path, raw);
    this.requests.push({ method: req.method ?? "", path, signed: ok, body: raw, headers: req.headers });
    if (!ok) return this.send(res, 401, { code: "SIGN_ERROR", message: "签名错误" });
    if (this.take("systemError")) return this.send(res, 503, { code: "SYSTEM_ERROR", message: "系统繁忙" });
    if (req.method === "POST" && path === PATH) return this.create(req, res, raw);
    const q = new RegExp(`^${PATH}/out-bill-no/([A-Za-z0-9]+)(/cancel)?$`).exec(path);
    const fb = q ? this.bills.get(q[1] as string) : undefined;
    if (q && !fb) return this.send(res, 404, { code: "NOT_FOUND", message: "记录不存在" });
    if (q && fb && req.method === "GET" && !q[2]) return this.send(res, 200, fb.bill);
    if (q && fb && req.method === "POST" && q[2]) return this.cancel(res, fb);
    return this.send(res, 404, { code: "NOT_FOUND", message: "no such API" });
  }
}

function brief(fb: FakeBill) {
  const { out_bill_no, transfer_bill_no, create_time, state, package_info, fail_reason } = fb.bill;
  return { out_bill_no, transfer_bill_no, create_time, state, package_info, fail_reason };
}

export function startWechatFake(o: WechatFakeOptions): Promise<WechatFake> {
  return new WechatFake(o).start();
}
