import { describe, expect, it } from "vitest";
import { newCode, newId, randomBase32 } from "../src/ids.ts";

describe("ids", () => {
  it("draws base32 strings of any length, from the pool or at once", () => {
    for (const n of [1, 6, 20, 4095, 4096, 4097, 20 * 50_000]) {
      const s = randomBase32(n);
      expect(s).toHaveLength(n);
      expect(s).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]+$/);
    }
    expect(randomBase32(0)).toBe("");
  });

  it("ids and codes are shaped and distinct", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("ord")));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^ord_[0-9a-z]{20}$/);
    expect(newCode()).toMatch(/^[0-9A-Z]{6}$/);
    // a long draw is not one character repeated (every 5-bit value appears)
    expect(new Set(randomBase32(100_000)).size).toBe(32);
  });
});
