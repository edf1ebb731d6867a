import { describe, expect, it } from "vitest";
import { CATEGORY_PROBE_PRODUCT, effectiveRate, evaluateOrder, plan, type RateSource } from "../../src/index.ts";
import { ctx, line, order, promoter } from "./helpers.ts";

const AT = "2025-04-10T10:00:00+08:00";
const base = (extra: object = {}) =>
  plan({
    version: 1,
    base: {
      defaultRateBps: 1000,
      productRates: { pram: 1500 },
      categoryRates: { toys: 800 },
      productFixed: { gift: { perUnitMinor: 300 } },
    },
    team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
    ...extra,
  });

describe("effectiveRate: the rate of a product or category, read from a probe order through evaluateOrder", () => {
  const cases: {
    name: string;
    doc: ReturnType<typeof plan>;
    probe: { productId: string | null; categoryId: string | null; priceMinor: number };
    opts?: { isFirstOrder?: boolean; channel?: string; rank?: string | null };
    want: { source: RateSource | null; sellerBps: number | null; level1Bps: number | null; level2Bps: number | null; sellerAmount: number };
    zh?: string;
  }[] = [
    {
      name: "default rate",
      doc: base(),
      probe: { productId: "mug", categoryId: null, priceMinor: 20_000 },
      want: { source: "default", sellerBps: 1000, level1Bps: 300, level2Bps: 100, sellerAmount: 2000 },
      zh: "10%",
    },
    {
      name: "product rate beats category",
      doc: base(),
      probe: { productId: "pram", categoryId: "toys", priceMinor: 200_000 },
      want: { source: "product", sellerBps: 1500, level1Bps: 300, level2Bps: 100, sellerAmount: 30_000 },
      zh: "商品佣金",
    },
    {
      name: "category rate (category probe)",
      doc: base(),
      probe: { productId: null, categoryId: "toys", priceMinor: 0 },
      want: { source: "category", sellerBps: 800, level1Bps: 300, level2Bps: 100, sellerAmount: 800 },
      zh: "类目佣金",
    },
    {
      name: "fixed per unit has no rate",
      doc: base(),
      probe: { productId: "gift", categoryId: null, priceMinor: 5_000 },
      want: { source: "product_fixed", sellerBps: null, level1Bps: 300, level2Bps: 100, sellerAmount: 300 },
    },
    {
      name: "campaign in force overrides the product rate",
      doc: base({
        campaigns: [
          { id: "spring", startsAt: "2025-04-01T00:00:00Z", endsAt: "2025-05-01T00:00:00Z", productIds: ["pram"], rateBps: 2000 },
        ],
      }),
      probe: { productId: "pram", categoryId: null, priceMinor: 10_000 },
      want: { source: "campaign", sellerBps: 2000, level1Bps: 300, level2Bps: 100, sellerAmount: 2000 },
      zh: "活动 spring",
    },
    {
      name: "campaign not yet in force does not apply",
      doc: base({ campaigns: [{ id: "may", startsAt: "2025-05-01T00:00:00Z", endsAt: "2025-06-01T00:00:00Z", rateBps: 2000 }] }),
      probe: { productId: "pram", categoryId: null, priceMinor: 10_000 },
      want: { source: "product", sellerBps: 1500, level1Bps: 300, level2Bps: 100, sellerAmount: 1500 },
    },
    {
      name: "campaign addition adds points",
      doc: base({ campaigns: [{ id: "plus", startsAt: "2025-04-01T00:00:00Z", endsAt: "2025-05-01T00:00:00Z", addBps: 250 }] }),
      probe: { productId: "mug", categoryId: null, priceMinor: 10_000 },
      want: { source: "default", sellerBps: 1250, level1Bps: 300, level2Bps: 100, sellerAmount: 1250 },
    },
    {
      name: "first order",
      doc: base({ base: { defaultRateBps: 1000 }, firstOrder: { firstRateBps: 1800, repeatRateBps: 600 } }),
      probe: { productId: "mug", categoryId: null, priceMinor: 10_000 },
      want: { source: "first_order", sellerBps: 1800, level1Bps: 300, level2Bps: 100, sellerAmount: 1800 },
    },
    {
      name: "repeat order",
      doc: base({ base: { defaultRateBps: 1000 }, firstOrder: { firstRateBps: 1800, repeatRateBps: 600 } }),
      probe: { productId: "mug", categoryId: null, priceMinor: 10_000 },
      opts: { isFirstOrder: false },
      want: { source: "repeat_order", sellerBps: 600, level1Bps: 300, level2Bps: 100, sellerAmount: 600 },
    },
    {
      name: "channel uplift on the seller only",
      doc: base({ channels: { live: { multiplierBps: 15_000 } } }),
      probe: { productId: "mug", categoryId: null, priceMinor: 10_000 },
      opts: { channel: "live" },
      want: { source: "default", sellerBps: 1500, level1Bps: 300, level2Bps: 100, sellerAmount: 1500 },
      zh: "渠道加成",
    },
    {
      name: "team as a share of the seller's commission",
      doc: base({ team: { levels: [{ shareBps: 2000 }] } }),
      probe: { productId: "pram", categoryId: null, priceMinor: 10_000 },
      want: { source: "product", sellerBps: 1500, level1Bps: 300, level2Bps: null, sellerAmount: 1500 },
    },
    {
      name: "rank rate for a ranked seller",
      doc: base({ base: { defaultRateBps: 1000 }, ranks: [{ key: "basic" }, { key: "gold", rateBps: 1200 }] }),
      probe: { productId: "mug", categoryId: null, priceMinor: 10_000 },
      opts: { rank: "gold" },
      want: { source: "rank", sellerBps: 1200, level1Bps: 300, level2Bps: 100, sellerAmount: 1200 },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const r = effectiveRate(c.doc, c.probe, { at: AT, ...c.opts });
      const seller = r.lines.find((l) => l.level === 0);
      expect({
        source: seller?.source ?? null,
        sellerBps: r.sellerBps,
        level1Bps: r.level1Bps,
        level2Bps: r.level2Bps,
        sellerAmount: seller?.amountMinor,
      }).toEqual(c.want);
      if (c.zh) expect(seller?.explanation.zh).toContain(c.zh);
      // the same figures as the engine pays on an equal real order
      const real = evaluateOrder(
        c.doc,
        order([line(1, r.baseMinor, { productId: c.probe.productId ?? CATEGORY_PROBE_PRODUCT, categoryId: c.probe.categoryId })], {
          paidAt: AT,
          isFirstOrder: c.opts?.isFirstOrder ?? true,
          channel: c.opts?.channel ?? "online",
        }),
        ctx({ seller: promoter("S", c.opts?.rank ?? null) }),
      );
      expect(r.lines.map((l) => [l.level, l.kind, l.amountMinor])).toEqual(real.map((l) => [l.level, l.kind, l.amountMinor]));
    });
  }

  it("names what the probe holds fixed, and the cap", () => {
    const r = effectiveRate(
      base({
        firstOrder: { firstRateBps: 1800, repeatRateBps: 600 },
        channels: { live: { multiplierBps: 12_000 } },
        cap: { orderRateBps: 500 },
      }),
      { productId: "mug", categoryId: null, priceMinor: 10_000 },
      { at: AT },
    );
    expect(r.variesBy).toEqual(["first_order", "channel", "cap"]);
    expect(r.cap).toEqual({ orderRateBps: 500, marginRateBps: null, appliedOnProbe: true });
    // the cap scales the amounts; the rates are before it
    expect(r.sellerBps).toBe(1800);
    expect(r.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(500);
  });
});
