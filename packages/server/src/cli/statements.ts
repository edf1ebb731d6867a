/** CLI: `fenxiao statements export` and `fenxiao tax report` (docs/payouts.md, "Statements" and "Tax reports"). */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { loadKeyRing } from "../crypto/key-file.ts";
import { ApiError } from "../http/errors.ts";
import { exportStatements } from "../modules/statements/export.ts";
import { monthRange } from "../modules/statements/service.ts";
import { quarterlyCsv, withholdingCsv } from "../modules/tax-reports/csv.ts";
import { type Agent, merchantAgent, quarterlyReport, withholdingReport } from "../modules/tax-reports/service.ts";
import type { CliCommand } from "./commands.ts";
import { withDb } from "./commands.ts";

/** An ApiError (a bad month, an unknown merchant) as a plain usage error of the command. */
async function plainErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError) throw new Error(e.message);
    throw e;
  }
}

const EXPORT_USAGE = "statements export --period YYYY-MM [--merchant ID]... [--promoter ID] [--format csv|pdf] [--out DIR]";
const TAX_USAGE = "tax report --month YYYY-MM | --quarter YYYYQn [--merchant ID] [--out FILE]";

export const statementCommands: CliCommand[] = [
  {
    name: "statements",
    sub: "export",
    usage: EXPORT_USAGE,
    summary: "write the month's statements (merchant's; one promoter's, or every promoter's summary and lines) to DIR",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: {
          period: { type: "string" },
          merchant: { type: "string", multiple: true },
          promoter: { type: "string" },
          format: { type: "string", default: "csv" },
          out: { type: "string", default: "." },
        },
        strict: true,
      });
      if (!values.period) throw new Error(`usage: fenxiao ${EXPORT_USAGE}`);
      monthRange(values.period, "Asia/Shanghai", "--period");
      const format = values.format;
      if (format !== "csv" && format !== "pdf") throw new Error("--format: csv or pdf");
      const period = values.period;
      return withDb((db) =>
        plainErrors(async () => {
          const started = Date.now();
          const r = await exportStatements(db, {
            month: period,
            merchantIds: values.merchant,
            promoterId: values.promoter,
            format,
            outDir: values.out,
          });
          for (const f of r.files) console.log(f);
          console.error(
            `${r.merchants} merchant(s), ${r.statements} promoter statement(s), ${r.lines} line(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          return 0;
        }),
      );
    },
  },
  {
    name: "tax",
    sub: "report",
    usage: TAX_USAGE,
    summary: "the monthly withholding detail, or the quarterly identity-and-income report (国务院令第810号), as CSV",
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { month: { type: "string" }, quarter: { type: "string" }, merchant: { type: "string" }, out: { type: "string" } },
        strict: true,
      });
      if ((values.month === undefined) === (values.quarter === undefined)) throw new Error(`usage: fenxiao ${TAX_USAGE}`);
      const agent: Agent = values.merchant ? merchantAgent(values.merchant) : "platform";
      const config = loadConfig();
      const csv = await withDb((db) =>
        plainErrors(async () => {
          if (values.month !== undefined) {
            const month = values.month;
            return withholdingCsv(await db.read((q) => withholdingReport(q, agent, month)));
          }
          const ring = loadKeyRing(config);
          const quarter = values.quarter as string;
          return quarterlyCsv(await db.tx((q) => quarterlyReport(q, ring, agent, quarter, { actor: "system:cli", at: systemClock.now() })));
        }),
      );
      if (values.out) {
        writeFileSync(values.out, csv);
        console.error(`wrote ${values.out}`);
      } else process.stdout.write(csv);
      return 0;
    },
  },
];
