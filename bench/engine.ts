/**
 * Engine benchmark: evaluate 1,000,000 order lines under a plan with tiers, category rates, two team levels and a cap.
 * Prints lines/s and peak memory. Usage: npm run bench -- engine [lines]
 */
import { evaluateOrder, type Minor, type OrderInput, type PromoterNode, plan } from "../packages/core/src/index.ts";

const BENCH_PLAN = plan({
  version: 1,
  base: { defaultRateBps: 800, categoryRates: { "milk-powder": 500, strollers: 1200, toys: 900 } },
  tiers: {
    mode: "retroactive",
    steps: [
      { fromMinor: 0, rateBps: 800 },
      { fromMinor: 5_000_000, rateBps: 1000, bonusMinor: 200_000 },
      { fromMinor: 10_000_000, rateBps: 1200 },
    ],
  },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
  cap: { orderRateBps: 2000 },
});

const CATEGORIES = [null, "milk-powder", "strollers", "toys"];

export async function run(args: string[]): Promise<void> {
  const total = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const linesPerOrder = 2;
  const promoters: PromoterNode[] = Array.from({ length: 1000 }, (_, i) => ({
    promoterId: `p${i}`,
    rank: null,
    joinedAt: "2025-01-01T00:00:00Z",
    status: "active",
  }));
  // a fixed pool of distinct orders, reused round-robin (inputs are not mutated by the engine)
  const orders: OrderInput[] = Array.from({ length: 4096 }, (_, i) => ({
    orderId: `o${i}`,
    orderRef: String(i),
    paidAt: "2025-04-10T10:00:00+08:00",
    channel: "online",
    currency: "CNY",
    customerRef: `c${i}`,
    isFirstOrder: i % 3 === 0,
    attributionPath: "code",
    lines: Array.from({ length: linesPerOrder }, (_, j) => ({
      lineNo: j + 1,
      productId: `sku${(i * 7 + j) % 500}`,
      categoryId: CATEGORIES[(i + j) % CATEGORIES.length] ?? null,
      quantity: 1,
      netAmountMinor: (1_000 + ((i * 7919 + j * 104_729) % 500_000)) as Minor,
    })),
  }));
  let peakRss = process.memoryUsage().rss;
  let produced = 0;
  let checksum = 0;
  // warm-up
  for (let i = 0; i < 20_000; i++) {
    const seller = promoters[i % 1000]!;
    evaluateOrder(BENCH_PLAN, orders[i % orders.length]!, {
      seller,
      uplines: [promoters[(i + 1) % 1000]!, promoters[(i + 2) % 1000]!],
      periodSalesBeforeMinor: ((i * 37_003) % 12_000_000) as Minor,
      roundingMode: "half-up",
    });
  }
  const t0 = process.hrtime.bigint();
  const nOrders = Math.ceil(total / linesPerOrder);
  for (let i = 0; i < nOrders; i++) {
    const out = evaluateOrder(BENCH_PLAN, orders[i % orders.length]!, {
      seller: promoters[i % 1000]!,
      uplines: [promoters[(i + 1) % 1000]!, promoters[(i + 2) % 1000]!],
      periodSalesBeforeMinor: ((i * 37_003) % 12_000_000) as Minor,
      roundingMode: "half-up",
    });
    produced += out.length;
    for (const l of out) checksum += l.amountMinor;
    if ((i & 0xffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const lines = nOrders * linesPerOrder;
  console.log(
    JSON.stringify(
      {
        bench: "engine",
        orderLines: lines,
        commissionLines: produced,
        seconds: Number(seconds.toFixed(3)),
        linesPerSecond: Math.round(lines / seconds),
        peakRssMiB: Math.round(peakRss / 1024 / 1024),
        checksumMinor: checksum,
        node: process.version,
      },
      null,
      2,
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
