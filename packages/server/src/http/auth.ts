/**
 * Who is calling: a merchant API key (shop integration), or a logged-in user session
 * (platform admin, merchant admin, promoter). Both arrive as `Authorization: Bearer <token>`;
 * API keys start with `fxk_`, session tokens with `fxs_`.
 */
import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.ts";
import { fail } from "./errors.ts";

export type Principal =
  | { kind: "api_key"; merchantId: string; keyId: string }
  | { kind: "user"; role: "platform_admin"; userId: string }
  | { kind: "user"; role: "merchant_admin"; userId: string; merchantId: string }
  | { kind: "user"; role: "promoter"; userId: string; promoterId: string };

/**
 * Verified API keys are remembered for half a second so that the order ingest path does not read the key table on
 * every request (one read per key per process per half second). Revoking a key forgets it at once in this process;
 * every other process stops accepting it within API_KEY_CACHE_MS, well within the one second promised
 * (docs/api.md). A merchant's suspension reaches its keys the same way (forgetMerchantKeys). Sessions are not
 * cached: a logout, a deleted session, a disabled user or a suspended merchant is refused at once everywhere.
 */
export const API_KEY_CACHE_MS = 500;
export const API_KEY_CACHE_MAX = 10_000;
const keyCache = new Map<string, { principal: Principal; until: number; suspended: boolean }>();

export function forgetApiKey(keyId: string): void {
  for (const [hash, v] of keyCache) if (v.principal.kind === "api_key" && v.principal.keyId === keyId) keyCache.delete(hash);
}

/** A merchant was suspended or reactivated: its keys are read again at their next use in this process. */
export function forgetMerchantKeys(merchantId: string): void {
  for (const [hash, v] of keyCache) if (v.principal.kind === "api_key" && v.principal.merchantId === merchantId) keyCache.delete(hash);
}

export function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** The token of `Authorization: Bearer <token>` (the scheme matched case-insensitively, RFC 7235) or of `X-API-Key`. */
export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = h ? /^bearer[ \t]+(\S+)\s*$/i.exec(h) : null;
  if (m?.[1]) return m[1];
  const k = req.headers["x-api-key"];
  if (typeof k === "string" && k.trim()) return k.trim();
  return null;
}

/** Who a request is: looked up once per request, whoever asks (the onRequest check, then the handler). */
const principals = new WeakMap<FastifyRequest, Promise<Principal>>();

export function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  let p = principals.get(req);
  if (!p) {
    p = lookUp(ctx, req);
    principals.set(req, p);
  }
  return p;
}

/** A route is public when its schema says so (`security: []`, as the OpenAPI document shows it) or is not under /v1. */
export function isPublicRoute(req: FastifyRequest): boolean {
  const url = req.routeOptions.url;
  if (!url?.startsWith("/v1/")) return true;
  const security = (req.routeOptions.schema as { security?: unknown[] } | undefined)?.security;
  return Array.isArray(security) && security.length === 0;
}

/**
 * onRequest hook: every authenticated route checks the credentials before the body is read or validated, so a
 * request without them, or with a wrong token, is a 401 and never a schema error.
 */
export function requireCredentials(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    if (isPublicRoute(req)) return;
    await authenticate(ctx, req);
  };
}

/**
 * last_used_at of an API key is written at most once per LAST_USED_STEP_MS per key (and only when the key cache
 * misses): the ingest path then pays one small write per key per minute, not one per request.
 */
export const LAST_USED_STEP_MS = 60_000;

/** The routes a user who must change their one-time password may still call. */
const BEFORE_PASSWORD_CHANGE = new Set(["/v1/auth/password", "/v1/auth/logout", "/v1/me"]);

async function lookUp(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const token = bearerToken(req);
  if (!token) fail("UNAUTHENTICATED", "Send Authorization: Bearer <API key or session token>.");
  const hash = sha256(token);
  if (token.startsWith("fxk_")) return apiKeyPrincipal(ctx, hash);
  if (token.startsWith("fxs_")) {
    const [row] = await ctx.db.read((q) =>
      q.query<{
        user_id: string;
        role: string;
        merchant_id: string | null;
        promoter_id: string | null;
        expires_at: Date;
        disabled_at: Date | null;
        password_change_required: boolean;
        merchant_status: string | null;
      }>(
        `SELECT u.id AS user_id, u.role, u.merchant_id, u.promoter_id, s.expires_at, u.disabled_at, u.password_change_required,
                m.status AS merchant_status
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN merchants m ON m.id = u.merchant_id WHERE s.token_hash = $1`,
        [hash],
      ),
    );
    if (!row || row.disabled_at || new Date(row.expires_at).getTime() <= ctx.clock.now().getTime())
      fail("UNAUTHENTICATED", "Session expired; log in again.");
    if (row.merchant_status === "suspended") fail("MERCHANT_SUSPENDED");
    if (row.password_change_required && !BEFORE_PASSWORD_CHANGE.has(req.routeOptions.url ?? "")) fail("PASSWORD_CHANGE_REQUIRED");
    if (row.role === "platform_admin") return { kind: "user", role: "platform_admin", userId: row.user_id };
    if (row.role === "merchant_admin" && row.merchant_id)
      return { kind: "user", role: "merchant_admin", userId: row.user_id, merchantId: row.merchant_id };
    if (row.role === "promoter" && row.promoter_id)
      return { kind: "user", role: "promoter", userId: row.user_id, promoterId: row.promoter_id };
  }
  fail("UNAUTHENTICATED", "Unknown credentials.");
}

/** An API key's principal: from the cache, or read (with its merchant's status) and remembered. */
async function apiKeyPrincipal(ctx: AppContext, hash: string): Promise<Principal> {
  const now = Date.now();
  const hit = keyCache.get(hash);
  if (hit && hit.until > now) {
    if (hit.suspended) fail("MERCHANT_SUSPENDED");
    return hit.principal;
  }
  const [row] = await ctx.db.read((q) =>
    q.query<{ merchant_id: string; id: string; last_used_at: Date | null; status: string }>(
      `SELECT k.merchant_id, k.id, k.last_used_at, m.status FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hash],
    ),
  );
  if (!row) fail("UNAUTHENTICATED", "Unknown or revoked API key.");
  const principal: Principal = { kind: "api_key", merchantId: row.merchant_id, keyId: row.id };
  const suspended = row.status === "suspended";
  if (keyCache.size >= API_KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(hash, { principal, until: now + API_KEY_CACHE_MS, suspended });
  if (suspended) fail("MERCHANT_SUSPENDED");
  const at = ctx.clock.now();
  if (!row.last_used_at || at.getTime() - new Date(row.last_used_at).getTime() >= LAST_USED_STEP_MS)
    await ctx.db.tx((q) =>
      q.query("UPDATE api_keys SET last_used_at = $3 WHERE merchant_id = $1 AND id = $2", [row.merchant_id, row.id, at]),
    );
  return principal;
}

/** The merchant whose data the caller may touch: its API key or its admin user. */
export function merchantOf(p: Principal): string {
  if (p.kind === "api_key") return p.merchantId;
  if (p.role === "merchant_admin") return p.merchantId;
  fail("FORBIDDEN", "This endpoint is for a merchant's API key or merchant admin.");
}

export function promoterOf(p: Principal): string {
  if (p.kind === "user" && p.role === "promoter") return p.promoterId;
  fail("FORBIDDEN", "This endpoint is for a logged-in promoter.");
}

export function requirePlatformAdmin(p: Principal): void {
  if (!(p.kind === "user" && p.role === "platform_admin")) fail("FORBIDDEN", "Platform admins only.");
}

export function actorOf(p: Principal): string {
  return p.kind === "api_key" ? `api_key:${p.keyId}` : `user:${p.userId}`;
}
