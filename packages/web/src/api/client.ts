/**
 * The one way the app talks to the API: JSON over fetch with the session's bearer token.
 * Errors arrive as `{ error: { code, message, details } }` and are thrown as ApiError.
 */

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

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A fresh Idempotency-Key: one per attempt of a write (a retry of the same attempt reuses it). */
export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export async function api<T>(method: Method, path: string, body?: unknown, opts: { idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "NETWORK", e instanceof Error ? e.message : "network error");
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
    const e = new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details ?? {});
    // A dead session logs out everywhere; a failed login attempt has no session to drop.
    if (res.status === 401 && session && path !== "/v1/auth/login") setSession(null);
    throw e;
  }
  return json as T;
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
  const r = await post<LoginResponse>("/v1/auth/login", { email, password });
  const s = { token: r.token, user: r.user };
  setSession(s);
  return s;
}

export async function logout(): Promise<void> {
  try {
    if (session) await api("POST", "/v1/auth/logout", {});
  } catch {
    /* the session is dropped locally either way */
  }
  setSession(null);
}
