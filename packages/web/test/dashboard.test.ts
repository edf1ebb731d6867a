/** Dashboard figures and display formatting: pure functions, tables of cases. */
import { describe, expect, it } from "vitest";
import type { CommissionLine, Order, Promoter } from "../src/api/types.ts";
import { computeDashboard, windowDays } from "../src/console/dashboard.ts";
import { dayKey, money, moneyCompact, moneyDelta, ratioBps, roi, roiX100 } from "../src/lib/format.ts";

const TZ = "Asia/Shanghai";
const NOW = Date.parse("2026-03-10T04:00:00Z"); // 12:00 in Shanghai

function order(id: string, paidAt: string, amountMinor: number, extra: Partial<Order> = {}): Order {
  return {
    id,
    orderRef: id,
    programId: "p",
    customerRef: "c",
    channel: "online",
    status: "paid",
    amountMinor,
    refundedMinor: 0,
    promoterId: "a",
    attributionPath: "code",
    isFirstOrder: false,
    planVersion: 1,
    periodKey: "2026-03",
    paidAt,
    completedAt: null,
    ...extra,
  };
}

function line(beneficiaryId: string, createdAt: string, netMinor: number): CommissionLine {
  return {
    id: `${beneficiaryId}${createdAt}`,
    programId: "p",
    orderId: null,
    orderRef: null,
    lineNo: 1,
    beneficiaryId,
    level: 0,
    kind: "sale",
    baseMinor: 0,
    rateBps: 1000,
    amountMinor: netMinor,
    reversedMinor: 0,
    netMinor,
    currency: "CNY",
    state: "pending",
    attributionPath: "code",
    planVersion: 1,
    periodKey: "2026-03",
    explanationZh: "",
    explanationEn: "",
    availableAt: null,
    createdAt,
  };
}

function promoter(promoterId: string, name: string, pendingMinor: number, availableMinor: number): Promoter {
  return {
    programId: "p",
    promoterId,
    name,
    phone: null,
    code: promoterId.toUpperCase(),
    inviterId: null,
    inviter2Id: null,
    rank: null,
    status: "active",
    joinedAt: "2026-01-01T00:00:00Z",
    netSalesMinor: 0,
    pendingMinor,
    availableMinor,
  };
}

describe("dashboard figures", () => {
  it("counts net sales without cancelled orders, buckets days in the program's time zone, ranks promoters", () => {
    const f = computeDashboard({
      nowMs: NOW,
      timeZone: TZ,
      days: 3,
      promoters: [promoter("a", "王芳", 1_000, 2_000), promoter("b", "李娜", 5, 7), promoter("c", "张敏", 0, 0)],
      orders: [
        order("o1", "2026-03-09T16:30:00Z", 10_000), // 00:30 on 3-10 in Shanghai
        order("o2", "2026-03-09T15:30:00Z", 20_000, { refundedMinor: 5_001, promoterId: "b" }), // 23:30 on 3-09
        order("o3", "2026-03-08T01:00:00Z", 99_999, { status: "cancelled" }),
        order("o4", "2026-03-08T02:00:00Z", 3_333, { promoterId: null, attributionPath: null }),
      ],
      lines: [line("a", "2026-03-09T16:30:00Z", 1_000), line("b", "2026-03-09T15:30:00Z", 1_500), line("b", "2026-03-08T02:00:00Z", -1)],
    });
    expect(f.days).toEqual(["2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(f.orders).toBe(3);
    expect(f.salesMinor).toBe(10_000 + 14_999 + 3_333);
    expect(f.dailySalesMinor).toEqual([3_333, 14_999, 10_000]);
    expect(f.commissionMinor).toBe(2_499);
    expect(f.dailyCommissionMinor).toEqual([-1, 1_500, 1_000]);
    expect(f.costRatioBps).toBe(ratioBps(2_499, 28_332));
    expect(f.roiX100).toBe(1134); // 28,332 / 2,499 = 11.337… → 11.34×
    expect(f.pendingMinor).toBe(1_005);
    expect(f.availableMinor).toBe(2_007);
    expect(f.promoters).toBe(3);
    expect(f.activePromoters).toBe(2);
    expect(f.top.map((t) => [t.name, t.orders, t.salesMinor, t.commissionMinor])).toEqual([
      ["李娜", 1, 14_999, 1_499],
      ["王芳", 1, 10_000, 1_000],
    ]);
  });

  it("has no cost ratio or ROI without sales or commission", () => {
    const f = computeDashboard({ nowMs: NOW, timeZone: TZ, orders: [], lines: [], promoters: [] });
    expect(f.days).toHaveLength(60);
    expect(f.costRatioBps).toBe(0);
    expect(f.roiX100).toBeNull();
  });

  it("lists calendar days once each, oldest first", () => {
    expect(windowDays(NOW, TZ, 2)).toEqual(["2026-03-09", "2026-03-10"]);
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
