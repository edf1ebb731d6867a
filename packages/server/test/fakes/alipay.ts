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

export interface AlipayFake {
  url: string;
  alipayPublicKeyPem: string;
  orders: Map<string, FakeOrder>;
  requests: { method: string; signed: boolean; params: Record<string, string> }[];
  nextStatus: "SUCCESS" | "DEALING" | "FAIL";
  faults: { http500?: number; badSignature?: number; serviceUnavailable?: number; loseAnswer?: number };
  setStatus(outBizNo: string, status: string, failReason?: string): void;
  /** The order's change notice as a form body (signed), optionally posted to `url`. */
  notice(outBizNo: string): string;
  notify(outBizNo: string, url: string, times?: number): Promise<number[]>;
  close(): Promise<void>;
}

const beijingNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

export async function startAlipayFake(o: { appId: string; appPublicKeyPem: string }): Promise<AlipayFake> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alipayPrivatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const sign = (text: string) => createSign("RSA-SHA256").update(text, "utf8").sign(alipayPrivatePem, "base64");
  const fake: AlipayFake = {
    url: "",
    alipayPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    orders: new Map(),
    requests: [],
    nextStatus: "SUCCESS",
    faults: {},
    setStatus(outBizNo, status, failReason) {
      const x = fake.orders.get(outBizNo);
      if (!x) throw new Error(`no order ${outBizNo}`);
      x.order.status = status;
      if (failReason) x.order.fail_reason = failReason;
    },
    notice(outBizNo) {
      const x = fake.orders.get(outBizNo);
      if (!x) throw new Error(`no order ${outBizNo}`);
      const { out_biz_no, order_id, pay_fund_order_id, status, trans_amount, fail_reason, trans_date } = x.order;
      const params: Record<string, string> = {
        app_id: o.appId,
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
      const content = Object.keys(params)
        .filter((k) => k !== "sign_type")
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join("&");
      return new URLSearchParams({ ...params, sign: sign(content) }).toString();
    },
    async notify(outBizNo, url, times = 1) {
      const out: number[] = [];
      for (let i = 0; i < times; i++) {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: fake.notice(outBizNo),
        });
        out.push(res.status);
      }
      return out;
    },
    close: async () => undefined,
  };

  const take = (k: keyof AlipayFake["faults"]) => {
    if ((fake.faults[k] ?? 0) <= 0) return false;
    fake.faults[k] = (fake.faults[k] ?? 0) - 1;
    return true;
  };

  function respond(res: ServerResponse, method: string, node: Record<string, unknown>) {
    const nodeText = JSON.stringify(node);
    const sig = sign(take("badSignature") ? `${nodeText} ` : nodeText);
    const body = `{"${method.replaceAll(".", "_")}_response":${nodeText},"sign":"${sig}"}`;
    res.writeHead(200, { "content-type": "application/json;charset=utf-8" }).end(body);
  }

  function transfer(res: ServerResponse, method: string, biz: Record<string, unknown>) {
    const outBizNo = String(biz.out_biz_no);
    const payee = (biz.payee_info ?? {}) as Record<string, string>;
    const failed = (sub_code: string, sub_msg: string) =>
      respond(res, method, { code: "40004", msg: "Business Failed", sub_code, sub_msg });
    if (biz.product_code !== "TRANS_ACCOUNT_NO_PWD" || biz.biz_scene !== "DIRECT_TRANSFER")
      return failed("INVALID_PARAMETER", "product_code / biz_scene");
    if (typeof biz.trans_amount !== "string" || !/^\d+\.\d{2}$/.test(biz.trans_amount)) return failed("INVALID_PARAMETER", "trans_amount");
    if (payee.identity_type === "ALIPAY_LOGON_ID" && !payee.name) return failed("INVALID_PARAMETER", "payee_info.name");
    if (payee.name === "不匹配") return failed("PAYEE_USER_INFO_ERROR", "支付宝账号和姓名不匹配");
    const params = JSON.stringify(biz);
    const existing = fake.orders.get(outBizNo);
    if (existing && existing.params !== params) return failed("PAYMENT_INFO_INCONSISTENCY", "两次请求商户单号一样，但是参数不一致");
    const x: FakeOrder = existing ?? {
      params,
      bizContent: biz,
      order: {
        out_biz_no: outBizNo,
        order_id: `20260302110070000006${String(fake.orders.size).padStart(12, "0")}`,
        pay_fund_order_id: `20260302110070001506${String(fake.orders.size).padStart(12, "0")}`,
        status: fake.nextStatus,
        trans_date: beijingNow(),
        trans_amount: biz.trans_amount,
        ...(fake.nextStatus === "FAIL" ? { fail_reason: "PAYEE_ACCOUNT_STATUS_ERROR" } : {}),
      },
    };
    fake.orders.set(outBizNo, x);
    if (take("loseAnswer")) return res.writeHead(502).end("bad gateway");
    const { order_id, pay_fund_order_id, status, trans_date } = x.order;
    return respond(res, method, { code: "10000", msg: "Success", out_biz_no: outBizNo, order_id, pay_fund_order_id, status, trans_date });
  }

  function route(res: ServerResponse, params: Record<string, string>) {
    const { sign: signature, ...rest } = params;
    const content = Object.keys(rest)
      .sort()
      .map((k) => `${k}=${rest[k]}`)
      .join("&");
    let signed = false;
    try {
      signed = createVerify("RSA-SHA256")
        .update(content, "utf8")
        .verify(o.appPublicKeyPem, signature ?? "", "base64");
    } catch {
      signed = false;
    }
    const method = params.method ?? "";
    fake.requests.push({ method, signed, params });
    if (take("http500")) return res.writeHead(500).end("internal error");
    if (!signed || params.app_id !== o.appId)
      return respond(res, method, { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature", sub_msg: "验签出错" });
    if (take("serviceUnavailable"))
      return respond(res, method, {
        code: "20000",
        msg: "Service Currently Unavailable",
        sub_code: "isp.unknow-error",
        sub_msg: "系统繁忙",
      });
    const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, unknown>;
    if (method === "alipay.fund.trans.uni.transfer") return transfer(res, method, biz);
    if (method === "alipay.fund.trans.common.query") {
      const x = fake.orders.get(String(biz.out_biz_no));
      if (!x)
        return respond(res, method, { code: "40004", msg: "Business Failed", sub_code: "ORDER_NOT_EXIST", sub_msg: "转账订单不存在" });
      const { order_id, pay_fund_order_id, status, fail_reason, trans_amount, trans_date } = x.order;
      return respond(res, method, {
        code: "10000",
        msg: "Success",
        out_biz_no: x.order.out_biz_no,
        order_id,
        pay_fund_order_id,
        status,
        fail_reason,
        trans_amount,
        pay_date: trans_date,
      });
    }
    return respond(res, method, { code: "40004", msg: "Business Failed", sub_code: "isv.invalid-method", sub_msg: "no such method" });
  }

  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) params[k] = v;
      route(res, params);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  fake.url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/gateway.do`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
