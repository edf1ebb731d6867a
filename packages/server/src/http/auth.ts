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
 * (docs/api.md). Sessions are not cached: a logout or a deleted session is refused at once everywhere.
 */
export const API_KEY_CACHE_MS = 500;
export const API_KEY_CACHE_MAX = 10_000;
const keyCache = new Map<string, { principal: Principal; until: number }>();

export function forgetApiKey(keyId: string): void {
  for (const [hash, v] of keyCache) if (v.principal.kind === "api_key" && v.principal.keyId === keyId) keyCache.delete(hash);
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

async function lookUp(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const token = bearerToken(req);
  if (!token) fail("UNAUTHENTICATED", "Send Authorization: Bearer <API key or session token>.");
  const hash = sha256(token);
  if (token.startsWith("fxk_")) {
    const now = Date.now();
    const hit = keyCache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const [row] = await ctx.db.read((q) =>
      q.query<{ merchant_id: string; id: string }>("SELECT merchant_id, id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL", [
        hash,
      ]),
    );
    if (!row) fail("UNAUTHENTICATED", "Unknown or revoked API key.");
    const principal: Principal = { kind: "api_key", merchantId: row.merchant_id, keyId: row.id };
    if (keyCache.size >= API_KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(hash, { principal, until: now + API_KEY_CACHE_MS });
    return principal;
  }
  if (token.startsWith("fxs_")) {
    const [row] = await ctx.db.read((q) =>
      q.query<{ user_id: string; role: string; merchant_id: string | null; promoter_id: string | null; expires_at: Date }>(
        `SELECT u.id AS user_id, u.role, u.merchant_id, u.promoter_id, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
        [hash],
      ),
    );
    if (!row || new Date(row.expires_at).getTime() <= ctx.clock.now().getTime()) fail("UNAUTHENTICATED", "Session expired; log in again.");
    if (row.role === "platform_admin") return { kind: "user", role: "platform_admin", userId: row.user_id };
    if (row.role === "merchant_admin" && row.merchant_id)
      return { kind: "user", role: "merchant_admin", userId: row.user_id, merchantId: row.merchant_id };
    if (row.role === "promoter" && row.promoter_id)
      return { kind: "user", role: "promoter", userId: row.user_id, promoterId: row.promoter_id };
  }
  fail("UNAUTHENTICATED", "Unknown credentials.");
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
