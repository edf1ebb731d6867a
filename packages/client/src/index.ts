/**
 * The typed client of the Fenxiao API. Paths, parameters and bodies are checked against the types generated from the
 * OpenAPI document (schema.d.ts, `npm run generate:client`); requests go through openapi-fetch.
 *
 *   const fx = createFenxiaoClient({ baseUrl: "https://fenxiao.example.com", token: "fxk_…" });
 *   const { data, error } = await fx.POST("/v1/programs", { params: { header: idempotencyKey() }, body: { name: "Spring" } });
 */
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.d.ts";

export type { components, operations, paths };

/** Every error body: `{ error: { code, message, details } }` (the `code` is one of the error catalogue). */
export type ApiErrorBody = components["schemas"]["Error"];
export type ErrorCode = ApiErrorBody["error"]["code"];

export type FenxiaoClient = Client<paths>;

export interface FenxiaoClientOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Where the API is (its PUBLIC_URL); "" for the same origin as the page. */
  baseUrl: string;
  /** An API key (`fxk_…`) or a session token (`fxs_…`); a function is asked on every request (a session that changes). */
  token?: string | null | (() => string | null | undefined);
}

/** 128 random bits in hex (crypto.getRandomValues works in browsers on plain http too, unlike randomUUID). */
function randomKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The Idempotency-Key header of a write: a retry with the same key gets the first response again. */
export function idempotencyKey(key: string = randomKey()): { "idempotency-key": string } {
  return { "idempotency-key": key };
}

/** Sends `Authorization: Bearer <token>` when there is a token and the request does not name its own. */
function bearer(token: FenxiaoClientOptions["token"]): Middleware {
  return {
    onRequest({ request }) {
      const t = typeof token === "function" ? token() : token;
      if (t && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${t}`);
      return request;
    },
  };
}

export function createFenxiaoClient(opts: FenxiaoClientOptions): FenxiaoClient {
  const { token, ...options } = opts;
  const client = createClient<paths>({ ...options, baseUrl: opts.baseUrl.replace(/\/+$/, "") });
  client.use(bearer(token));
  return client;
}

/** An error response as thrown by `unwrap`. */
export class FenxiaoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The body of a successful response, or a thrown FenxiaoApiError with the error body's code, message and details. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const e = (error as Partial<ApiErrorBody> | undefined)?.error;
  throw new FenxiaoApiError(response.status, e?.code ?? `HTTP_${response.status}`, e?.message ?? response.statusText, e?.details ?? {});
}
