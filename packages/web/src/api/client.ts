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

export async function api<T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
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
