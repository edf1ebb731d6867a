/**
 * The named settings of the request limits and the login lockout (RATE_LIMIT_*, LOGIN_*): defaults, bounds and their
 * parsing from the environment. Apart from http/limits.ts, which applies them, so that the configuration and the
 * application context can name them without importing the plugin's code.
 */
interface Setting {
  env: string;
  default: number;
  min: number;
  max: number;
  meaning: string;
}

const COUNT_MAX = 10_000_000;

/** Every limit, by its name in `Limits`. docs/operations.md lists the same table. */
export const LIMIT_SETTINGS = {
  windowSeconds: { env: "RATE_LIMIT_WINDOW_SECONDS", default: 60, min: 1, max: 3600, meaning: "length of a rate-limit window" },
  ingestPerKey: {
    env: "RATE_LIMIT_INGEST_PER_KEY",
    default: 120_000,
    min: 1,
    max: COUNT_MAX,
    meaning: "order ingest requests (POST /v1/orders…) per window per API key or session",
  },
  ingestPerMerchant: {
    env: "RATE_LIMIT_INGEST_PER_MERCHANT",
    default: 240_000,
    min: 1,
    max: COUNT_MAX,
    meaning: "order ingest requests per window per merchant, all its keys and sessions together",
  },
  apiPerKey: {
    env: "RATE_LIMIT_API_PER_KEY",
    default: 6_000,
    min: 1,
    max: COUNT_MAX,
    meaning: "other API requests per window per API key or session",
  },
  apiPerMerchant: {
    env: "RATE_LIMIT_API_PER_MERCHANT",
    default: 12_000,
    min: 1,
    max: COUNT_MAX,
    meaning: "other API requests per window per merchant",
  },
  anonymousPerIp: {
    env: "RATE_LIMIT_ANONYMOUS_PER_IP",
    default: 600,
    min: 1,
    max: COUNT_MAX,
    meaning: "API requests without valid credentials per window per client address",
  },
  clicksPerIp: {
    env: "RATE_LIMIT_CLICKS_PER_IP",
    default: 1_200,
    min: 1,
    max: COUNT_MAX,
    meaning: "clicks on /r/{code} per window per client address",
  },
  loginPerIp: {
    env: "RATE_LIMIT_LOGIN_PER_IP",
    default: 60,
    min: 1,
    max: COUNT_MAX,
    meaning: "login and join attempts per window per client address",
  },
  loginDelayAfterFailures: {
    env: "LOGIN_DELAY_AFTER_FAILURES",
    default: 3,
    min: 1,
    max: COUNT_MAX,
    meaning: "failed logins/joins of one account after which each further attempt waits 1 s, 2 s, 4 s, …",
  },
  loginLockoutAfterFailures: {
    env: "LOGIN_LOCKOUT_AFTER_FAILURES",
    default: 10,
    min: 1,
    max: COUNT_MAX,
    meaning: "failed logins/joins of one account that lock it for LOGIN_LOCKOUT_MINUTES",
  },
  loginIpDelayAfterFailures: {
    env: "LOGIN_IP_DELAY_AFTER_FAILURES",
    default: 20,
    min: 1,
    max: COUNT_MAX,
    meaning: "failed logins/joins from one client address after which each further attempt waits 1 s, 2 s, 4 s, …",
  },
  loginIpLockoutAfterFailures: {
    env: "LOGIN_IP_LOCKOUT_AFTER_FAILURES",
    default: 100,
    min: 1,
    max: COUNT_MAX,
    meaning: "failed logins/joins from one client address that lock it out for LOGIN_LOCKOUT_MINUTES",
  },
  loginLockoutMinutes: {
    env: "LOGIN_LOCKOUT_MINUTES",
    default: 15,
    min: 1,
    max: 1440,
    meaning: "how long a lockout lasts; failures older than this are forgotten",
  },
  loginDelayMaxSeconds: {
    env: "LOGIN_DELAY_MAX_SECONDS",
    default: 60,
    min: 1,
    max: 3600,
    meaning: "the longest growing delay between failed attempts",
  },
} as const satisfies Record<string, Setting>;

export type Limits = { [K in keyof typeof LIMIT_SETTINGS]: number };

export const DEFAULT_LIMITS: Limits = Object.fromEntries(Object.entries(LIMIT_SETTINGS).map(([k, s]) => [k, s.default])) as Limits;

/** Read every limit from the environment; a bad value stops the start with a message naming the variable. */
export function parseLimits(env: NodeJS.ProcessEnv): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const [name, s] of Object.entries(LIMIT_SETTINGS) as [keyof Limits, Setting][]) {
    const v = env[s.env];
    if (v === undefined || v.trim() === "") continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < s.min || n > s.max)
      throw new Error(`${s.env} must be a whole number from ${s.min} to ${s.max} (${s.meaning}), got ${v}`);
    out[name] = n;
  }
  return out;
}
