/**
 * Hostile and careless input, one case per kind: unknown fields, NUL and lone surrogates, dates PostgreSQL cannot
 * store, garbage cursors, integers past PostgreSQL's range, zero-amount orders, empty and blank strings, and
 * credentials checked before the body. Each is a 4xx naming the field, with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPUTED_DATE_MAX, DATE_COMPUTED_SPAN_DAYS_MAX, DATE_MAX } from "../src/http/dates.ts";
import { findBadInput, INPUT_DEPTH_MAX } from "../src/http/input.ts";
import { HOLD_DAYS_MAX, PROTECTION_DAYS_MAX } from "../src/modules/programs/schema.ts";
import {
  type Harness,
  type MerchantFixture,
  merchantFixture,
  paidOrder,
  promoterFixture,
  START,
  startHarness,
  writeSnapshot,
} from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let p: Awaited<ReturnType<typeof promoterFixture>>;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Input");
  p = await promoterFixture(h, m, "Inp");
  const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-1", "C-IN-1") });
  expect(o.status).toBe(201);
});
afterAll(async () => h?.close());

/** A request that must be refused with 400 VALIDATION_FAILED naming `field`, writing nothing. */
async function refusedNaming(
  field: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  const before = await writeSnapshot(h.db);
  const r = opts.raw
    ? await fetch(h.base + path, {
        method,
        headers: { "content-type": "application/json", authorization: `Bearer ${opts.token}` },
        body: opts.raw,
      }).then(async (res) => ({ status: res.status, body: await res.json() }))
    : await h.call(method, path, opts);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.code).toBe("VALIDATION_FAILED");
  expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(field);
  expect(r.body.error.message).toContain(field);
  expect(await writeSnapshot(h.db)).toEqual(before);
  return r;
}

describe("unknown fields are an error naming the field", () => {
  it("in an order, at the top, in a nested object and in a line of an array", async () => {
    const r = await refusedNaming("lines.0.colour", "POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("IN-U1", "C-U1", {
        lines: [{ productId: "P1", quantity: 1, netAmountMinor: 100, colour: "red" }],
      }),
    });
    expect(r.body.error.message).toBe("lines.0.colour: unknown field");
    await refusedNaming("promocode", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-U2", "C-U2", { promocode: p.code }) });
    await refusedNaming("customer.mobile", "POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("IN-U3", "C-U3", { customer: { ref: "C-U3", mobile: "1" } }),
    });
    await refusedNaming("orders.0.colour", "POST", "/v1/orders/batch", {
      token: m.apiKey,
      body: { orders: [{ ...paidOrder("IN-U4", "C-U4"), colour: "red" }] },
    });
  });

  it("in bodies with defaults and refinements, and in query strings", async () => {
    await refusedNaming("when", "POST", "/v1/orders/IN-1/complete", { token: m.apiKey, body: { when: START } });
    await refusedNaming("note", "POST", "/v1/orders/IN-1/refunds", { token: m.apiKey, body: { amountMinor: 1, note: "x" } });
    await refusedNaming("querystring.sort", "GET", "/v1/orders?sort=asc", { token: m.apiKey });
    // an API route that takes no query takes no unknown one either; a click link keeps its utm_… parameters
    await refusedNaming("querystring.expand", "GET", "/v1/orders/IN-1?expand=lines", { token: m.apiKey });
    expect((await h.call("GET", `/r/${p.code}?utm_source=wechat`)).status).toBe(302);
    // a known query still passes
    expect((await h.call("GET", `/v1/orders?programId=${m.programId}&limit=5`, { token: m.apiKey })).status).toBe(200);
  });

  it("the OpenAPI document says so: request objects have additionalProperties false", async () => {
    const doc = (await h.call("GET", "/openapi.json")).body;
    const body = doc.paths["/v1/orders"].post.requestBody.content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.lines.items.additionalProperties).toBe(false);
    expect(body.properties.customer.additionalProperties).toBe(false);
  });
});

describe("strings PostgreSQL cannot store", () => {
  it("a NUL in a body string, an object key, a plan document, a path and a query", async () => {
    await refusedNaming("customer.ref", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-N1", "C\u0000N1") });
    await refusedNaming("lines.0.productName", "POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("IN-N2", "C-N2", { lines: [{ productId: "P1", productName: "a\u0000b", quantity: 1, netAmountMinor: 100 }] }),
    });
    await refusedNaming("document.base.x\u0000", "POST", `/v1/programs/${m.programId}/plans`, {
      token: m.apiKey,
      body: { document: { version: 1, base: { defaultRateBps: 100, "x\u0000": 1 } } },
    });
    await refusedNaming("document.name", "POST", `/v1/programs/${m.programId}/plans/lint`, {
      token: m.apiKey,
      body: { document: { version: 1, name: "a\u0000", base: { defaultRateBps: 100 } } },
    });
    await refusedNaming("params.orderRef", "POST", "/v1/orders/IN%001/complete", { token: m.apiKey, body: {} });
    await refusedNaming("querystring.programId", "GET", "/v1/orders?programId=a%00b", { token: m.apiKey });
  });

  it("a lone surrogate, high or low, in a body string and in a plan document", async () => {
    // JSON.stringify writes lone surrogates as \ud800 escapes; the server's JSON parser turns them back into one.
    await refusedNaming("orderRef", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-\ud800", "C-S1") });
    await refusedNaming("customer.name", "POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("IN-S2", "C-S2", { customer: { ref: "C-S2", name: "x\udc00y" } }),
    });
    await refusedNaming("document.name", "POST", `/v1/programs/${m.programId}/plans`, {
      token: m.apiKey,
      body: { document: { version: 1, name: "\udbff", base: { defaultRateBps: 100 } } },
    });
    // a well-formed pair (an emoji) is fine
    const ok = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-S3-👶🏻", "C-S3") });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it("a body that is not JSON, or carries __proto__, names the body", async () => {
    await refusedNaming("body", "POST", "/v1/api-keys", { token: m.apiKey, raw: '{"name": ' });
    await refusedNaming("body", "POST", "/v1/api-keys", { token: m.apiKey, raw: '{"name":"x","__proto__":{"admin":true}}' });
  });

  it("JSON nested deeper than INPUT_DEPTH_MAX is refused without walking it recursively", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    await refusedNaming(`document${".0".repeat(INPUT_DEPTH_MAX - 1)}`, "POST", `/v1/programs/${m.programId}/plans/lint`, {
      token: m.apiKey,
      raw: `{"document":${deep}}`,
    });
    expect(findBadInput({ a: [[["ok"]]] })).toBeNull();
  });
});

describe("dates", () => {
  it("year 0000, year 9999 and dates outside the accepted range are refused for every date field", async () => {
    for (const at of ["0000-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "3000-01-01T00:00:00Z"]) {
      await refusedNaming("paidAt", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder(`IN-D-${at}`, "C-D", { paidAt: at }) });
      await refusedNaming("effectiveFrom", "POST", `/v1/programs/${m.programId}/plans/1/publish`, {
        token: m.apiKey,
        body: { effectiveFrom: at },
      });
      await refusedNaming("registeredAt", "POST", "/v1/customers", { token: m.apiKey, body: { customerRef: "C-D", registeredAt: at } });
      await refusedNaming("refundedAt", "POST", "/v1/orders/IN-1/refunds", { token: m.apiKey, body: { amountMinor: 1, refundedAt: at } });
      await refusedNaming("querystring.from", "GET", `/v1/programs/${m.programId}/experiment?from=${encodeURIComponent(at)}`, {
        token: m.apiKey,
      });
    }
  });

  it("a period key that is out of range or would name another period is refused, and closes nothing", async () => {
    const close = (k: string) => `/v1/programs/${m.programId}/periods/${k}/close`;
    for (const k of ["0000-01", "1999-12", "3000-01"]) await refusedNaming("params.periodKey", "POST", close(k), { token: m.apiKey });
    // month 00 would have closed 2025-12, and 2021-W53 a week of 2022
    for (const k of ["2026-00", "2026-13"]) await refusedNaming("periodKey", "POST", close(k), { token: m.apiKey });
  });

  it("every date computed from an accepted one (now or an input plus the longest span) stays storable", () => {
    const longest = Math.max(HOLD_DAYS_MAX, PROTECTION_DAYS_MAX);
    expect(longest).toBeLessThanOrEqual(DATE_COMPUTED_SPAN_DAYS_MAX);
    expect(Date.parse(DATE_MAX) + DATE_COMPUTED_SPAN_DAYS_MAX * 86_400_000).toBeLessThan(Date.parse(COMPUTED_DATE_MAX));
  });
});

describe("cursors and integers past PostgreSQL's range", () => {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
  it("cursors that decode to garbage are a 400 naming cursor", async () => {
    for (const c of [
      "nonsense",
      b64("1|x"), // Date.parse reads "1" as a year; PostgreSQL does not
      b64("0000-01-01T00:00:00.000Z|x"),
      b64("+275760-09-13T00:00:00.000Z|x"),
      b64("2026-01-01T00:00:00.000Z|a\u0000b"),
      b64("2026-01-01T00:00:00.000Z|"),
      "%ff%fe",
      "a.b",
    ]) {
      await refusedNaming("cursor", "GET", `/v1/orders?cursor=${encodeURIComponent(c)}`, { token: m.apiKey });
      await refusedNaming("cursor", "GET", `/v1/me/orders?merchantId=${m.merchantId}&cursor=${encodeURIComponent(c)}`, { token: p.token });
    }
  });

  it("a path the router cannot read is a 400 naming url, and a 128-character ref is routed", async () => {
    const bad = await refusedNaming("url", "POST", "/v1/orders/%ED%A0%80/complete", { token: m.apiKey, body: {} });
    expect(bad.body.error.message).toContain("percent-encoding");
    // orderRef may be 128 characters: the router must let it through to the schema
    const long = "R".repeat(128);
    const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder(long, "C-LONG") });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    expect((await h.call("GET", `/v1/orders/${long}`, { token: m.apiKey })).status).toBe(200);
    await refusedNaming("params.orderRef", "GET", `/v1/orders/${"R".repeat(129)}`, { token: m.apiKey });
  });

  it("a sequence cursor past 2^53 and a plan version past int4 are refused", async () => {
    const acc = encodeURIComponent(`promoter:${p.promoterId}:pending`);
    await refusedNaming("querystring.cursor", "GET", `/v1/ledger/transactions?account=${acc}&cursor=99999999999999999999`, {
      token: m.apiKey,
    });
    await refusedNaming("params.version", "GET", `/v1/programs/${m.programId}/plans/2147483648`, { token: m.apiKey });
    await refusedNaming("params.version", "POST", `/v1/programs/${m.programId}/plans/99999999999999999999/publish`, {
      token: m.apiKey,
      body: {},
    });
  });
});

describe("careless values", () => {
  it("an order whose lines total 0 is refused", async () => {
    const r = await refusedNaming("lines", "POST", "/v1/orders", {
      token: m.apiKey,
      body: paidOrder("IN-Z1", "C-Z1", { lines: [{ productId: "P1", quantity: 1, netAmountMinor: 0 }] }),
    });
    expect(r.body.error.message).toContain("total 0");
  });

  it("empty strings where a value is required, and blank names", async () => {
    await refusedNaming("programId", "POST", "/v1/me/links", { token: p.token, body: { merchantId: m.merchantId, programId: "" } });
    await refusedNaming("programId", "POST", "/v1/orders", { token: m.apiKey, body: paidOrder("IN-E1", "C-E1", { programId: "" }) });
    await refusedNaming("querystring.programId", "GET", "/v1/orders?programId=", { token: m.apiKey });
    await refusedNaming("name", "POST", "/v1/api-keys", { token: m.apiKey, body: { name: "   " } });
    await refusedNaming("name", "PATCH", `/v1/programs/${m.programId}`, { token: m.apiKey, body: { name: " \t " } });
  });
});

describe("credentials are checked before the body", () => {
  it("no credentials or a wrong token is a 401 whatever the body, even one that is not JSON", async () => {
    for (const token of [undefined, "fxk_wrong", "nonsense"]) {
      const bad = await h.call("POST", "/v1/orders", { token, body: { lines: "no", colour: 1 } });
      expect(bad.status, JSON.stringify(bad.body)).toBe(401);
      expect(bad.body.error.code).toBe("UNAUTHENTICATED");
      const res = await fetch(`${h.base}/v1/programs`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: "{not json",
      });
      expect(res.status).toBe(401);
      const q = await h.call("GET", "/v1/orders?limit=nope", { token });
      expect(q.status).toBe(401);
    }
  });

  it("the Bearer scheme is matched case-insensitively", async () => {
    for (const scheme of ["bearer", "BEARER", "BeArEr"]) {
      const r = await h.call("GET", "/v1/merchant", { headers: { authorization: `${scheme} ${m.apiKey}` } });
      expect(r.status, scheme).toBe(200);
      expect(r.body.id).toBe(m.merchantId);
    }
    expect((await h.call("GET", "/v1/merchant", { headers: { authorization: `Basic ${m.apiKey}` } })).status).toBe(401);
  });

  it("public routes stay public and validate their bodies", async () => {
    const login = await h.call("POST", "/v1/auth/login", { body: { email: "nope" } });
    expect(login.status).toBe(400);
    const join = await h.call("POST", "/v1/join", { body: { name: "x" } });
    expect(join.status).toBe(400);
    expect((await h.call("GET", "/health")).status).toBe(200);
    expect((await h.call("GET", "/openapi.json")).status).toBe(200);
    expect((await h.call("GET", `/r/${p.code}`)).status).toBe(302);
  });
});
