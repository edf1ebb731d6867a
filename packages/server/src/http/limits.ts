/**
 * Request limits, configured in one place for every route (docs/operations.md, "Rate limits"):
 *
 * - order ingest (POST /v1/orders…) and every other API route: per credential (API key or session) and per merchant;
 *   requests without valid credentials count per client address;
 * - click tracking (/r/{code}): per client address;
 * - login and join: per client address, and their failures per account (the e-mail) and per client address in the
 *   database (modules/auth/lockout.ts), so that every server process sees them: growing delays, then a lockout.
 *
 * The request counters are `@fastify/rate-limit`'s in-memory store, so they are per server process (n processes
 * admit up to n × the limit); the login failures are shared. A refused request gets 429 RATE_LIMITED with
 * `Retry-After` and the draft IETF `RateLimit-Limit` / `RateLimit-Remaining` / `RateLimit-Reset` headers.
 * The web app, the API reference and /health are not limited.
 */
import rateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { AppContext } from "../context.ts";
import { clearAuthFailures, type FailureScope, lockoutWait, recordAuthFailure } from "../modules/auth/lockout.ts";
import { authenticate, type Principal } from "./auth.ts";
import { ApiError } from "./errors.ts";
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type Limits, parseLimits } from "./limit-settings.ts";

export { DEFAULT_LIMITS, LIMIT_SETTINGS, type Limits, parseLimits };

/** One named setting: its environment variable, default and bounds (whole numbers). */

/** Which limits a route falls under, decided once per route from its method and URL. */
export type LimitClass = "none" | "login" | "click" | "ingest" | "api";

export function limitClassOf(method: string, url: string): LimitClass {
  if (method === "POST" && (url === "/v1/auth/login" || url === "/v1/join")) return "login";
  if (url.startsWith("/r/")) return "click";
  if (method !== "GET" && method !== "HEAD" && (url === "/v1/orders" || url.startsWith("/v1/orders/"))) return "ingest";
  if (url.startsWith("/v1/") || url === "/v1") return "api";
  return "none";
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set for every route by the onRoute hook of http/limits.ts. */
    limitClass?: LimitClass;
  }
}

const classOf = (req: FastifyRequest): LimitClass => req.routeOptions.config?.limitClass ?? "none";

/** The client address a per-address limit counts: an IPv6 address by its /64, which one subscriber usually holds whole. */
const addressOf = (req: FastifyRequest): string => normalizeIP(req.ip);

/** The credential a request counts against: the authenticated caller, or its client address. */
async function callerOf(ctx: AppContext, req: FastifyRequest): Promise<Principal | null> {
  if (!req.headers.authorization && req.headers["x-api-key"] === undefined) return null;
  return authenticate(ctx, req).catch(() => null);
}

function credentialKey(p: Principal): string {
  return p.kind === "api_key" ? `key:${p.keyId}` : `user:${p.userId}`;
}

function merchantKey(p: Principal | null): string | null {
  if (!p) return null;
  if (p.kind === "api_key" || p.role === "merchant_admin") return p.merchantId;
  return null;
}

/** The RATE_LIMITED error of the catalogue, with the time to wait in its details. */
function rateLimited(retryAfterSeconds: number, scope: string, reason = "rate_limit"): ApiError {
  return new ApiError("RATE_LIMITED", `Too many requests (${scope}); retry in ${retryAfterSeconds} s.`, {
    scope,
    reason,
    retryAfterSeconds,
  });
}

/** The plugin's key for a request: the limit class with the caller (credential or address). */
async function requestKey(ctx: AppContext, req: FastifyRequest): Promise<string> {
  const cls = classOf(req);
  if (cls === "login" || cls === "click") return `${cls}:ip:${addressOf(req)}`;
  const p = await callerOf(ctx, req);
  return p ? `${cls}:${credentialKey(p)}` : `anonymous:ip:${addressOf(req)}`;
}

function maxFor(limits: Limits, key: string): number {
  if (key.startsWith("login:")) return limits.loginPerIp;
  if (key.startsWith("click:")) return limits.clicksPerIp;
  if (key.startsWith("anonymous:")) return limits.anonymousPerIp;
  if (key.startsWith("ingest:")) return limits.ingestPerKey;
  return limits.apiPerKey;
}

/** Per-credential and per-address limits: the plugin, one shared store, the limit chosen by the key's class. */
async function registerRequestLimits(app: FastifyInstance, ctx: AppContext, limits: Limits): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    enableDraftSpec: true,
    cache: 100_000,
    timeWindow: limits.windowSeconds * 1000,
    keyGenerator: (req) => requestKey(ctx, req),
    max: (_req, key) => maxFor(limits, key),
    errorResponseBuilder: (_req, c) => rateLimited(Math.max(1, Math.ceil(c.ttl / 1000)), "caller"),
  });
}

/**
 * Per-merchant limits (all its keys and sessions together), checked after the per-credential one. The counters are
 * an LRU of the plugin's default size (5,000 merchants a process): one that drops out was idle, not the one flooding.
 */
function registerMerchantLimits(app: FastifyInstance, ctx: AppContext, limits: Limits): void {
  const limiters = {
    ingest: app.createRateLimit({
      timeWindow: limits.windowSeconds * 1000,
      max: limits.ingestPerMerchant,
      keyGenerator: async (req) => `ingest:merchant:${merchantKey(await callerOf(ctx, req))}`,
    }),
    api: app.createRateLimit({
      timeWindow: limits.windowSeconds * 1000,
      max: limits.apiPerMerchant,
      keyGenerator: async (req) => `api:merchant:${merchantKey(await callerOf(ctx, req))}`,
    }),
  };
  app.addHook("onRequest", async (req, reply) => {
    const cls = classOf(req);
    if (cls !== "ingest" && cls !== "api") return;
    if (!merchantKey(await callerOf(ctx, req))) return;
    const r = await limiters[cls](req);
    if (r.isAllowed || !r.isExceeded) return;
    setLimitHeaders(reply, r.max, 0, r.ttlInSeconds);
    throw rateLimited(Math.max(1, r.ttlInSeconds), "merchant");
  });
}

function setLimitHeaders(reply: FastifyReply, max: number, remaining: number, resetSeconds: number): void {
  reply.header("ratelimit-limit", max);
  reply.header("ratelimit-remaining", remaining);
  reply.header("ratelimit-reset", resetSeconds);
  reply.header("retry-after", Math.max(1, resetSeconds));
}

/**
 * Statuses of a login or join that count as a failed attempt (a wrong password, an unknown invite code). Join answers
 * 202 alike for a new and an existing e-mail (modules/promoters/join.ts), so it never tells a failure by the e-mail.
 */
const FAILURE_STATUSES = new Set([401, 403, 409, 422]);

function scopesOf(req: FastifyRequest): { scope: FailureScope; key: string }[] {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === "string" ? body.email.trim().toLowerCase() : "";
  const scopes: { scope: FailureScope; key: string }[] = [{ scope: "ip", key: addressOf(req) }];
  if (email) scopes.push({ scope: "account", key: email.slice(0, 200) });
  return scopes;
}

/** Login and join: refuse while a delay or lockout holds; count failures and forget the account's on success. */
function registerLoginLockout(app: FastifyInstance, ctx: AppContext, limits: Limits): void {
  const policy = {
    account: { delayAfter: limits.loginDelayAfterFailures, lockAfter: limits.loginLockoutAfterFailures },
    ip: { delayAfter: limits.loginIpDelayAfterFailures, lockAfter: limits.loginIpLockoutAfterFailures },
    lockoutMinutes: limits.loginLockoutMinutes,
    maxDelaySeconds: limits.loginDelayMaxSeconds,
  };
  const checked = new WeakSet<FastifyRequest>();
  // After validation: the counters are keyed by the e-mail, which must be a valid string (no NUL) to be looked up.
  app.addHook("preHandler", async (req, reply) => {
    if (classOf(req) !== "login") return;
    const wait = await ctx.db.read((q) => lockoutWait(q, scopesOf(req), policy, ctx.clock.now()));
    if (wait) {
      reply.header("retry-after", wait.retryAfterSeconds);
      throw rateLimited(wait.retryAfterSeconds, wait.scope, wait.reason);
    }
    checked.add(req);
  });
  app.addHook("onSend", async (req, reply) => {
    if (!checked.has(req)) return;
    const scopes = scopesOf(req);
    if (FAILURE_STATUSES.has(reply.statusCode)) {
      await ctx.db.tx((q) => recordAuthFailure(q, scopes, policy, ctx.clock.now()));
    } else if (reply.statusCode < 300 && req.url.split("?")[0] === "/v1/auth/login") {
      // Only a successful login proves the password: join answers 202 to anyone, so it must not lift a lockout.
      const account = scopes.find((s) => s.scope === "account");
      if (account) await ctx.db.tx((q) => clearAuthFailures(q, account));
    }
  });
}

/**
 * Register the limits. Call before any route is added: the onRoute hook tags each route with its limit class,
 * and the plugin only limits routes added after it.
 */
export async function registerLimits(app: FastifyInstance, ctx: AppContext, limits: Limits): Promise<void> {
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const cls = limitClassOf(methods[0] ?? "GET", route.url);
    route.config = { ...(route.config as object), limitClass: cls, ...(cls === "none" ? { rateLimit: false } : {}) };
  });
  await registerRequestLimits(app, ctx, limits);
  registerMerchantLimits(app, ctx, limits);
  registerLoginLockout(app, ctx, limits);
}
