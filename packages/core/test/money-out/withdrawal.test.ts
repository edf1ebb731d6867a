/** Withdrawal rules: settings with defaults and limits, the checks, the preview, the states and their postings. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  approvalFor,
  checkWithdrawal,
  merchantAccount,
  PLATFORM_FEE_ACCOUNT,
  previewWithdrawal,
  promoterAccount,
  reviewDueAtMs,
  transition,
  WITHDRAWAL_AMOUNT_LIMIT_MINOR,
  WITHDRAWAL_DAILY_COUNT_LIMIT,
  WITHDRAWAL_EVENTS,
  WITHDRAWAL_FEE_FIXED_LIMIT_MINOR,
  WITHDRAWAL_FEE_RATE_BPS_LIMIT,
  WITHDRAWAL_MINIMUM_FLOOR_MINOR,
  WITHDRAWAL_REVIEW_SLA_LIMIT_HOURS,
  WITHDRAWAL_SETTINGS_DEFAULTS,
  WITHDRAWAL_STATES,
  WITHDRAWAL_TRANSITIONS,
  type WithdrawalEvent,
  type WithdrawalMovement,
  WithdrawalSettingsSchema,
  type WithdrawalState,
  withdrawalCauseRef,
  withdrawalFee,
  withdrawalPostings,
  withdrawalSettings,
  withdrawLock,
  withdrawPay,
  withdrawRelease,
  withdrawUnwind,
  withdrawWithhold,
} from "../../src/index.ts";

const S = WITHDRAWAL_SETTINGS_DEFAULTS;

describe("settings", () => {
  it("defaults", () => {
    expect(S).toEqual({
      minimumMinor: 1_000,
      maximumPerRequestMinor: 2_000_000,
      dailyCountMax: 3,
      dailyAmountMaxMinor: 5_000_000,
      fee: { kind: "none" },
      autoApproveMaxMinor: 20_000,
      reviewSlaHours: 48,
    });
  });
  it.each([
    ["minimumMinor", { minimumMinor: WITHDRAWAL_MINIMUM_FLOOR_MINOR - 1 }],
    [
      "maximumPerRequestMinor",
      { maximumPerRequestMinor: WITHDRAWAL_AMOUNT_LIMIT_MINOR + 1, dailyAmountMaxMinor: WITHDRAWAL_AMOUNT_LIMIT_MINOR + 1 },
    ],
    ["dailyCountMax", { dailyCountMax: WITHDRAWAL_DAILY_COUNT_LIMIT + 1 }],
    ["dailyCountMax", { dailyCountMax: 0 }],
    ["fee", { fee: { kind: "percent", rateBps: WITHDRAWAL_FEE_RATE_BPS_LIMIT + 1 } }],
    ["fee", { fee: { kind: "fixed", amountMinor: WITHDRAWAL_FEE_FIXED_LIMIT_MINOR + 1 } }],
    ["fee", { fee: { kind: "percent", rateBps: 100, floorMinor: 500, ceilingMinor: 100 } }],
    ["reviewSlaHours", { reviewSlaHours: WITHDRAWAL_REVIEW_SLA_LIMIT_HOURS + 1 }],
    ["minimumMinor", { minimumMinor: 50_000, maximumPerRequestMinor: 40_000 }],
    ["maximumPerRequestMinor", { maximumPerRequestMinor: 6_000_000 }],
    ["minimumMinor", { minimumMinor: 10.5 }],
  ])("refuses %s out of its limit", (field, input) => {
    const r = WithdrawalSettingsSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(String(r.error?.issues[0]?.path[0])).toBe(field);
  });
  it("accepts values at their limits", () => {
    expect(
      withdrawalSettings({
        minimumMinor: WITHDRAWAL_MINIMUM_FLOOR_MINOR,
        dailyCountMax: WITHDRAWAL_DAILY_COUNT_LIMIT,
        reviewSlaHours: WITHDRAWAL_REVIEW_SLA_LIMIT_HOURS,
        fee: { kind: "percent", rateBps: WITHDRAWAL_FEE_RATE_BPS_LIMIT },
      }).fee,
    ).toEqual({ kind: "percent", rateBps: 2_000, floorMinor: 0, ceilingMinor: null });
  });
});

describe("fee", () => {
  it.each([
    [{ kind: "none" } as const, 100_000, 0],
    [{ kind: "fixed", amountMinor: 200 } as const, 100_000, 200],
    [{ kind: "percent", rateBps: 100, floorMinor: 0, ceilingMinor: null } as const, 100_000, 1_000],
    [{ kind: "percent", rateBps: 100, floorMinor: 0, ceilingMinor: null } as const, 150, 2], // 1.5 → 2 (half-up)
    [{ kind: "percent", rateBps: 100, floorMinor: 0, ceilingMinor: null } as const, 149, 1],
    [{ kind: "percent", rateBps: 100, floorMinor: 200, ceilingMinor: 1_000 } as const, 1_000, 200], // floor
    [{ kind: "percent", rateBps: 100, floorMinor: 200, ceilingMinor: 1_000 } as const, 1_000_000, 1_000], // ceiling
  ])("%j on %i → %i", (fee, amount, expected) => {
    expect(withdrawalFee(amount, fee)).toBe(expected);
  });
});

describe("checkWithdrawal", () => {
  const ok = (amountMinor: number, availableMinor = 1_000_000, today: number[] = []) =>
    checkWithdrawal(
      { amountMinor },
      { availableMinor },
      today.map((a) => ({ amountMinor: a })),
      S,
    );
  it.each([
    ["a valid request", ok(1_000), { ok: true }],
    ["amount zero", ok(0), { ok: false, code: "AMOUNT_INVALID", field: "amountMinor" }],
    ["amount not an integer", ok(10.5), { ok: false, code: "AMOUNT_INVALID" }],
    ["below the ¥10 minimum", ok(999), { ok: false, code: "BELOW_MINIMUM", details: { minimumMinor: 1_000 } }],
    ["above the maximum per request", ok(2_000_001, 9_000_000), { ok: false, code: "ABOVE_MAXIMUM", details: { maximumMinor: 2_000_000 } }],
    ["more than available", ok(5_000, 4_999), { ok: false, code: "INSUFFICIENT_AVAILABLE", details: { availableMinor: 4_999 } }],
    ["all of available", ok(4_999, 4_999), { ok: true }],
    ["balance negative after a clawback", ok(1_000, -2_345), { ok: false, code: "BALANCE_NEGATIVE", details: { owedMinor: 2_345 } }],
    [
      "the day's count used",
      ok(1_000, 1_000_000, [1_000, 1_000, 1_000]),
      { ok: false, code: "DAILY_COUNT_EXCEEDED", details: { dailyCountMax: 3 } },
    ],
    [
      "the day's amount used",
      ok(2_000_000, 9_000_000, [2_000_000, 1_500_000]),
      { ok: false, code: "DAILY_AMOUNT_EXCEEDED", details: { remainingMinor: 1_500_000, todayAmountMinor: 3_500_000 } },
    ],
    ["exactly the day's amount", ok(1_500_000, 9_000_000, [2_000_000, 1_500_000]), { ok: true }],
  ])("%s", (_name, result, expected) => {
    expect(result).toMatchObject(expected);
  });

  it("the amount owed is named even for a request that would otherwise be refused for another reason", () => {
    expect(ok(1, -500)).toMatchObject({ code: "BALANCE_NEGATIVE", details: { owedMinor: 500 } });
  });

  it("automatic approval up to the threshold, never with an open risk flag, never when turned off", () => {
    expect(approvalFor(20_000, S, false)).toBe("auto");
    expect(approvalFor(20_001, S, false)).toBe("review");
    expect(approvalFor(100, S, true)).toBe("review");
    expect(approvalFor(100, withdrawalSettings({ autoApproveMaxMinor: 0 }), false)).toBe("review");
    expect(reviewDueAtMs(0, S)).toBe(48 * 3_600_000);
  });
});

describe("previewWithdrawal", () => {
  const month = "2026-11";
  it("gross ¥3,000 under the monthly method with a 1 % fee: tax ¥440, fee ¥30, net ¥2,530", () => {
    const settings = withdrawalSettings({ fee: { kind: "percent", rateBps: 100 } });
    expect(previewWithdrawal({ amountMinor: 300_000 }, settings, { config: { type: "cn-labour-monthly" }, month })).toMatchObject({
      ok: true,
      amountMinor: 300_000,
      taxMinor: 44_000,
      feeMinor: 3_000,
      netMinor: 253_000,
    });
  });
  it("the second ¥3,000 of the month withholds ¥520", () => {
    const r = previewWithdrawal({ amountMinor: 300_000 }, S, {
      config: { type: "cn-labour-monthly" },
      month,
      priorIncomeMinor: 300_000,
      priorTaxMinor: 44_000,
    });
    expect(r).toMatchObject({ ok: true, taxMinor: 52_000, feeMinor: 0, netMinor: 248_000 });
  });
  it("refuses when tax and fee leave nothing to pay", () => {
    const settings = withdrawalSettings({ fee: { kind: "fixed", amountMinor: 1_000 } });
    expect(previewWithdrawal({ amountMinor: 1_000 }, settings, { config: { type: "none" }, month })).toMatchObject({
      ok: false,
      code: "NET_NOT_POSITIVE",
      field: "amountMinor",
      details: { amountMinor: 1_000, taxMinor: 0, feeMinor: 1_000, netMinor: 0 },
    });
    // after a gap the cumulative tax takes a small payment whole
    expect(
      previewWithdrawal({ amountMinor: 10_000 }, S, {
        config: { type: "cn-labour-cumulative" },
        month: "2026-05",
        priorIncomeMinor: 3_000_000,
        priorTaxMinor: 27_000,
        incomeMonths: ["2026-01", "2026-02", "2026-03"],
      }),
    ).toMatchObject({ ok: false, code: "NET_NOT_POSITIVE", details: { taxMinor: 10_000 } });
  });
  it("net = gross − tax − fee, never ≤ 0 when accepted (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.constantFrom("none", "cn-labour-monthly", "cn-labour-cumulative" as const),
        (amountMinor, rateBps, type) => {
          const settings = withdrawalSettings({ fee: { kind: "percent", rateBps, floorMinor: 100 } });
          const r = previewWithdrawal({ amountMinor }, settings, { config: { type }, month });
          if (r.ok) {
            expect(r.netMinor).toBe(r.amountMinor - r.taxMinor - r.feeMinor);
            expect(r.netMinor).toBeGreaterThan(0);
          } else expect(r.code).toBe("NET_NOT_POSITIVE");
        },
      ),
    );
  });
});

describe("states", () => {
  const table: [WithdrawalState | null, WithdrawalEvent, WithdrawalState, WithdrawalMovement | null][] = [
    [null, "request", "requested", "lock"],
    ["requested", "approve", "approved", null],
    ["requested", "reject", "rejected", "release"],
    ["approved", "await_funds", "awaiting_funds", null],
    ["approved", "reject", "rejected", "release"],
    ["approved", "submit", "paying", "withhold"],
    ["approved", "fail", "failed", "release"],
    ["awaiting_funds", "funds_available", "approved", null],
    ["awaiting_funds", "reject", "rejected", "release"],
    ["paying", "succeed", "paid", "pay"],
    ["paying", "fail", "failed", "unwind"],
  ];
  it.each(table)("%s --%s--> %s (%s)", (from, event, to, movement) => {
    expect(transition(from, event)).toEqual({ ok: true, state: to, movement });
  });
  it("every other pair is refused: final states say so", () => {
    for (const from of [null, ...WITHDRAWAL_STATES])
      for (const event of WITHDRAWAL_EVENTS) {
        if (table.some(([f, e]) => f === from && e === event)) continue;
        const r = transition(from, event);
        expect(r.ok).toBe(false);
        if (!r.ok)
          expect(r.code).toBe(from === "paid" || from === "rejected" || from === "failed" ? "WITHDRAWAL_FINAL" : "TRANSITION_NOT_ALLOWED");
      }
    expect(transition("paid", "succeed")).toMatchObject({ ok: false, code: "WITHDRAWAL_FINAL", details: { allowed: [] } });
    expect(transition("paying", "approve")).toMatchObject({ details: { allowed: ["succeed", "fail"] } });
    expect(WITHDRAWAL_TRANSITIONS).toHaveLength(table.length);
  });
});

describe("postings", () => {
  const w = { promoterId: "p", amountMinor: 300_000, taxMinor: 44_000, feeMinor: 3_000 };
  const fee = merchantAccount("m", "fee_income");
  const legs = (tx: ReturnType<typeof withdrawLock>) => Object.fromEntries((tx?.postings ?? []).map((p) => [p.account, p.amountMinor]));
  it.each([
    ["lock", withdrawLock("CNY", "c", "", w), { "promoter:p:available": -300_000, "promoter:p:locked": 300_000 }],
    [
      "withhold",
      withdrawWithhold("CNY", "c", "", w, fee),
      { "promoter:p:locked": -47_000, "promoter:p:tax": 44_000, "merchant:m:fee_income": 3_000 },
    ],
    ["pay", withdrawPay("CNY", "c", "", w), { "promoter:p:locked": -253_000, "promoter:p:paid": 253_000 }],
    ["release", withdrawRelease("CNY", "c", "", w), { "promoter:p:locked": -300_000, "promoter:p:available": 300_000 }],
    [
      "unwind",
      withdrawUnwind("CNY", "c", "", w, fee),
      { "promoter:p:locked": -253_000, "promoter:p:tax": -44_000, "merchant:m:fee_income": -3_000, "promoter:p:available": 300_000 },
    ],
  ])("%s", (_name, tx, expected) => {
    expect(legs(tx)).toEqual(expected);
  });
  it("withholding nothing posts nothing; tax + fee ≥ gross is a broken invariant", () => {
    expect(withdrawWithhold("CNY", "c", "", { ...w, taxMinor: 0, feeMinor: 0 }, PLATFORM_FEE_ACCOUNT)).toBeNull();
    expect(() => withdrawLock("CNY", "c", "", { ...w, taxMinor: 297_000 })).toThrow(/nothing to pay/);
    expect(() => withdrawLock("CNY", "c", "", { ...w, feeMinor: -1 })).toThrow(/non-negative/);
  });

  const pathArb = fc.constantFrom<WithdrawalEvent[]>(
    ["request", "approve", "submit", "succeed"],
    ["request", "approve", "submit", "fail"],
    ["request", "reject"],
    ["request", "approve", "reject"],
    ["request", "approve", "fail"],
    ["request", "approve", "await_funds", "funds_available", "submit", "succeed"],
    ["request", "approve", "await_funds", "reject"],
  );
  const amountsArb = fc
    .record({ gross: fc.integer({ min: 1, max: 1_000_000_000 }), tax: fc.nat(), fee: fc.nat() })
    .map(({ gross, tax, fee }) => {
      const t = gross > 1 ? tax % gross : 0;
      const f = gross - t > 1 ? fee % (gross - t) : 0;
      return { promoterId: "p", amountMinor: gross, taxMinor: t, feeMinor: f };
    });

  it("every recipe balances, and every path ends with the right balances (property)", () => {
    fc.assert(
      fc.property(pathArb, amountsArb, fc.constantFrom(PLATFORM_FEE_ACCOUNT, fee), (path, amounts, feeAccount) => {
        const balances = new Map<string, number>();
        let state: WithdrawalState | null = null;
        for (const event of path) {
          const r = transition(state, event);
          if (!r.ok) throw new Error(`${String(state)} ${event}`);
          state = r.state;
          if (r.movement === null) continue;
          const tx = withdrawalPostings(r.movement, amounts, {
            currency: "CNY",
            causeRef: withdrawalCauseRef("w", event),
            memo: "",
            feeAccount,
          });
          if (!tx) continue;
          expect(tx.postings.reduce((a, p) => a + p.amountMinor, 0)).toBe(0);
          expect(tx.causeRef).toBe(`withdrawal:w:${event}`);
          expect(tx.postings.every((p) => p.amountMinor !== 0)).toBe(true);
          for (const p of tx.postings) balances.set(p.account, (balances.get(p.account) ?? 0) + p.amountMinor);
        }
        const b = (acc: string) => balances.get(acc) ?? 0;
        const net = amounts.amountMinor - amounts.taxMinor - amounts.feeMinor;
        expect(b(promoterAccount("p", "locked"))).toBe(0);
        if (state === "paid") {
          expect(b(promoterAccount("p", "available"))).toBe(-amounts.amountMinor);
          expect(b(promoterAccount("p", "paid"))).toBe(net);
          expect(b(promoterAccount("p", "tax"))).toBe(amounts.taxMinor);
          expect(b(feeAccount)).toBe(amounts.feeMinor);
        } else {
          for (const v of balances.values()) expect(v).toBe(0);
        }
      }),
    );
  });
});
