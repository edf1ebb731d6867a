/**
 * Bad input, generated: every write route of the OpenAPI document (POST, PUT, PATCH, DELETE) and every GET with a
 * query is driven with a valid request in which one place is made bad (a wrong type, a NUL or a lone surrogate, a
 * huge or negative integer, an empty string, an unknown field, a date PostgreSQL cannot store, a garbage cursor), with
 * the credentials the route needs. Whatever the value: never a 5xx; a validation error names a field; a refused
 * request leaves every table's row count and every ledger head as they were; and a value that can never be right is
 * refused, naming the place it was put. Fixed seed and run counts, so that it is the same test on every run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Harness,
  type Json,
  type MerchantFixture,
  merchantFixture,
  PASSWORD,
  paidOrder,
  promoterFixture,
  START,
  startHarness,
  writeSnapshot,
} from "./helpers.ts";
import { APPID, ID_P, OPENID_1 } from "./identity-fixtures.ts";

const SEED = 20261201;
const WRITE_RUNS = 700;
const QUERY_RUNS = 250;

type Path = (string | number)[];
interface Route {
  method: string;
  path: string;
  op: Json;
  body?: Json;
  params: Json[];
  query: Json[];
}

let h: Harness;
let m: MerchantFixture;
let p: Awaited<ReturnType<typeof promoterFixture>>;
let routes: Route[];
const pathValues: Record<string, string> = {};
let spareKeyId = "";

let serial = 0;
const fresh = (prefix: string) => `${prefix}${++serial}`;
const PLAN = { version: 1, base: { defaultRateBps: 800 }, team: { levels: [{ rateBps: 200 }] } };

/** Values that make a request valid, by property name (optional properties are sent only when named here). */
const OVERRIDES: Record<string, () => unknown> = {
  orderRef: () => fresh("FZ-O"),
  ref: () => fresh("C-FZ"),
  customerRef: () => fresh("C-FZ"),
  email: () => `${fresh("fz")}@test.local`,
  adminEmail: () => `${fresh("fza")}@test.local`,
  password: () => PASSWORD,
  adminPassword: () => PASSWORD,
  name: () => fresh("Fuzz "),
  adminName: () => "Fuzz admin",
  programId: () => m.programId,
  merchantId: () => m.merchantId,
  promoterId: () => p.promoterId,
  inviteCode: () => p.code,
  promoCode: () => p.code,
  phone: () => "13812341234",
  currency: () => "CNY",
  timezone: () => "Asia/Shanghai",
  landingUrl: () => "https://shop.example/",
  document: () => PLAN,
  productId: () => "P1",
  id: () => "P1",
  netAmountMinor: () => 1_000,
  amountMinor: () => 1,
  quantity: () => 1,
  type: () => "click",
  paidAt: () => START,
  legalName: () => "张三",
  idNumber: () => ID_P,
  appid: () => APPID,
  openid: () => OPENID_1,
  reason: () => "fuzz reason",
};

/** The path parameters of the fixture, by route (several order events need orders of their own). */
function pathValue(route: string, name: string): string {
  if (name === "orderRef") return pathValues[route.split("/").pop() ?? ""] ?? "FZ-C";
  if (name === "keyId") return spareKeyId;
  return pathValues[name] ?? "x";
}

function pick(s: Json): Json {
  const alts = s?.anyOf ?? s?.oneOf;
  if (alts) return alts.find((a: Json) => a.type !== "null") ?? alts[0];
  return s ?? {};
}

const SKIP = Symbol("skip");

/** A valid value for a JSON schema: required properties always, optional ones when OVERRIDES names them. */
function example(schema: Json, name: string | undefined, required: boolean): unknown {
  const over = name ? OVERRIDES[name] : undefined;
  if (over) return over();
  if (!required) return SKIP;
  const s = pick(schema);
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.type === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries<Json>(s.properties ?? {})) {
      const x = example(v, k, (s.required ?? []).includes(k));
      if (x !== SKIP) out[k] = x;
    }
    return out;
  }
  if (s.type === "array") return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => example(s.items, undefined, true));
  if (s.type === "string") {
    if (s.format === "date-time") return START;
    if (s.format === "email") return `${fresh("fz")}@test.local`;
    if (s.format === "uri") return "https://shop.example/";
    return "f".repeat(Math.max(2, s.minLength ?? 1));
  }
  if (s.type === "integer" || s.type === "number") return Math.min(Math.max(1, s.minimum ?? 1), s.maximum ?? 1);
  if (s.type === "boolean") return true;
  return null;
}

interface Place {
  path: Path;
  schema: Json;
  /** The schema allows null. */
  nullable: boolean;
  /** Inside a free-form document (a plan): its own rules decide, not the request schema. */
  free: boolean;
}

function places(schema: Json, path: Path = [], free = false, out: Place[] = []): Place[] {
  const s = pick(schema);
  const nullable = (schema?.anyOf ?? schema?.oneOf ?? []).some((a: Json) => a.type === "null") || schema?.type === "null";
  out.push({ path, schema: s, nullable, free });
  if (path.length >= 5) return out;
  if (s.type === "object")
    for (const [k, v] of Object.entries<Json>(s.properties ?? {})) places(v, [...path, k], free || Object.keys(v).length === 0, out);
  if (s.type === "array" && s.items) places(s.items, [...path, 0], free, out);
  return out;
}

function setAt(target: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  const base =
    typeof head === "number"
      ? Array.isArray(target)
        ? [...target]
        : []
      : target && typeof target === "object" && !Array.isArray(target)
        ? { ...target }
        : {};
  (base as Record<string | number, unknown>)[head] = setAt((base as Record<string | number, unknown>)[head], rest, value);
  return base;
}

// --- bad values ----------------------------------------------------------------------------------------------------

interface Bad {
  kind: string;
  value: unknown;
  /** Never acceptable wherever it is put (outside a free document). */
  always: boolean;
  /** Put as a new key of the object at the place rather than as its value. */
  key?: string;
}

const nul = fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })).map(([a, b]) => `${a}\u0000${b}`);
const surrogate = fc.constantFrom("\ud800", "\udfff", "a\udbffb", "\udc00\ud800", "x\ud83d");
const hugeInts = [2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e20, -(2 ** 63), 1e308, -1e308];
const badDates = [
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "2026-02-30T00:00:00Z",
  "2026-13-01T00:00:00Z",
  "1999-12-31T23:59:59Z",
  "2026-03-02",
  "yesterday",
];
const wrongTypes = [null, true, 0, 1.5, "x", [], {}, [1], { a: 1 }];
const unknownKeys = ["colour", "extra", "Amount", "x-y", "constructor"];

function outOfBounds(s: Json, n: number): boolean {
  if (s.type !== "integer" && s.type !== "number") return false;
  return (s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum) || !Number.isSafeInteger(n);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A value of another JSON type than the place's schema takes can never be right. */
function wrongType(place: Place, v: unknown): boolean {
  const want = place.schema.type;
  if (place.free || typeof want !== "string") return false;
  const got = jsonType(v);
  if (got === "null") return !place.nullable;
  return !(got === want || (want === "number" && got === "integer"));
}

function badFor(place: Place): fc.Arbitrary<Bad> {
  const s = place.schema;
  const options: fc.Arbitrary<Bad>[] = [
    nul.map((value) => ({ kind: "nul", value, always: true })),
    surrogate.map((value) => ({ kind: "surrogate", value, always: true })),
    fc.constantFrom(...wrongTypes).map((value) => ({ kind: "type", value, always: wrongType(place, value) })),
  ];
  if (s.type === "integer" || s.type === "number") {
    options.push(fc.constantFrom(...hugeInts).map((value) => ({ kind: "huge", value, always: !place.free && outOfBounds(s, value) })));
    options.push(
      fc.integer({ min: -1e9, max: -1 }).map((value) => ({ kind: "negative", value, always: !place.free && outOfBounds(s, value) })),
    );
  }
  if (s.type === "string") {
    options.push(fc.constantFrom("", " ", "\t").map((value) => ({ kind: "empty", value, always: false })));
    options.push(
      fc.constantFrom("x".repeat(20_000)).map((value) => ({ kind: "long", value, always: !place.free && s.maxLength !== undefined })),
    );
  }
  if (s.format === "date-time") options.push(fc.constantFrom(...badDates).map((value) => ({ kind: "date", value, always: !place.free })));
  if (s.type === "object" || place.path.length === 0)
    options.push(fc.constantFrom(...unknownKeys).map((key) => ({ kind: "unknown", value: 1, key, always: !place.free })));
  return fc.oneof(...options);
}

const badPathValues = [
  "0000-01",
  "2026-00",
  "2026-13",
  "2021-W53",
  "1999-12",
  "a%00b",
  "%ED%A0%80",
  "99999999999999999999",
  "2147483648",
  "x".repeat(5_000),
  "%FF",
  "-1",
  "0",
  "1.5",
  "%20",
];
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const badQueryValues = [
  "a%00b",
  "%ED%A0%80",
  "%FF",
  "",
  "99999999999999999999",
  "-1",
  "1e400",
  b64("1|x"),
  b64("0000-01-01T00:00:00.000Z|x"),
  b64("9999-12-31T23:59:59.999Z|x"),
  b64("2026-01-01T00:00:00.000Z|a\u0000b"),
  b64("2026-01-01T00:00:00.000Z|\ud800"),
  b64("x".repeat(150)),
  "%%%",
];

// --- the fixture ---------------------------------------------------------------------------------------------------

function tokenFor(route: Route, asAdmin: boolean): string | undefined {
  const tags: string[] = route.op.tags ?? [];
  if (Array.isArray(route.op.security) && route.op.security.length === 0) return undefined;
  if (tags.includes("platform")) return h.adminToken;
  if (tags.includes("portal")) return p.token;
  return asAdmin ? m.adminToken : m.apiKey;
}

function urlOf(route: Route, params: Record<string, string> = {}, query = ""): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? encodeURIComponent(pathValue(route.path, n)));
  return query ? `${path}?${query}` : path;
}

/** The query a GET needs to be valid: its required parameters. */
function baseQuery(route: Route): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of route.query) {
    if (!q.required) continue;
    if (q.name === "account") out[q.name] = `promoter:${p.promoterId}:pending`;
    else out[q.name] = String(OVERRIDES[q.name]?.() ?? "x");
  }
  return out;
}

const qs = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Fuzz");
  p = await promoterFixture(h, m, "Fzp");
  const put = await h.call("PUT", "/v1/products", {
    token: m.apiKey,
    body: { items: [{ id: "P1", name: "Product 1", priceMinor: 1000 }] },
  });
  expect(put.status).toBe(200);
  for (const [event, ref] of [
    ["refunds", "FZ-R"],
    ["complete", "FZ-C"],
    ["cancel", "FZ-X"],
  ] as const) {
    const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder(ref, `C-${ref}`, { promoCode: p.code }) });
    expect(o.status).toBe(201);
    pathValues[event] = ref;
  }
  const draft = await h.call("POST", `/v1/programs/${m.programId}/plans`, { token: m.apiKey, body: { document: PLAN } });
  expect(draft.status).toBe(201);
  const key = await h.call("POST", "/v1/api-keys", { token: m.apiKey, body: { name: "spare" } });
  spareKeyId = key.body.id;
  Object.assign(pathValues, {
    programId: m.programId,
    version: String(draft.body.version),
    promoterId: p.promoterId,
    customerRef: "C-FZ-R",
    periodKey: "2026-02",
    code: p.code,
    provider: "sandbox",
    file: "2026-11.csv",
  });

  const doc = (await h.call("GET", "/openapi.json")).body;
  routes = [];
  for (const [path, ops] of Object.entries<Json>(doc.paths))
    for (const [method, op] of Object.entries<Json>(ops)) {
      const parameters: Json[] = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        path,
        op,
        body: op.requestBody?.content?.["application/json"]?.schema,
        params: parameters.filter((x) => x.in === "path"),
        query: parameters.filter((x) => x.in === "query"),
      });
    }
});
afterAll(async () => h?.close());

const isWrite = (r: Route) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method);
// Logout ends the session it is sent with and takes no input: nothing to fuzz, and it would end the fixture's session.
// A CSV upload's body is a file, not JSON (imports.test.ts tries bad files); a shop's webhook is checked by its
// signature before anything of its body is read (connectors.test.ts).
const NOT_JSON = new Set(["/v1/imports/orders", "/v1/connectors/{connectorId}/webhook"]);
const fuzzable = (r: Route) => isWrite(r) && r.path !== "/v1/auth/logout" && !NOT_JSON.has(r.path);

async function check(
  route: Route,
  url: string,
  init: { body?: unknown; asAdmin: boolean },
  expectRefused: { always: boolean; names: string },
): Promise<void> {
  const before = await writeSnapshot(h.db);
  const r = await h.call(route.method, url, { token: tokenFor(route, init.asAdmin), body: init.body });
  const what = `${route.method} ${url.slice(0, 200)} ${JSON.stringify(init.body)?.slice(0, 300)} → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`;
  expect(r.status, what).toBeLessThan(500);
  if (r.status >= 400) {
    expect(typeof r.body?.error?.code, what).toBe("string");
    if (r.body.error.code === "VALIDATION_FAILED") {
      const issues: { path: string }[] = r.body.error.details?.issues ?? [];
      expect(issues.length > 0 || /^[\w.]+: /.test(r.body.error.message), what).toBe(true);
      for (const i of issues) expect(i.path.length, what).toBeGreaterThan(0);
      if (expectRefused.always) {
        const named = issues.some((i) => i.path.includes(expectRefused.names)) || r.body.error.message.includes(expectRefused.names);
        expect(named, `${what}: should name ${expectRefused.names}`).toBe(true);
      }
    }
    expect(await writeSnapshot(h.db), what).toEqual(before);
  } else {
    expect(expectRefused.always, `${what}: accepted`).toBe(false);
  }
}

/**
 * A URL the router cannot read names `url`; a NUL, or a non-integer where an integer is due, names the parameter.
 * Elsewhere a path value may be right (an orderRef may be "0") and is held only to the general rules.
 */
function pathExpectation(route: Route, name: string, value: string): { always: boolean; names: string } {
  const unreadable = value.length > 256 || /%(ED|FF)/.test(value);
  const schema = route.params.find((x) => x.name === name)?.schema ?? {};
  const always = unreadable || value.includes("%00") || (schema.type === "integer" && !/^[1-9]\d{0,8}$/.test(value));
  return { always, names: unreadable ? "url" : `params.${name}` };
}

describe("bad input, generated from the OpenAPI document", () => {
  it("every write route has a fixture request that passes validation", async () => {
    const writes = routes.filter(fuzzable);
    expect(writes.length).toBeGreaterThanOrEqual(25);
    for (const route of writes) {
      const body = route.body ? example(route.body, undefined, true) : undefined;
      const r = await h.call(route.method, urlOf(route), { token: tokenFor(route, false), body });
      expect(r.status, `${route.method} ${route.path} ${JSON.stringify(body)} → ${JSON.stringify(r.body)}`).not.toBe(400);
      expect(r.status).toBeLessThan(500);
    }
  });

  it("write routes: one bad value in the body or the path", async () => {
    // A route with neither a body nor a path parameter (POST /v1/me/reveal) has no value to make bad.
    const writes = routes.filter(fuzzable).filter((r) => (r.body ? places(r.body).length > 0 : false) || r.params.length > 0);
    const arb = fc.constantFrom(...writes).chain((route) => {
      const bodyPlaces = route.body ? places(route.body) : [];
      const inBody = bodyPlaces.length
        ? fc.constantFrom(...bodyPlaces).chain((place) => badFor(place).map((bad) => ({ where: "body" as const, place, bad })))
        : null;
      const inPath = route.params.length
        ? fc
            .tuple(fc.constantFrom(...route.params.map((x) => x.name as string)), fc.constantFrom(...badPathValues))
            .map(([name, value]) => ({ where: "path" as const, name, value }))
        : null;
      const where = [inBody, inPath].filter((x) => x !== null);
      return fc.tuple(fc.constant(route), fc.oneof(...(where as fc.Arbitrary<Json>[])), fc.boolean());
    });
    await fc.assert(
      fc.asyncProperty(arb, async ([route, change, asAdmin]) => {
        const base = route.body ? example(route.body, undefined, true) : undefined;
        if (change.where === "path") {
          const url = urlOf(route, { [change.name]: change.value });
          await check(route, url, { body: base, asAdmin }, pathExpectation(route, change.name, change.value));
          return;
        }
        const { place, bad } = change as { place: Place; bad: Bad };
        const path = bad.key ? [...place.path, bad.key] : place.path;
        const body = setAt(base, path, bad.value);
        await check(route, urlOf(route), { body, asAdmin }, { always: bad.always, names: path.join(".") || "body" });
      }),
      { seed: SEED, numRuns: WRITE_RUNS, endOnFailure: true },
    );
  });

  it("GET routes: one bad value in the query (cursors, NUL, huge integers, unknown parameters) or the path", async () => {
    const reads = routes.filter((r) => r.method === "GET" && (r.query.length > 0 || r.params.length > 0));
    expect(reads.length).toBeGreaterThanOrEqual(15);
    const arb = fc.constantFrom(...reads).chain((route) => {
      const queryNames = [...route.query.map((q) => q.name as string), "colour"];
      const inQuery = fc.tuple(fc.constantFrom(...queryNames), fc.constantFrom(...badQueryValues));
      const inPath = route.params.length
        ? fc.tuple(fc.constantFrom(...route.params.map((x) => `{${x.name}}`)), fc.constantFrom(...badPathValues))
        : inQuery;
      return fc.tuple(fc.constant(route), fc.oneof(inQuery, inPath), fc.boolean());
    });
    await fc.assert(
      fc.asyncProperty(arb, async ([route, [name, value], asAdmin]) => {
        if (name.startsWith("{")) {
          const param = name.slice(1, -1);
          await check(route, urlOf(route, { [param]: value }, qs(baseQuery(route))), { asAdmin }, pathExpectation(route, param, value));
          return;
        }
        const rest = Object.entries(baseQuery(route)).filter(([k]) => k !== name);
        const query = [qs(Object.fromEntries(rest)), `${name}=${value}`].filter(Boolean).join("&");
        // (a query cannot carry a lone surrogate: invalid UTF-8 percent-encoding is left as it was sent)
        // (/r/{code} takes any query: links carry utm_… parameters)
        const always = (name === "colour" && route.path.startsWith("/v1/")) || value.includes("%00");
        await check(route, urlOf(route, {}, query), { asAdmin }, { always, names: name === "colour" ? "querystring.colour" : name });
      }),
      { seed: SEED, numRuns: QUERY_RUNS, endOnFailure: true },
    );
  });
});
