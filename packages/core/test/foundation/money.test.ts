import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, applyRate, bps, divRound, formatMoney, formatRate, minor, mulDiv } from "../../src/money/money.ts";

describe("rounding", () => {
  it.each([
    [250, 1000, "half-up", 25], // 25.0
    [125, 1000, "half-up", 13], // 12.5 → 13
    [125, 1000, "half-even", 12], // 12.5 → 12
    [135, 1000, "half-even", 14], // 13.5 → 14
    [129, 1000, "down", 12], // 12.9 → 12
    [-125, 1000, "half-up", -13], // symmetric
    [-129, 1000, "down", -12],
  ] as const)("%i fen × %i bps (%s) = %i", (amount, rate, mode, expected) => {
    expect(applyRate(minor(amount), bps(rate), mode)).toBe(expected);
  });

  it("agrees with exact BigInt arithmetic for any amount and rate", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.constantFrom("half-up", "half-even", "down" as const),
        (a, r, mode) => {
          expect(mulDiv(a, r, 10_000, mode)).toBe(Number(divRound(BigInt(a) * BigInt(r), 10_000n, mode)));
        },
      ),
    );
  });

  it("stays exact beyond 2^53 intermediate products", () => {
    expect(mulDiv(9_000_000_000_000, 9_999, 10_000, "half-up")).toBe(8_999_100_000_000);
  });

  it("refuses non-integer money", () => {
    expect(() => minor(1.5)).toThrow(RangeError);
    expect(() => bps(Number.NaN)).toThrow(RangeError);
  });
});

describe("allocation (largest remainder)", () => {
  it("splits 100 fen three ways exactly", () => {
    expect(allocate(minor(100), [1, 1, 1])).toEqual([34, 33, 33]);
  });
  it("sums exactly for any total and weights, and no part moves more than one fen from its exact share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocate(minor(total), weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
          const wsum = weights.reduce((s, w) => s + w, 0);
          if (wsum > 0)
            for (const [i, w] of weights.entries()) expect(Math.abs((parts[i] as number) - (total * w) / wsum)).toBeLessThan(1.0000001);
        },
      ),
    );
  });
});

describe("formatting", () => {
  it("formats fen as yuan with grouping", () => {
    expect(formatMoney(200_000)).toBe("¥2,000.00");
    expect(formatMoney(-1234)).toBe("-¥12.34");
    expect(formatRate(1000)).toBe("10%");
    expect(formatRate(1250)).toBe("12.5%");
  });
});
