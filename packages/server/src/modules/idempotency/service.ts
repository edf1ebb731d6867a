/**
 * Idempotent writes (house rule 4). The key is claimed first, inside the same database transaction as the effect:
 * a concurrent duplicate blocks on the key's unique index until the first commits, then returns the stored response.
 * The same key with a different request is IDEMPOTENCY_KEY_REUSED (409). A failed request stores nothing, so a retry runs again.
 */
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { type KeyRing, requestDigest } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { sha256 } from "../../http/auth.ts";
import { fail, invalid } from "../../http/errors.ts";

export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  replayed: boolean;
}

/** The Idempotency-Key header in a route's schema (so the API reference shows it on every route that takes one). */
export const idempotencyHeaders = z
  .object({
    "idempotency-key": z
      .string()
      .max(IDEMPOTENCY_KEY_LENGTH_MAX)
      .optional()
      .describe("retry-safe key: the same key with the same body returns the first response; with another body, 409"),
  })
  .passthrough();

/** Send a stored (or first) response; `idempotent-replayed` tells a retry that it got the first response again. */
export function sendStored(reply: FastifyReply, out: StoredResponse): FastifyReply {
  return reply.status(out.statusCode).header("idempotent-replayed", String(out.replayed)).send(out.body);
}

/** The Idempotency-Key header of a request, checked (see checkKey). */
export function keyOf(headers: Record<string, string | string[] | undefined>): string | null {
  const v = headers["idempotency-key"];
  return checkKey(Array.isArray(v) ? v[0] : v);
}

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/**
 * A response body as an idempotency key stores it: its JSON text, kept as a JSON string (a jsonb object would not keep
 * the order of its keys), so that a replay returns exactly the first response's JSON.
 */
export function storedBody(body: unknown): string {
  return JSON.stringify(body) ?? "null";
}

/** A stored response body as it was first returned (keys stored before bodies were kept as text are objects). */
export function loadBody(stored: unknown): unknown {
  return typeof stored === "string" ? JSON.parse(stored) : stored;
}

export function checkKey(key: string | undefined): string | null {
  if (key === undefined || key === "") return null;
  if (key.length > IDEMPOTENCY_KEY_LENGTH_MAX) invalid("Idempotency-Key", `at most ${IDEMPOTENCY_KEY_LENGTH_MAX} characters`);
  return key;
}

/**
 * Run `work` once per (merchant, scope, key). Must be called inside a transaction (`q`).
 * Without a key, `work` simply runs. `now` stamps the stored key (its retention counts from then).
 */
export async function idempotent(
  q: Sql,
  merchantId: string,
  scope: string,
  key: string | null,
  request: unknown,
  now: Date,
  work: () => Promise<{ statusCode: number; body: unknown }>,
): Promise<StoredResponse> {
  if (!key) return { ...(await work()), replayed: false };
  const { hash, alternates }: { hash: string; alternates: readonly string[] } = isHashed(request)
    ? request
    : { hash: requestHash(request), alternates: [] };
  const claimed = await q.query(
    `INSERT INTO idempotency_keys (merchant_id, scope, key, request_hash, status_code, response, created_at)
     VALUES ($1, $2, $3, $4, 0, 'null'::jsonb, $5) ON CONFLICT (merchant_id, scope, key) DO NOTHING RETURNING key`,
    [merchantId, scope, key, hash, now],
  );
  if (claimed.length === 0) {
    const [prev] = await q.query<{ request_hash: string; status_code: number; response: unknown }>(
      "SELECT request_hash, status_code, response FROM idempotency_keys WHERE merchant_id = $1 AND scope = $2 AND key = $3",
      [merchantId, scope, key],
    );
    if (!prev) throw new Error("idempotency key vanished");
    if (prev.request_hash !== hash && !alternates.includes(prev.request_hash)) fail("IDEMPOTENCY_KEY_REUSED", undefined, { key });
    return { statusCode: prev.status_code, body: loadBody(prev.response), replayed: true };
  }
  const out = await work();
  await q.query("UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE merchant_id = $1 AND scope = $2 AND key = $3", [
    merchantId,
    scope,
    key,
    out.statusCode,
    JSON.stringify(storedBody(out.body)),
  ]);
  return { ...out, replayed: false };
}

/**
 * `idempotent` for a write whose first answer carries a secret (an API key, a one-time password): the secret is in the
 * first answer only and never stored. `work` returns the answer and the same answer with each secret as null
 * (`stored`), which is what a retry with the same key gets: a client that lost the first answer revokes or resets what
 * was created instead of reading the secret again.
 */
export async function idempotentWithSecret(
  q: Sql,
  merchantId: string,
  scope: string,
  key: string | null,
  request: unknown,
  now: Date,
  work: () => Promise<{ statusCode: number; body: unknown; stored: unknown }>,
): Promise<StoredResponse> {
  let first: unknown = null;
  const out = await idempotent(q, merchantId, scope, key, request, now, async () => {
    const done = await work();
    first = done.body;
    return { statusCode: done.statusCode, body: done.stored };
  });
  return out.replayed ? out : { ...out, body: first };
}

export interface KeyedRequest {
  key: string | null;
  request: unknown;
  /** requestHash(request) or a HashedRequest's hash, when the caller already has it. */
  hash?: string;
  /** Other hashes a stored key of the same request may hold (HashedRequest). */
  alternates?: readonly string[];
}

/** What a stored key compares a retried request by. */
export function requestHash(request: unknown): string {
  return sha256(canonicalJson(request));
}

/**
 * A request that carries personal data (a customer's phone and name), as `idempotent` and `decideClaims` compare it:
 * `hash`, what a new key stores, is the request's hash with each personal value replaced by its keyed digest under
 * the ring's current key (crypto/sealed.ts `requestDigest`), so that a stored hash cannot be searched for a guessed
 * phone; `alternates` are the hashes a key stored before may hold for the same request — under each earlier key of
 * the ring (a retry across a key rotation still replays) and the plain hash that releases before the digest stored.
 */
export interface HashedRequest {
  readonly hashedRequest: true;
  hash: string;
  alternates: string[];
}

function isHashed(request: unknown): request is HashedRequest {
  return typeof request === "object" && request !== null && (request as { hashedRequest?: unknown }).hashedRequest === true;
}

/** `request` with the values at `paths` (dotted: "customer.phone") as personal data (see HashedRequest). */
export function personalRequest(ring: KeyRing, request: unknown, paths: readonly string[]): HashedRequest {
  const [current, ...previous] = [ring.current, ...ring.previous].map((k) =>
    requestHash(withDigests(request, paths, (path, v) => requestDigest(k, path, v))),
  );
  return { hashedRequest: true, hash: current as string, alternates: [...previous, requestHash(request)] };
}

function withDigests(request: unknown, paths: readonly string[], digest: (path: string, value: string) => string): unknown {
  const copy = structuredClone(request);
  for (const path of paths) {
    const parts = path.split(".");
    let at: unknown = copy;
    for (const p of parts.slice(0, -1)) at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[p] : undefined;
    const last = parts[parts.length - 1] as string;
    if (typeof at !== "object" || at === null) continue;
    const holder = at as Record<string, unknown>;
    if (typeof holder[last] === "string") holder[last] = digest(path, holder[last] as string);
  }
  return copy;
}

export type Claim =
  | { kind: "fresh" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "same-as"; index: number }
  | { kind: "reused" };

/** A stored key as the set ingest reads it. */
export interface StoredKey {
  key: string;
  request_hash: string;
  status_code: number;
  response: unknown;
}

/**
 * The set form of `idempotent` for a batch of requests to one scope, decided in memory over the keys already stored
 * (read in the same transaction, after a lock that serialises the scope's writers):
 * fresh → run it and store its key with its response in the same transaction; replay → the stored response;
 * same-as → a duplicate of an earlier request of this batch (answer it with that one's response); reused → the key was
 * used with another body. Returns the claims and each request's hash (for storing fresh keys).
 */
export function decideClaims(reqs: readonly KeyedRequest[], stored: readonly StoredKey[]): { claims: Claim[]; hashes: string[] } {
  const hashes = reqs.map((r) => (r.key ? (r.hash ?? requestHash(r.request)) : ""));
  const byKey = new Map(stored.map((r) => [r.key, r]));
  const firstOf = new Map<string, number>();
  const claims: Claim[] = reqs.map((r, i) => {
    if (!r.key) return { kind: "fresh" };
    const prev = byKey.get(r.key);
    if (prev)
      return prev.request_hash === hashes[i] || r.alternates?.includes(prev.request_hash)
        ? { kind: "replay", response: { statusCode: prev.status_code, body: loadBody(prev.response), replayed: true } }
        : { kind: "reused" };
    const first = firstOf.get(r.key);
    if (first === undefined) {
      firstOf.set(r.key, i);
      return { kind: "fresh" };
    }
    return hashes[first] === hashes[i] ? { kind: "same-as", index: first } : { kind: "reused" };
  });
  return { claims, hashes };
}
