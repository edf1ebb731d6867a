/**
 * The typed client (@fenxiao/client) against a real server, and the OpenAPI document it is generated from: every
 * operation has a unique operationId and its error responses, and the committed client types are not stale.
 * The requests below are type-checked against the generated types (npm run check), so a route whose path, parameters
 * or body changed without `npm run generate:client` fails here.
 */
import { createFenxiaoClient, FenxiaoApiError, type FenxiaoClient, idempotencyKey, unwrap } from "@fenxiao/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staleClientMessage } from "../../../scripts/openapi.ts";
import { ERRORS, type ErrorCode } from "../src/http/errors.ts";
import { ERROR_RESPONSES, operationIdOf } from "../src/http/openapi.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, PASSWORD, startHarness } from "./helpers.ts";

let h: Harness;
let m: MerchantFixture;
let doc: Json;
let merchant: FenxiaoClient;

beforeAll(async () => {
  h = await startHarness();
  m = await merchantFixture(h, "Typed client");
  merchant = createFenxiaoClient({ baseUrl: h.base, token: m.apiKey });
  doc = (await h.call("GET", "/openapi.json")).body;
});
afterAll(async () => h?.close());

const METHODS = ["get", "put", "post", "delete", "patch"];

function operations(): { method: string; path: string; op: Json }[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((mth) => item[mth]).map((method) => ({ method, path, op: item[method] })),
  );
}

describe("the OpenAPI document", () => {
  it("gives every operation a unique operationId", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(50);
    const ids = ops.map((o) => o.op.operationId);
    for (const o of ops) expect(o.op.operationId, `${o.method} ${o.path}`).toMatch(/^[a-z]+[A-Za-z0-9]*$/);
    const seen = new Map<string, string>();
    for (const o of ops) {
      const where = `${o.method.toUpperCase()} ${o.path}`;
      const first = seen.get(o.op.operationId);
      expect(first, `${where} and ${first} share ${o.op.operationId}: give one a schema.operationId`).toBeUndefined();
      seen.set(o.op.operationId, where);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("derives operationIds from the method and the path", () => {
    expect(operationIdOf("GET", "/v1/me/withdrawals/:withdrawalId")).toBe("getMeWithdrawal");
    expect(operationIdOf("GET", "/v1/me/withdrawals")).toBe("getMeWithdrawals");
    expect(operationIdOf("post", "/v1/orders/{orderRef}/refunds")).toBe("postOrderRefunds");
    expect(operationIdOf("DELETE", "/v1/api-keys/:keyId")).toBe("deleteApiKey");
    expect(operationIdOf("POST", "/v1/programs/:programId/periods/:periodKey/close")).toBe("postProgramPeriodClose");
    expect(operationIdOf("GET", "/v1/categories/:categoryId")).toBe("getCategory");
    expect(operationIdOf("GET", "/health")).toBe("getHealth");
    const byPath = Object.fromEntries(operations().map((o) => [`${o.method} ${o.path}`, o.op.operationId]));
    expect(byPath["get /v1/programs/{programId}"]).toBe("getProgram");
    expect(byPath["post /v1/programs/{programId}/plans/{version}/publish"]).toBe("postProgramPlanPublish");
  });

  it("documents the error responses of the catalogue with the shared error body", () => {
    const responses = doc.components.responses as Record<string, Json>;
    for (const r of ERROR_RESPONSES) {
      expect(r.codes.length, r.name).toBeGreaterThan(0);
      for (const code of r.codes) {
        expect(ERRORS[code as ErrorCode].status, code).toBe(r.status);
        expect(responses[r.name].description).toContain(code);
      }
      expect(responses[r.name].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    }
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(ERRORS));
    const ref = (op: Json, status: number) => op.responses[status]?.$ref as string | undefined;
    for (const { method, path, op } of operations()) {
      const where = `${method} ${path}`;
      expect(ref(op, 400), where).toBe("#/components/responses/ValidationFailed");
      expect(ref(op, 429), where).toBe("#/components/responses/RateLimited");
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      expect(ref(op, 401) !== undefined, where).toBe(!isPublic);
      expect(ref(op, 404) !== undefined, where).toBe(path.includes("{"));
      const idempotent = (op.parameters ?? []).some((p: Json) => p.in === "header" && p.name === "idempotency-key");
      expect(ref(op, 409) === "#/components/responses/IdempotencyConflict", where).toBe(idempotent);
    }
    const login = doc.paths["/v1/auth/login"].post;
    expect(login.security).toEqual([]);
    expect(login.responses[401]).toBeUndefined();
    expect(doc.paths["/health"].get.security).toEqual([]);
  });

  it("shows only the API: no web app or document routes", () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => !p.startsWith("/v1/") && p !== "/health")).toEqual(["/r/{code}"]);
    expect(doc.paths["/r/{code}"].get.operationId).toBe("followLink");
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
  });

  it("matches the committed client types", async () => {
    expect(await staleClientMessage(doc)).toBeNull();
  });
});

describe("@fenxiao/client against the server", () => {
  it("logs in and reads the caller", async () => {
    const anonymous = createFenxiaoClient({ baseUrl: `${h.base}/` });
    const { data, error, response } = await anonymous.POST("/v1/auth/login", { body: { email: "root@test.local", password: PASSWORD } });
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(response.status).toBe(200);
    const token = (data as { token: string }).token;
    expect(token).toMatch(/^fxs_/);
    let current: string | null = token;
    const admin = createFenxiaoClient({ baseUrl: h.base, token: () => current });
    const me = await unwrap(admin.GET("/v1/me"));
    expect(me).toMatchObject({ role: "platform_admin" });
    current = null;
    const r = await admin.GET("/v1/me");
    expect(r.response.status).toBe(401);
    expect(r.error?.error.code).toBe("UNAUTHENTICATED");
  });

  it("creates once under an Idempotency-Key and replays the first response", async () => {
    const header = idempotencyKey();
    expect(header["idempotency-key"]).toMatch(/^[0-9a-f]{32}$/);
    expect(idempotencyKey()["idempotency-key"]).not.toBe(header["idempotency-key"]);
    const body = { name: "Client program", landingUrl: "https://shop.example/client" };
    const first = await merchant.POST("/v1/programs", { params: { header }, body });
    expect(first.response.status).toBe(201);
    const again = await merchant.POST("/v1/programs", { params: { header }, body });
    expect(again.response.status).toBe(201);
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data).toEqual(first.data);
    const other = await merchant.POST("/v1/programs", { params: { header }, body: { ...body, name: "Another" } });
    expect(other.response.status).toBe(409);
    expect(other.error?.error.code).toBe("IDEMPOTENCY_KEY_REUSED");

    const id = (first.data as { id: string }).id;
    const read = await unwrap(merchant.GET("/v1/programs/{programId}", { params: { path: { programId: id } } }));
    expect(read).toMatchObject({ id, name: "Client program" });
    const list = await unwrap(merchant.GET("/v1/programs"));
    expect((list as { items: { id: string }[] }).items.map((p) => p.id)).toContain(id);
  });

  it("gives the error body of the catalogue, typed", async () => {
    const missing = await merchant.GET("/v1/programs/{programId}", { params: { path: { programId: "prg_missing" } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("NOT_FOUND");
    await expect(
      unwrap(merchant.GET("/v1/programs/{programId}", { params: { path: { programId: "prg_missing" } } })),
    ).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });

    const bad = await merchant.PATCH("/v1/programs/{programId}", {
      params: { path: { programId: m.programId } },
      body: { holdDays: -1 },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(bad.error?.error.details)).toContain("holdDays");
    const thrown = await unwrap(
      merchant.PATCH("/v1/programs/{programId}", { params: { path: { programId: m.programId } }, body: { holdDays: -1 } }),
    ).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(FenxiaoApiError);
  });
});
