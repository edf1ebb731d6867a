/**
 * The provider contract a payout run drives (docs/payouts.md, "Payout runs"). Adapters live in ./providers/; a run
 * only ever calls these three methods (and `cancel` where a provider has one).
 */

export type Payee =
  | { kind: "wechat"; appid: string; openid: string; legalName: string | null }
  | { kind: "alipay"; identityType: string; identity: string; name: string | null }
  | { kind: "bank"; holderName: string; bankName: string; cardNumber: string; branch: string | null };

export interface PayoutRequest {
  merchantId: string;
  withdrawalId: string;
  /** ≤ 32 [A-Za-z0-9], stable across retries: the provider's idempotency key. */
  outRef: string;
  /** The net. */
  amountMinor: number;
  currency: "CNY";
  payee: Payee;
  /** ≤ 32 characters. */
  remark: string;
  notifyUrl: string;
}

export type PayoutStatus =
  | { state: "processing"; providerRef?: string; providerState: string }
  | { state: "wait_user_confirm"; providerRef?: string; providerState: string; packageInfo: string; expiresAt: string }
  | { state: "succeeded"; providerRef?: string; providerState: string; finishedAt?: string }
  | { state: "failed"; providerRef?: string; providerState: string; reason: string }
  | { state: "unknown"; reason: string };

export type ProviderName = "sandbox" | "wechat" | "alipay";

export interface PayoutProvider {
  readonly name: ProviderName;
  submit(req: PayoutRequest): Promise<PayoutStatus>;
  query(outRef: string): Promise<PayoutStatus | { state: "not_found" }>;
  parseCallback(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<{ outRef: string; status: PayoutStatus }>;
  /** Ask the provider to cancel an unconfirmed transfer (WeChat's 撤销); the result is read with `query` afterwards. */
  cancel?(outRef: string): Promise<void>;
}

/** The providers this server has (configured adapters; the sandbox where enabled). */
export interface ProviderRegistry {
  get(name: ProviderName): PayoutProvider | undefined;
}

export const RUN_PROVIDERS = ["sandbox", "wechat", "alipay", "bank_file"] as const;
export type RunProvider = (typeof RUN_PROVIDERS)[number];

/**
 * Which provider pays a withdrawal: the run's choice when given (bank cards go to the bank file whatever it is), else
 * by the payout account's kind — WeChat → wechat (or the sandbox when wechat is not configured), Alipay → alipay (or the
 * sandbox), bank → bank_file. Null when none can pay it here.
 */
export function providerFor(kind: string, chosen: RunProvider | null, registry: ProviderRegistry): RunProvider | null {
  const sandbox = registry.get("sandbox") ? "sandbox" : null;
  if (chosen === "sandbox") return sandbox;
  if (chosen === "bank_file") return kind === "bank" ? "bank_file" : null;
  if (chosen !== null) return kind === chosen && registry.get(chosen) ? chosen : null;
  if (kind === "bank") return "bank_file";
  if (kind === "wechat" || kind === "alipay") return registry.get(kind) ? kind : sandbox;
  return null;
}

/** The provider's idempotency key of a withdrawal: its id's letters and digits, ≤ 32 — the same on every retry. */
export function outRefOf(withdrawalId: string): string {
  return `P${withdrawalId.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 32);
}
