/**
 * What a payout run needs of the providers (./providers/types.ts): which provider pays a withdrawal, and the outRef.
 */
import type { PayoutProvider, PayoutProviderName } from "./providers/types.ts";

export type { Payee, PayoutProvider, PayoutRequest, PayoutStatus } from "./providers/types.ts";
export type ProviderName = PayoutProviderName;

/**
 * The providers of each merchant. `explicit`: the run named this provider (the sandbox is then available to any
 * merchant); otherwise only what the merchant has configured and enabled.
 */
export interface ProviderRegistry {
  get(merchantId: string, name: ProviderName, explicit: boolean): Promise<PayoutProvider | undefined>;
}

export const RUN_PROVIDERS = ["sandbox", "wechat", "alipay", "bank_file"] as const;
export type RunProvider = (typeof RUN_PROVIDERS)[number];

/**
 * Which provider pays a withdrawal: the run's choice when given (a bank card only through the bank file, or the
 * sandbox), else by the payout account's kind — WeChat → wechat, or the sandbox when the merchant has no WeChat Pay
 * configured but has the sandbox enabled; Alipay likewise; bank → bank_file. Null when none can pay it here.
 */
export async function pickProvider(
  merchantId: string,
  kind: string,
  chosen: RunProvider | null,
  registry: ProviderRegistry,
): Promise<RunProvider | null> {
  if (chosen === "sandbox") return (await registry.get(merchantId, "sandbox", true)) ? "sandbox" : null;
  if (chosen === "bank_file") return kind === "bank" ? "bank_file" : null;
  if (chosen !== null) return kind === chosen && (await registry.get(merchantId, chosen, true)) ? chosen : null;
  if (kind === "bank") return "bank_file";
  if (kind !== "wechat" && kind !== "alipay") return null;
  if (await registry.get(merchantId, kind, false)) return kind;
  return (await registry.get(merchantId, "sandbox", false)) ? "sandbox" : null;
}

/** The provider's idempotency key of a withdrawal: its id's letters and digits, ≤ 32 — the same on every retry. */
export function outRefOf(withdrawalId: string): string {
  return `P${withdrawalId.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 32);
}
