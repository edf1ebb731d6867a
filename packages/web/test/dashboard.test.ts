/** Dashboard helpers and display formatting: pure functions, tables of cases. */
import { describe, expect, it } from "vitest";
import { type AnalyticsSummary, defaultFilter, hundredths, periodQuery, shownRoi } from "../src/console/dashboard.ts";
import { dayKey, money, moneyCompact, moneyDelta, ratioBps, roi, roiX100 } from "../src/lib/format.ts";

const TZ = "Asia/Shanghai";
const NOW = Date.parse("2026-03-10T04:00:00Z"); // 12:00 in Shanghai

const summary = (extra: Partial<AnalyticsSummary>): AnalyticsSummary =>
  ({ roiX100: 855, incrementalRoiX100: 271, baseline: null, ...extra }) as AnalyticsSummary;

describe("dashboard period and figures", () => {
  it("defaults to the last 30 calendar days of the program's time zone, today included", () => {
    expect(defaultFilter(NOW, TZ)).toEqual({ from: "2026-02-09", to: "2026-03-10", granularity: "day" });
    // 2026-03-09T16:30Z is already 3-10 in Shanghai but still 3-09 in New York
    expect(defaultFilter(Date.parse("2026-03-09T16:30:00Z"), TZ, 1)).toMatchObject({ from: "2026-03-10", to: "2026-03-10" });
    expect(defaultFilter(Date.parse("2026-03-09T16:30:00Z"), "America/New_York", 2)).toMatchObject({
      from: "2026-03-08",
      to: "2026-03-09",
    });
    expect(periodQuery("p", { from: "2026-01-01", to: "2026-01-31", granularity: "week" })).toEqual({
      programId: "p",
      from: "2026-01-01",
      to: "2026-01-31",
    });
  });

  it("shows incremental ROI only when a baseline is recorded", () => {
    expect(shownRoi(summary({}))).toEqual({ x100: 855, incremental: false });
    expect(shownRoi(summary({ baseline: { dailySalesMinor: 1, note: null, recordedAt: "" } }))).toEqual({ x100: 271, incremental: true });
  });

  it.each([
    [325, "3.25"],
    [54, "0.54"],
    [300, "3.00"],
    [-5, "-0.05"],
    [null, "—"],
  ] as const)("hundredths(%s) = %s", (x, text) => expect(hundredths(x)).toBe(text));

  it("day keys in the time zone", () => {
    expect(dayKey("2026-03-09T16:00:00Z", TZ)).toBe("2026-03-10");
    expect(dayKey("2026-03-09T15:59:59Z", TZ)).toBe("2026-03-09");
  });
});

describe("display formatting (integer fen in, text out)", () => {
  it.each([
    [0, "¥0.00"],
    [5, "¥0.05"],
    [123456, "¥1,234.56"],
    [-9901, "-¥99.01"],
  ])("money(%i) = %s", (minor, text) => expect(money(minor)).toBe(text));

  it.each([
    [1234, "+¥12.34"],
    [0, "¥0.00"],
    [-5, "-¥0.05"],
  ])("moneyDelta(%i) = %s", (minor, text) => expect(moneyDelta(minor)).toBe(text));

  it.each([
    [0, "zh-CN", "¥0"],
    [99_999, "zh-CN", "¥999"],
    [1_000_000, "zh-CN", "¥1.0万"],
    [12_345_678, "zh-CN", "¥12.3万"],
    [99_999, "en", "¥999"],
    [100_000, "en", "¥1.0k"],
    [12_345_678, "en", "¥123.4k"],
    [-2_500_000, "zh-CN", "-¥2.5万"],
  ] as const)("moneyCompact(%i, %s) = %s", (minor, lang, text) => expect(moneyCompact(minor, lang)).toBe(text));

  it("ROI and ratios", () => {
    expect(roi(715)).toBe("7.15×");
    expect(roi(5)).toBe("0.05×");
    expect(roi(null)).toBe("—");
    expect(roiX100(100, 0)).toBeNull();
    expect(ratioBps(1, 3)).toBe(3333);
    expect(ratioBps(2, 3)).toBe(6667);
    expect(ratioBps(5, 0)).toBe(0);
  });
});
