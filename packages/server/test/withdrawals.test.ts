/**
 * Withdrawals through the API: money settings, the wallet, every refusal with its field and details (and nothing
 * written), automatic and reviewed approval with risk flags, the merchant's queue and decisions (one and in bulk),
 * daily limits in the program's time zone, a clawback that leaves the balance negative, idempotent retries, and the
 * ledger verified after each path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness, writeSnapshot } from "./helpers.ts";
import { cardNumber, residentId } from "./identity-fixtures.ts";
import {
  addIdentity,
  addPayoutAccount,
  balances,
  expectLedgerOk,
  fund,
  type Promoter,
  preview,
  setMoney,
  withdraw,
} from "./withdrawal-fixtures.ts";

let h: Harness;
let m: MerchantFixture;
let p: Promoter;
let bank: string;

beforeAll(async () => {
  h = await startHarness("2026-03-02T02:00:00.000Z");
  m = await merchantFixture(h, "Wd", { program: { holdDays: 0 } });
  p = await promoterFixture(h, m, "Wendy");
  bank = await addPayoutAccount(h, p.promoterId, "bank");
  await fund(h, m, p, 200_000);
});
afterAll(async () => h?.close());

const body = (amountMinor: number, payoutAccountId = bank, programId = m.programId) => ({ programId, amountMinor, payoutAccountId });

/** A request that must be refused with `status` and `code`, naming `field`, writing nothing. */
async function refused(
  status: number,
  code: string,
  field: string,
  send: () => Promise<{ status: number; body: Record<string, unknown> }>,
) {
  const before = await writeSnapshot(h.db);
  const r = await send();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  const error = (r.body as { error: { code: string; details: Record<string, unknown> } }).error;
  expect(error.code).toBe(code);
  if (code === "VALIDATION_FAILED") expect((error.details.issues as { path: string }[]).map((i) => i.path)).toContain(field);
  else expect(error.details.field).toBe(field);
  expect(await writeSnapshot(h.db)).toEqual(before);
  return error.details;
}

describe("money settings", () => {
  it("GET answers the defaults: merchant agent, no tax, the core withdrawal defaults", async () => {
    const r = await h.call("GET", `/v1/programs/${m.programId}/money-settings`, { token: m.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.tax).toEqual({ method: "none", agent: "merchant" });
    expect(r.body.withdrawal).toMatchObject({ minimumMinor: 1_000, dailyCountMax: 3, autoApproveMaxMinor: 20_000, reviewSlaHours: 48 });
    expect(r.body.circuit).toEqual({ open: false, reason: null });
    expect(r.body.funding).toEqual({ mode: "postpaid", lowBudgetAlertMinor: null });
    expect(r.body.fee).toEqual({ rateBps: 0, chargedAt: "payout" });
  });

  it("PATCH merges, validates naming the field, audits before and after, and replays by key", async () => {
    await refused(400, "VALIDATION_FAILED", "withdrawal.minimumMinor", () =>
      h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, { token: m.apiKey, body: { withdrawal: { minimumMinor: 5 } } }),
    );
    await refused(400, "VALIDATION_FAILED", "tax.method", () =>
      h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, { token: m.apiKey, body: { tax: { method: "vat" } } }),
    );
    await refused(400, "VALIDATION_FAILED", "tax.rateBps", () =>
      h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, { token: m.apiKey, body: { tax: { method: "flat", rateBps: 4_501 } } }),
    );
    await refused(400, "VALIDATION_FAILED", "tax.agent", () =>
      h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, { token: m.apiKey, body: { tax: { agent: "bank" } } }),
    );
    const key = { "idempotency-key": "settings-1" };
    const a = await h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, {
      token: m.apiKey,
      headers: key,
      body: { withdrawal: { dailyCountMax: 20 }, tax: { method: "flat", rateBps: 500, agent: "platform" } },
    });
    expect(a.status).toBe(200);
    expect(a.body.tax).toEqual({ method: "flat", rateBps: 500, agent: "platform" });
    const again = await h.call("PATCH", `/v1/programs/${m.programId}/money-settings`, {
      token: m.apiKey,
      headers: key,
      body: { withdrawal: { dailyCountMax: 20 }, tax: { method: "flat", rateBps: 500, agent: "platform" } },
    });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(a.body);
    // method given: the section is replaced, the agent kept; null returns a withdrawal setting to its default
    const b = await setMoney(h, m, { withdrawal: { minimumMinor: 2_000 }, tax: { method: "none" } });
    expect(b.tax).toEqual({ method: "none", agent: "platform" });
    expect(b.withdrawal.dailyCountMax).toBe(20);
    const c = await setMoney(h, m, { withdrawal: { minimumMinor: null }, tax: { agent: "merchant" } });
    expect(c.withdrawal.minimumMinor).toBe(1_000);
    const audits = await h.db.read((q) =>
      q.query<{ details: { after: { tax: { method: string } } } }>(
        "SELECT details FROM audit_log WHERE merchant_id = $1 AND action = 'money_settings.update' ORDER BY created_at",
        [m.merchantId],
      ),
    );
    expect(audits.map((x) => x.details.after.tax.method)).toEqual(["flat", "none", "none"]);
  });
});

describe("refusals", () => {
  it("names the field and the figures, and writes nothing", async () => {
    const other = await promoterFixture(h, m, "Olga");
    const foreign = await addPayoutAccount(h, other.promoterId, "bank");
    const removed = await addPayoutAccount(h, p.promoterId, "bank", "removed");
    await refused(404, "PAYOUT_ACCOUNT_NOT_FOUND", "payoutAccountId", () => withdraw(h, p, body(5_000, foreign)));
    await refused(404, "PAYOUT_ACCOUNT_NOT_FOUND", "payoutAccountId", () => withdraw(h, p, body(5_000, removed)));
    await refused(400, "VALIDATION_FAILED", "amountMinor", () => withdraw(h, p, body(0)));
    await refused(400, "VALIDATION_FAILED", "amountMinor", () => withdraw(h, p, body(12.5)));
    await refused(404, "NOT_FOUND", "programId", () => withdraw(h, other, body(5_000, foreign, "prg_nope")));
    expect(await refused(422, "BELOW_MINIMUM", "amountMinor", () => withdraw(h, p, body(999)))).toMatchObject({ minimumMinor: 1_000 });
    expect(await refused(422, "ABOVE_MAXIMUM", "amountMinor", () => withdraw(h, p, body(2_000_001)))).toMatchObject({
      maximumMinor: 2_000_000,
    });
    expect(await refused(422, "INSUFFICIENT_AVAILABLE", "amountMinor", () => withdraw(h, p, body(200_001)))).toMatchObject({
      availableMinor: 200_000,
    });
    await setMoney(h, m, { withdrawal: { fee: { kind: "fixed", amountMinor: 10_000 } } });
    expect(await refused(422, "NET_NOT_POSITIVE", "amountMinor", () => withdraw(h, p, body(10_000)))).toEqual({
      field: "amountMinor",
      amountMinor: 10_000,
      taxMinor: 0,
      feeMinor: 10_000,
      netMinor: 0,
    });
    await refused(422, "NET_NOT_POSITIVE", "amountMinor", () => preview(h, p, body(10_000)));
    await setMoney(h, m, { withdrawal: { fee: null } });
  });

  it("IDENTITY_REQUIRED when tax is withheld, for WeChat from ¥2,000, and for an Alipay login id", async () => {
    const q = await promoterFixture(h, m, "Ivan");
    await fund(h, m, q, 300_000);
    const wechat = await addPayoutAccount(h, q.promoterId, "wechat");
    const logon = await addPayoutAccount(h, q.promoterId, "alipay_logon");
    const userId = await addPayoutAccount(h, q.promoterId, "alipay");
    const qb = (amountMinor: number, acc: string) => ({ programId: m.programId, amountMinor, payoutAccountId: acc });
    expect(await refused(422, "IDENTITY_REQUIRED", "identity", () => withdraw(h, q, qb(200_000, wechat)))).toEqual({
      field: "identity",
      missing: ["identity"],
      reasons: ["wechat_user_name"],
    });
    expect((await refused(422, "IDENTITY_REQUIRED", "identity", () => withdraw(h, q, qb(5_000, logon)))).reasons).toEqual([
      "alipay_logon_id",
    ]);
    await setMoney(h, m, { tax: { method: "cn-labour-monthly" } });
    expect((await refused(422, "IDENTITY_REQUIRED", "identity", () => preview(h, q, qb(5_000, userId)))).reasons).toEqual([
      "tax_withholding",
    ]);
    await setMoney(h, m, { tax: { method: "none" } });
    // below ¥2,000 on WeChat, and an Alipay user id, need no identity when nothing is withheld
    expect((await withdraw(h, q, qb(199_999, wechat))).status).toBe(201);
    expect((await withdraw(h, q, qb(5_000, userId))).status).toBe(201);
    await addIdentity(h, q.promoterId);
    const ok = await withdraw(h, q, qb(5_000, logon));
    expect(ok.status).toBe(201);
    expect(ok.body.payee).toEqual({ kind: "alipay", display: "支付宝 138****5678 (张*)" });
  });

  it("BALANCE_NEGATIVE after a clawback says how much is owed", async () => {
    const n = await promoterFixture(h, m, "Nora");
    const acc = await addPayoutAccount(h, n.promoterId, "bank");
    const order = await fund(h, m, n, 10_000);
    const w = await withdraw(h, n, { programId: m.programId, amountMinor: 6_000, payoutAccountId: acc });
    expect(w.status).toBe(201);
    // the whole order is refunded: its 10,000 of commission comes back out of available, which had 4,000 left
    const r = await h.call("POST", `/v1/orders/${order}/refunds`, { token: m.apiKey, body: { amountMinor: 100_000 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await balances(h, m.merchantId, n.promoterId)).available).toBe(-6_000);
    const d = await refused(422, "BALANCE_NEGATIVE", "amountMinor", () =>
      withdraw(h, n, { programId: m.programId, amountMinor: 1_000, payoutAccountId: acc }),
    );
    expect(d).toEqual({ field: "amountMinor", availableMinor: -6_000, owedMinor: 6_000 });
    await expectLedgerOk(h, m);
  });
});

describe("approval", () => {
  it("up to the threshold approved automatically, above it reviewed; an open risk flag sends every request to review", async () => {
    const small = await withdraw(h, p, body(20_000));
    expect(small.body).toMatchObject({ state: "approved", approval: "auto", decidedBy: "system:auto_approve" });
    const big = await withdraw(h, p, body(20_001));
    expect(big.body).toMatchObject({ state: "requested", approval: "review", decidedBy: null });
    const flag = await h.call("POST", `/v1/promoters/${p.promoterId}/risk-flags`, { token: m.apiKey, body: { reason: "同一地址多单" } });
    expect(flag.status).toBe(201);
    const pre = await preview(h, p, body(1_000));
    expect(pre.body.approval).toBe("review");
    const flagged = await withdraw(h, p, body(1_000));
    expect(flagged.body).toMatchObject({ state: "requested", approval: "review" });
    const closed = await h.call("POST", `/v1/promoters/${p.promoterId}/risk-flags/${flag.body.id}/close`, { token: m.apiKey, body: {} });
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    const twice = await h.call("POST", `/v1/promoters/${p.promoterId}/risk-flags/${flag.body.id}/close`, { token: m.apiKey, body: {} });
    expect(twice.body.error.code).toBe("RISK_FLAG_CLOSED");
    expect((await withdraw(h, p, body(1_000))).body.approval).toBe("auto");
    // while the program's circuit breaker is open (the risk rules set it), nothing is approved automatically
    const circuit = (open: boolean) =>
      h.db.tx((q) =>
        q.query("UPDATE program_money_settings SET circuit_open = $3 WHERE merchant_id = $1 AND program_id = $2", [
          m.merchantId,
          m.programId,
          open,
        ]),
      );
    await circuit(true);
    const paused = await withdraw(h, p, body(1_000));
    expect(paused.body).toMatchObject({ state: "requested", approval: "review" });
    await circuit(false);
    await h.call("POST", `/v1/withdrawals/${paused.body.id}/reject`, { token: m.apiKey, body: { reason: "circuit test" } });
    await expectLedgerOk(h, m);
  });
});

describe("merchant review", () => {
  it("lists the queue with total and overdue, shows one with transitions and the identity summary", async () => {
    const list = await h.call("GET", `/v1/withdrawals?state=requested&promoterId=${p.promoterId}&limit=1`, { token: m.apiKey });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).not.toBeNull();
    expect(list.body.items[0]).toMatchObject({ state: "requested", overdue: false, promoterName: "Wendy" });
    const next = await h.call("GET", `/v1/withdrawals?state=requested&promoterId=${p.promoterId}&limit=1&cursor=${list.body.nextCursor}`, {
      token: m.apiKey,
    });
    expect(next.body.items[0].id).not.toBe(list.body.items[0].id);
    h.clock.set("2026-03-04T02:00:01.000Z"); // 48 h and a second after the requests
    const late = await h.call("GET", "/v1/withdrawals?state=requested", { token: m.apiKey });
    expect(late.body.items.every((w: { overdue: boolean }) => w.overdue)).toBe(true);
    const none = await h.call("GET", "/v1/withdrawals?from=2026-03-03T00:00:00Z", { token: m.apiKey });
    expect(none.body.total).toBe(0);
    const one = await h.call("GET", `/v1/withdrawals/${list.body.items[0].id}`, { token: m.apiKey });
    expect(one.body.transitions.map((t: { event: string }) => t.event)).toEqual(["request"]);
    expect(one.body.identity).toEqual({ present: false, legalNameMasked: null });
    const foreign = await merchantFixture(h, "Other");
    expect((await h.call("GET", `/v1/withdrawals/${list.body.items[0].id}`, { token: foreign.apiKey })).status).toBe(404);
  });

  it("reject needs a reason of at most 200 characters and returns the gross to available", async () => {
    const list = await h.call("GET", `/v1/withdrawals?state=requested&promoterId=${p.promoterId}`, { token: m.apiKey });
    const w = list.body.items[0];
    await refused(400, "VALIDATION_FAILED", "reason", () =>
      h.call("POST", `/v1/withdrawals/${w.id}/reject`, { token: m.apiKey, body: {} }),
    );
    await refused(400, "VALIDATION_FAILED", "reason", () =>
      h.call("POST", `/v1/withdrawals/${w.id}/reject`, { token: m.apiKey, body: { reason: "x".repeat(201) } }),
    );
    const before = await balances(h, m.merchantId, p.promoterId);
    const headers = { "idempotency-key": `reject-${w.id}` };
    const r = await h.call("POST", `/v1/withdrawals/${w.id}/reject`, { token: m.apiKey, body: { reason: "信息不符" }, headers });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: "rejected", reason: "信息不符" });
    // a retry answers the first response, not WITHDRAWAL_FINAL, and releases nothing twice
    const retry = await h.call("POST", `/v1/withdrawals/${w.id}/reject`, { token: m.apiKey, body: { reason: "信息不符" }, headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(r.body);
    const after = await balances(h, m.merchantId, p.promoterId);
    expect(after.available - before.available).toBe(w.amountMinor);
    expect(before.locked - after.locked).toBe(w.amountMinor);
    const again = await h.call("POST", `/v1/withdrawals/${w.id}/approve`, { token: m.apiKey, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("WITHDRAWAL_FINAL");
    // the promoter sees it with its reason and transitions
    const mine = await h.call("GET", `/v1/me/withdrawals/${w.id}`, { token: p.token });
    expect(mine.body).toMatchObject({ state: "rejected", reason: "信息不符" });
    expect(mine.body.transitions.map((t: { to: string }) => t.to)).toEqual(["requested", "rejected"]);
    await expectLedgerOk(h, m);
  });

  it("bulk approves or rejects up to 100, answering per id", async () => {
    h.clock.set("2026-03-05T02:00:00.000Z");
    const a = await withdraw(h, p, body(30_000));
    const b = await withdraw(h, p, body(30_000));
    const list = await h.call("GET", `/v1/withdrawals?state=approved&promoterId=${p.promoterId}`, { token: m.apiKey });
    const approved = list.body.items[0].id;
    await refused(400, "VALIDATION_FAILED", "reason", () =>
      h.call("POST", "/v1/withdrawals/bulk", { token: m.apiKey, body: { action: "reject", ids: [a.body.id] } }),
    );
    await refused(400, "VALIDATION_FAILED", "ids", () =>
      h.call("POST", "/v1/withdrawals/bulk", {
        token: m.apiKey,
        body: { action: "approve", ids: Array.from({ length: 101 }, (_, i) => `wd_${i}`) },
      }),
    );
    const r = await h.call("POST", "/v1/withdrawals/bulk", {
      token: m.apiKey,
      headers: { "idempotency-key": "bulk-1" },
      body: { action: "approve", ids: [a.body.id, approved, "wd_unknown", b.body.id] },
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { id: a.body.id, ok: true, state: "approved" },
      { id: approved, ok: false, error: { code: "TRANSITION_NOT_ALLOWED", message: expect.any(String) } },
      { id: "wd_unknown", ok: false, error: { code: "NOT_FOUND", message: expect.any(String) } },
      { id: b.body.id, ok: true, state: "approved" },
    ]);
    const replay = await h.call("POST", "/v1/withdrawals/bulk", {
      token: m.apiKey,
      headers: { "idempotency-key": "bulk-1" },
      body: { action: "approve", ids: [a.body.id, approved, "wd_unknown", b.body.id] },
    });
    expect(replay.body).toEqual(r.body);
    const rej = await h.call("POST", "/v1/withdrawals/bulk", {
      token: m.apiKey,
      body: { action: "reject", ids: [a.body.id], reason: "批量" },
    });
    expect(rej.body.results).toEqual([{ id: a.body.id, ok: true, state: "rejected" }]);
    await expectLedgerOk(h, m);
  });
});

describe("promoter", () => {
  it("the wallet shows each merchant's balances and the totals", async () => {
    const w = await h.call("GET", "/v1/me/wallet", { token: p.token });
    expect(w.status).toBe(200);
    const b = await balances(h, m.merchantId, p.promoterId);
    expect(w.body.merchants).toEqual([
      {
        merchantId: m.merchantId,
        merchantName: "Wd",
        merchantSuspended: false,
        currency: "CNY",
        pendingMinor: 0,
        availableMinor: b.available,
        lockedMinor: b.locked,
        paidMinor: 0,
        taxMinor: 0,
        programs: [{ programId: m.programId, programName: "Wd program" }],
      },
    ]);
    expect(w.body.totals).toEqual([
      { currency: "CNY", pendingMinor: 0, availableMinor: b.available, lockedMinor: b.locked, paidMinor: 0, taxMinor: 0 },
    ]);
  });

  it("lists my withdrawals only, newest first; another promoter's is not found", async () => {
    const mine = await h.call("GET", `/v1/me/withdrawals?programId=${m.programId}&limit=200`, { token: p.token });
    expect(mine.body.items.length).toBeGreaterThan(3);
    expect(mine.body.items.every((w: { promoterId: string }) => w.promoterId === p.promoterId)).toBe(true);
    const times = mine.body.items.map((w: { requestedAt: string }) => w.requestedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const stranger = await promoterFixture(h, m, "Sam");
    expect((await h.call("GET", `/v1/me/withdrawals/${mine.body.items[0].id}`, { token: stranger.token })).status).toBe(404);
    expect((await h.call("GET", "/v1/me/withdrawals?state=paying", { token: p.token })).body.items).toEqual([]);
  });

  it("a retry with the same key returns the first response and withdraws once; another body is a 409", async () => {
    const before = await balances(h, m.merchantId, p.promoterId);
    const first = await withdraw(h, p, body(1_500), "wd-key-1");
    const second = await withdraw(h, p, body(1_500), "wd-key-1");
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect((await balances(h, m.merchantId, p.promoterId)).locked - before.locked).toBe(1_500); // approved: locked until paid
    expect((await balances(h, m.merchantId, p.promoterId)).available).toBe(before.available - 1_500);
    const other = await withdraw(h, p, body(1_600), "wd-key-1");
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });
});

describe("daily limits in the program's time zone", () => {
  it("counts the program's calendar day (Asia/Shanghai), not UTC's", async () => {
    const z = await merchantFixture(h, "Zone", { program: { holdDays: 0, timezone: "Asia/Shanghai" } });
    const q = await promoterFixture(h, z, "Zed");
    const acc = await addPayoutAccount(h, q.promoterId, "bank");
    await fund(h, z, q, 100_000);
    await setMoney(h, z, { withdrawal: { dailyCountMax: 1, dailyAmountMaxMinor: 50_000, maximumPerRequestMinor: 50_000 } });
    const zb = (amountMinor: number) => ({ programId: z.programId, amountMinor, payoutAccountId: acc });
    h.clock.set("2026-03-10T15:59:00.000Z"); // 23:59 in Shanghai
    expect((await withdraw(h, q, zb(30_000))).status).toBe(201);
    h.clock.set("2026-03-10T15:59:59.000Z");
    expect(await refused(422, "DAILY_COUNT_EXCEEDED", "amountMinor", () => withdraw(h, q, zb(1_000)))).toEqual({
      field: "amountMinor",
      dailyCountMax: 1,
      todayCount: 1,
    });
    h.clock.set("2026-03-10T16:00:00.000Z"); // midnight in Shanghai, still the 10th in UTC
    const next = await withdraw(h, q, zb(30_000));
    expect(next.status).toBe(201);
    await setMoney(h, z, { withdrawal: { dailyCountMax: 5 } }, z.programId);
    expect(await refused(422, "DAILY_AMOUNT_EXCEEDED", "amountMinor", () => withdraw(h, q, zb(20_001)))).toEqual({
      field: "amountMinor",
      dailyAmountMaxMinor: 50_000,
      todayAmountMinor: 30_000,
      remainingMinor: 20_000,
    });
    // a rejected withdrawal does not count
    await h.call("POST", `/v1/withdrawals/${next.body.id}/reject`, { token: z.apiKey, body: { reason: "test" } });
    expect((await withdraw(h, q, zb(20_001))).status).toBe(201);
    await expectLedgerOk(h, z);
  });
});

describe("with the identity module's own routes", () => {
  it("records the identity and a bank card through the API, withdraws with tax, and the card cannot be removed while it pays", async () => {
    const e = await merchantFixture(h, "Ident", { program: { holdDays: 0 } });
    const eve = await promoterFixture(h, e, "Eve");
    await fund(h, e, eve, 50_000);
    await setMoney(h, e, { tax: { method: "flat", rateBps: 1_000 } });
    const card = await h.call("POST", "/v1/me/payout-accounts", {
      token: eve.token,
      body: { kind: "bank", holderName: "李四", bankName: "招商银行", cardNumber: cardNumber("622588012345678") },
    });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    const eb = { programId: e.programId, amountMinor: 10_000, payoutAccountId: card.body.id };
    expect((await withdraw(h, eve, eb)).body.error.code).toBe("IDENTITY_REQUIRED");
    const id = await h.call("PUT", "/v1/me/identity", {
      token: eve.token,
      body: { legalName: "李四", idType: "cn_resident_id", idNumber: residentId("11010119900101123") },
    });
    expect(id.status, JSON.stringify(id.body)).toBe(200);
    const w = await withdraw(h, eve, eb);
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body).toMatchObject({ taxMinor: 1_000, netMinor: 9_000, payee: { kind: "bank", display: card.body.display } });
    const seen = await h.call("GET", `/v1/withdrawals/${w.body.id}`, { token: e.apiKey });
    expect(seen.body.identity).toEqual({ present: true, legalNameMasked: id.body.identity.legalName });
    const del = await h.call("DELETE", `/v1/me/payout-accounts/${card.body.id}`, { token: eve.token });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe("PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL");
    await h.call("POST", `/v1/withdrawals/${w.body.id}/reject`, { token: e.apiKey, body: { reason: "test" } });
    expect((await h.call("DELETE", `/v1/me/payout-accounts/${card.body.id}`, { token: eve.token })).status).toBe(200);
    expect((await withdraw(h, eve, eb)).body.error.code).toBe("PAYOUT_ACCOUNT_NOT_FOUND");
    await expectLedgerOk(h, e);
  });
});
