/**
 * applyWithdrawalEvent (modules/withdrawals/transition.ts), the one way a withdrawal changes state: every path of the
 * state machine through a real request, with its ledger movement, transition rows, tax voided on reject and fail,
 * provider fields, the event and the audit entry; a repeated event on a final state changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../src/http/errors.ts";
import { applyWithdrawalEvent } from "../src/modules/withdrawals/transition.ts";
import { type Harness, type MerchantFixture, merchantFixture, promoterFixture, startHarness } from "./helpers.ts";
import {
  addIdentity,
  addPayoutAccount,
  balance,
  balances,
  expectLedgerOk,
  fund,
  type Promoter,
  setMoney,
  withdraw,
} from "./withdrawal-fixtures.ts";

let h: Harness;
let m: MerchantFixture;
let p: Promoter;
let account: string;

beforeAll(async () => {
  h = await startHarness("2026-11-10T02:00:00.000Z");
  m = await merchantFixture(h, "Transit", { program: { holdDays: 0 } });
  p = await promoterFixture(h, m, "Tina");
  await addIdentity(h, p.promoterId);
  account = await addPayoutAccount(h, p.promoterId, "bank");
  // flat 10 % tax and a fixed ¥2 fee: every leg of every recipe moves something
  await setMoney(h, m, {
    tax: { method: "flat", rateBps: 1000 },
    withdrawal: { fee: { kind: "fixed", amountMinor: 200 }, autoApproveMaxMinor: 0, dailyCountMax: 50 },
  });
  await fund(h, m, p, 100_000);
});
afterAll(async () => h?.close());

const event = (
  id: string,
  ev: Parameters<typeof applyWithdrawalEvent>[3],
  extra: Partial<Parameters<typeof applyWithdrawalEvent>[4]> = {},
) => h.db.tx((q) => applyWithdrawalEvent(q, m.merchantId, id, ev, { actor: "system:test", at: h.clock.now(), ...extra }));

async function request(amountMinor: number): Promise<string> {
  const r = await withdraw(h, p, { programId: m.programId, amountMinor, payoutAccountId: account });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.state).toBe("requested");
  return r.body.id;
}

async function taxRow(id: string) {
  const [row] = await h.db.read((q) =>
    q.query<{ state: string; tax_minor: number }>(
      "SELECT state, tax_minor FROM tax_withholdings WHERE merchant_id = $1 AND withdrawal_id = $2",
      [m.merchantId, id],
    ),
  );
  return row;
}

async function transitions(id: string) {
  return h.db.read((q) =>
    q.query<{ seq: number; from_state: string | null; event: string; to_state: string; actor: string; ledger_seq: number | null }>(
      "SELECT seq, from_state, event, to_state, actor, ledger_seq FROM withdrawal_transitions WHERE merchant_id = $1 AND withdrawal_id = $2 ORDER BY seq",
      [m.merchantId, id],
    ),
  );
}

describe("applyWithdrawalEvent", () => {
  it("requested → approved → paying → paid: locked, then tax and fee withheld, then the net paid", async () => {
    const before = await balances(h, m.merchantId, p.promoterId);
    const id = await request(10_000); // tax 1,000, fee 200, net 8,800
    expect(await balances(h, m.merchantId, p.promoterId)).toMatchObject({ available: before.available - 10_000, locked: 10_000 });
    await event(id, "approve", { actor: "user:reviewer" });
    const paying = await event(id, "submit", { provider: { name: "sandbox", ref: "OUTREF1", state: "ACCEPTED" } });
    expect(paying.state).toBe("paying");
    expect(paying.providerRef).toBe("OUTREF1");
    expect(await balances(h, m.merchantId, p.promoterId)).toMatchObject({ locked: 8_800, tax: 1_000 });
    expect(await balance(h, m.merchantId, `merchant:${m.merchantId}:fee_income`)).toBe(200);
    // the provider's reference is set once and never changed
    const again = await event(id, "succeed", { provider: { name: "sandbox", ref: "OTHER", state: "SUCCESS" } });
    expect(again.state).toBe("paid");
    expect(again.providerRef).toBe("OUTREF1");
    expect(again.providerState).toBe("SUCCESS");
    expect(again.finishedAt).not.toBeNull();
    const after = await balances(h, m.merchantId, p.promoterId);
    expect(after).toEqual({ available: before.available - 10_000, locked: 0, paid: 8_800, tax: 1_000 });
    const ts = await transitions(id);
    expect(ts.map((t) => `${t.from_state}>${t.event}>${t.to_state}`)).toEqual([
      "null>request>requested",
      "requested>approve>approved",
      "approved>submit>paying",
      "paying>succeed>paid",
    ]);
    expect(ts.map((t) => t.ledger_seq === null)).toEqual([false, true, false, false]);
    expect(ts[1]?.actor).toBe("user:reviewer");
    expect((await taxRow(id))?.state).toBe("active");
    await expectLedgerOk(h, m);
  });

  it("a repeated event on a final state answers WITHDRAWAL_FINAL and changes nothing", async () => {
    const id = await request(5_000);
    await event(id, "approve");
    await event(id, "submit", { provider: { name: "sandbox", ref: "OUTREF2" } });
    await event(id, "succeed");
    const seqBefore = (await transitions(id)).length;
    const head = await h.db.read((q) => q.query("SELECT seq FROM ledger_heads WHERE merchant_id = $1", [m.merchantId]));
    const err = await event(id, "succeed").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("WITHDRAWAL_FINAL");
    expect(err.details).toMatchObject({ state: "paid", event: "succeed", allowed: [] });
    const fail = await event(id, "fail").catch((e) => e);
    expect(fail.code).toBe("WITHDRAWAL_FINAL");
    expect((await transitions(id)).length).toBe(seqBefore);
    expect(await h.db.read((q) => q.query("SELECT seq FROM ledger_heads WHERE merchant_id = $1", [m.merchantId]))).toEqual(head);
    const wrong = await event(await request(3_000), "succeed").catch((e) => e);
    expect(wrong.code).toBe("TRANSITION_NOT_ALLOWED");
    expect(wrong.details.allowed).toEqual(["approve", "reject"]);
  });

  it("paying → failed unwinds everything: the gross back to available, tax and fee reversed, the tax voided", async () => {
    const before = await balances(h, m.merchantId, p.promoterId);
    const feeBefore = await balance(h, m.merchantId, `merchant:${m.merchantId}:fee_income`);
    const id = await request(20_000);
    await event(id, "approve");
    await event(id, "submit", { provider: { name: "sandbox", ref: "OUTREF3" } });
    const failed = await event(id, "fail", { reason: "账户无效 account invalid", provider: { name: "sandbox", state: "FAIL" } });
    expect(failed.state).toBe("failed");
    expect(failed.stateReason).toBe("账户无效 account invalid");
    expect(await balances(h, m.merchantId, p.promoterId)).toEqual(before);
    expect(await balance(h, m.merchantId, `merchant:${m.merchantId}:fee_income`)).toBe(feeBefore);
    expect((await taxRow(id))?.state).toBe("void");
    await expectLedgerOk(h, m);
  });

  it("approved → failed (refused before money left) and awaiting funds → approved → rejected release the gross", async () => {
    const before = await balances(h, m.merchantId, p.promoterId);
    const a = await request(4_000);
    await event(a, "approve");
    expect((await event(a, "fail", { reason: "not submitted" })).state).toBe("failed");
    const b = await request(4_000);
    await event(b, "approve");
    expect((await event(b, "await_funds")).state).toBe("awaiting_funds");
    expect((await event(b, "funds_available")).state).toBe("approved");
    const rejected = await event(b, "reject", { reason: "duplicate", actor: "user:reviewer" });
    expect(rejected.state).toBe("rejected");
    expect(rejected.decidedBy).toBe("user:reviewer");
    expect(await balances(h, m.merchantId, p.promoterId)).toEqual(before);
    expect((await taxRow(a))?.state).toBe("void");
    expect((await taxRow(b))?.state).toBe("void");
    await expectLedgerOk(h, m);
  });

  it("every change is an event and an audit entry", async () => {
    const id = await request(2_000);
    await event(id, "reject", { reason: "test" });
    const evs = await h.db.read((q) =>
      q.query<{ type: string; data: { event: string; to: string; withdrawal: { id: string; amountMinor: number } } }>(
        "SELECT type, data FROM events WHERE merchant_id = $1 AND subject = $2 ORDER BY pos",
        [m.merchantId, `withdrawal:${id}`],
      ),
    );
    expect(evs.map((e) => `${e.type}:${e.data.event}>${e.data.to}`)).toEqual([
      "withdrawal.state_changed:request>requested",
      "withdrawal.state_changed:reject>rejected",
    ]);
    expect(evs[1]?.data.withdrawal).toMatchObject({ id, amountMinor: 2_000 });
    const audits = await h.db.read((q) =>
      q.query<{ action: string }>("SELECT action FROM audit_log WHERE merchant_id = $1 AND subject = $2 ORDER BY created_at, action", [
        m.merchantId,
        `withdrawal:${id}`,
      ]),
    );
    expect(audits.map((a) => a.action).sort()).toEqual(["withdrawal.reject", "withdrawal.request"]);
  });

  it("a WeChat transfer waiting for the payee shows its confirmation step to the promoter", async () => {
    const wechat = await addPayoutAccount(h, p.promoterId, "wechat");
    const r = await withdraw(h, p, { programId: m.programId, amountMinor: 3_000, payoutAccountId: wechat });
    expect(r.body.payee).toEqual({ kind: "wechat", display: "微信 o6_b…Y8Kc" });
    expect(r.body.confirmation).toBeNull();
    await event(r.body.id, "approve");
    const expiresAt = "2026-11-11T02:00:00.000Z";
    await event(r.body.id, "submit", {
      provider: {
        name: "wechat",
        ref: "OUTREFWX",
        billNo: "1330000071100999991182020050700019480001",
        state: "WAIT_USER_CONFIRM",
        packageInfo: "pkg-abc",
        expiresAt,
      },
    });
    const mine = await h.call("GET", `/v1/me/withdrawals/${r.body.id}`, { token: p.token });
    expect(mine.body).toMatchObject({ state: "paying", provider: "wechat", providerState: "WAIT_USER_CONFIRM" });
    expect(mine.body.confirmation).toEqual({ appid: "wx8888888888888888", mchId: null, packageInfo: "pkg-abc", expiresAt });
    await event(r.body.id, "succeed", { provider: { name: "wechat", state: "SUCCESS" } });
    expect((await h.call("GET", `/v1/me/withdrawals/${r.body.id}`, { token: p.token })).body.confirmation).toBeNull();
  });

  it("the platform withholds: the fee goes to platform:fee", async () => {
    await setMoney(h, m, { tax: { agent: "platform" } });
    const id = await request(10_000);
    await event(id, "approve");
    await event(id, "submit", { provider: { name: "sandbox", ref: "OUTREF9" } });
    expect(await balance(h, m.merchantId, "platform:fee")).toBe(200);
    const [row] = await h.db.read((q) =>
      q.query<{ agent: string }>("SELECT agent FROM tax_withholdings WHERE merchant_id = $1 AND withdrawal_id = $2", [m.merchantId, id]),
    );
    expect(row?.agent).toBe("platform");
    await event(id, "fail", { reason: "bounced" });
    expect(await balance(h, m.merchantId, "platform:fee")).toBe(0);
    await expectLedgerOk(h, m);
  });
});
