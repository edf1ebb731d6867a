/**
 * `fenxiao import orders <file.csv> --merchant <merchantId> [--program <programId>]`: the CSV import of
 * modules/imports run in this process against the configured database, as a job like an upload's (the console and
 * GET /v1/imports/:jobId show it). A progress bar on a terminal (cli-progress), a line per 5 % otherwise.
 */
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import cliProgress from "cli-progress";
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { loadKeyRing } from "../crypto/key-file.ts";
import { newId } from "../ids.ts";
import { insertJob, listRejections } from "../modules/imports/repository.ts";
import { runImport } from "../modules/imports/service.ts";
import type { CliCommand } from "./commands.ts";
import { withDb } from "./commands.ts";

/** Refused rows printed at the end at most (all of them are in the job). */
const REJECTIONS_SHOWN_MAX = 20;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export const importCommand: CliCommand = {
  name: "import",
  sub: "orders",
  usage: "import orders <file.csv> --merchant <merchantId> [--program <programId>]",
  summary: "import paid orders from a CSV file (docs/integrations.md, columns); re-importing a file changes nothing",
  async run(args) {
    const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
    const merchantId = option(args, "merchant");
    if (!file || !merchantId) {
      console.error(`usage: fenxiao ${this.usage}`);
      return 2;
    }
    const bytesTotal = statSync(file).size;
    const ring = loadKeyRing(loadConfig());
    return withDb(async (db) => {
      const jobId = newId("imp");
      await db.tx((q) =>
        insertJob(q, { merchantId, id: jobId, source: basename(file), status: "running", bytesTotal, at: systemClock.now() }),
      );
      const tty = process.stderr.isTTY === true;
      const bar = tty
        ? new cliProgress.SingleBar(
            {
              format: "importing |{bar}| {percentage}% | {rows} rows | {imported} imported, {skipped} skipped, {rejected} refused",
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(bytesTotal, 0, { rows: 0, imported: 0, skipped: 0, rejected: 0 });
      let nextPercent = 5;
      const p = await runImport({
        db,
        ring,
        merchantId,
        jobId,
        programId: option(args, "program"),
        input: createReadStream(file),
        now: () => systemClock.now(),
        onProgress: (s) => {
          const fields = { rows: s.rowsRead, imported: s.ordersImported, skipped: s.ordersSkipped, rejected: s.rowsRejected };
          if (bar) bar.update(s.bytesRead, fields);
          else if ((s.bytesRead / Math.max(bytesTotal, 1)) * 100 >= nextPercent) {
            const pct = Math.floor((s.bytesRead / Math.max(bytesTotal, 1)) * 100);
            console.log(`${pct}%: ${s.rowsRead} rows, ${s.ordersImported} imported, ${s.ordersSkipped} skipped, ${s.rowsRejected} refused`);
            nextPercent = pct + 5;
          }
        },
      }).finally(() => bar?.stop());
      console.log(
        `import ${jobId}: ${p.rowsRead} rows, ${p.ordersImported} orders imported, ${p.ordersSkipped} already there, ${p.rowsRejected} rows refused`,
      );
      const refused = await db.read((q) => listRejections(q, merchantId, jobId, 0, REJECTIONS_SHOWN_MAX));
      for (const r of refused) console.log(`  row ${r.rowNo}: ${r.reason}`);
      if (p.rowsRejected > refused.length)
        console.log(`  … and ${p.rowsRejected - refused.length} more (GET /v1/imports/${jobId}/rejections)`);
      return p.rowsRejected > 0 ? 1 : 0;
    });
  },
};
