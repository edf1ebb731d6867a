/**
 * What every request's input must be before a handler sees it, checked once for every route (app.ts installs it):
 *
 * - no string (value or key, in the body, the path or the query) holds a NUL character or a lone UTF-16 surrogate:
 *   PostgreSQL can store neither in text or jsonb, and neither is ever meant;
 * - JSON nests at most INPUT_DEPTH_MAX levels;
 * - an object accepts only the fields its schema names: an unknown field is an error naming it (`lines.0.colour:
 *   unknown field`), as Stripe answers, rather than being dropped in silence (a misspelt optional field would
 *   otherwise be lost without a word);
 * - every error is a 400 VALIDATION_FAILED naming the field: `details.issues[].path`, body fields bare
 *   (`customer.ref`), the others prefixed (`querystring.limit`, `params.version`).
 */
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler, RouteOptions } from "fastify";
import { z } from "zod";
import { ApiError } from "./errors.ts";

/** JSON nested deeper than this is refused (a plan document, the deepest input, is a handful of levels). */
export const INPUT_DEPTH_MAX = 32;

export interface InputIssue {
  path: string;
  message: string;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (matched per code unit). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be accepted, or null when it can. */
export function badString(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain the NUL character (U+0000)";
  if (LONE_SURROGATE.test(s)) return "must not contain a lone UTF-16 surrogate";
  return null;
}

function join(prefix: string, path: readonly (string | number)[]): string {
  if (path.length === 0) return prefix.replace(/\.$/, "") || "body";
  return `${prefix}${path.join(".")}`;
}

interface Node {
  v: unknown;
  key: string | number | null;
  up: Node | null;
  depth: number;
}

function pathOf(n: Node): (string | number)[] {
  const out: (string | number)[] = [];
  for (let x: Node | null = n; x && x.key !== null; x = x.up) out.push(x.key);
  return out.reverse();
}

/**
 * The first string (or object key) that cannot be stored, or the first level nested too deeply; walked without
 * recursion so that hostile nesting cannot overflow the stack, and building a path only for what it reports.
 */
export function findBadInput(value: unknown, prefix = ""): InputIssue | null {
  const stack: Node[] = [{ v: value, key: null, up: null, depth: 0 }];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    const v = n.v;
    if (typeof v === "string") {
      const why = badString(v);
      if (why) return { path: join(prefix, pathOf(n)), message: why };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (n.depth >= INPUT_DEPTH_MAX) return { path: join(prefix, pathOf(n)), message: `nested deeper than ${INPUT_DEPTH_MAX} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], key: i, up: n, depth: n.depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (const k of keys) {
      const why = badString(k);
      if (why) return { path: join(prefix, [...pathOf(n), k]), message: `field name ${why}` };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      stack.push({ v: (v as Record<string, unknown>)[k], key: k, up: n, depth: n.depth + 1 });
    }
  }
  return null;
}

export function validationError(issues: InputIssue[]): ApiError {
  const first = issues[0];
  return new ApiError("VALIDATION_FAILED", first ? `${first.path}: ${first.message}` : undefined, { issues });
}

/** zod's issues as the API names them: one issue per unknown key, with the key in the path. */
export function issuesOf(error: z.ZodError, prefix = ""): InputIssue[] {
  return error.issues.flatMap((i) => {
    const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: join(prefix, [...path, k]), message: "unknown field" }));
    return [{ path: join(prefix, path), message: i.message }];
  });
}

// --- strict schemas ----------------------------------------------------------------------------------------------

type Def = { type: string } & Record<string, unknown>;
type Schema = z.ZodType & { clone(def: unknown): z.ZodType };

const strictOf = new WeakMap<z.ZodType, z.ZodType>();

/** The children of a schema that strictness reaches, by the name of the def field that holds them. */
function rebuiltParts(def: Def): Record<string, unknown> | null {
  const one = (k: string) => ({ [k]: strictDeep(def[k] as z.ZodType) });
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      const next = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, strictDeep(v)]));
      // An object that asked for other keys (catchall, passthrough) keeps them; the default (strip) becomes strict.
      return { shape: next, catchall: def.catchall ?? z.never() };
    }
    case "array":
      return one("element");
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return one("innerType");
    case "pipe":
      return { in: strictDeep(def.in as z.ZodType), out: strictDeep(def.out as z.ZodType) };
    case "union":
      return { options: (def.options as z.ZodType[]).map(strictDeep) };
    case "intersection":
      return { left: strictDeep(def.left as z.ZodType), right: strictDeep(def.right as z.ZodType) };
    case "record":
      return one("valueType");
    default:
      return null;
  }
}

function changed(def: Def, parts: Record<string, unknown>): boolean {
  if (def.type === "object") return true;
  return Object.entries(parts).some(([k, v]) => (Array.isArray(v) ? v.some((x, i) => x !== (def[k] as unknown[])[i]) : v !== def[k]));
}

/**
 * The same schema with every object in it strict (unknown keys are an issue), refinements, defaults and
 * descriptions kept. Leaves (strings, numbers, unknown documents) are returned as they are.
 */
export function strictDeep<T extends z.ZodType>(schema: T): T {
  const known = strictOf.get(schema);
  if (known) return known as T;
  const def = schema._zod.def as unknown as Def;
  const parts = rebuiltParts(def);
  let out: z.ZodType = schema;
  if (parts && changed(def, parts)) {
    out = (schema as unknown as Schema).clone(z.core.util.mergeDefs(def, parts));
    const meta = z.globalRegistry.get(schema);
    if (meta) z.globalRegistry.add(out, meta);
  }
  strictOf.set(schema, out);
  return out as T;
}

/** The query of an API route that declares none: no parameter at all. */
const noQuery = z.strictObject({});

/**
 * onRoute hook: the body and query schemas of every route become strict, for validation and for the OpenAPI
 * document; an API route (/v1) without a query schema takes no query parameter. (/r/{code} and the web app keep
 * theirs open: links carry utm_… parameters.)
 */
export function strictRequestSchemas(route: RouteOptions): void {
  const s = (route.schema ?? {}) as { body?: unknown; querystring?: unknown };
  const next = { ...s };
  if (s.body instanceof z.ZodType) next.body = strictDeep(s.body);
  if (s.querystring instanceof z.ZodType) next.querystring = strictDeep(s.querystring);
  else if (!s.querystring && route.url.startsWith("/v1/")) next.querystring = noQuery;
  route.schema = next;
}

/** The validator of every route part: refuses unstorable strings first, then applies the zod schema. */
export const inputValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const prefix = !httpPart || httpPart === "body" ? "" : `${httpPart}.`;
  const checkStrings = httpPart !== "headers";
  return (data: unknown) => {
    const bad = checkStrings ? findBadInput(data, prefix) : null;
    if (bad) return { error: validationError([bad]) };
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data };
    return { error: validationError(issuesOf(r.error, prefix)) };
  };
};

/** PostgreSQL's integer (int4) range: a path or query number past it is refused before it reaches a query. */
export const INT4_MAX = 2_147_483_647;

/** A positive integer in a path (`/plans/:version`): within PostgreSQL's integer. */
export const positiveIntParam = z.coerce.number().int().min(1).max(INT4_MAX);

/** A required human-readable name: not empty and not only spaces. */
export function requiredName(lengthMax: number) {
  return z
    .string()
    .min(1)
    .max(lengthMax)
    .refine((s) => s.trim() !== "", { message: "must not be blank" });
}

/**
 * Path segments may be this long (Fastify's default, 100, is shorter than an orderRef or customerRef may be); a
 * longer one is a 400 naming `url`.
 */
export const PATH_PARAM_LENGTH_MAX = 256;

/** Fastify's `frameworkErrors`: a URL the router cannot read (bad percent-encoding, a segment too long) is a 400 like any other. */
export function frameworkErrors(err: { code?: string }, _req: FastifyRequest, reply: FastifyReply): void {
  const message =
    err.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? `a path segment is longer than ${PATH_PARAM_LENGTH_MAX} characters`
      : "not a valid URL: its percent-encoding is not UTF-8";
  reply.status(400).send(validationError([{ path: "url", message }]).toBody());
}
