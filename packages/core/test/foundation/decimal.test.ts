import { describe, expect, it } from "vitest";
import { formatDecimalMinor, parseDecimalMinor } from "../../src/money/decimal.ts";

describe("exact decimals of minor units", () => {
  it.each([
    [12345, "123.45"],
    [5, "0.05"],
    [-5, "-0.05"],
    [0, "0.00"],
    [100, "1.00"],
    [9_007_199_254_740_991, "90071992547409.91"],
  ])("formatDecimalMinor(%i) = %s, and parses back", (minor, text) => {
    expect(formatDecimalMinor(minor)).toBe(text);
    expect(parseDecimalMinor(text)).toEqual({ ok: true, minor });
  });
  it("other numbers of decimals, and no float", () => {
    expect(formatDecimalMinor(1234, 0)).toBe("1234");
    expect(formatDecimalMinor(1234, 3)).toBe("1.234");
    expect(() => formatDecimalMinor(1.5)).toThrow(RangeError);
    expect(() => formatDecimalMinor(2 ** 53)).toThrow(RangeError);
  });
});
