/** Amounts typed in yuan become fen exactly (no float on the way), percentages basis points; refusals show their figures. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/errors.ts";
import { en } from "../src/i18n/en.ts";
import { zhCN } from "../src/i18n/zh-CN.ts";
import { describeError, type ErrorTexts, FIGURE_CODES } from "../src/lib/errors.ts";
import { parsePercentBps, parseYuan, percentInput, yuanInput } from "../src/lib/yuan.ts";

function texts(messages: unknown): ErrorTexts {
  const lookup = (key: string): unknown =>
    key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], messages);
  return {
    exists: (key) => typeof lookup(key) === "string",
    t: (key, vars) => String(lookup(key) ?? key).replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars?.[v] ?? `{{${v}}}`)),
  };
}

describe("parseYuan", () => {
  it("reads the decimal string digit by digit", () => {
    expect(parseYuan("12.3")).toEqual({ ok: true, value: 1230 });
    expect(parseYuan("19.99")).toEqual({ ok: true, value: 1999 }); // 19.99 * 100 = 1998.9999999999998 as a float
    expect(parseYuan("0.29")).toEqual({ ok: true, value: 29 }); // 0.29 * 100 = 28.999999999999996
    expect(parseYuan("1,234.56")).toEqual({ ok: true, value: 123_456 });
    expect(parseYuan("¥ 100")).toEqual({ ok: true, value: 10_000 });
    expect(parseYuan(".5")).toEqual({ ok: true, value: 50 });
    expect(parseYuan("7.")).toEqual({ ok: true, value: 700 });
    expect(parseYuan("007.05")).toEqual({ ok: true, value: 705 });
    expect(parseYuan("0")).toEqual({ ok: true, value: 0 });
  });
  it("refuses what is not an amount of fen", () => {
    expect(parseYuan("")).toEqual({ ok: false, why: "empty" });
    expect(parseYuan("1.234")).toEqual({ ok: false, why: "decimals" });
    expect(parseYuan("-5")).toEqual({ ok: false, why: "format" });
    expect(parseYuan("1e3")).toEqual({ ok: false, why: "format" });
    expect(parseYuan("12.3.4")).toEqual({ ok: false, why: "format" });
    expect(parseYuan("abc")).toEqual({ ok: false, why: "format" });
    expect(parseYuan("99999999999999999")).toEqual({ ok: false, why: "tooLarge" });
  });
  it("every amount of fen up to a bound survives the round trip through its text", () => {
    for (let fen = 0; fen <= 100_000; fen += 7) expect(parseYuan(yuanInput(fen))).toEqual({ ok: true, value: fen });
    expect(parseYuan(yuanInput(999_999_999_999))).toEqual({ ok: true, value: 999_999_999_999 });
  });
});

describe("parsePercentBps", () => {
  it("percent to basis points, exactly", () => {
    expect(parsePercentBps("1.5")).toEqual({ ok: true, value: 150 });
    expect(parsePercentBps("0.07")).toEqual({ ok: true, value: 7 });
    expect(parsePercentBps("20%")).toEqual({ ok: true, value: 2000 });
    expect(parsePercentBps("100")).toEqual({ ok: true, value: 10_000 });
    expect(parsePercentBps("100.01")).toEqual({ ok: false, why: "tooLarge" });
    expect(parsePercentBps("1.234")).toEqual({ ok: false, why: "decimals" });
    for (let b = 0; b <= 10_000; b++) expect(parsePercentBps(percentInput(b))).toEqual({ ok: true, value: b });
  });
});

describe("refusals with their figures", () => {
  it("BALANCE_NEGATIVE says how much is owed, in both languages", () => {
    const e = new ApiError(422, "BALANCE_NEGATIVE", "…", { availableMinor: -1200, owedMinor: 1200 });
    expect(describeError(e, texts(zhCN))).toBe("余额为负，尚欠 ¥12.00");
    expect(describeError(e, texts(en))).toBe("Your balance is negative: ¥12.00 owed");
    // Without the figures, the headline.
    expect(describeError(new ApiError(422, "BALANCE_NEGATIVE", "…"), texts(zhCN))).toBe("余额为负，暂不能提现。");
  });
  it("every refusal with figures has a sentence in both languages that uses only its figures", () => {
    for (const [code, fields] of Object.entries(FIGURE_CODES)) {
      const details = Object.fromEntries(fields.map((f) => [f, 1234]));
      for (const m of [zhCN, en]) {
        const s = describeError(new ApiError(422, code, "server", details), texts(m));
        expect(s, code).not.toContain("{{");
        expect(s, code).not.toBe("server");
      }
    }
    const daily = new ApiError(422, "DAILY_AMOUNT_EXCEEDED", "", {
      dailyAmountMaxMinor: 5_000_000,
      todayAmountMinor: 4_990_000,
      remainingMinor: 10_000,
    });
    expect(describeError(daily, texts(zhCN))).toBe("超过每日提现上限 ¥50,000.00，今天还可提现 ¥100.00");
  });
});
