/**
 * The providers a server pays with, per merchant, from the merchants' stored configuration (./providers/factory.ts):
 * WeChat Pay and Alipay when configured and enabled; the sandbox when a run names it, or when the merchant has it
 * enabled (its configuration row exists and is enabled) for withdrawals that no live provider can pay. Adapters are
 * kept for a minute per merchant, so a run does not open the sealed configuration for every item.
 */
import type { Clock } from "../../clock.ts";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import type { ProviderName, ProviderRegistry } from "./contract.ts";
import { loadConfig } from "./providers/config.ts";
import { type ProviderDeps, providerFor } from "./providers/factory.ts";
import type { PayoutProvider } from "./providers/types.ts";

export const PROVIDER_CACHE_MS = 60_000;

export function storedProviders(db: Db, clock: Clock, ring: KeyRing, extra: Omit<ProviderDeps, "db" | "clock"> = {}): ProviderRegistry {
  const cache = new Map<string, { p: PayoutProvider | undefined; until: number }>();
  const deps: ProviderDeps = { db, clock, ...extra };
  return {
    async get(merchantId: string, name: ProviderName, explicit: boolean) {
      const key = `${merchantId}|${name}|${explicit}`;
      const hit = cache.get(key);
      const now = Date.now();
      if (hit && hit.until > now) return hit.p;
      let p: PayoutProvider | undefined;
      if (name === "sandbox" && !explicit) {
        const stored = await db.read((q) => loadConfig(q, ring, merchantId, "sandbox"));
        p = stored?.enabled ? await db.tx((q) => providerFor(q, ring, merchantId, "sandbox", deps)) : undefined;
      } else {
        try {
          p = await db.tx((q) => providerFor(q, ring, merchantId, name, deps));
        } catch (e) {
          if (!(e instanceof ApiError && e.code === "PAYOUT_PROVIDER_NOT_CONFIGURED")) throw e;
        }
      }
      cache.set(key, { p, until: now + PROVIDER_CACHE_MS });
      return p;
    },
  };
}
