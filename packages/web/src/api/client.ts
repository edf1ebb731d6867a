/**
 * The one way the app talks to the API: the typed client (@fenxiao/client) with the session's bearer token.
 * Errors arrive as `{ error: { code, message, details } }` and are thrown as ApiError.
 */

import { type ApiErrorBody, createFenxiaoClient, type FenxiaoClient } from "@fenxiao/client";
import { ApiError } from "./errors.ts";
import type { LoginResponse, SessionUser } from "./types.ts";

export { ApiError };

export interface Session {
  token: string;
  user: SessionUser;
}

const SESSION_KEY = "fenxiao.session";
let session: Session | null = readStoredSession();
const listeners = new Set<(s: Session | null) => void>();

function readStoredSession(): Session | null {
  try {
    const raw = window.localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.token === "string" && s.user ? (s as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return session;
}

export function setSession(s: Session | null): void {
  session = s;
  try {
    if (s) window.localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else window.localStorage.removeItem(SESSION_KEY);
  } catch {
    /* kept in memory only */
  }
  for (const l of listeners) l(s);
}

export function onSessionChange(l: (s: Session | null) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * The typed client of the API (@fenxiao/client, generated from its OpenAPI document): the session's token on every
 * request, and a 401 on a session ends it everywhere (a failed login attempt has no session to drop).
 * New code calls it directly (`fx.GET("/v1/programs/{programId}", { params: { path: { programId } } })`).
 */
export const fx: FenxiaoClient = createFenxiaoClient({ baseUrl: "", token: () => session?.token });
fx.use({
  /** Every write carries an Idempotency-Key (a fresh one per attempt unless the caller passed its own for retries). */
  onRequest({ request }) {
    if (request.method !== "GET" && request.method !== "HEAD" && !request.headers.has("idempotency-key")) {
      request.headers.set("idempotency-key", newIdempotencyKey());
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && session && new URL(request.url, "http://app.invalid").pathname !== "/v1/auth/login") setSession(null);
    return undefined;
  },
});

/** A response of `fx` as the pages expect it: the body, or an ApiError with the error body's code, message and details. */
async function settle<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: unknown; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (e) {
    throw new ApiError(0, "NETWORK", e instanceof Error ? e.message : "network error");
  }
  if (!r.response.ok) {
    const err = (r.error as Partial<ApiErrorBody> | undefined)?.error;
    throw new ApiError(
      r.response.status,
      err?.code ?? `HTTP_${r.response.status}`,
      err?.message ?? r.response.statusText,
      err?.details ?? {},
    );
  }
  return (r.data ?? null) as T;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A fresh Idempotency-Key: one per attempt of a write (a retry of the same attempt reuses it). */
export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Any endpoint by a path already filled in (`/v1/programs/prg_1?limit=20`), as the pages call it: through the typed
 * client's request pipeline, the path itself not checked against the document (use `fx` for that). A write passes
 * its Idempotency-Key (`write` makes a fresh one per attempt).
 */
export async function api<T>(method: Method, path: string, body?: unknown, opts: { idempotencyKey?: string } = {}): Promise<T> {
  const untyped = fx as unknown as {
    request(
      method: string,
      path: string,
      init: { body?: unknown; headers?: Record<string, string> },
    ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  };
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  return settle<T>(untyped.request(method.toLowerCase(), path, { body, headers }));
}

export const get = <T>(path: string, query?: Query) => api<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);

/** A write with an Idempotency-Key (a fresh one unless the caller keeps one for its retries). */
export const write = <T>(
  method: "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body: unknown = method === "DELETE" ? undefined : {},
  key = newIdempotencyKey(),
) => api<T>(method, path, body, { idempotencyKey: key });

/** The error of a non-JSON response (a file download that failed). */
async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    const err = (JSON.parse(text) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error;
    return new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details ?? {});
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  }
}

/** A file from the API (CSV, PDF) with the session's token, handed to the browser as a download named `filename`. */
export async function download(path: string, filename: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (session) headers.authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch (e) {
    throw new ApiError(0, "NETWORK", e instanceof Error ? e.message : "network error");
  }
  if (!res.ok) throw await errorOf(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Send a text body (a bank's result CSV) to the API with an Idempotency-Key. */
export async function postText<T>(path: string, text: string, contentType = "text/csv"): Promise<T> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": contentType,
    "idempotency-key": newIdempotencyKey(),
  };
  if (session) headers.authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: "POST", headers, body: text });
  } catch (e) {
    throw new ApiError(0, "NETWORK", e instanceof Error ? e.message : "network error");
  }
  if (!res.ok) throw await errorOf(res);
  const body = await res.text();
  return (body ? JSON.parse(body) : null) as T;
}

export async function login(email: string, password: string): Promise<Session> {
  const r = await settle<LoginResponse>(fx.POST("/v1/auth/login", { body: { email, password } }));
  const s = { token: r.token, user: r.user };
  setSession(s);
  return s;
}

export async function logout(): Promise<void> {
  try {
    if (session) await settle(fx.POST("/v1/auth/logout"));
  } catch {
    /* the session is dropped locally either way */
  }
  setSession(null);
}
