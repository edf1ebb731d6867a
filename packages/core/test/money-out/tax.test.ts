/** Withholding calculators: the worked figures, bracket boundaries, "continuously", the year change, properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeWithholding,
  continuousMonths,
  explainWithholding,
  LABOUR_TABLE_1,
  LABOUR_TABLE_2,
  type TaxConfig,
  TaxConfigSchema,
  type WithholdingHistoryEntry,
  withholdingRule,
  withholdingWindowOf,
} from "../../src/index.ts";

const Y = 100; // fen per yuan
const monthly: TaxConfig = { type: "cn-labour-monthly" };
const cumulative: TaxConfig = { type: "cn-labour-cumulative" };

/** Pay a sequence of payments through a method, each one's priors taken from the history before it. */
function payAll(config: TaxConfig, payments: readonly { month: string; amountMinor: number }[]) {
  const window = withholdingRule(config.type).window;
  const history: WithholdingHistoryEntry[] = [];
  return payments.map((p) => {
    const r = computeWithholding(config, { amountMinor: p.amountMinor, month: p.month, ...withholdingWindowOf(window, history, p.month) });
    history.push({ month: p.month, incomeMinor: p.amountMinor, taxMinor: r.taxMinor });
    return r;
  });
}
const monthlyTax = (amountMinor: number) => computeWithholding(monthly, { amountMinor, month: "2026-11" }).taxMinor;
const cumulativeOnce = (amountMinor: number, month = "2026-01") => computeWithholding(cumulative, { amountMinor, month }).taxMinor;

describe("cn-labour-monthly (预扣率表二)", () => {
  it.each([
    [3_000, 440],
    [10_000, 1_600],
    [30_000, 5_200],
    [100_000, 25_000],
  ])("¥%i → ¥%i", (income, tax) => {
    expect(monthlyTax(income * Y)).toBe(tax * Y);
  });

  it("¥3,000 then ¥3,000 in the same month → ¥440 then ¥520 (the increase of the month's tax)", () => {
    const [a, b] = payAll(monthly, [
      { month: "2026-11", amountMinor: 3_000 * Y },
      { month: "2026-11", amountMinor: 3_000 * Y },
    ]);
    expect(a?.taxMinor).toBe(440 * Y);
    expect(b?.taxMinor).toBe(520 * Y);
    expect(b?.trace).toMatchObject({ incomeMinor: 6_000 * Y, windowTaxMinor: 960 * Y, priorTaxMinor: 440 * Y, expense: { kind: "rate" } });
  });

  it("a new month starts again: ¥3,000 in November and ¥3,000 in December → ¥440 each", () => {
    const r = payAll(monthly, [
      { month: "2026-11", amountMinor: 3_000 * Y },
      { month: "2026-12", amountMinor: 3_000 * Y },
    ]);
    expect(r.map((x) => x.taxMinor)).toEqual([440 * Y, 440 * Y]);
  });

  it.each([
    ["up to ¥800 nothing", 800 * Y, 0],
    ["¥800.01 → 0.002 fen, rounds to 0", 800 * Y + 1, 0],
    ["¥800.03 → 0.6 fen rounds half-up to 1 fen", 800 * Y + 3, 1],
    ["¥4,000 exactly: −800 → 3,200 × 20%", 4_000 * Y, 640 * Y],
    ["¥4,000.01: × 80% = 3,200.008 × 20% = 640.0016", 4_000 * Y + 1, 640 * Y],
    ["taxable 20,000 (¥25,000) at 20%", 25_000 * Y, 4_000 * Y],
    ["taxable 20,000.008 at 30% − 2,000", 25_000 * Y + 1, 4_000 * Y],
    ["taxable 50,000 (¥62,500) at 30% − 2,000", 62_500 * Y, 13_000 * Y],
    ["taxable 50,000.008 at 40% − 7,000", 62_500 * Y + 1, 13_000 * Y],
  ])("%s", (_name, income, tax) => {
    expect(monthlyTax(income)).toBe(tax);
  });

  it("half-up to the fen, once, at the end: ¥4,000.05 → 3,200.04 × 20% = 640.008 → 640.01", () => {
    const r = computeWithholding(monthly, { amountMinor: 400_005, month: "2026-11" });
    expect(r.trace.taxableExact).toBe("320004");
    expect(r.trace.windowTaxExact).toBe("64000.8");
    expect(r.taxMinor).toBe(64_001);
  });

  it("the table is continuous at every boundary", () => {
    for (let i = 0; i < LABOUR_TABLE_2.length - 1; i++) {
      const a = LABOUR_TABLE_2[i]!;
      const b = LABOUR_TABLE_2[i + 1]!;
      const x = a.upToMinor!;
      expect((x * a.rateBps) / 10_000 - a.quickDeductionMinor).toBe((x * b.rateBps) / 10_000 - b.quickDeductionMinor);
    }
  });
});

describe("cn-labour-cumulative (累计预扣法)", () => {
  it("¥10,000 in each of Oct, Nov, Dec, income starting in October → ¥90 each month", () => {
    const r = payAll(cumulative, [
      { month: "2026-10", amountMinor: 10_000 * Y },
      { month: "2026-11", amountMinor: 10_000 * Y },
      { month: "2026-12", amountMinor: 10_000 * Y },
    ]);
    expect(r.map((x) => x.taxMinor)).toEqual([90 * Y, 90 * Y, 90 * Y]);
    expect(r[2]?.trace).toMatchObject({
      incomeMinor: 30_000 * Y,
      continuousMonths: 3,
      deductionMinor: 15_000 * Y,
      taxableExact: String(9_000 * Y),
      rateBps: 300,
      bracket: 1,
      windowTaxMinor: 270 * Y,
      priorTaxMinor: 180 * Y,
    });
  });

  it("below ¥6,250 a continuous month nothing is withheld (6,250 × 80% − 5,000 = 0)", () => {
    const r = payAll(
      cumulative,
      Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, amountMinor: 6_250 * Y })),
    );
    expect(r.every((x) => x.taxMinor === 0)).toBe(true);
    expect(cumulativeOnce(6_250 * Y + 2)).toBe(0); // 0.016 fen × 3 % rounds to 0
  });

  it("two payments in one month: the second withholds the increase of the year's tax", () => {
    const [a, b] = payAll(cumulative, [
      { month: "2026-10", amountMinor: 10_000 * Y },
      { month: "2026-10", amountMinor: 10_000 * Y },
    ]);
    // (20,000 × 80% − 5,000) × 3% = 330; 330 − 90 = 240
    expect([a?.taxMinor, b?.taxMinor]).toEqual([90 * Y, 240 * Y]);
    expect(b?.trace.continuousMonths).toBe(1);
  });

  it("a month without income restarts the count from the month income resumes", () => {
    const r = payAll(cumulative, [
      { month: "2026-01", amountMinor: 10_000 * Y },
      { month: "2026-02", amountMinor: 10_000 * Y },
      { month: "2026-03", amountMinor: 10_000 * Y },
      // nothing in April
      { month: "2026-05", amountMinor: 10_000 * Y },
      { month: "2026-06", amountMinor: 10_000 * Y },
    ]);
    expect(r.map((x) => x.trace.continuousMonths)).toEqual([1, 2, 3, 1, 2]);
    // Jan–Mar ¥90 each (cumulative 270). May: 40,000 × 80% − 5,000 × 1 = 27,000 × 3% = 810 − 270 = 540.
    // June: 50,000 × 80% − 10,000 = 30,000 × 3% = 900 − 810 = 90.
    expect(r.map((x) => x.taxMinor)).toEqual([90 * Y, 90 * Y, 90 * Y, 540 * Y, 90 * Y]);
  });

  it("after a gap the tax can exceed a small payment: it is capped at the payment and the rest falls due later", () => {
    const [, , , may, june] = payAll(cumulative, [
      { month: "2026-01", amountMinor: 10_000 * Y },
      { month: "2026-02", amountMinor: 10_000 * Y },
      { month: "2026-03", amountMinor: 10_000 * Y },
      { month: "2026-05", amountMinor: 100 * Y }, // 30,100 × 80% − 5,000 = 19,080 × 3% = 572.40 − 270 = 302.40 > 100
      { month: "2026-06", amountMinor: 10_000 * Y }, // 40,100 × 80% − 10,000 = 22,080 × 3% = 662.40 − 370 = 292.40
    ]);
    expect(may?.taxMinor).toBe(100 * Y);
    expect(may?.trace).toMatchObject({ clamped: "payment", dueMinor: 30_240 });
    expect(june?.taxMinor).toBe(29_240);
  });

  it("the year restarts in January: December's income and tax do not count, the count starts at 1", () => {
    const [, dec, jan] = payAll(cumulative, [
      { month: "2026-11", amountMinor: 10_000 * Y },
      { month: "2026-12", amountMinor: 10_000 * Y },
      { month: "2027-01", amountMinor: 10_000 * Y },
    ]);
    expect(dec?.trace.continuousMonths).toBe(2);
    expect(jan?.trace).toMatchObject({ continuousMonths: 1, priorIncomeMinor: 0, priorTaxMinor: 0, incomeMinor: 10_000 * Y });
    expect(jan?.taxMinor).toBe(90 * Y);
  });

  it("continuousMonths: gaps, the first month, other years", () => {
    expect(continuousMonths([], "2026-10")).toBe(1);
    expect(continuousMonths(["2026-10", "2026-11"], "2026-12")).toBe(3);
    expect(continuousMonths(["2026-01", "2026-02", "2026-04"], "2026-05")).toBe(2);
    expect(continuousMonths(["2026-01", "2026-02"], "2026-04")).toBe(1);
    expect(continuousMonths(["2026-12", "2026-11"], "2027-01")).toBe(1);
    expect(continuousMonths(["2026-03", "2026-03"], "2026-03")).toBe(1);
    expect(() => continuousMonths(["2026-06"], "2026-05")).toThrow(/after/);
  });

  // One payment in January (n = 1): income x gives taxable 0.8x − 5,000; x = (taxable + 5,000) / 0.8.
  const incomeFor = (taxableYuan: number) => ((taxableYuan + 5_000) * Y * 10) / 8;
  it.each([
    [36_000, 1_080, 300],
    [144_000, 11_880, 1_000],
    [300_000, 43_080, 2_000],
    [420_000, 73_080, 2_500],
    [660_000, 145_080, 3_000],
    [960_000, 250_080, 3_500],
  ])("taxable %i exactly is taxed at its own bracket (tax %i), one fen more at the next", (taxable, tax, rate) => {
    const at = computeWithholding(cumulative, { amountMinor: incomeFor(taxable), month: "2026-01" });
    expect(at.taxMinor).toBe(tax * Y);
    expect(at.trace.rateBps).toBe(rate);
    const above = computeWithholding(cumulative, { amountMinor: incomeFor(taxable) + 1, month: "2026-01" });
    expect(above.trace.rateBps).toBeGreaterThan(rate);
    expect(above.taxMinor).toBe(tax * Y);
  });

  it("the table is continuous at every boundary", () => {
    for (let i = 0; i < LABOUR_TABLE_1.length - 1; i++) {
      const a = LABOUR_TABLE_1[i]!;
      const b = LABOUR_TABLE_1[i + 1]!;
      const x = a.upToMinor!;
      expect((x * a.rateBps) / 10_000 - a.quickDeductionMinor).toBe((x * b.rateBps) / 10_000 - b.quickDeductionMinor);
    }
  });
});

describe("none and flat", () => {
  it("none withholds nothing", () => {
    expect(computeWithholding({ type: "none" }, { amountMinor: 1_000_000, month: "2026-11" }).taxMinor).toBe(0);
  });
  it("flat: amount × rate, half-up to the fen, per payment", () => {
    expect(computeWithholding({ type: "flat", rateBps: 2_000 }, { amountMinor: 1_000_000, month: "2026-11" }).taxMinor).toBe(200_000);
    expect(computeWithholding({ type: "flat", rateBps: 250 }, { amountMinor: 20, month: "2026-11" }).taxMinor).toBe(1); // 0.5 → 1
    expect(computeWithholding({ type: "flat", rateBps: 250 }, { amountMinor: 19, month: "2026-11" }).taxMinor).toBe(0); // 0.475 → 0
  });
  it("refuses a rate above 45 % and unknown fields", () => {
    expect(TaxConfigSchema.safeParse({ type: "flat", rateBps: 4_501 }).success).toBe(false);
    expect(TaxConfigSchema.safeParse({ type: "cn-labour-monthly", rateBps: 1 }).success).toBe(false);
    expect(TaxConfigSchema.safeParse({ type: "vat" }).success).toBe(false);
  });
  it("invalid input is a caller's bug and throws", () => {
    expect(() => computeWithholding(monthly, { amountMinor: -1, month: "2026-11" })).toThrow();
    expect(() => computeWithholding(monthly, { amountMinor: 1.5, month: "2026-11" })).toThrow();
    expect(() => computeWithholding(monthly, { amountMinor: 1, month: "2026-13" })).toThrow();
  });
});

describe("explanations", () => {
  it("explain the cumulative figure in zh and en", () => {
    const [, nov] = payAll(cumulative, [
      { month: "2026-10", amountMinor: 10_000 * Y },
      { month: "2026-11", amountMinor: 10_000 * Y },
    ]);
    expect(explainWithholding(nov!.trace, "zh")).toBe(
      "2026-11 累计预扣法：累计收入 ¥20,000.00 − 费用 20% ¥4,000.00 − 减除费用 ¥5,000.00 × 2 个月 = 应纳税所得额 ¥6,000.00；× 3% − 速算扣除数 ¥0.00 = 累计应预扣 ¥180.00 − 已预扣 ¥90.00 = 本次预扣 ¥90.00（四舍五入到分）",
    );
    expect(explainWithholding(nov!.trace, "en")).toBe(
      "2026-11 cumulative method: income this year ¥20,000.00 − 20% expenses ¥4,000.00 − deduction ¥5,000.00 × 2 continuous months = taxable ¥6,000.00; × 3% − quick deduction ¥0.00 = tax to date ¥180.00 − already withheld ¥90.00 = withheld now ¥90.00 (rounded half-up to the fen)",
    );
  });
  it("explain the monthly figures, with exact fractions of a fen", () => {
    expect(explainWithholding(computeWithholding(monthly, { amountMinor: 300_000, month: "2026-11" }).trace, "zh")).toBe(
      "2026-11 劳务报酬按月预扣（预扣率表二）：本月收入 ¥3,000.00 − 费用 ¥800.00 = 应纳税所得额 ¥2,200.00；× 20% − 速算扣除数 ¥0.00 = 本月应预扣 ¥440.00 − 已预扣 ¥0.00 = 本次预扣 ¥440.00（四舍五入到分）",
    );
    expect(explainWithholding(computeWithholding(monthly, { amountMinor: 400_001, month: "2026-11" }).trace, "en")).toBe(
      "2026-11 labour remuneration, monthly (table 2): this month's income ¥4,000.01 − 20% expenses ¥800.002 = taxable ¥3,200.008; × 20% − quick deduction ¥0.00 = the month's tax ¥640.00 − already withheld ¥0.00 = withheld now ¥640.00 (rounded half-up to the fen)",
    );
  });
  it("explain none, flat and the clamps", () => {
    expect(
      explainWithholding(computeWithholding({ type: "flat", rateBps: 1_000 }, { amountMinor: 100_000, month: "2026-11" }).trace, "zh"),
    ).toBe("2026-11 按固定比例预扣：¥1,000.00 × 10% = 本次预扣 ¥100.00（四舍五入到分）");
    expect(explainWithholding(computeWithholding({ type: "none" }, { amountMinor: 100_000, month: "2026-11" }).trace, "en")).toBe(
      "2026-11 no tax withheld: ¥0.00",
    );
    const small = computeWithholding(cumulative, { amountMinor: 100, month: "2026-01" });
    expect(explainWithholding(small.trace, "zh")).toContain("不足零按零计");
  });
});

describe("properties", () => {
  const methods: TaxConfig[] = [monthly, cumulative, { type: "flat", rateBps: 2_000 }, { type: "none" }];
  const paymentArb = fc.record({ month: fc.integer({ min: 1, max: 12 }), amountMinor: fc.integer({ min: 0, max: 200_000_000 }) });
  const sorted = (xs: { month: number; amountMinor: number }[]) =>
    [...xs]
      .sort((a, b) => a.month - b.month)
      .map((p) => ({ month: `2026-${String(p.month).padStart(2, "0")}`, amountMinor: p.amountMinor }));

  it("tax ≥ 0 and tax ≤ the payment, for every method and any history in a year", () => {
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.array(paymentArb, { minLength: 1, maxLength: 12 }), (config, pays) => {
        for (const r of payAll(config, sorted(pays))) {
          expect(r.taxMinor).toBeGreaterThanOrEqual(0);
          expect(r.taxMinor).toBeLessThanOrEqual(r.trace.amountMinor);
          expect(Number.isSafeInteger(r.taxMinor)).toBe(true);
        }
      }),
    );
  });

  it("within a month, the sum of the increments equals the tax on the month's total (monthly and cumulative)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(monthly, cumulative),
        fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.subarray(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]),
        (config, amounts, before) => {
          const earlier = before.map((month) => ({ month, amountMinor: 1_000_000 }));
          const all = payAll(config, [...earlier, ...amounts.map((amountMinor) => ({ month: "2026-06", amountMinor }))]);
          const inJune = all.slice(earlier.length);
          const total = amounts.reduce((a, b) => a + b, 0);
          const single = payAll(config, [...earlier, { month: "2026-06", amountMinor: total }]).at(-1)!;
          expect(inJune.reduce((a, r) => a + r.taxMinor, 0)).toBe(single.taxMinor);
        },
      ),
    );
  });

  it("over a year of continuous months, what is withheld is the year's tax whenever that tax never falls (cumulative)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 12, maxLength: 12 }), (amounts) => {
        const r = payAll(
          cumulative,
          amounts.map((amountMinor, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, amountMinor: amountMinor + 1 })),
        );
        const windowTaxes = r.map((x) => x.trace.windowTaxMinor);
        const withheld = r.reduce((a, x) => a + x.taxMinor, 0);
        // withheld = the running maximum of the year's tax as long as no payment was capped
        if (r.every((x) => x.trace.clamped !== "payment")) expect(withheld).toBe(Math.max(...windowTaxes));
        const nonDecreasing = windowTaxes.every((w, i) => i === 0 || w >= (windowTaxes[i - 1] ?? 0));
        if (nonDecreasing && r.every((x) => x.trace.clamped !== "payment")) expect(withheld).toBe(windowTaxes.at(-1));
      }),
    );
  });

  it("monotone in income: more income in the window never withholds less in total", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.integer({ min: 0, max: 500_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 1, max: 12 }),
        (config, a, extra, m) => {
          const month = `2026-${String(m).padStart(2, "0")}`;
          const ta = computeWithholding(config, { amountMinor: a, month }).taxMinor;
          const tb = computeWithholding(config, { amountMinor: a + extra, month }).taxMinor;
          expect(tb).toBeGreaterThanOrEqual(ta);
        },
      ),
    );
  });
});
