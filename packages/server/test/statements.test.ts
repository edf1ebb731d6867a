/**
 * Monthly statements through the real HTTP server: an order's commission, then a release, a withdrawal (lock,
 * withhold, pay), a reversal in March and a bonus in April, posted with the core recipes; the promoter's and the
 * merchant's statements as JSON, CSV (BOM, bilingual headers) and PDF (the text extracted with pdf.js).
 */

import { readFileSync } from "node:fs";
import { accrue, type LedgerTxDraft, merchantAccount, release, reverse, withdrawLock, withdrawPay, withdrawWithhold } from "@fenxiao/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.ts";
import { postTxs } from "../src/modules/ledger/repository.ts";
import { exportStatements } from "../src/modules/statements/export.ts";
import {
  type Harness,
  type Json,
  type MerchantFixture,
  merchantFixture,
  paidOrder,
  promoterFixture,
  startHarness,
  tempDirs,
} from "./helpers.ts";
import { pdfText } from "./pdf-text.ts";

let h: Harness;
let m: MerchantFixture;
let alice: { promoterId: string; code: string; token: string };
let earned = 0;
const dirs = tempDirs("fenxiao-statements-");

async function post(db: Db, merchantId: string, drafts: (LedgerTxDraft | null)[], at: string) {
  await db.tx((q) => postTxs(q, merchantId, drafts, new Date(at)));
}

async function getRaw(path: string, token: string) {
  const res = await fetch(h.base + path, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    disposition: res.headers.get("content-disposition"),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  h = await startHarness("2026-03-02T02:00:00.000Z");
  m = await merchantFixture(h, "Shop 小店");
  alice = await promoterFixture(h, m, "Alice");
  const o = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder("O-1", "cust-1", { promoCode: alice.code }) });
  expect(o.status).toBe(201);
  const b = await h.call("GET", `/v1/balances?promoterId=${alice.promoterId}`, { token: m.apiKey });
  earned = b.body.balances[0].pendingMinor;
  expect(earned).toBeGreaterThan(1000);
  const w = { promoterId: alice.promoterId, amountMinor: 1000, taxMinor: 100, feeMinor: 20 };
  const fee = merchantAccount(m.merchantId, "fee_income");
  await post(
    h.db,
    m.merchantId,
    [release("CNY", "rel:1", "release", [{ promoterId: alice.promoterId, amountMinor: earned }])],
    "2026-03-10T01:00:00Z",
  );
  await post(h.db, m.merchantId, [withdrawLock("CNY", "wd:1:lock", "提现申请", w)], "2026-03-11T01:00:00Z");
  await post(h.db, m.merchantId, [withdrawWithhold("CNY", "wd:1:withhold", "代扣", w, fee)], "2026-03-12T01:00:00Z");
  await post(h.db, m.merchantId, [withdrawPay("CNY", "wd:1:pay", "到账", w)], "2026-03-12T02:00:00Z");
  await post(
    h.db,
    m.merchantId,
    [reverse(m.merchantId, "CNY", "order:x:refund", "退款冲回", [{ promoterId: alice.promoterId, amountMinor: 50, from: "available" }])],
    "2026-03-20T01:00:00Z",
  );
  // 2026-03-31T16:30Z is 2026-04-01 00:30 in Shanghai: an April line
  await post(
    h.db,
    m.merchantId,
    [accrue(m.merchantId, "CNY", "period:p:2026-03:close", "期结算", [{ promoterId: alice.promoterId, amountMinor: 300 }])],
    "2026-03-31T16:30:00Z",
  );
});
afterAll(async () => {
  dirs.cleanup();
  await h.close();
});

describe("promoter statement", () => {
  it("adds up: opening + earnings − reversals − withdrawals − tax − fees = closing, in the merchant's time zone", async () => {
    const r = await h.call("GET", `/v1/statements/promoters/${alice.promoterId}?month=2026-03`, { token: m.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.timeZone).toBe("Asia/Shanghai");
    expect(r.body.from).toBe("2026-02-28T16:00:00.000Z");
    const s: Json = r.body.currencies[0];
    expect(s).toMatchObject({
      currency: "CNY",
      openingMinor: 0,
      earningsMinor: earned,
      earningsBySource: { order: earned, period: 0, event: 0, other: 0 },
      reversalsMinor: 50,
      withdrawalsMinor: 880,
      taxMinor: 100,
      feesMinor: 20,
      closingMinor: earned - 50 - 1000,
    });
    expect(s.closing).toMatchObject({ pending: 0, available: earned - 1000 - 50, locked: 0, paid: 880, tax: 100 });
    expect(s.lines.map((l: Json) => l.kind)).toEqual([
      "accrue",
      "release",
      "withdraw_lock",
      "withdraw_withhold",
      "withdraw_pay",
      "reverse",
    ]);
    expect(s.lines.map((l: Json) => l.category)).toEqual(["earning", "internal", "internal", "withdrawal", "withdrawal", "reversal"]);
    expect(s.lines.at(-1).balanceMinor).toBe(s.closingMinor);

    const april = await h.call("GET", `/v1/statements/promoters/${alice.promoterId}?month=2026-04`, { token: m.adminToken });
    const a: Json = april.body.currencies[0];
    expect(a.openingMinor).toBe(s.closingMinor);
    expect(a.earningsBySource.period).toBe(300);
    expect(a.lines[0].date).toBe("2026-04-01");
    expect(a.closingMinor).toBe(s.closingMinor + 300);
  });

  it("is the promoter's own under /v1/me, per merchant, and as a file", async () => {
    const r = await h.call("GET", "/v1/me/statements?month=2026-03", { token: alice.token });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0].merchant.id).toBe(m.merchantId);
    expect(r.body.items[0].currencies[0].closingMinor).toBe(earned - 1050);
    const csv = await getRaw(`/v1/me/statements/2026-03.csv?merchantId=${m.merchantId}`, alice.token);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.disposition).toContain(`statement-${m.merchantId}-${alice.promoterId}-2026-03.csv`);
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.body.toString("utf8").slice(1);
    const rows = text.trim().split("\r\n");
    expect(rows[0]).toContain("余额 Balance");
    expect(rows).toHaveLength(1 + 1 + 6 + 1);
    expect(rows[1]).toContain("opening");
    expect(rows.at(-1)).toContain(`${((earned - 1050) / 100).toFixed(2)}`);
    expect(text).toContain("代扣个税及手续费");
    const other = await getRaw(`/v1/me/statements/2026-03.csv?merchantId=nobody`, alice.token);
    expect(other.status).toBe(404);
  });

  it("renders as PDF with the Chinese labels and the figures", async () => {
    const pdf = await getRaw(`/v1/statements/promoters/${alice.promoterId}?month=2026-03&format=pdf`, m.apiKey);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.body.length).toBeLessThan(300_000);
    const text = (await pdfText(pdf.body)).join("\n");
    for (const label of [
      "推广员对账单",
      "期初余额",
      "佣金收入",
      "佣金冲回",
      "提现到账",
      "代扣个税",
      "手续费",
      "期末余额",
      "订单",
      "Alice",
      "小店",
    ])
      expect(text).toContain(label);
    expect(text).toContain(`¥${((earned - 1050) / 100).toFixed(2)}`);
    expect(text).toContain("-¥8.80");
    expect(text).toContain("-¥1.00");
  });

  it("refuses bad input with the field named, and other merchants' promoters", async () => {
    const bad = await h.call("GET", `/v1/statements/promoters/${alice.promoterId}?month=2026-13`, { token: m.apiKey });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("month");
    const fmt = await h.call("GET", `/v1/statements/promoters/${alice.promoterId}?month=2026-03&format=xls`, { token: m.apiKey });
    expect(fmt.status).toBe(400);
    const file = await h.call("GET", `/v1/me/statements/2026-03.xls?merchantId=${m.merchantId}`, { token: alice.token });
    expect(file.status).toBe(400);
    const other = await merchantFixture(h, "Other");
    const r = await h.call("GET", `/v1/statements/promoters/${alice.promoterId}?month=2026-03`, { token: other.apiKey });
    expect(r.status).toBe(404);
    const asPromoter = await h.call("GET", `/v1/statements/merchant?month=2026-03`, { token: alice.token });
    expect(asPromoter.status).toBe(403);
    const noAuth = await h.call("GET", "/v1/me/statements?month=2026-03");
    expect(noAuth.status).toBe(401);
  });
});

describe("export of every promoter", () => {
  it("gives the same files whatever the batch size (batches read ahead and written in order)", async () => {
    const bob = await promoterFixture(h, m, "Bob");
    await post(
      h.db,
      m.merchantId,
      [accrue(m.merchantId, "CNY", "order:bob:paid", "b", [{ promoterId: bob.promoterId, amountMinor: 777 }])],
      "2026-05-15T01:00:00Z",
    );
    const carol = await promoterFixture(h, m, "Carol");
    await post(
      h.db,
      m.merchantId,
      [accrue(m.merchantId, "CNY", "order:carol:paid", "c", [{ promoterId: carol.promoterId, amountMinor: 5 }])],
      "2026-05-16T01:00:00Z",
    );
    const files = async (batch: number) => {
      const outDir = dirs.make();
      const r = await exportStatements(h.db, { month: "2026-05", merchantIds: [m.merchantId], format: "csv", outDir, batch });
      return { r, text: r.files.map((f) => readFileSync(f, "utf8")) };
    };
    const one = await files(1);
    const all = await files(1000);
    expect(one.r.statements).toBe(3);
    expect(one.text).toEqual(all.text);
    expect(one.text[2]?.split("\r\n").filter((l) => l.includes(",opening,"))).toHaveLength(3);
  });
});

describe("merchant statement", () => {
  it("lists commissions, reversals, fees and payouts, and the total owed to promoters adds up", async () => {
    const r = await h.call("GET", "/v1/statements/merchant?month=2026-03", { token: m.apiKey });
    expect(r.status).toBe(200);
    const c: Json = r.body.currencies[0];
    expect(c).toMatchObject({
      currency: "CNY",
      owedOpeningMinor: 0,
      commissionsMinor: earned,
      reversalsMinor: 50,
      payoutsMinor: 880,
      taxMinor: 100,
      withdrawalFeesMinor: 20,
      merchantFeeIncomeMinor: 20,
      topupsMinor: 0,
      owedClosingMinor: earned - 1050,
    });
    expect(c.byKind.map((k: Json) => k.kind)).toEqual([
      "accrue",
      "release",
      "reverse",
      "withdraw_lock",
      "withdraw_pay",
      "withdraw_withhold",
    ]);
    const april = await h.call("GET", "/v1/statements/merchant?month=2026-04", { token: m.apiKey });
    expect(april.body.currencies[0].owedOpeningMinor).toBe(earned - 1050);
    const csv = await getRaw("/v1/statements/merchant?month=2026-03&format=csv", m.apiKey);
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.body.toString("utf8")).toContain("佣金计提");
    const pdf = await getRaw("/v1/statements/merchant?month=2026-03&format=pdf", m.adminToken);
    const text = (await pdfText(pdf.body)).join("\n");
    expect(text).toContain("商户对账单");
    expect(text).toContain("期末应付推广员");
    expect(text).toContain(`¥${(earned / 100).toFixed(2)}`);
  });
});
