/**
 * A local fake of the Alipay open platform gateway for 单笔转账, a real HTTP server on a free port, with its own
 * signing code: it verifies each request's RSA2 signature against the application's public key (every parameter but
 * `sign`, sorted, `k=v` joined by `&`), answers `alipay.fund.trans.uni.transfer` (SUCCESS, DEALING or FAIL, as the
 * test sets `nextStatus`; idempotent on out_biz_no) and `alipay.fund.trans.common.query`, signs each response node with
 * its own key, and sends `alipay.fund.trans.order.changed` notices (form-encoded, RSA2).
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeOrder {
  params: string;
  bizContent: Record<string, unknown>;
  order: {
    out_biz_no: string;
    order_id: string;
    pay_fund_order_id: string;
    status: string;
    trans_date: string;
    fail_reason?: string;
    trans_amount: string;
  };
}

const beijingNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

/** The RSA2 signing content of a parameter set: sorted `k=v` joined by `&`, without the keys left out. */
function content(params: Record<string, string>, leaveOut: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !leaveOut.includes(k))
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

export class AlipayFake {
  url = "";
  readonly alipayPublicKeyPem: string;
  readonly orders = new Map<string, FakeOrder>();
  readonly requests: { method: string; signed: boolean; params: Record<string, string> }[] = [];
  /** The status a new transfer gets. */
  nextStatus: "SUCCESS" | "DEALING" | "FAIL" = "SUCCESS";
  /** Faults for the next requests: HTTP 500, a broken response signature, code 20000, an order made but its answer lost (502). */
  faults: { http500?: number; badSignature?: number; serviceUnavailable?: number; loseAnswer?: number } = {};
  private readonly alipayPrivatePem: string;
  private readonly server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const params: Record<string, string> = Object.fromEntries(new URL(req.url ?? "/", "http://fake").searchParams);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) params[k] = v;
      this.route(res, params);
    });
  });

  constructor(private readonly o: { appId: string; appPublicKeyPem: string }) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.alipayPrivatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    this.alipayPublicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/gateway.do`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  setStatus(outBizNo: string, status: string, failReason?: string): void {
    const x = this.order(outBizNo);
    x.order.status = status;
    if (failReason) x.order.fail_reason = failReason;
  }

  /** The order's alipay.fund.trans.order.changed notice as a signed form body. */
  notice(outBizNo: string): string {
    const { out_biz_no, order_id, pay_fund_order_id, status, trans_amount, fail_reason, trans_date } = this.order(outBizNo).order;
    const params: Record<string, string> = {
      app_id: this.o.appId,
      charset: "utf-8",
      msg_method: "alipay.fund.trans.order.changed",
      notify_id: randomBytes(16).toString("hex"),
      sign_type: "RSA2",
      utc_timestamp: String(Date.now()),
      version: "1.1",
      biz_content: JSON.stringify({
        out_biz_no,
        order_id,
        pay_fund_order_id,
        status,
        trans_amount,
        fail_reason,
        pay_date: trans_date,
        action_type: status === "SUCCESS" ? "FINISH" : status,
        product_code: "TRANS_ACCOUNT_NO_PWD",
        biz_scene: "DIRECT_TRANSFER",
        origin_interface: "alipay.fund.trans.uni.transfer",
      }),
    };
    return new URLSearchParams({ ...params, sign: this.sign(content(params, ["sign", "sign_type"])) }).toString();
  }

  /** Post the order's notice to `url` `times` times; the answers' statuses. */
  async notify(outBizNo: string, url: string, times = 1): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: this.notice(outBizNo),
      });
      out.push(res.status);
    }
    return out;
  }

  private order(outBizNo: string): FakeOrder {
    const x = this.orders.get(outBizNo);
    if (!x) throw new Error(`no order ${outBizNo}`);
    return x;
  }

  private sign(text: string): string {
    return createSign("RSA-SHA256").update(text, "utf8").sign(this.alipayPrivatePem, "base64");
  }

  private take(k: keyof AlipayFake["faults"]): boolean {
    if ((this.faults[k] ?? 0) <= 0) return false;
    this.faults[k] = (this.faults[k] ?? 0) - 1;
    return true;
  }

  private respond(res: ServerResponse, method: string, node: Record<string, unknown>) {
    const nodeText = JSON.stringify(node);
    const sig = this.sign(this.take("badSignature") ? `${nodeText} ` : nodeText);
    res
      .writeHead(200, { "content-type": "application/json;charset=utf-8" })
      .end(`{"${method.replaceAll(".", "_")}_response":${nodeText},"sign":"${sig}"}`);
  }

  private refusal(biz: Record<string, unknown>): [string, string] | null {
    const payee = (biz.payee_info ?? {}) as Record<string, string>;
    if (biz.product_code !== "TRANS_ACCOUNT_NO_PWD" || biz.biz_scene !== "DIRECT_TRANSFER")
      return ["INVALID_PARAMETER", "product_code / biz_scene"];
    if (typeof biz.trans_amount !== "string" || !/^\d+\.\d{2}$/.test(biz.trans_amount)) return ["INVALID_PARAMETER", "trans_amount"];
    if (payee.identity_type === "ALIPAY_LOGON_ID" && !payee.name) return ["INVALID_PARAMETER", "payee_info.name"];
    if (payee.name === "不匹配") return ["PAYEE_USER_INFO_ERROR", "支付宝账号和姓名不匹配"];
    const existing = this.orders.get(String(biz.out_biz_no));
    if (existing && existing.params !== JSON.stringify(biz)) return ["PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致"];
    return null;
  }

  private transfer(res: ServerResponse, method: string, biz: Record<string, unknown>) {
    const refused = this.refusal(biz);
    if (refused) return this.respond(res, method, { code: "40004", msg: "Business Failed", sub_code: refused[0], sub_msg: refused[1] });
    const outBizNo = String(biz.out_biz_no);
    const n = String(this.orders.size).padStart(12, "0");
    const x: FakeOrder = this.orders.get(outBizNo) ?? {
      params: JSON.stringify(biz),
      bizContent: biz,
      order: {
        out_biz_no: outBizNo,
        order_id: `20260302110070000006${n}`,
        pay_fund_order_id: `20260302110070001506${n}`,
        status: this.nextStatus,
        trans_date: beijingNow(),
        trans_amount: String(biz.trans_amount),
        ...(this.nextStatus === "FAIL" ? { fail_reason: "PAYEE_ACCOUNT_STATUS_ERROR" } : {}),
      },
    };
    this.orders.set(outBizNo, x);
    if (this.take("loseAnswer")) return res.writeHead(502).end("bad gateway");
    const { order_id, pay_fund_order_id, status, trans_date } = x.order;
    return this.respond(res, method, {
      code: "10000",
      msg: "Success",
      out_biz_no: outBizNo,
      order_id,
      pay_fund_order_id,
      status,
      trans_date,
    });
  }

  private query(res: ServerResponse, method: string, biz: Record<string, unknown>) {
    const x = this.orders.get(String(biz.out_biz_no));
    if (!x)
      return this.respond(res, method, { code: "40004", msg: "Business Failed", sub_code: "ORDER_NOT_EXIST", sub_msg: "转账订单不存在" });
    const { out_biz_no, order_id, pay_fund_order_id, status, fail_reason, trans_amount, trans_date } = x.order;
    return this.respond(res, method, {
      code: "10000",
      msg: "Success",
      out_biz_no,
      order_id,
      pay_fund_order_id,
      status,
      fail_reason,
      trans_amount,
      pay_date: trans_date,
    });
  }

  private route(res: ServerResponse, params: Record<string, string>) {
    let signed = false;
    try {
      signed = createVerify("RSA-SHA256")
        .update(content(params, ["sign"]), "utf8")
        .verify(this.o.appPublicKeyPem, params.sign ?? "", "base64");
    } catch {
      signed = false;
    }
    const method = params.method ?? "";
    this.requests.push({ method, signed, params });
    if (this.take("http500")) return res.writeHead(500).end("internal error");
    if (!signed || params.app_id !== this.o.appId)
      return this.respond(res, method, { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "验签出错" });
    if (this.take("serviceUnavailable"))
      return this.respond(res, method, {
        code: "20000",
        msg: "Service Currently Unavailable",
        sub_code: "isp.unknow-error",
        sub_msg: "系统繁忙",
      });
    const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, unknown>;
    if (method === "alipay.fund.trans.uni.transfer") return this.transfer(res, method, biz);
    if (method === "alipay.fund.trans.common.query") return this.query(res, method, biz);
    return this.respond(res, method, { code: "40004", msg: "Business Failed", sub_code: "isv.invalid-method", sub_msg: "no such method" });
  }
}

export function startAlipayFake(o: { appId: string; appPublicKeyPem: string }): Promise<AlipayFake> {
  return new AlipayFake(o).start();
}
