import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodOf, periodOfKey, zoneOffsetMs } from "../../src/index.ts";

describe("periods in a time zone", () => {
  it("months in Asia/Shanghai start at local midnight", () => {
    // 2025-04-30T17:00Z is 05-01 01:00 in Shanghai
    expect(periodOf("2025-04-30T17:00:00Z", "month", "Asia/Shanghai")).toEqual({
      key: "2025-05",
      unit: "month",
      timeZone: "Asia/Shanghai",
      startsAt: "2025-04-30T16:00:00.000Z",
      endsAt: "2025-05-31T16:00:00.000Z",
    });
    expect(periodOf("2025-12-31T15:59:59Z", "month", "Asia/Shanghai").key).toBe("2025-12");
    expect(periodOf("2025-12-31T16:00:00Z", "month", "Asia/Shanghai").key).toBe("2026-01");
  });
  it("quarters and ISO weeks", () => {
    expect(periodOf("2025-05-10T00:00:00Z", "quarter", "Asia/Shanghai")).toMatchObject({
      key: "2025-Q2",
      startsAt: "2025-03-31T16:00:00.000Z",
      endsAt: "2025-06-30T16:00:00.000Z",
    });
    // 2025-01-01 is a Wednesday in ISO week 1 of 2025, which starts Monday 2024-12-30
    expect(periodOf("2025-01-01T12:00:00+08:00", "week", "Asia/Shanghai")).toMatchObject({
      key: "2025-W01",
      startsAt: "2024-12-29T16:00:00.000Z",
    });
    expect(periodOf("2024-12-29T12:00:00+08:00", "week", "Asia/Shanghai").key).toBe("2024-W52");
  });
  it("follows daylight saving time", () => {
    // New York: March 2025 starts at UTC−5, April at UTC−4
    expect(periodOf("2025-03-15T12:00:00Z", "month", "America/New_York")).toMatchObject({
      startsAt: "2025-03-01T05:00:00.000Z",
      endsAt: "2025-04-01T04:00:00.000Z",
    });
    expect(zoneOffsetMs(Date.parse("2025-07-01T00:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
  });
  it("offsets match Intl at every instant, around daylight-saving changes too", () => {
    const intlOffset = (ms: number, timeZone: string) => {
      const f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
      const parts = f.formatToParts(new Date(ms));
      const g = (t: string) => Number(parts.find((x) => x.type === t)?.value);
      return Date.UTC(g("year"), g("month") - 1, g("day"), g("hour") % 24, g("minute"), g("second")) - (ms - (((ms % 1000) + 1000) % 1000));
    };
    const zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Asia/Shanghai", "America/St_Johns"];
    // instants near the 2025 changes (within a day of them) and anywhere in 2000–2040
    const changes = [
      "2025-03-09T07:00:00Z",
      "2025-11-02T06:00:00Z",
      "2025-03-30T01:00:00Z",
      "2025-10-26T01:00:00Z",
      "2025-04-05T15:00:00Z",
    ];
    const near = fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -86_400_000, max: 86_400_000 }))
      .map(([c, d]) => Date.parse(c) + d);
    const anywhere = fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") });
    fc.assert(
      fc.property(fc.oneof(near, anywhere), fc.constantFrom(...zones), (ms, zone) => {
        expect(zoneOffsetMs(ms, zone)).toBe(intlOffset(ms, zone));
      }),
      { numRuns: 3000 },
    );
  });
  it("round-trips keys", () => {
    for (const k of ["2025-04", "2025-Q4", "2025-W15", "2026-W01"]) expect(periodOfKey(k, "Asia/Shanghai").key).toBe(k);
    expect(() => periodOfKey("2025/04")).toThrow(RangeError);
  });
  it("a key that would name another period is refused, never read as that period", () => {
    // month 00 and 13 roll over; year 0000 is read by Date.UTC as 1900; 2021 has no week 53, 2020 has
    for (const k of ["2026-00", "2026-13", "0000-01", "0099-12", "2026-W00", "2026-W54", "2021-W53", "0000-Q1", "0000-W01"])
      expect(() => periodOfKey(k), k).toThrow(RangeError);
    expect(periodOfKey("2020-W53").key).toBe("2020-W53");
  });
});

describe("planVersionAt", () => {
  it("picks the latest version in force at the instant", async () => {
    const { planVersionAt } = await import("../../src/index.ts");
    const vs = [
      { effectiveFrom: "2025-01-01T00:00:00+08:00", plan: "v1" },
      { effectiveFrom: "2025-04-15T00:00:00+08:00", plan: "v2" },
    ];
    expect(planVersionAt(vs, "2024-12-31T23:59:59+08:00")).toBeNull();
    expect(planVersionAt(vs, "2025-04-14T23:59:59+08:00")?.plan).toBe("v1");
    expect(planVersionAt(vs, "2025-04-15T00:00:00+08:00")?.plan).toBe("v2");
  });
});
