import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, merchantFixture, paidOrder, promoterFixture, START, startHarness } from "./helpers.ts";

// SPEC §3: the attribution precedence is a program setting. code-first: a code (or a click) for another promoter wins the
// order; binding-first (佣金归属): the bound promoter keeps the order during protection.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function scenario(precedence: "code-first" | "binding-first" | undefined) {
  h.clock.set(START);
  const m = await merchantFixture(
    h,
    `Prec${precedence ?? "default"}`,
    precedence ? { program: { attributionPrecedence: precedence } } : {},
  );
  const bound = await promoterFixture(h, m, "Bound");
  const other = await promoterFixture(h, m, "Other");
  const first = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("P-1", "cust-p", { promoCode: bound.code }) });
  expect(first.body.promoterId).toBe(bound.promoterId);
  h.clock.set("2026-03-03T00:00:00Z");
  const coded = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: paidOrder("P-2", "cust-p", { promoCode: other.code, paidAt: "2026-03-03T00:00:00Z" }),
  });
  expect(coded.status).toBe(201);
  // a click on the other promoter's link
  h.clock.set("2026-03-04T00:00:00Z");
  const link = await h.call("POST", "/v1/me/links", { token: other.token, body: { merchantId: m.merchantId, programId: m.programId } });
  const r = await h.call("GET", `/r/${link.body.code}`);
  const clickToken = new URL(r.headers.get("location") as string).searchParams.get("fx_click");
  h.clock.set("2026-03-05T00:00:00Z");
  const clicked = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: paidOrder("P-3", "cust-p", { clickToken, paidAt: "2026-03-05T00:00:00Z" }),
  });
  // a new customer with the other promoter's code: no binding yet, so the code decides under either precedence
  const fresh = await h.call("POST", "/v1/orders", {
    token: m.apiKey,
    body: paidOrder("P-4", "cust-new", { promoCode: other.code, paidAt: "2026-03-05T00:00:00Z" }),
  });
  return { m, bound, other, coded, clicked, fresh };
}

describe("attribution precedence through the order API", () => {
  it("defaults to code-first: another promoter's code or click wins the order", async () => {
    const s = await scenario(undefined);
    const prog = await h.call("GET", `/v1/programs/${s.m.programId}`, { token: s.m.apiKey });
    expect(prog.body.attributionPrecedence).toBe("code-first");
    expect([s.coded.body.attributionPath, s.coded.body.promoterId]).toEqual(["code", s.other.promoterId]);
    expect([s.clicked.body.attributionPath, s.clicked.body.promoterId]).toEqual(["click", s.other.promoterId]);
    const line = s.coded.body.commissions.find((c: { level: number; amountMinor: number }) => c.level === 0 && c.amountMinor > 0);
    expect(line.beneficiaryId).toBe(s.other.promoterId);
  });

  it("binding-first: the bound promoter keeps the order and its commission during protection", async () => {
    const s = await scenario("binding-first");
    const prog = await h.call("GET", `/v1/programs/${s.m.programId}`, { token: s.m.apiKey });
    expect(prog.body.attributionPrecedence).toBe("binding-first");
    expect([s.coded.body.attributionPath, s.coded.body.promoterId]).toEqual(["binding", s.bound.promoterId]);
    expect([s.clicked.body.attributionPath, s.clicked.body.promoterId]).toEqual(["binding", s.bound.promoterId]);
    const earners = new Set(
      s.coded.body.commissions
        .filter((c: { amountMinor: number }) => c.amountMinor > 0)
        .map((c: { beneficiaryId: string }) => c.beneficiaryId),
    );
    expect(earners.has(s.other.promoterId)).toBe(false);
    expect(earners.has(s.bound.promoterId)).toBe(true);
    expect([s.fresh.body.attributionPath, s.fresh.body.promoterId]).toEqual(["code", s.other.promoterId]);
  });

  it("a PATCH switches the precedence for later orders, and a bad value names the field", async () => {
    h.clock.set(START);
    const m = await merchantFixture(h, "PrecPatch");
    const bound = await promoterFixture(h, m, "B1");
    const other = await promoterFixture(h, m, "B2");
    await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("Q-1", "cust-q", { promoCode: bound.code }) });
    const bad = await h.call("PATCH", `/v1/programs/${m.programId}`, { token: m.apiKey, body: { attributionPrecedence: "bindings" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("attributionPrecedence");
    const ok = await h.call("PATCH", `/v1/programs/${m.programId}`, { token: m.apiKey, body: { attributionPrecedence: "binding-first" } });
    expect(ok.status).toBe(200);
    expect(ok.body.attributionPrecedence).toBe("binding-first");
    const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("Q-2", "cust-q", { promoCode: other.code }) });
    expect([o.body.attributionPath, o.body.promoterId]).toEqual(["binding", bound.promoterId]);
  });
});
