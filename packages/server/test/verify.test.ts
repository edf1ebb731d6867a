import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyMerchantLedger } from "../src/modules/ledger/repository.ts";
import { type Harness, type MerchantFixture, merchantFixture, paidOrder, promoterFixture, startHarness } from "./helpers.ts";

// Ledger verify compares stored balances with their postings a range of accounts at a time; with ranges of two
// accounts, a difference anywhere — first range, a middle one, the open-ended last one — must still be found.
describe("ledger verify over ranges of accounts", () => {
  let h: Harness;
  let m: MerchantFixture;
  let accounts: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
    m = await merchantFixture(h, "Ranges");
    const a = await promoterFixture(h, m, "Ra");
    const b = await promoterFixture(h, m, "Rb", a.code);
    const c = await promoterFixture(h, m, "Rc", b.code);
    const d = await promoterFixture(h, m, "Rd");
    for (const [i, p] of [a, b, c, d, c, b].entries()) {
      const r = await h.call("POST", "/v1/orders", { token: m.apiKey, body: paidOrder(`VR-${i}`, `VR-C${i}`, { promoCode: p.code }) });
      expect(r.status).toBe(201);
    }
    accounts = (
      await h.db.read((q) =>
        q.query<{ account: string }>("SELECT account FROM account_balances WHERE merchant_id = $1 ORDER BY account", [m.merchantId]),
      )
    ).map((r) => r.account);
  });
  afterAll(async () => {
    await h.close();
  });

  it("is clean at every range size", async () => {
    expect(accounts.length).toBeGreaterThanOrEqual(5);
    for (const size of [1, 2, 3, 1000]) {
      const r = await verifyMerchantLedger(h.db, m.merchantId, size);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.balanceProblems).toEqual([]);
    }
  });

  it("finds a stored balance that differs from its postings in any range, and only that one", async () => {
    for (const target of [accounts[0], accounts[Math.floor(accounts.length / 2)], accounts[accounts.length - 1]] as string[]) {
      await h.db.tx((q) =>
        q.query("UPDATE account_balances SET balance_minor = balance_minor + 7 WHERE merchant_id = $1 AND account = $2", [
          m.merchantId,
          target,
        ]),
      );
      for (const size of [1, 2, 1000]) {
        const r = await verifyMerchantLedger(h.db, m.merchantId, size);
        expect(r.ok).toBe(false);
        expect(r.balanceProblems.map((p) => p.account)).toEqual([target]);
        expect((r.balanceProblems[0]?.stored ?? 0) - (r.balanceProblems[0]?.fromPostings ?? 0)).toBe(7);
      }
      await h.db.tx((q) =>
        q.query("UPDATE account_balances SET balance_minor = balance_minor - 7 WHERE merchant_id = $1 AND account = $2", [
          m.merchantId,
          target,
        ]),
      );
    }
    expect((await verifyMerchantLedger(h.db, m.merchantId, 2)).ok).toBe(true);
  });

  it("finds a missing balance row (postings of an account the balances do not know), before, between and after ranges", async () => {
    for (const target of [accounts[0], accounts[2], accounts[accounts.length - 1]] as string[]) {
      const [row] = await h.db.read((q) =>
        q.query<{ currency: string; balance_minor: number }>(
          "SELECT currency, balance_minor FROM account_balances WHERE merchant_id = $1 AND account = $2",
          [m.merchantId, target],
        ),
      );
      await h.db.tx((q) => q.query("DELETE FROM account_balances WHERE merchant_id = $1 AND account = $2", [m.merchantId, target]));
      for (const size of [1, 2, 1000]) {
        const r = await verifyMerchantLedger(h.db, m.merchantId, size);
        expect(r.balanceProblems.map((p) => p.account)).toEqual([target]);
        expect(r.balanceProblems[0]?.stored).toBe(0);
        expect(r.balanceProblems[0]?.fromPostings).toBe(Number(row?.balance_minor));
      }
      await h.db.tx((q) =>
        q.query("INSERT INTO account_balances (merchant_id, account, currency, balance_minor) VALUES ($1, $2, $3, $4)", [
          m.merchantId,
          target,
          row?.currency,
          row?.balance_minor,
        ]),
      );
    }
    expect((await verifyMerchantLedger(h.db, m.merchantId, 2)).ok).toBe(true);
  });
});
