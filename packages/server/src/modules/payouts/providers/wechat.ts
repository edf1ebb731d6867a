/**
 * WeChat Pay 商家转账 (API v3): `POST /v3/fund-app/mch-transfer/transfer-bills`, its query by out_bill_no, its cancel,
 * and the `MCHTRANSFER.BILL.FINISHED` callback (docs/payouts.md, "WeChat Pay").
 *
 * - out_bill_no is the request's outRef, never changed on a retry; a retry sends the same parameters (WeChat answers
 *   the existing bill; a reused number with other parameters is refused, which `submit` reports as OUT_REF_CONFLICT);
 * - transfer_scene_id 1005 (佣金报酬) with its report infos 岗位类型 and 报酬说明 (the merchant's configuration);
 * - user_name, the payee's legal name, is sent encrypted under the platform key from ¥2,000 (required there);
 * - a network error, a timeout, a 5xx, SYSTEM_ERROR, FREQUENCY_LIMITED or a response whose signature does not verify
 *   is `unknown`: the caller queries before any retry.
 */
import type { Clock } from "../../../clock.ts";
import type { WechatConfig } from "./config.ts";
import {
  CallbackRejected,
  checkRequest,
  type PayoutProvider,
  type PayoutRequest,
  PayoutRequestRejected,
  type PayoutStatus,
} from "./types.ts";
import { authorization, decryptResource, type EncryptedResource, encryptSensitive, verifyPlatformSignature } from "./wechat-sign.ts";

export const TRANSFER_PATH = "/v3/fund-app/mch-transfer/transfer-bills";
export const SCENE_COMMISSION = "1005";
/** From this amount (¥2,000) WeChat requires the payee's name (user_name). */
export const USER_NAME_REQUIRED_FROM_MINOR = 200_000;
/** An unconfirmed bill closes this long after it was created, and its funds return. */
export const CONFIRM_WINDOW_MS = 24 * 3_600_000;
/** Error codes after which the bill may or may not exist: query before retrying. */
const UNKNOWN_CODES = new Set(["SYSTEM_ERROR", "FREQUENCY_LIMITED"]);

export interface WechatDeps {
  clock: Clock;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A transfer bill as WeChat returns it (create, query, cancel, callback). */
export interface WechatBill {
  out_bill_no: string;
  transfer_bill_no?: string;
  state: string;
  create_time?: string;
  update_time?: string;
  fail_reason?: string;
  package_info?: string;
}

type Answer = { kind: "unknown"; reason: string } | { kind: "answer"; status: number; json: Record<string, unknown> };

/** A bill's state as a PayoutStatus. */
export function statusOfBill(b: WechatBill): PayoutStatus {
  const ref = b.transfer_bill_no;
  switch (b.state) {
    case "ACCEPTED":
    case "PROCESSING":
    case "TRANSFERING":
    case "CANCELING":
      return { state: "processing", providerRef: ref, providerState: b.state };
    case "WAIT_USER_CONFIRM": {
      const created = b.create_time ? Date.parse(b.create_time) : Number.NaN;
      if (!b.package_info || Number.isNaN(created))
        return { state: "unknown", reason: "WAIT_USER_CONFIRM without package_info or create_time" };
      return {
        state: "wait_user_confirm",
        providerRef: ref,
        providerState: b.state,
        packageInfo: b.package_info,
        expiresAt: new Date(created + CONFIRM_WINDOW_MS).toISOString(),
      };
    }
    case "SUCCESS":
      return {
        state: "succeeded",
        providerRef: ref,
        providerState: b.state,
        finishedAt: b.update_time ? new Date(b.update_time).toISOString() : undefined,
      };
    case "FAIL":
    case "CANCELLED":
      return { state: "failed", providerRef: ref, providerState: b.state, reason: b.fail_reason ?? b.state };
    default:
      return { state: "unknown", reason: `unknown bill state ${b.state}` };
  }
}

export class WechatProvider implements PayoutProvider {
  readonly name = "wechat" as const;
  constructor(
    readonly merchantId: string,
    private readonly config: WechatConfig,
    private readonly deps: WechatDeps,
  ) {}

  /** The transfer-bills request body and its headers for `req`. */
  transferBody(req: PayoutRequest): { body: Record<string, unknown>; headers: Record<string, string> } {
    checkRequest(req, "wechat");
    const payee = req.payee as Extract<PayoutRequest["payee"], { kind: "wechat" }>;
    if (payee.appid !== this.config.appId)
      throw new PayoutRequestRejected(
        "REQUEST_INVALID",
        `payee.appid: the openid belongs to ${payee.appid}, not the configured ${this.config.appId}`,
      );
    const notify = URL.canParse(req.notifyUrl) ? new URL(req.notifyUrl) : null;
    const local = notify?.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(notify.hostname);
    if (!notify || (notify.protocol !== "https:" && !local) || notify.search)
      throw new PayoutRequestRejected(
        "REQUEST_INVALID",
        "notifyUrl: WeChat Pay calls back only to an https URL without a query (set the public URL to https)",
      );
    const c = this.config;
    const body: Record<string, unknown> = {
      appid: c.appId,
      out_bill_no: req.outRef,
      transfer_scene_id: SCENE_COMMISSION,
      openid: payee.openid,
      transfer_amount: req.amountMinor,
      transfer_remark: req.remark,
      notify_url: req.notifyUrl,
      user_recv_perception: c.userRecvPerception,
      transfer_scene_report_infos: [
        { info_type: "岗位类型", info_content: c.postType },
        { info_type: "报酬说明", info_content: c.rewardDescription },
      ],
    };
    const headers: Record<string, string> = {};
    if (req.amountMinor >= USER_NAME_REQUIRED_FROM_MINOR) {
      if (!payee.legalName)
        throw new PayoutRequestRejected("REQUEST_INVALID", "payee.legalName: WeChat requires the payee's name from ¥2,000");
      body.user_name = encryptSensitive(c.platformPublicKeyPem, payee.legalName);
      headers["wechatpay-serial"] = c.platformSerial;
    }
    return { body, headers };
  }

  async submit(req: PayoutRequest): Promise<PayoutStatus> {
    const { body, headers } = this.transferBody(req);
    const a = await this.call("POST", TRANSFER_PATH, JSON.stringify(body), headers);
    if (a.kind === "unknown") return this.settle(req.outRef, a.reason);
    if (a.status >= 200 && a.status < 300) return statusOfBill(a.json as unknown as WechatBill);
    const code = String(a.json.code ?? a.status);
    const message = String(a.json.message ?? "");
    if (UNKNOWN_CODES.has(code) || a.status === 429) return this.settle(req.outRef, `${code}: ${message}`);
    // Refused. Either no bill was created (failed, no money left), or the number is already a bill with other
    // parameters: then that bill is not this request's to fail.
    const existing = await this.query(req.outRef);
    if (existing.state === "unknown") return existing;
    if (existing.state !== "not_found")
      throw new PayoutRequestRejected(
        "OUT_REF_CONFLICT",
        `out_bill_no ${req.outRef} is already a bill (${existing.state}): ${code}: ${message}`,
      );
    return { state: "failed", providerState: code, reason: `${code}: ${message}` };
  }

  /**
   * After an unknown outcome, one query at once: a bill found answers for itself; no bill (or no answer) leaves the
   * outcome unknown — the caller queries again before retrying with the same out_bill_no.
   */
  private async settle(outRef: string, reason: string): Promise<PayoutStatus> {
    const q = await this.query(outRef);
    return q.state === "unknown" || q.state === "not_found" ? { state: "unknown", reason } : q;
  }

  async query(outRef: string): Promise<PayoutStatus | { state: "not_found" }> {
    const a = await this.call("GET", `${TRANSFER_PATH}/out-bill-no/${encodeURIComponent(outRef)}`, "");
    if (a.kind === "unknown") return { state: "unknown", reason: a.reason };
    if (a.status === 404 || a.json.code === "NOT_FOUND") return { state: "not_found" };
    if (a.status >= 200 && a.status < 300) return statusOfBill(a.json as unknown as WechatBill);
    return { state: "unknown", reason: `${String(a.json.code ?? a.status)}: ${String(a.json.message ?? "")}` };
  }

  /**
   * Cancel a bill still waiting for the user's confirmation (before its 24 h run out, to release the funds at once):
   * CANCELING is processing, CANCELLED failed. A bill that can no longer be cancelled answers its current status.
   */
  async cancel(outRef: string): Promise<PayoutStatus | { state: "not_found" }> {
    const a = await this.call("POST", `${TRANSFER_PATH}/out-bill-no/${encodeURIComponent(outRef)}/cancel`, "");
    if (a.kind === "unknown") return { state: "unknown", reason: a.reason };
    if (a.status >= 200 && a.status < 300) return statusOfBill(a.json as unknown as WechatBill);
    return this.query(outRef);
  }

  async parseCallback(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
  ): Promise<{ outRef: string; status: PayoutStatus }> {
    const c = this.config;
    const why = verifyPlatformSignature(
      { publicKeyPem: c.platformPublicKeyPem, serial: c.platformSerial },
      headers,
      rawBody,
      this.deps.clock.now(),
    );
    if (why) throw new CallbackRejected(why);
    let notice: { event_type?: unknown; resource?: EncryptedResource };
    let bill: WechatBill & { mchid?: string; mch_id?: string };
    try {
      notice = JSON.parse(rawBody);
      if (notice.event_type !== "MCHTRANSFER.BILL.FINISHED" || !notice.resource) throw new Error("not MCHTRANSFER.BILL.FINISHED");
      bill = JSON.parse(decryptResource(c.apiV3Key, notice.resource));
    } catch (e) {
      throw new CallbackRejected(`not a transfer bill notice: ${(e as Error).message}`);
    }
    const mch = bill.mchid ?? bill.mch_id;
    if (mch !== undefined && mch !== c.mchId) throw new CallbackRejected(`the notice is for merchant ${mch}`);
    if (typeof bill.out_bill_no !== "string") throw new CallbackRejected("the notice has no out_bill_no");
    return { outRef: bill.out_bill_no, status: statusOfBill(bill) };
  }

  /** One signed request; its answer only when the response's signature verifies. */
  private async call(method: "GET" | "POST", path: string, body: string, extra: Record<string, string> = {}): Promise<Answer> {
    const c = this.config;
    const now = this.deps.clock.now();
    const auth = authorization(c, method, path, body, Math.floor(now.getTime() / 1000));
    let res: Response;
    let text: string;
    try {
      res = await (this.deps.fetch ?? fetch)(new URL(path, c.baseUrl), {
        method,
        headers: { authorization: auth, accept: "application/json", "content-type": "application/json", "user-agent": "fenxiao", ...extra },
        body: method === "GET" ? undefined : body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
      text = await res.text();
    } catch (e) {
      return { kind: "unknown", reason: `no answer from WeChat Pay: ${(e as Error).message}` };
    }
    if (res.status >= 500) return { kind: "unknown", reason: `WeChat Pay answered HTTP ${res.status}` };
    const headers = Object.fromEntries(res.headers.entries());
    const why = verifyPlatformSignature(
      { publicKeyPem: c.platformPublicKeyPem, serial: c.platformSerial },
      headers,
      text,
      this.deps.clock.now(),
    );
    if (why) return { kind: "unknown", reason: `WeChat Pay's response is not believed: ${why}` };
    try {
      return { kind: "answer", status: res.status, json: text ? JSON.parse(text) : {} };
    } catch {
      return { kind: "unknown", reason: "WeChat Pay's response is not JSON" };
    }
  }
}
