import { describe, expect, it } from "vitest";
import { evaluateOrder, explainLine, plan } from "../../src/index.ts";
import { ctx, line, order } from "./helpers.ts";

const tiers = plan({
  version: 1,
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 800 },
      { fromMinor: 5_000_000, rateBps: 1000, bonusMinor: 200_000 },
    ],
  },
  team: { levels: [{ rateBps: 300 }] },
  channels: { community: { multiplierBps: 11_000 } },
});

describe("explainLine", () => {
  it("renders the issue's example in Chinese and English", () => {
    const out = evaluateOrder(tiers, order([line(1, 200_000)]), ctx({ periodSalesBeforeMinor: 6_000_000 as never }));
    const x = { orderRef: "1024", productName: "婴儿推车", currency: "CNY" };
    expect(explainLine(out[0]!, "zh", x)).toBe("订单 #1024 · 商品 婴儿推车 ¥2,000.00 × 10%（阶梯第2档）= ¥200.00");
    expect(explainLine(out[0]!, "en", { ...x, productName: "Baby stroller" })).toBe(
      "Order #1024 · Product Baby stroller ¥2,000.00 × 10% (tier step 2) = ¥200.00",
    );
    expect(explainLine(out[1]!, "zh", x)).toBe("订单 #1024 · 商品 婴儿推车 ¥2,000.00 × 3%（团队一级）= ¥60.00");
    expect(explainLine(out[1]!, "en", x)).toBe("Order #1024 · Product 婴儿推车 ¥2,000.00 × 3% (team level 1) = ¥60.00");
  });
  it("shows channel uplift and cap scaling", () => {
    const capped = plan({
      version: 1,
      base: { defaultRateBps: 1000 },
      channels: { community: { multiplierBps: 11_000 } },
      cap: { orderRateBps: 1000 },
    });
    const out = evaluateOrder(capped, order([line(1, 10_000)], { channel: "community" }), ctx({ uplines: [] }));
    expect(explainLine(out[0]!, "zh", { orderRef: "7" })).toBe(
      "订单 #7 · ¥100.00 × 10%（基础比例）× 110%（community 渠道加成）= ¥11.00，订单封顶 ¥10.00 按比例缩减为 ¥10.00",
    );
    expect(explainLine(out[0]!, "en", { orderRef: "7" })).toBe(
      "Order #7 · ¥100.00 × 10% (base rate) × 110% (community channel uplift) = ¥11.00, scaled to ¥10.00 by the order cap of ¥10.00",
    );
  });
});
