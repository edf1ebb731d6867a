/**
 * Tax withheld on withdrawals through the API: the worked figures of docs/payouts.md (cn-labour-monthly ¥3,000 then
 * ¥3,000 → ¥440 then ¥520; cn-labour-cumulative ¥10,000 in October, November, December → ¥90 each), a rejected
 * withdrawal's tax voided and the next one recomputed, the platform agent's figures across merchants, and the preview
 * equal to the request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";
import { addIdentity, addPayoutAccount, expectLedgerOk, fund, type Promoter, preview, setMoney, withdraw } from "./withdrawal-fixtures.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness("2026-10-15T04:00:00.000Z");
});
afterAll(async () => h?.close());

async function setup(name: string, tax: Record<string, unknown>, existing?: Promoter) {
  const m = await merchantFixture(h, name, { program: { holdDays: 0 } });
  let p = existing ?? (await promoterFixture(h, m, name.slice(0, 5)));
  if (existing) {
    const j = await h.call("POST", "/v1/me/memberships", {
      token: existing.token,
      body: { merchantId: m.merchantId, programId: m.programId },
    });
    expect(j.status, JSON.stringify(j.body)).toBe(201);
    p = { ...existing, code: j.body.code };
  }
  await setMoney(h, m, { tax, withdrawal: { dailyCountMax: 10 } });
  return { m, p };
}

async function both(p: Promoter, m: MerchantFixture, amountMinor: number, account: string) {
  const body = { programId: m.programId, amountMinor, payoutAccountId: account };
  const pre = await preview(h, p, body);
  expect(pre.status, JSON.stringify(pre.body)).toBe(200);
  const req = await withdraw(h, p, body);
  expect(req.status, JSON.stringify(req.body)).toBe(201);
  for (const k of ["amountMinor", "taxMinor", "feeMinor", "netMinor", "approval"]) expect(req.body[k], k).toBe(pre.body[k]);
  return { pre: pre.body, req: req.body };
}

describe("cn-labour-monthly", () => {
  let m: MerchantFixture;
  let p: Promoter;
  let account: string;
  beforeAll(async () => {
    ({ m, p } = await setup("Monthly", { method: "cn-labour-monthly" }));
    await addIdentity(h, p.promoterId);
    account = await addPayoutAccount(h, p.promoterId, "bank");
    h.clock.set("2026-10-15T04:00:00.000Z");
    await fund(h, m, p, 1_000_000);
  });

  it("¥3,000 then ¥3,000 in one month withholds ¥440 then ¥520; the preview shows the same", async () => {
    const a = await both(p, m, 300_000, account);
    expect(a.req).toMatchObject({ taxMinor: 44_000, feeMinor: 0, netMinor: 256_000, state: "requested", approval: "review" });
    expect(a.pre.tax).toMatchObject({ method: "cn-labour-monthly", agent: "merchant", month: "2026-10" });
    expect(a.pre.tax.trace.taxMinor).toBe(44_000);
    expect(a.pre.tax.explanation.zh).toBe(a.req.tax.explanation.zh);
    const b = await both(p, m, 300_000, account);
    expect(b.req.taxMinor).toBe(52_000);
    // the withdrawal explains its tax
    expect(b.req.tax.explanation.zh).toContain("¥520.00");
    expect(b.req.tax.explanation.en).toContain("¥520.00");
    await expectLedgerOk(h, m);
  });

  it("a rejected withdrawal's tax is voided and the next one is computed without it", async () => {
    const list = await h.call("GET", "/v1/withdrawals?state=requested", { token: m.apiKey });
    const second = list.body.items.find((w: { taxMinor: number }) => w.taxMinor === 52_000);
    const r = await h.call("POST", `/v1/withdrawals/${second.id}/reject`, { token: m.apiKey, body: { reason: "资料不全" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await h.db.read((q) =>
      q.query<{ state: string }>("SELECT state FROM tax_withholdings WHERE merchant_id = $1 AND withdrawal_id = $2", [
        m.merchantId,
        second.id,
      ]),
    );
    expect(row?.state).toBe("void");
    // the month's income is ¥3,000 again: the next ¥3,000 withholds ¥520, as the second did
    const c = await both(p, m, 300_000, account);
    expect(c.req.taxMinor).toBe(52_000);
    // a new month starts again from nothing
    h.clock.set("2026-11-01T00:00:00.000Z"); // 08:00 in Shanghai
    const d = await both(p, m, 300_000, account);
    expect(d.req.taxMinor).toBe(44_000);
    expect(d.req.tax.month).toBe("2026-11");
    await expectLedgerOk(h, m);
  });
});

describe("cn-labour-cumulative", () => {
  it("¥10,000 in each of October, November and December withholds ¥90 each month", async () => {
    h.clock.set("2026-10-15T04:00:00.000Z");
    const { m, p } = await setup("Cumulative", { method: "cn-labour-cumulative" });
    await addIdentity(h, p.promoterId);
    const account = await addPayoutAccount(h, p.promoterId, "bank");
    await fund(h, m, p, 3_000_000);
    const taxes: number[] = [];
    for (const at of ["2026-10-15T04:00:00.000Z", "2026-11-15T04:00:00.000Z", "2026-12-15T04:00:00.000Z"]) {
      h.clock.set(at);
      const { req } = await both(p, m, 1_000_000, account);
      taxes.push(req.taxMinor);
    }
    expect(taxes).toEqual([9_000, 9_000, 9_000]);
    await expectLedgerOk(h, m);
  });
});

describe("the platform withholds across merchants", () => {
  it("one person's month runs across two merchants under the platform agent; the merchant agent keeps its own", async () => {
    h.clock.set("2026-10-20T04:00:00.000Z");
    const a = await setup("PlatformA", { method: "cn-labour-monthly", agent: "platform" });
    const p = a.p;
    const b = await setup("PlatformB", { method: "cn-labour-monthly", agent: "platform" }, p);
    const c = await setup("OwnAgent", { method: "cn-labour-monthly", agent: "merchant" }, p);
    await addIdentity(h, p.promoterId);
    const account = await addPayoutAccount(h, p.promoterId, "bank");
    for (const x of [a, b, c]) await fund(h, x.m, x.p, 300_000);
    expect((await both(p, a.m, 300_000, account)).req.taxMinor).toBe(44_000);
    expect((await both(p, b.m, 300_000, account)).req.taxMinor).toBe(52_000);
    expect((await both(p, c.m, 300_000, account)).req.taxMinor).toBe(44_000);
    const agents = await h.db.read((q) =>
      q.query<{ agent: string; n: number }>(
        "SELECT agent, count(*)::int AS n FROM tax_withholdings WHERE promoter_id = $1 GROUP BY agent ORDER BY agent",
        [p.promoterId],
      ),
    );
    expect(agents).toEqual([
      { agent: `merchant:${c.m.merchantId}`, n: 1 },
      { agent: "platform", n: 2 },
    ]);
  });
});

describe("flat and none", () => {
  it("flat withholds the rate of each payment with a percent fee; none records no tax row", async () => {
    h.clock.set("2026-10-21T04:00:00.000Z");
    const { m, p } = await setup("Flat", { method: "flat", rateBps: 2_000 });
    await addIdentity(h, p.promoterId);
    const account = await addPayoutAccount(h, p.promoterId, "bank");
    await fund(h, m, p, 100_000);
    await setMoney(h, m, { withdrawal: { fee: { kind: "percent", rateBps: 100, floorMinor: 100 } } });
    const { req } = await both(p, m, 12_345, account);
    // tax 12,345 × 20 % = 2,469; fee 1 % = 123.45 → 123 (half-up), raised to the floor 100 → 123
    expect(req).toMatchObject({ taxMinor: 2_469, feeMinor: 123, netMinor: 12_345 - 2_469 - 123 });
    await setMoney(h, m, { tax: { method: "none" } });
    const none = await both(p, m, 5_000, account);
    expect(none.req.taxMinor).toBe(0);
    const [row] = await h.db.read((q) =>
      q.query<{ n: number }>("SELECT count(*)::int AS n FROM tax_withholdings WHERE merchant_id = $1 AND withdrawal_id = $2", [
        m.merchantId,
        none.req.id,
      ]),
    );
    expect(row?.n).toBe(0);
    await expectLedgerOk(h, m);
  });
});
