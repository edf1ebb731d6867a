import type { Clock } from "./clock.ts";
import type { TrustProxy } from "./config.ts";
import type { KeyRing } from "./crypto/sealed.ts";
import type { Db } from "./db/client.ts";
import type { Limits } from "./http/limit-settings.ts";
import type { ScryptCost } from "./modules/auth/passwords.ts";
import type { CodeSource } from "./modules/codes/service.ts";
import type { ProviderRegistry } from "./modules/payouts/contract.ts";

export interface AppConfig {
  /** Public base URL used in links and redirects, e.g. http://localhost:3000 */
  publicUrl: string;
  /** Session lifetime in hours. */
  sessionHours: number;
  /**
   * Password hashing cost. Only tests set it (to PASSWORD_COST_TESTS_ONLY); a server started from the command line
   * always hashes at PASSWORD_COST (OWASP's scrypt parameters).
   */
  passwordCost?: ScryptCost;
  /** Proxies believed about the client address and scheme (TRUST_PROXY); none when absent. */
  trustProxy?: TrustProxy;
  /** Rate limits and login lockout; the defaults of http/limits.ts for those not given. */
  limits?: Partial<Limits>;
}

export interface AppContext {
  db: Db;
  clock: Clock;
  config: AppConfig;
  /** Where new promo and link codes come from (random unless a test makes writers collide on purpose). */
  codes?: CodeSource;
  /** The key ring that seals personal data (crypto/sealed.ts); routes that store or reveal it need it (`secretsOf`). */
  secrets?: KeyRing;
  /** The payout providers this server has (modules/payouts/contract.ts); none when absent. */
  payoutProviders?: ProviderRegistry;
}

/** The key ring, or a clear refusal when the server was built without one. */
export function secretsOf(ctx: AppContext): KeyRing {
  if (!ctx.secrets) throw new Error("personal data needs a key ring: set FENXIAO_SECRET_KEY");
  return ctx.secrets;
}
