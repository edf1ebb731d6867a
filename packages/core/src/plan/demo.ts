/** A ready-made plan for a mother-and-baby brand (母婴品牌), used by demo data and examples. */
import { type PlanDocument, plan } from "./schema.ts";

export const DEMO_PLAN: PlanDocument = plan({
  version: 1,
  name: "母婴品牌标准方案",
  base: {
    defaultRateBps: 1000,
    categoryRates: { "milk-powder": 500, strollers: 1200 },
  },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
  cap: { orderRateBps: 2500 },
  rounding: { mode: "half-up" },
  period: { unit: "month" },
});
