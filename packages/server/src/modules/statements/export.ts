/**
 * Export a month's statements to files (the `fenxiao statements export` command and the statements benchmark).
 * Per merchant: its own statement; then either one promoter's statement, or every promoter's — a summary CSV (one row
 * per promoter and currency) and a lines CSV (every line of every promoter, with opening and closing rows) — read in
 * batches of promoters, each batch one short unit of database work, and streamed to the files.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { Db } from "../../db/client.ts";
import {
  csvOf,
  csvOfRows,
  LINE_COLUMNS,
  merchantStatementCsv,
  promoterStatementCsv,
  SUMMARY_COLUMNS,
  statementRows,
  summaryRow,
} from "./csv.ts";
import { merchantStatementPdf, promoterStatementPdf } from "./pdf.ts";
import { firstSeqSince, promoterNames, promotersWithAccounts } from "./repository.ts";
import { merchantStatement, monthRange, promoterStatement, promoterStatements, requireMerchant } from "./service.ts";

export const EXPORT_BATCH = 2000;
/** Batches read ahead while one is written (each its own read, so at most this many connections at once). */
export const READ_AHEAD = 2;

export interface ExportOptions {
  month: string;
  merchantIds?: string[];
  promoterId?: string;
  format: "csv" | "pdf";
  outDir: string;
  batch?: number;
}

export interface ExportResult {
  files: string[];
  merchants: number;
  statements: number;
  lines: number;
}

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((ok) => {
    if (stream.write(text)) ok();
    else stream.once("drain", ok);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((ok, fail) => stream.end((e?: Error | null) => (e ? fail(e) : ok())));
}

async function writeFileOf(path: string, body: string | Buffer): Promise<void> {
  const s = createWriteStream(path);
  s.write(body);
  await close(s);
}

/** Every promoter of the merchant: the summary and lines CSVs. */
async function exportAllPromoters(db: Db, merchantId: string, opts: ExportOptions, res: ExportResult): Promise<void> {
  const m = await db.read((q) => requireMerchant(q, merchantId));
  const month = monthRange(opts.month, m.timeZone);
  const fromSeq = await db.read((q) => firstSeqSince(q, merchantId, month.from));
  const range = { ...month, fromSeq };
  const summaryPath = join(opts.outDir, `promoters-${merchantId}-${opts.month}.csv`);
  const linesPath = join(opts.outDir, `statement-lines-${merchantId}-${opts.month}.csv`);
  const summary = createWriteStream(summaryPath);
  const lines = createWriteStream(linesPath);
  let first = true;
  const all = await db.read((q) => promotersWithAccounts(q, merchantId));
  const size = opts.batch ?? EXPORT_BATCH;
  const fetch = (i: number) => {
    const ids = all.slice(i, i + size);
    return db.read(async (q) => ({
      statements: await promoterStatements(q, merchantId, ids, range),
      names: await promoterNames(q, ids),
    }));
  };
  // the next batches are read (on connections of their own) while this one is formatted and written
  const pending: ReturnType<typeof fetch>[] = [];
  let nextStart = 0;
  const fill = () => {
    while (pending.length < READ_AHEAD && nextStart < all.length) {
      const p = fetch(nextStart);
      // handled when its turn comes; until then a failure must not count as unhandled
      p.catch(() => undefined);
      pending.push(p);
      nextStart += size;
    }
  };
  fill();
  for (let page = await pending.shift(); page !== undefined; page = await pending.shift()) {
    fill();
    const sums = page.statements.map((s) =>
      summaryRow(s, { merchantId, promoterName: page.names.get(s.promoterId) ?? "", month: opts.month }),
    );
    const rows = page.statements.flatMap((s) =>
      statementRows(s, { merchantId, promoterId: s.promoterId, promoterName: page.names.get(s.promoterId) ?? "", month: opts.month }),
    );
    await write(summary, csvOf(sums, SUMMARY_COLUMNS, first));
    await write(lines, csvOfRows(rows, LINE_COLUMNS, first));
    first = false;
    res.statements += page.statements.length;
    res.lines += page.statements.reduce((n, s) => n + s.lines.length, 0);
  }
  if (first) {
    await write(summary, csvOf([], SUMMARY_COLUMNS));
    await write(lines, csvOfRows([], LINE_COLUMNS));
  }
  await close(summary);
  await close(lines);
  res.files.push(summaryPath, linesPath);
}

export async function exportStatements(db: Db, opts: ExportOptions): Promise<ExportResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const merchantIds =
    opts.merchantIds ?? (await db.read((q) => q.query<{ id: string }>("SELECT id FROM merchants ORDER BY id"))).map((r) => r.id);
  const res: ExportResult = { files: [], merchants: 0, statements: 0, lines: 0 };
  for (const merchantId of merchantIds) {
    const doc = await db.read((q) => merchantStatement(q, merchantId, opts.month));
    const mPath = join(opts.outDir, `merchant-${merchantId}-${opts.month}.${opts.format}`);
    await writeFileOf(mPath, opts.format === "csv" ? merchantStatementCsv(doc) : await merchantStatementPdf(doc));
    res.files.push(mPath);
    res.merchants += 1;
    if (opts.promoterId) {
      const promoterId = opts.promoterId;
      const p = await db.read((q) => promoterStatement(q, merchantId, promoterId, opts.month));
      const pPath = join(opts.outDir, `statement-${merchantId}-${promoterId}-${opts.month}.${opts.format}`);
      await writeFileOf(pPath, opts.format === "csv" ? promoterStatementCsv(p) : await promoterStatementPdf(p));
      res.files.push(pPath);
      res.statements += p.currencies.length;
      res.lines += p.currencies.reduce((n, s) => n + s.lines.length, 0);
    } else await exportAllPromoters(db, merchantId, opts, res);
  }
  return res;
}
