import { describe, expect, it } from "vitest";
import { statsFromYear } from "../src/modules/orders/ingest.ts";

describe("statsFromYear (the lowest period key a set reads period sales from)", () => {
  it("is the year before the earliest payment of the set, and sorts before every key of that year and later", () => {
    const keys = ["2025-01", "2025-W01", "2025-Q1", "2026-12", "2026-W53", "2026-Q4"];
    const from = statsFromYear([{ paidAt: "2026-03-01T00:00:00Z" }, { paidAt: "2026-01-01T00:30:00+08:00" }]);
    expect(from).toBe("2024"); // 2026-01-01 00:30 in Shanghai is 2025-12-31 in UTC
    for (const k of keys) expect(k >= from).toBe(true);
    for (const k of ["2023-12", "2023-W52", "2023-Q4"]) expect(k >= from).toBe(false);
    expect(statsFromYear([{ paidAt: "2026-11-26T10:00:00Z" }])).toBe("2025");
  });
});
