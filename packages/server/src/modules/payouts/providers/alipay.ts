/**
 * Alipay 单笔转账 `alipay.fund.trans.uni.transfer`, its query `alipay.fund.trans.common.query` and the change notice
 * `alipay.fund.trans.order.changed` (docs/payouts.md, "Alipay"), through the official `alipay-sdk` package: it signs
 * requests (RSA2), verifies response signatures (`validateSign`) and notices (`checkNotifySignV2`), and takes the
 * gateway as configuration, so the tests point it at a local fake.
 *
 * out_biz_no is the outRef; trans_amount is yuan with two decimals computed on integers; a request error, an HTTP
 * error, a response whose signature does not verify, code 20000 or a SYSTEM_ERROR is `unknown` (query before any
 * retry).
 */
import { AlipaySdk } from "alipay-sdk";
import type { Clock } from "../../../clock.ts";
import type { AlipayConfig } from "./config.ts";
import {
  CallbackRejected,
  checkRequest,
  type PayoutProvider,
  type PayoutRequest,
  PayoutRequestRejected,
  type PayoutStatus,
  yuan,
} from "./types.ts";

export const TRANSFER_METHOD = "alipay.fund.trans.uni.transfer";
export const QUERY_METHOD = "alipay.fund.trans.common.query";
export const NOTICE_METHOD = "alipay.fund.trans.order.changed";
const PRODUCT = { product_code: "TRANS_ACCOUNT_NO_PWD", biz_scene: "DIRECT_TRANSFER" };

export interface AlipayDeps {
  clock: Clock;
  timeoutMs?: number;
}

/** A transfer order as Alipay describes it (transfer response, query response, change notice). */
export interface AlipayOrder {
  out_biz_no?: string;
  order_id?: string;
  status?: string;
  trans_date?: string;
  pay_date?: string;
  fail_reason?: string;
  error_code?: string;
}

/** Alipay's "yyyy-MM-dd HH:mm:ss" (Beijing time) as ISO 8601. */
function beijing(t: string | undefined): string | undefined {
  if (!t || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t)) return undefined;
  return new Date(`${t.replace(" ", "T")}+08:00`).toISOString();
}

export function statusOfOrder(o: AlipayOrder): PayoutStatus {
  const ref = o.order_id;
  switch (o.status) {
    case "SUCCESS":
      return { state: "succeeded", providerRef: ref, providerState: "SUCCESS", finishedAt: beijing(o.trans_date ?? o.pay_date) };
    case "DEALING":
    case "INIT":
    case "WAIT_PAY":
      return { state: "processing", providerRef: ref, providerState: o.status };
    case "FAIL":
    case "REFUND":
    case "CLOSED":
      return { state: "failed", providerRef: ref, providerState: o.status, reason: o.fail_reason ?? o.error_code ?? o.status };
    default:
      return { state: "unknown", reason: `unknown order status ${o.status}` };
  }
}

type Result = AlipayOrder & { code?: string; msg?: string; sub_code?: string; sub_msg?: string };

const isUnknown = (r: Result) => r.code === "20000" || r.sub_code === "SYSTEM_ERROR" || (r.sub_code ?? "").startsWith("isp.");

export class AlipayProvider implements PayoutProvider {
  readonly name = "alipay" as const;
  private readonly sdk: AlipaySdk;
  constructor(
    readonly merchantId: string,
    private readonly config: AlipayConfig,
    deps: AlipayDeps,
  ) {
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.privateKeyPem,
      keyType: config.privateKeyPem.includes("BEGIN RSA PRIVATE KEY") ? "PKCS1" : "PKCS8",
      alipayPublicKey: config.alipayPublicKeyPem,
      gateway: config.gateway,
      signType: "RSA2",
      camelcase: false,
      timeout: deps.timeoutMs ?? 10_000,
    });
  }

  /** The transfer's biz_content for `req`. */
  bizContent(req: PayoutRequest): Record<string, unknown> {
    checkRequest(req, "alipay");
    const payee = req.payee as Extract<PayoutRequest["payee"], { kind: "alipay" }>;
    if (payee.identityType === "ALIPAY_LOGON_ID" && !payee.name)
      throw new PayoutRequestRejected("REQUEST_INVALID", "payee.name: Alipay requires the name with a login id");
    const payeeInfo: Record<string, string> = { identity: payee.identity, identity_type: payee.identityType };
    if (payee.name) payeeInfo.name = payee.name;
    return {
      out_biz_no: req.outRef,
      trans_amount: yuan(req.amountMinor),
      ...PRODUCT,
      order_title: this.config.orderTitle,
      payee_info: payeeInfo,
      remark: req.remark,
    };
  }

  async submit(req: PayoutRequest): Promise<PayoutStatus> {
    const r = await this.exec(TRANSFER_METHOD, this.bizContent(req));
    if ("unknown" in r) return this.settle(req.outRef, r.unknown);
    if (r.code === "10000") {
      const s = statusOfOrder(r);
      if (s.state !== "failed" || r.fail_reason) return s;
      // The transfer's answer has no reason for a failure: the query's has.
      const q = await this.query(req.outRef);
      return q.state === "failed" ? q : s;
    }
    const why = `${r.sub_code ?? r.code}: ${r.sub_msg ?? r.msg ?? ""}`;
    if (isUnknown(r)) return this.settle(req.outRef, why);
    // Refused: either no order was made (failed), or out_biz_no is already an order with other parameters.
    const existing = await this.query(req.outRef);
    if (existing.state === "unknown") return existing;
    if (existing.state !== "not_found")
      throw new PayoutRequestRejected("OUT_REF_CONFLICT", `out_biz_no ${req.outRef} is already an order (${existing.state}): ${why}`);
    return { state: "failed", providerState: r.sub_code ?? r.code ?? "REFUSED", reason: why };
  }

  /**
   * After an unknown outcome, one query at once (alipay.fund.trans.common.query): an order found answers for itself;
   * no order (or no answer) leaves the outcome unknown — the caller queries again before retrying with the same
   * out_biz_no.
   */
  private async settle(outRef: string, reason: string): Promise<PayoutStatus> {
    const q = await this.query(outRef);
    return q.state === "unknown" || q.state === "not_found" ? { state: "unknown", reason } : q;
  }

  async query(outRef: string): Promise<PayoutStatus | { state: "not_found" }> {
    const r = await this.exec(QUERY_METHOD, { out_biz_no: outRef, ...PRODUCT });
    if ("unknown" in r) return { state: "unknown", reason: r.unknown };
    if (r.code === "10000") return statusOfOrder(r);
    if (r.sub_code === "ORDER_NOT_EXIST") return { state: "not_found" };
    return { state: "unknown", reason: `${r.sub_code ?? r.code}: ${r.sub_msg ?? r.msg ?? ""}` };
  }

  /** The `alipay.fund.trans.order.changed` notice: a form-encoded POST, RSA2-signed by Alipay. */
  async parseCallback(
    _headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): Promise<{ outRef: string; status: PayoutStatus }> {
    const form = Object.fromEntries(new URLSearchParams(rawBody));
    let ok = false;
    try {
      ok = this.sdk.checkNotifySignV2(form);
    } catch {
      ok = false;
    }
    if (!ok) throw new CallbackRejected("the signature does not verify");
    if (form.msg_method !== NOTICE_METHOD) throw new CallbackRejected(`not ${NOTICE_METHOD}`);
    if (form.app_id !== this.config.appId) throw new CallbackRejected(`the notice is for application ${form.app_id}`);
    let order: AlipayOrder;
    try {
      order = JSON.parse(form.biz_content ?? "");
    } catch {
      throw new CallbackRejected("biz_content is not JSON");
    }
    if (typeof order.out_biz_no !== "string") throw new CallbackRejected("the notice has no out_biz_no");
    return { outRef: order.out_biz_no, status: statusOfOrder(order) };
  }

  private async exec(method: string, bizContent: Record<string, unknown>): Promise<Result | { unknown: string }> {
    try {
      return (await this.sdk.exec(method, { bizContent }, { validateSign: true })) as Result;
    } catch (e) {
      return { unknown: `no believable answer from Alipay: ${(e as Error).message.slice(0, 300)}` };
    }
  }
}
