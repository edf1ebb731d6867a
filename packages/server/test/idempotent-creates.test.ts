/**
 * Creating programs, plan drafts, promoters and publishing a plan take an Idempotency-Key like the order events: a
 * retry returns the first response and creates nothing more, concurrent duplicates have one effect, and a key reused
 * with another body is a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, PASSWORD, startHarness } from "./helpers.ts";

describe("idempotent creates", () => {
  let h: Harness;
  let m: MerchantFixture;
  beforeAll(async () => {
    h = await startHarness();
    m = await merchantFixture(h, "Keys");
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (path: string, body: unknown, key?: string) =>
    h.call("POST", path, { token: m.apiKey, body, headers: key ? { "idempotency-key": key } : {} });

  it("POST /v1/programs: a retry returns the same program; another body under the key is a 409", async () => {
    const body = { name: "门店计划", landingUrl: "https://shop.example/store" };
    const first = await post("/v1/programs", body, "prg-1");
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBe("false");
    const again = await post("/v1/programs", body, "prg-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const other = await post("/v1/programs", { ...body, name: "另一个" }, "prg-1");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const list = await h.call("GET", "/v1/programs", { token: m.apiKey });
    expect(list.body.items.filter((p: { name: string }) => p.name === "门店计划")).toHaveLength(1);
    // Without a key, each call creates one (as before).
    expect((await post("/v1/programs", { name: "无键", landingUrl: "https://shop.example/" })).status).toBe(201);
  });

  it("POST /v1/promoters: 10 concurrent duplicates and a retry add one promoter; the password is not part of the request", async () => {
    const body = { programId: m.programId, name: "店员小李", phone: "13700001111" };
    const all = await Promise.all(Array.from({ length: 10 }, () => post("/v1/promoters", body, "staff-li")));
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(all.map((r) => r.body.promoterId));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r.headers.get("idempotent-replayed") === "false")).toHaveLength(1);
    const retry = await post("/v1/promoters", body, "staff-li");
    expect(retry.body.promoterId).toBe([...ids][0]);
    const members = await h.call("GET", `/v1/promoters?programId=${m.programId}&limit=100`, { token: m.apiKey });
    expect(members.body.items.filter((p: { name: string }) => p.name === "店员小李")).toHaveLength(1);

    const withLogin = { programId: m.programId, name: "店长", email: `lead-${Date.now()}@test.local`, password: PASSWORD };
    const a = await post("/v1/promoters", withLogin, "staff-lead");
    const b = await post("/v1/promoters", { ...withLogin, password: "another-password-9" }, "staff-lead");
    expect(a.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(b.body.promoterId).toBe(a.body.promoterId);
    const stored = await h.db.read((q) =>
      q.query<{ response: string }>(
        "SELECT response::text AS response FROM idempotency_keys WHERE merchant_id = $1 AND key = 'staff-lead'",
        [m.merchantId],
      ),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.response).not.toContain(PASSWORD);
  });

  it("plan drafts and publishing: a retry returns the first response instead of a second draft or PLAN_NOT_DRAFT", async () => {
    const doc = { version: 1, base: { defaultRateBps: 800 } };
    const path = `/v1/programs/${m.programId}/plans`;
    const before = (await h.call("GET", path, { token: m.apiKey })).body.items.length;
    const d1 = await post(path, { document: doc }, "draft-1");
    const d2 = await post(path, { document: doc }, "draft-1");
    expect(d1.status).toBe(201);
    expect(d2.headers.get("idempotent-replayed")).toBe("true");
    expect(d2.body.version).toBe(d1.body.version);
    expect((await h.call("GET", path, { token: m.apiKey })).body.items.length).toBe(before + 1);

    const publishPath = `${path}/${d1.body.version}/publish`;
    const p1 = await post(publishPath, { effectiveFrom: "2030-01-01T00:00:00Z" }, "pub-1");
    expect(p1.status).toBe(200);
    const p2 = await post(publishPath, { effectiveFrom: "2030-01-01T00:00:00Z" }, "pub-1");
    expect(p2.status).toBe(200);
    expect(p2.headers.get("idempotent-replayed")).toBe("true");
    expect(p2.body).toEqual(p1.body);
    // Without the key the second publish is refused, as before.
    const p3 = await post(publishPath, { effectiveFrom: "2030-01-01T00:00:00Z" });
    expect(p3.status).toBe(409);
    expect(p3.body.error.code).toBe("PLAN_NOT_DRAFT");
  });

  it("keys are per merchant: another merchant's identical key creates its own program", async () => {
    const n = await merchantFixture(h, "Keys2");
    const body = { name: "同名计划", landingUrl: "https://shop.example/" };
    const a = await post("/v1/programs", body, "same-key");
    const b = await h.call("POST", "/v1/programs", { token: n.apiKey, body, headers: { "idempotency-key": "same-key" } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBe("false");
    expect(b.body.id).not.toBe(a.body.id);
  });

  it("the API reference shows the Idempotency-Key header on every route that takes one", async () => {
    const doc = (await h.call("GET", "/openapi.json")).body;
    const routes = [
      "/v1/orders",
      "/v1/orders/{orderRef}/refunds",
      "/v1/orders/{orderRef}/complete",
      "/v1/orders/{orderRef}/cancel",
      "/v1/customers",
      "/v1/customers/{customerRef}/community-joins",
      "/v1/contributions",
      "/v1/programs",
      "/v1/programs/{programId}/plans",
      "/v1/programs/{programId}/plans/{version}/publish",
      "/v1/promoters",
      "/v1/me/payout-accounts",
    ];
    for (const [path, method] of [
      ["/v1/me/identity", "put"],
      ["/v1/me/payout-accounts/{accountId}", "delete"],
    ] as const) {
      const params: { in: string; name: string }[] = doc.paths[path]?.[method]?.parameters ?? [];
      expect(
        params.some((p) => p.in === "header" && p.name === "idempotency-key"),
        path,
      ).toBe(true);
    }
    for (const path of routes) {
      const params: { in: string; name: string }[] = doc.paths[path]?.post?.parameters ?? [];
      expect(
        params.some((p) => p.in === "header" && p.name === "idempotency-key"),
        path,
      ).toBe(true);
    }
  });
});
