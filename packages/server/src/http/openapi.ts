/**
 * What the OpenAPI document says beyond each route's own schema, for every route alike (those added later too):
 * a stable operationId, the error responses of the catalogue (http/errors.ts) with one shared error body schema,
 * the servers, and which routes are not part of the API (the web app, scripts: hidden).
 * A route overrides its operationId with `schema.operationId`, and shows a route outside /v1 with `schema.hide: false`.
 */
import type { SwaggerTransformObject } from "@fastify/swagger";
import type { RouteOptions } from "fastify";
import pluralize from "pluralize";
import { ERRORS, type ErrorCode } from "./errors.ts";

/** The component name of the error body `{ error: { code, message, details } }`. */
export const ERROR_SCHEMA = "Error";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

function pascal(segment: string): string {
  return segment
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");
}

function isParam(segment: string): boolean {
  return segment.startsWith(":") || segment.startsWith("{");
}

/**
 * The operationId of a route: the method, then the path's segments in PascalCase without the version prefix and the
 * path parameters, a segment followed by a parameter in the singular (the one resource it names).
 * `GET /v1/me/withdrawals/:withdrawalId` → getMeWithdrawal, `GET /v1/me/withdrawals` → getMeWithdrawals,
 * `POST /v1/orders/{orderRef}/refunds` → postOrderRefunds, `DELETE /v1/api-keys/:keyId` → deleteApiKey.
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.split("/").filter(Boolean);
  if (segments[0] && /^v\d+$/.test(segments[0])) segments.shift();
  const words = segments.flatMap((s, i) => {
    if (isParam(s)) return [];
    const next = segments[i + 1];
    return [pascal(next !== undefined && isParam(next) ? pluralize.singular(s) : s)];
  });
  return method.toLowerCase() + words.join("");
}

/**
 * The API: /v1, /health and the click redirect /r/ (public, driven by the reference like any other route). Anything
 * else (the web app, scripts) is hidden unless it says `hide: false`.
 */
export function isDocumentedPath(url: string): boolean {
  return url.startsWith("/v1/") || url === "/health" || url.startsWith("/r/");
}

/** operationIds that the rule would make unreadable. */
const OPERATION_IDS: Record<string, string> = { "get /r/{code}": "followLink" };

/** onRoute hook: hides the routes that are not part of the API from the document. */
export function hideNonApiRoutes(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as { hide?: boolean };
  if (schema.hide === undefined && !isDocumentedPath(route.url)) route.schema = { ...schema, hide: true } as RouteOptions["schema"];
}

interface ErrorResponse {
  status: number;
  name: string;
  when: string;
  codes: ErrorCode[];
}

const idempotencyCodes = (Object.keys(ERRORS) as ErrorCode[]).filter((c) => c.startsWith("IDEMPOTENCY_"));

/** The error responses every route may give, by when they apply; each lists its codes of the catalogue. */
export const ERROR_RESPONSES: readonly ErrorResponse[] = [
  { status: 400, name: "ValidationFailed", when: "every route", codes: ["VALIDATION_FAILED"] },
  { status: 401, name: "Unauthenticated", when: "authenticated routes", codes: ["UNAUTHENTICATED"] },
  { status: 403, name: "Forbidden", when: "authenticated routes", codes: ["FORBIDDEN"] },
  { status: 404, name: "NotFound", when: "routes with path parameters", codes: ["NOT_FOUND"] },
  { status: 409, name: "IdempotencyConflict", when: "writes that take an Idempotency-Key", codes: idempotencyCodes },
  { status: 413, name: "PayloadTooLarge", when: "routes with a request body", codes: ["PAYLOAD_TOO_LARGE"] },
  { status: 429, name: "RateLimited", when: "every route", codes: ["RATE_LIMITED"] },
  { status: 500, name: "Internal", when: "every route", codes: ["INTERNAL"] },
];

type Json = Record<string, unknown>;

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { in?: string; name?: string }[];
  requestBody?: unknown;
  responses?: Record<string, Json>;
}

/** Which of the error responses an operation gives. */
function errorStatuses(path: string, op: Operation): Set<number> {
  const isPublic = !path.startsWith("/v1/") || (Array.isArray(op.security) && op.security.length === 0);
  const idempotent = (op.parameters ?? []).some((p) => p.in === "header" && p.name?.toLowerCase() === "idempotency-key");
  const out = new Set([400, 429, 500]);
  if (!isPublic) for (const s of [401, 403]) out.add(s);
  if (/\{[^}]+\}/.test(path)) out.add(404);
  if (idempotent && idempotencyCodes.length > 0) out.add(409);
  if (op.requestBody !== undefined) out.add(413);
  return out;
}

function errorSchema(): Json {
  return {
    type: "object",
    description: "Every error: a code of the error catalogue, a message for people, and details (issues, errorId, …).",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message", "details"],
        properties: {
          code: { type: "string", enum: Object.keys(ERRORS), description: "stable, machine-readable; see the error catalogue" },
          message: { type: "string", description: "for people; may change" },
          details: {
            type: "object",
            additionalProperties: true,
            description: "VALIDATION_FAILED: issues [{ path, message }]; INTERNAL: errorId; RATE_LIMITED: retryAfterSeconds",
          },
        },
      },
    },
  };
}

function responseComponent(r: ErrorResponse): Json {
  const codes = r.codes.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join(" ");
  const out: Json = {
    description: `${codes} (Given on ${r.when}; other codes of the catalogue with status ${r.status} may apply to a route.)`,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
  };
  if (r.status === 429)
    out.headers = { "Retry-After": { description: "seconds to wait before retrying", schema: { type: "integer", minimum: 1 } } };
  return out;
}

/** The success response Fastify documents for a route without a response schema: a JSON body, not yet described. */
function describeDefaultSuccess(responses: Record<string, Json>): void {
  for (const [status, r] of Object.entries(responses))
    if (/^2/.test(status) && r.content === undefined && r.description === "Default Response")
      responses[status] = {
        description: "Success: a JSON body (not described by a schema yet)",
        content: { "application/json": { schema: {} } },
      };
}

/** @fastify/swagger's transformObject: completes every operation of the document. */
export const completeDocument: SwaggerTransformObject = (document) => {
  const doc = ("openapiObject" in document ? document.openapiObject : document.swaggerObject) as Json & {
    paths?: Record<string, Record<string, Operation>>;
    components?: Json;
  };
  const components = (doc.components ?? {}) as { schemas?: Json; responses?: Json };
  components.schemas = { ...(components.schemas ?? {}), [ERROR_SCHEMA]: errorSchema() };
  components.responses = {
    ...(components.responses ?? {}),
    ...Object.fromEntries(ERROR_RESPONSES.map((r) => [r.name, responseComponent(r)])),
  };
  doc.components = components;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      op.operationId ??= OPERATION_IDS[`${method} ${path}`] ?? operationIdOf(method, path);
      if (!path.startsWith("/v1/") && op.security === undefined) op.security = [];
      const responses = op.responses ?? {};
      if (path.startsWith("/v1/") || path === "/health") describeDefaultSuccess(responses);
      const statuses = errorStatuses(path, op);
      for (const r of ERROR_RESPONSES)
        if (statuses.has(r.status) && responses[r.status] === undefined) responses[r.status] = { $ref: `#/components/responses/${r.name}` };
      op.responses = responses;
    }
  }
  return doc;
};
