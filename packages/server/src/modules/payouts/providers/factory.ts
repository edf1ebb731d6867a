/**
 * The provider a merchant pays with: `providerFor(q, ring, merchantId, name, deps)`. The sandbox is always available;
 * WeChat Pay and Alipay only when the merchant has configured and enabled them (PUT /v1/payout-providers/:provider),
 * otherwise PAYOUT_PROVIDER_NOT_CONFIGURED.
 */
import type { Clock } from "../../../clock.ts";
import type { KeyRing } from "../../../crypto/sealed.ts";
import type { Db, Sql } from "../../../db/client.ts";
import { fail } from "../../../http/errors.ts";
import { AlipayProvider } from "./alipay.ts";
import { loadConfig, sandboxConfig } from "./config.ts";
import { type Rng, SandboxProvider } from "./sandbox.ts";
import type { PayoutProvider, PayoutProviderName } from "./types.ts";
import { WechatProvider } from "./wechat.ts";

export interface ProviderDeps {
  db: Db;
  clock: Clock;
  /** The sandbox's decisions (seeded in tests). */
  rng?: Rng;
  /** WeChat Pay's HTTP client (global fetch unless given); Alipay's requests go through alipay-sdk's own client. */
  fetch?: typeof fetch;
  /** Per request to a live provider; past it the outcome is unknown. */
  timeoutMs?: number;
}

export async function providerFor(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  name: PayoutProviderName,
  deps: ProviderDeps,
): Promise<PayoutProvider> {
  if (name === "sandbox") return new SandboxProvider(merchantId, await sandboxConfig(q, ring, merchantId, deps.clock.now()), deps);
  if (name === "wechat") {
    const stored = await loadConfig(q, ring, merchantId, "wechat");
    if (!stored?.enabled) fail("PAYOUT_PROVIDER_NOT_CONFIGURED", undefined, { provider: name });
    return new WechatProvider(merchantId, stored.config, deps);
  }
  const stored = await loadConfig(q, ring, merchantId, "alipay");
  if (!stored?.enabled) fail("PAYOUT_PROVIDER_NOT_CONFIGURED", undefined, { provider: name });
  return new AlipayProvider(merchantId, stored.config, deps);
}
