/**
 * Tax reports through the real HTTP server: the monthly withholding detail (masked identities, active withholdings
 * only) and the quarterly identity-and-income report (国务院令第810号) with the full identity opened and audited, for a
 * merchant agent and for the platform agent.
 */
import { accrue, reverse } from "@fenxiao/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.ts";
import { postTxs } from "../src/modules/ledger/repository.ts";
import { type Harness, type Json, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";
import { ID_P, ID_Q } from "./identity-fixtures.ts";

let h: Harness;
let m: MerchantFixture;
let plat: MerchantFixture;
let alice: { promoterId: string; token: string };
let bob: { promoterId: string; token: string };
let carol: { promoterId: string; token: string };

/** A withdrawal row and its tax withholding (the withdrawal module's rows, written here directly). */
async function withholding(
  db: Db,
  f: MerchantFixture,
  promoterId: string,
  w: { id: string; agent: string; month: string; income: number; tax: number; state?: "active" | "void" },
) {
  await db.tx(async (q) => {
    await q.query(
      `INSERT INTO payout_accounts (id, promoter_id, kind, details_sealed, details_masked, account_index, created_at)
       VALUES ($1, $2, 'bank', 'x', '{}'::jsonb, $1, now()) ON CONFLICT (id) DO NOTHING`,
      [`pa_${promoterId}`, promoterId],
    );
    await q.query(
      `INSERT INTO withdrawals (merchant_id, id, program_id, promoter_id, payout_account_id, payout_kind, payee_masked, currency, amount_minor,
         tax_minor, fee_minor, net_minor, state, approval, requested_at, requested_day, review_due_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'bank', '{}'::jsonb, 'CNY', $6, $7, 0, $6::bigint - $7::bigint, 'paid', 'auto', now(), current_date, now(), now())`,
      [f.merchantId, w.id, f.programId, promoterId, `pa_${promoterId}`, w.income, w.tax],
    );
    await q.query(
      `INSERT INTO tax_withholdings (merchant_id, withdrawal_id, agent, promoter_id, method, tax_year, tax_month, income_minor, tax_minor, state, created_at)
       VALUES ($1, $2, $3, $4, 'cn-labour-monthly', 2026, $5, $6, $7, $8, now())`,
      [f.merchantId, w.id, w.agent, promoterId, w.month, w.income, w.tax, w.state ?? "active"],
    );
  });
}

async function raw(path: string, token: string) {
  const res = await fetch(h.base + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString("utf8"), type: res.headers.get("content-type") };
}

beforeAll(async () => {
  h = await startHarness("2026-10-05T02:00:00.000Z");
  m = await merchantFixture(h, "Brand");
  plat = await merchantFixture(h, "Market");
  alice = await promoterFixture(h, m, "Alice");
  bob = await promoterFixture(h, m, "Bob");
  carol = await promoterFixture(h, plat, "Carol");
  for (const [p, idNumber, name] of [
    [alice, ID_P, "张三丰"],
    [carol, ID_Q, "李四"],
  ] as const) {
    const r = await h.call("PUT", "/v1/me/identity", {
      token: p.token,
      headers: { "idempotency-key": `id-${p.promoterId}` },
      body: { legalName: name, idType: "cn_resident_id", idNumber },
    });
    expect(r.status).toBe(200);
  }
  const agent = `merchant:${m.merchantId}`;
  await withholding(h.db, m, alice.promoterId, { id: "w1", agent, month: "2026-10", income: 300_000, tax: 44_000 });
  await withholding(h.db, m, alice.promoterId, { id: "w2", agent, month: "2026-11", income: 100_000, tax: 10_000 });
  await withholding(h.db, m, alice.promoterId, { id: "w3", agent, month: "2026-11", income: 70_000, tax: 7_000, state: "void" });
  await withholding(h.db, m, bob.promoterId, { id: "w4", agent, month: "2026-11", income: 50_000, tax: 0 });
  await withholding(h.db, plat, carol.promoterId, { id: "w5", agent: "platform", month: "2026-12", income: 80_000, tax: 1_000 });
  await h.db.tx(async (q) => {
    await q.query("INSERT INTO program_money_settings (merchant_id, program_id, tax, updated_at) VALUES ($1, $2, $3, now())", [
      plat.merchantId,
      plat.programId,
      JSON.stringify({ method: "flat", rateBps: 100, agent: "platform" }),
    ]);
  });
  const post = (f: MerchantFixture, d: Parameters<typeof postTxs>[2], at: string) =>
    h.db.tx((q) => postTxs(q, f.merchantId, d, new Date(at)));
  await post(
    m,
    [accrue(m.merchantId, "CNY", "order:a:paid", "a", [{ promoterId: alice.promoterId, amountMinor: 500_000 }])],
    "2026-10-06T01:00:00Z",
  );
  await post(
    m,
    [reverse(m.merchantId, "CNY", "order:a:refund", "r", [{ promoterId: alice.promoterId, amountMinor: 20_000, from: "pending" }])],
    "2026-11-06T01:00:00Z",
  );
  await post(
    m,
    [accrue(m.merchantId, "CNY", "order:b:paid", "b", [{ promoterId: bob.promoterId, amountMinor: 60_000 }])],
    "2026-12-06T01:00:00Z",
  );
  // 2027-01-01 00:30 in Shanghai: next quarter
  await post(
    m,
    [accrue(m.merchantId, "CNY", "order:c:paid", "c", [{ promoterId: bob.promoterId, amountMinor: 9_999 }])],
    "2026-12-31T16:30:00Z",
  );
  await post(
    plat,
    [accrue(plat.merchantId, "CNY", "order:d:paid", "d", [{ promoterId: carol.promoterId, amountMinor: 90_000 }])],
    "2026-12-01T01:00:00Z",
  );
});
afterAll(() => h.close());

describe("monthly withholding detail", () => {
  it("lists each person's income and tax withheld in the month, masked, active withholdings only", async () => {
    const r = await h.call("GET", "/v1/tax-reports/withholding?month=2026-11", { token: m.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.agent).toBe(`merchant:${m.merchantId}`);
    const byId = new Map(r.body.items.map((i: Json) => [i.promoterId, i]));
    expect(byId.get(alice.promoterId)).toMatchObject({
      legalNameMasked: "张**",
      idType: "cn_resident_id",
      idNumberMasked: `110***********${ID_P.slice(-4)}`,
      incomeMinor: 100_000,
      taxMinor: 10_000,
      withdrawals: 1,
    });
    expect(byId.get(bob.promoterId)).toMatchObject({ legalNameMasked: null, idNumberMasked: null, incomeMinor: 50_000, taxMinor: 0 });
    expect(r.body.totals).toEqual({ people: 2, incomeMinor: 150_000, taxMinor: 10_000 });
    const csv = await raw("/v1/tax-reports/withholding?month=2026-11&format=csv", m.adminToken);
    expect(csv.type).toContain("text/csv");
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain("证件号码 ID number (masked)");
    expect(csv.text).toContain(`110***********${ID_P.slice(-4)}`);
    expect(csv.text).toContain("劳务报酬所得");
    expect(csv.text).toContain("1000.00");
    expect(csv.text).not.toContain(ID_P);
    const platform = await h.call("GET", "/v1/tax-reports/withholding?month=2026-12&agent=platform", { token: h.adminToken });
    expect(platform.body.items.map((i: Json) => i.promoterId)).toEqual([carol.promoterId]);
  });

  it("refuses a bad month, the platform agent to a merchant, and a merchant report to the platform admin", async () => {
    const bad = await h.call("GET", "/v1/tax-reports/withholding?month=2026-1", { token: m.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("month");
    expect((await h.call("GET", "/v1/tax-reports/withholding?month=2026-11&agent=platform", { token: m.apiKey })).status).toBe(403);
    expect((await h.call("GET", "/v1/tax-reports/withholding?month=2026-11", { token: h.adminToken })).status).toBe(403);
    expect((await h.call("GET", "/v1/tax-reports/withholding?month=2026-11", { token: alice.token })).status).toBe(403);
  });
});

describe("quarterly identity-and-income report", () => {
  it("reports income, refunds, net income and tax per person with the full identity, and audits every reveal", async () => {
    const r = await raw("/v1/tax-reports/quarterly?quarter=2026Q4", m.apiKey);
    expect(r.status).toBe(200);
    const lines = r.text.slice(1).trim().split("\r\n");
    expect(lines[0]).toContain("收入总额 Total income");
    expect(lines).toHaveLength(3);
    const alicRow = lines.find((l) => l.includes(alice.promoterId)) as string;
    expect(alicRow).toContain(ID_P);
    expect(alicRow).toContain("张三丰");
    expect(alicRow).toContain("居民身份证");
    expect(alicRow).toContain(",5000.00,200.00,4800.00,4000.00,540.00");
    const bobRow = lines.find((l) => l.includes(bob.promoterId)) as string;
    expect(bobRow).toContain("missing");
    expect(bobRow).toContain(",600.00,0.00,600.00,500.00,0.00");
    const audits = await h.db.read((q) =>
      q.query<{ action: string; subject: string; details: Json }>(
        "SELECT action, subject, details FROM audit_log WHERE merchant_id = $1 AND action IN ('identity.revealed', 'tax_report.exported')",
        [m.merchantId],
      ),
    );
    const reveals = audits.filter((a) => a.action === "identity.revealed");
    expect(reveals).toHaveLength(1);
    expect(reveals[0]?.details.purpose).toBe("tax-report:2026Q4");
    expect(JSON.stringify(audits)).not.toContain(ID_P);
    expect(audits.some((a) => a.action === "tax_report.exported")).toBe(true);
  });

  it("gives the platform admin the platform agent's report, and refuses bad quarters", async () => {
    const r = await raw("/v1/tax-reports/quarterly?quarter=2026-Q4&agent=platform", h.adminToken);
    expect(r.status).toBe(200);
    const lines = r.text.slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(ID_Q);
    expect(lines[1]).toContain(",900.00,0.00,900.00,800.00,10.00");
    const reveal = await h.db.read((q) =>
      q.query("SELECT 1 FROM audit_log WHERE merchant_id = 'platform' AND action = 'identity.revealed'"),
    );
    expect(reveal).toHaveLength(1);
    // the platform merchant's income is the platform's to report, not the merchant's own
    const own = await raw("/v1/tax-reports/quarterly?quarter=2026Q4", plat.apiKey);
    expect(own.text.slice(1).trim().split("\r\n")).toHaveLength(1);
    const bad = await h.call("GET", "/v1/tax-reports/quarterly?quarter=2026Q5", { token: m.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("quarter");
    expect((await h.call("GET", "/v1/tax-reports/quarterly?quarter=2026Q4&agent=platform", { token: m.apiKey })).status).toBe(403);
  });
});
