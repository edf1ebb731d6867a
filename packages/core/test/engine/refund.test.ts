import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROUNDING_MODES, reversalFor } from "../../src/index.ts";

describe("reversalFor (P19)", () => {
  it("reverses proportionally and exactly on a full refund", () => {
    // original 1001 on a line of 3000; refund 1000 → remaining 2000: kept round(1001×2000/3000 = 667.33) = 667 → reverse 334
    expect(reversalFor(1001, 3000, 2000, 0, "half-up")).toBe(334);
    // refund another 1000 → remaining 1000: kept 333.67 → 334, cumulative 667, increment 333
    expect(reversalFor(1001, 3000, 1000, 334, "half-up")).toBe(333);
    // the rest: cumulative 1001, increment 334
    expect(reversalFor(1001, 3000, 0, 667, "half-up")).toBe(334);
  });
  it("names the rounding of the kept part", () => {
    // original 5 on a line of 2, remaining 1: kept 2.5 → half-up 3 (reverse 2), half-even 2 (reverse 3), down 2 (reverse 3)
    expect(reversalFor(5, 2, 1, 0, "half-up")).toBe(2);
    expect(reversalFor(5, 2, 1, 0, "half-even")).toBe(3);
    expect(reversalFor(5, 2, 1, 0, "down")).toBe(3);
  });
  it("refuses a remaining amount outside the line", () => {
    expect(() => reversalFor(5, 2, 3, 0, "half-up")).toThrow(RangeError);
  });
  it("property: any sequence of partial refunds reverses at most the original, and a full refund exactly", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 8 }),
        fc.constantFrom(...ROUNDING_MODES),
        (original, lineAmount, refunds, mode) => {
          let remaining = lineAmount;
          let reversed = 0;
          for (const r of refunds) {
            remaining = Math.max(0, remaining - r);
            const inc = reversalFor(original, lineAmount, remaining, reversed, mode);
            expect(inc).toBeGreaterThanOrEqual(0);
            reversed += inc;
            expect(reversed).toBeLessThanOrEqual(original);
          }
          reversed += reversalFor(original, lineAmount, 0, reversed, mode);
          expect(reversed).toBe(original);
        },
      ),
    );
  });
});
