import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { plan, simulatePlans } from "../../src/index.ts";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "scenarios");

describe("simulatePlans", () => {
  it("compares cost, cost ratio, ROI and per-promoter deltas", () => {
    const history = JSON.parse(readFileSync(join(dir, "community-channel.json"), "utf8"));
    const current = plan({ version: 1, base: { defaultRateBps: 1000 } });
    const draft = plan({ version: 1, base: { defaultRateBps: 1000 }, channels: { community: { multiplierBps: 11_000 } } });
    const r = simulatePlans(history, current, draft);
    // sales 10000 + 10000 + 12345 = 32345; current 1000 + 1000 + 1235 (1234.5 half-up) = 3235; draft 1000 + 1100 + 1358 = 3458
    expect(r.current).toMatchObject({ salesMinor: 32_345, totalCostMinor: 3_235, costRatioBps: 1_000, roiX100: 1_000 });
    // 3458 / 32345 = 10.69 % → 1069 bps; 32345 / 3458 = 9.3537 → 935
    expect(r.draft).toMatchObject({ totalCostMinor: 3_458, costRatioBps: 1_069, roiX100: 935 });
    expect(r.deltaCostMinor).toBe(223);
    expect(r.largestGains).toEqual([{ promoterId: "G", currentMinor: 3_235, draftMinor: 3_458, deltaMinor: 223 }]);
    expect(r.largestLosses).toEqual([]);
  });
});
