/**
 * Guards on what a program pays: a compliance policy change re-checks the published plans that pay from now on; a plan
 * cannot be published into the past without an explicit, audited reason; a rank must be one the plan knows.
 * Every refused request is checked to leave no row written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_EFFECTIVE_FROM_TOLERANCE_MS } from "../src/modules/programs/retroactive.ts";
import { RANK_LENGTH_MAX } from "../src/modules/promoters/service.ts";
import { type Harness, type Json, merchantFixture, paidOrder, promoterFixture, startHarness } from "./helpers.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** A merchant whose program was created at the start of 2026, so that orders paid before the harness's "now" fit it. */
async function shop(name: string, opts?: Parameters<typeof merchantFixture>[2]) {
  const now = h.clock.now();
  h.clock.set("2026-01-01T00:00:00Z");
  try {
    return await merchantFixture(h, name, opts);
  } finally {
    h.clock.set(now);
  }
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return h.db.read((q) => q.query<T & Record<string, unknown>>(sql, params));
}

async function count(table: string, where = "true", params: unknown[] = []): Promise<number> {
  const [r] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(r?.n);
}

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await rows<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'sessions' ORDER BY table_name",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) out[table_name] = await count(table_name);
  return out;
}

/** A request that must be refused with `status` and `code`, writing nothing. */
async function refused(status: number, code: string, method: string, path: string, token: string, body?: unknown) {
  const before = await tableCounts();
  const r = await h.call(method, path, { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(await tableCounts()).toEqual(before);
  return r as { status: number; body: Json };
}

async function ok(method: string, path: string, token: string, body?: unknown) {
  const r = await h.call(method, path, { token, body });
  if (r.status !== 200 && r.status !== 201) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r as { status: number; body: Json };
}

const ONE_LEVEL = { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }] } };
const TWO_LEVELS = { version: 1, base: { defaultRateBps: 1000 }, team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] } };

async function draftAndPublish(programId: string, token: string, document: unknown, publishBody: Record<string, unknown> = {}) {
  const d = await ok("POST", `/v1/programs/${programId}/plans`, token, { document });
  return ok("POST", `/v1/programs/${programId}/plans/${d.body.version}/publish`, token, publishBody);
}

describe("a compliance policy change re-checks the published plans", () => {
  it("refuses `wechat` while the plan in force pays two levels, naming the version and the rule; passes once a compliant version is in force", async () => {
    const m = await merchantFixture(h, "PolicyShop"); // v1: two upline levels, in force since 2020
    const r = await refused(409, "PLAN_BREAKS_POLICY", "PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat" });
    expect(r.body.error.message).toContain("compliancePolicy");
    expect(r.body.error.message).toContain("plan version 1 (in force)");
    expect(r.body.error.message).toContain("UPLINE_LEVELS_EXCEEDED at team.levels[1]");
    expect(r.body.error.details).toMatchObject({ field: "compliancePolicy", policy: "wechat", version: 1, rule: "UPLINE_LEVELS_EXCEEDED" });
    expect((await ok("GET", `/v1/programs/${m.programId}`, m.apiKey)).body.compliancePolicy).toBe("standard");
    // another setting in the same request is not applied either
    await refused(409, "PLAN_BREAKS_POLICY", "PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat", holdDays: 1 });
    expect((await ok("GET", `/v1/programs/${m.programId}`, m.apiKey)).body.holdDays).toBe(7);
    // the same policy again, or other settings alone, are not a change of policy
    await ok("PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "standard", holdDays: 5 });

    await draftAndPublish(m.programId, m.apiKey, ONE_LEVEL); // v2, in force from now
    const p = await ok("PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat" });
    expect(p.body.compliancePolicy).toBe("wechat");
    const up2 = await promoterFixture(h, m, "Up2");
    const up1 = await promoterFixture(h, m, "Up1", up2.code);
    const s = await promoterFixture(h, m, "Seller", up1.code);
    const o = await ok(
      "POST",
      "/v1/orders",
      m.apiKey,
      paidOrder("POL-1", "c-pol", { promoCode: s.code, paidAt: new Date(h.clock.now().getTime() + 1000).toISOString() }),
    );
    expect(new Set(o.body.commissions.map((c: { level: number }) => c.level))).toEqual(new Set([0, 1]));
  });

  it("refuses while a later-dated published version breaks the policy, naming it", async () => {
    const m = await merchantFixture(h, "FutureShop", { plan: ONE_LEVEL });
    await draftAndPublish(m.programId, m.apiKey, TWO_LEVELS, { effectiveFrom: "2026-06-01T00:00:00Z" });
    const r = await refused(409, "PLAN_BREAKS_POLICY", "PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat" });
    expect(r.body.error.message).toContain("plan version 2 (in force from 2026-06-01T00:00:00.000Z)");
    expect(r.body.error.details).toMatchObject({ version: 2, path: "team.levels[1]" });
    // a compliant version dated after it takes over from then on, but version 2 still pays in between: still refused
    await draftAndPublish(m.programId, m.apiKey, ONE_LEVEL, { effectiveFrom: "2026-07-01T00:00:00Z" });
    await refused(409, "PLAN_BREAKS_POLICY", "PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat" });
    // one dated at the same instant as version 2 replaces it (the higher version wins a tie)
    await draftAndPublish(m.programId, m.apiKey, ONE_LEVEL, { effectiveFrom: "2026-06-01T00:00:00Z" });
    await ok("PATCH", `/v1/programs/${m.programId}`, m.apiKey, { compliancePolicy: "wechat" });
  });
});

describe("a plan published into the past", () => {
  const V2 = { version: 1, base: { defaultRateBps: 2000 } };
  const minutes = (n: number) => new Date(h.clock.now().getTime() + n * 60_000).toISOString();

  it("is refused naming effectiveFrom, with a what-if over the orders paid since; allowed with a reason, audited", async () => {
    const m = await shop("RetroShop"); // v1: 10 %, in force since 2020
    const s = await promoterFixture(h, m, "Seller");
    await ok("POST", "/v1/orders", m.apiKey, paidOrder("R-0", "c-r0", { promoCode: s.code, paidAt: "2026-02-20T00:00:00Z" }));
    await ok("POST", "/v1/orders", m.apiKey, paidOrder("R-1", "c-r1", { promoCode: s.code, paidAt: "2026-03-01T10:00:00Z" }));
    const d = await ok("POST", `/v1/programs/${m.programId}/plans`, m.apiKey, { document: V2 });
    const publish = `/v1/programs/${m.programId}/plans/${d.body.version}/publish`;

    const r = await refused(422, "PLAN_RETROACTIVE", "POST", publish, m.apiKey, { effectiveFrom: "2026-03-01T00:00:00Z" });
    expect(r.body.error.message).toContain("effectiveFrom: 2026-03-01T00:00:00.000Z is in the past");
    expect(r.body.error.details).toMatchObject({ field: "effectiveFrom", ordersPaidSince: 1, closedPeriodKey: null, toleranceMs: 300_000 });
    // R-1 (10,000 + 5,001): 1,500 at 10 % now, 3,000 at 20 %
    expect(r.body.error.details.whatIf).toMatchObject({
      currentVersion: 1,
      orders: 1,
      deltaCostMinor: 1_500,
      current: { totalCostMinor: 1_500 },
      draft: { totalCostMinor: 3_000 },
      largestGains: [{ promoterId: s.promoterId, deltaMinor: 1_500 }],
    });

    const preview = await ok("POST", `${publish}-preview`, m.apiKey, { effectiveFrom: "2026-02-01T00:00:00Z" });
    expect(preview.body).toMatchObject({ version: 2, retroactive: true, ordersPaidSince: 2, whatIf: { orders: 2, deltaCostMinor: 3_000 } });
    expect(preview.body.whatIf.deltas).toEqual([{ promoterId: s.promoterId, currentMinor: 3_000, draftMinor: 6_000, deltaMinor: 3_000 }]);
    expect((await ok("POST", `${publish}-preview`, m.apiKey, {})).body).toMatchObject({ retroactive: false, whatIf: null });

    const noReason = await refused(400, "VALIDATION_FAILED", "POST", publish, m.apiKey, {
      effectiveFrom: "2026-03-01T00:00:00Z",
      allowRetroactive: true,
    });
    expect(noReason.body.error.details.issues.map((i: { path: string }) => i.path)).toContain("reason");
    await refused(400, "VALIDATION_FAILED", "POST", publish, m.apiKey, {
      effectiveFrom: "2026-03-01T00:00:00Z",
      allowRetroactive: true,
      reason: "  ",
    });

    const pub = await ok("POST", publish, m.apiKey, {
      effectiveFrom: "2026-03-01T00:00:00Z",
      allowRetroactive: true,
      reason: "March launch price agreed with promoters on 2026-02-27",
    });
    expect(pub.body).toMatchObject({ version: 2, status: "published" });
    const audits = await rows<{ action: string; details: Json }>(
      "SELECT action, details FROM audit_log WHERE merchant_id = $1 AND action = 'plan.publish_retroactive'",
      [m.merchantId],
    );
    expect(audits).toHaveLength(1);
    const a = audits[0];
    expect(a?.details).toMatchObject({
      version: 2,
      retroactive: {
        reason: "March launch price agreed with promoters on 2026-02-27",
        ordersPaidSince: 1,
        currentVersion: 1,
        deltaCostMinor: 1_500,
      },
    });
  });

  it("never reaches into a closed period, even when asked", async () => {
    const m = await shop("ClosedShop");
    const s = await promoterFixture(h, m, "Seller");
    await ok("POST", "/v1/orders", m.apiKey, paidOrder("C-0", "c-c0", { promoCode: s.code, paidAt: "2026-02-20T00:00:00Z" }));
    await ok("POST", `/v1/programs/${m.programId}/periods/2026-02/close`, m.apiKey);
    const d = await ok("POST", `/v1/programs/${m.programId}/plans`, m.apiKey, { document: V2 });
    const r = await refused(422, "PLAN_RETROACTIVE", "POST", `/v1/programs/${m.programId}/plans/${d.body.version}/publish`, m.apiKey, {
      effectiveFrom: "2026-02-15T00:00:00Z",
      allowRetroactive: true,
      reason: "fix",
    });
    expect(r.body.error.message).toContain("closed period 2026-02");
    expect(r.body.error.details).toMatchObject({ field: "effectiveFrom", closedPeriodKey: "2026-02" });
    // from the start of the open period on, it is an ordinary retroactive publish (no order paid since: accepted)
    await ok("POST", `/v1/programs/${m.programId}/plans/${d.body.version}/publish`, m.apiKey, { effectiveFrom: "2026-02-28T16:00:00Z" });
  });

  it("a past effectiveFrom with no order paid since changes nothing and passes; within the tolerance it counts as now", async () => {
    const m = await shop("QuietShop");
    await draftAndPublish(m.programId, m.apiKey, V2, { effectiveFrom: "2025-01-01T00:00:00Z" });
    const s = await promoterFixture(h, m, "Seller");
    await ok("POST", "/v1/orders", m.apiKey, paidOrder("T-1", "c-t1", { promoCode: s.code, paidAt: minutes(-1) }));
    const toleranceMin = PLAN_EFFECTIVE_FROM_TOLERANCE_MS / 60_000;
    expect(toleranceMin).toBe(5);
    await draftAndPublish(m.programId, m.apiKey, ONE_LEVEL, { effectiveFrom: minutes(-(toleranceMin - 1)) });
    const d = await ok("POST", `/v1/programs/${m.programId}/plans`, m.apiKey, { document: V2 });
    await refused(422, "PLAN_RETROACTIVE", "POST", `/v1/programs/${m.programId}/plans/${d.body.version}/publish`, m.apiKey, {
      effectiveFrom: minutes(-(toleranceMin + 1)),
    });
  });
});

describe("a rank must be one the program's plans know", () => {
  const LADDER = { version: 1, base: { defaultRateBps: 1000 }, ranks: [{ key: "basic" }, { key: "gold", rateBps: 1500 }] };
  const add = (programId: string, rank: unknown, name = "P") => ({ programId, name, rank });
  const namesRank = (r: { body: Json }, text: string) => {
    expect(r.body.error.message).toContain("rank");
    expect(r.body.error.message).toContain(text);
    expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain("rank");
  };

  it("on adding a promoter and on changing its rank: empty, padded or unknown ranks are refused naming the field", async () => {
    const m = await merchantFixture(h, "LadderShop", { plan: LADDER });
    for (const [rank, text] of [
      ["", "must not be empty"],
      [" gold", "must not be empty or start or end with a space"],
      ["platinum", 'unknown rank "platinum": the program\'s plan ranks are basic, gold'],
    ] as const)
      namesRank(await refused(400, "VALIDATION_FAILED", "POST", "/v1/promoters", m.apiKey, add(m.programId, rank)), text);
    const p = await ok("POST", "/v1/promoters", m.apiKey, add(m.programId, "gold"));
    const path = `/v1/promoters/${p.body.promoterId}`;
    for (const rank of ["", "silver"])
      namesRank(await refused(400, "VALIDATION_FAILED", "PATCH", path, m.apiKey, { programId: m.programId, rank }), "rank");
    const long = "x".repeat(RANK_LENGTH_MAX + 1);
    namesRank(await refused(400, "VALIDATION_FAILED", "PATCH", path, m.apiKey, { programId: m.programId, rank: long }), "rank");
    expect((await ok("PATCH", path, m.apiKey, { programId: m.programId, rank: "basic" })).body.rank).toBe("basic");
    expect((await ok("PATCH", path, m.apiKey, { programId: m.programId, rank: null })).body.rank).toBe(null);
    // a rank of a later-dated published version's ladder may be given ahead of it
    await draftAndPublish(
      m.programId,
      m.apiKey,
      { ...LADDER, ranks: [...LADDER.ranks, { key: "partner" }] },
      { effectiveFrom: "2026-09-01T00:00:00Z" },
    );
    expect((await ok("PATCH", path, m.apiKey, { programId: m.programId, rank: "partner" })).body.rank).toBe("partner");
  });

  it("without a ladder any non-empty key is accepted; a plan's own rank references must be on its ladder", async () => {
    const m = await merchantFixture(h, "NoLadderShop");
    namesRank(await refused(400, "VALIDATION_FAILED", "POST", "/v1/promoters", m.apiKey, add(m.programId, "")), "must not be empty");
    expect((await ok("POST", "/v1/promoters", m.apiKey, add(m.programId, "vip"))).body.promoterId).toBeTruthy();
    const r = await refused(422, "PLAN_INVALID", "POST", `/v1/programs/${m.programId}/plans`, m.apiKey, {
      document: { ...LADDER, differential: { rankRates: { gold: 1500, silver: 800 } } },
    });
    expect(r.body.error.message).toContain("differential.rankRates.silver: unknown rank silver");
  });

  it("an empty rank stored before ranks were checked no longer breaks the what-if of the program", async () => {
    const m = await shop("LegacyShop");
    const s = await promoterFixture(h, m, "Seller");
    await ok(
      "POST",
      "/v1/orders",
      m.apiKey,
      paidOrder("L-1", "c-l1", { promoCode: s.code, paidAt: new Date(h.clock.now().getTime() - 60_000).toISOString() }),
    );
    await h.db.tx((q) => q.query("UPDATE memberships SET rank = '' WHERE merchant_id = $1", [m.merchantId]));
    const r = await ok("POST", `/v1/programs/${m.programId}/simulate`, m.apiKey, {
      document: { version: 1, base: { defaultRateBps: 2000 } },
    });
    expect(r.body).toMatchObject({ orders: 1, deltaCostMinor: 1_500 });
  });
});
