/** CLI: `fenxiao analytics rebuild` (docs/analytics.md, "How it is computed"). */
import { parseArgs } from "node:util";
import { rebuildSummaries } from "../modules/analytics/rebuild.ts";
import type { CliCommand } from "./commands.ts";
import { withDb } from "./commands.ts";

const REBUILD_USAGE = "analytics rebuild [--merchant ID] [--program ID]";

export const analyticsCommands: CliCommand[] = [
  {
    name: "analytics",
    sub: "rebuild",
    usage: REBUILD_USAGE,
    summary: "recompute the daily analytics summaries from the orders, lines, commission lines and clicks",
    async run(args) {
      const { values } = parseArgs({ args, options: { merchant: { type: "string" }, program: { type: "string" } }, strict: true });
      return withDb(async (db) => {
        const results = await rebuildSummaries(db, { merchantId: values.merchant, programId: values.program });
        for (const r of results)
          console.log(`${r.merchantId}/${r.programId}: rebuilt in ${r.ms} ms, ${r.differing} summary rows differed before`);
        console.log(`${results.length} program${results.length === 1 ? "" : "s"} rebuilt`);
        return 0;
      });
    },
  },
];
