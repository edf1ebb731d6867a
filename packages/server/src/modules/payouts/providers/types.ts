/**
 * The payout provider interface (docs/payouts.md, "Providers"): one shape for every way money leaves — the sandbox,
 * WeChat Pay 商家转账 and Alipay 单笔转账. The bank batch file is separate (bank-file.ts): it is not a request and an
 * answer but a file out and a file back.
 *
 * A provider never decides anything about Fenxiao's books: it says what the provider did. `unknown` means the outcome
 * of a request is not known (a timeout, a 5xx, a SYSTEM_ERROR, a response whose signature does not verify): the caller
 * queries before any retry, and retries with the same outRef only.
 *
 * `submit`, `query` and `parseCallback` are called outside any database transaction of the caller: the live providers
 * make network calls, and the sandbox keeps its own records in transactions of its own (as a real provider would).
 */
import { formatDecimalMinor, parseDecimalMinor } from "@fenxiao/core";

/** Who is paid, with the full details (opened from the sealed payout account by modules/identity/reveal.ts). */
export type Payee =
  | { kind: "wechat"; appid: string; openid: string; legalName: string | null }
  | { kind: "alipay"; identityType: "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID"; identity: string; name: string | null }
  | { kind: "bank"; holderName: string; bankName: string; cardNumber: string; branch: string | null };

export type PayoutProviderName = "sandbox" | "wechat" | "alipay";
export const PAYOUT_PROVIDERS: readonly PayoutProviderName[] = ["sandbox", "wechat", "alipay"];

export interface PayoutRequest {
  merchantId: string;
  withdrawalId: string;
  /** ≤ 32 characters of [A-Za-z0-9], stable across retries (WeChat out_bill_no, Alipay out_biz_no). */
  outRef: string;
  /** The net paid, in fen. */
  amountMinor: number;
  currency: "CNY";
  payee: Payee;
  /** ≤ 32 characters, shown to the payee. */
  remark: string;
  notifyUrl: string;
}

export type PayoutStatus =
  | { state: "processing"; providerRef?: string; providerState: string }
  | { state: "wait_user_confirm"; providerRef?: string; providerState: string; packageInfo: string; expiresAt: string }
  | { state: "succeeded"; providerRef?: string; providerState: string; finishedAt?: string }
  /** Final: no money left. */
  | { state: "failed"; providerRef?: string; providerState: string; reason: string }
  /** Query before any retry. */
  | { state: "unknown"; reason: string };

export interface PayoutProvider {
  readonly name: PayoutProviderName;
  /** Idempotent on outRef: the same request again answers the same transfer's status. */
  submit(req: PayoutRequest): Promise<PayoutStatus>;
  query(outRef: string): Promise<PayoutStatus | { state: "not_found" }>;
  /**
   * Optional: many submits in one call, each answered as `submit` would answer it, a refusal returned instead of
   * thrown (a provider with a batch API; the sandbox). A payout run uses it for its chunks when present.
   */
  submitMany?(reqs: readonly PayoutRequest[]): Promise<(PayoutStatus | PayoutRequestRejected)[]>;
  /** Throws CallbackRejected on a bad signature or a body that is not this provider's notice. */
  parseCallback(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<{ outRef: string; status: PayoutStatus }>;
}

/**
 * The provider refused the request as it stands and retrying it will not help: the outRef is already taken by a
 * transfer with other parameters (`OUT_REF_CONFLICT`), or the request is malformed (`REQUEST_INVALID`, e.g. a remark
 * of 33 characters or a payee of the wrong kind). Thrown, never a PayoutStatus: no money moved for *this* request,
 * but for a conflict a transfer under that outRef exists, so the withdrawal must not be failed on its strength.
 */
export class PayoutRequestRejected extends Error {
  constructor(
    readonly code: "OUT_REF_CONFLICT" | "REQUEST_INVALID",
    message: string,
  ) {
    super(message);
    this.name = "PayoutRequestRejected";
  }
}

/** A callback whose signature does not verify, or that is not a notice this provider sends. */
export class CallbackRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallbackRejected";
  }
}

export const OUT_REF_PATTERN = /^[A-Za-z0-9]{1,32}$/;
export const REMARK_LENGTH_MAX = 32;

/** The checks every provider makes before sending anything. */
export function checkRequest(req: PayoutRequest, payeeKind: Payee["kind"]): void {
  if (!OUT_REF_PATTERN.test(req.outRef)) throw new PayoutRequestRejected("REQUEST_INVALID", "outRef: 1–32 letters and digits");
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0)
    throw new PayoutRequestRejected("REQUEST_INVALID", "amountMinor: a positive integer of fen");
  if (req.currency !== "CNY") throw new PayoutRequestRejected("REQUEST_INVALID", "currency: only CNY");
  if ([...req.remark].length > REMARK_LENGTH_MAX)
    throw new PayoutRequestRejected("REQUEST_INVALID", `remark: at most ${REMARK_LENGTH_MAX} characters`);
  if (req.payee.kind !== payeeKind) throw new PayoutRequestRejected("REQUEST_INVALID", `payee: this provider pays ${payeeKind} accounts`);
}

/** Fen as yuan with exactly two decimals, computed on integers (12345 → "123.45"). */
export function yuan(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError("an amount in fen is a non-negative integer");
  return formatDecimalMinor(minor);
}

/** Yuan with exactly two decimals back to fen ("123.45" → 12345), or null when the text is not that. */
export function fenOf(text: string): number | null {
  // exactly two decimals, as provider files write them; the conversion itself is core's
  if (!/^(0|[1-9][0-9]{0,12})\.[0-9]{2}$/.test(text.trim())) return null;
  const r = parseDecimalMinor(text);
  return r.ok ? r.minor : null;
}

/** One header's value, whatever its case and whether it arrived once or several times (the first). */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}
