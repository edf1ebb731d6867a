import { isIP } from "node:net";
import { resolve } from "node:path";
import { type Limits, parseLimits } from "./http/limit-settings.ts";
import { parseRetentionDays } from "./jobs/idempotency.ts";

/** Which proxies are believed about the client's address (X-Forwarded-For) and scheme: Fastify's `trustProxy`. */
export type TrustProxy = boolean | number | string[];

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  sessionHours: number;
  /** Days a stored Idempotency-Key is kept (IDEMPOTENCY_RETENTION_DAYS; 0 keeps keys forever). */
  idempotencyRetentionDays: number;
  /**
   * Create the demo data in an empty database on start (FENXIAO_DEMO=1 or 0). Default: yes for the embedded database
   * (`npm start` is a one-step demo), no on DATABASE_URL (a production database never gets the public demo logins and key).
   */
  demo: boolean;
  /** TRUST_PROXY: off by default, so that a client cannot choose its own address with X-Forwarded-For. */
  trustProxy: TrustProxy;
  /** Rate limits and login lockout (RATE_LIMIT_*, LOGIN_*; http/limits.ts). */
  limits: Limits;
  /**
   * The key that seals personal data (FENXIAO_SECRET_KEY: 32 random bytes, base64 or hex) and the keys it replaced
   * (FENXIAO_SECRET_KEYS_PREVIOUS, comma-separated), still able to open what they sealed. Required with DATABASE_URL; the
   * embedded database keeps a generated key in a file beside its data directory when none is given (server.ts).
   */
  secretKey?: string;
  secretKeysPrevious: string[];
}

/** FENXIAO_DEMO: 1/true/yes or 0/false/no; unset follows the database (embedded: on, DATABASE_URL: off). */
export function parseDemo(value: string | undefined, databaseUrl: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "") return !databaseUrl;
  if (["1", "true", "yes"].includes(v)) return true;
  if (["0", "false", "no"].includes(v)) return false;
  throw new Error(`FENXIAO_DEMO must be 1 or 0, got ${value}`);
}

/** The setting as Fastify takes it: a hop count as the function proxy-addr would make of it. */
export function trustProxyOption(tp: TrustProxy | undefined): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof tp === "number") return (_addr, hop) => hop < tp;
  return tp ?? false;
}

/**
 * Parse TRUST_PROXY: unset, `0` or `false` trusts no proxy; `true` trusts every hop; a whole number n trusts the n
 * nearest hops (`1`: one reverse proxy in front); otherwise a comma-separated list of proxy addresses or CIDR ranges.
 */
export function parseTrustProxy(v: string | undefined): TrustProxy {
  const s = (v ?? "").trim();
  if (s === "" || s === "0" || s.toLowerCase() === "false") return false;
  if (s.toLowerCase() === "true") return true;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n > 100) throw new Error(`TRUST_PROXY must be true, false, a hop count up to 100, or addresses/CIDRs, got ${v}`);
    return n;
  }
  const list = s.split(",").map((x) => x.trim());
  for (const a of list) {
    const [addr, bits, extra] = a.split("/");
    const family = isIP(addr ?? "");
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !okBits || extra !== undefined)
      throw new Error(
        `TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses/CIDRs; "${a}" is none, got ${v}`,
      );
  }
  return list;
}

/** Login session lifetime by default (SESSION_HOURS): 7 days. */
export const SESSION_HOURS_DEFAULT = 24 * 7;
/** At most a year: a session's expiry stays a date PostgreSQL stores, and a stolen token does not live for ever. */
export const SESSION_HOURS_MAX = 24 * 366;

/** SESSION_HOURS: a whole number of hours from 1 to SESSION_HOURS_MAX; unset gives the default. */
export function parseSessionHours(v: string | undefined): number {
  if (v === undefined || v.trim() === "") return SESSION_HOURS_DEFAULT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > SESSION_HOURS_MAX)
    throw new Error(`SESSION_HOURS must be a whole number of hours from 1 to ${SESSION_HOURS_MAX}, got ${v}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const host = env.HOST ?? "0.0.0.0";
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.FENXIAO_DATA_DIR ?? "./.fenxiao/data"),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    sessionHours: parseSessionHours(env.SESSION_HOURS),
    idempotencyRetentionDays: parseRetentionDays(env.IDEMPOTENCY_RETENTION_DAYS),
    demo: parseDemo(env.FENXIAO_DEMO, env.DATABASE_URL || undefined),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    limits: parseLimits(env),
    secretKey: env.FENXIAO_SECRET_KEY || undefined,
    secretKeysPrevious: (env.FENXIAO_SECRET_KEYS_PREVIOUS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== ""),
  };
}
