/**
 * Import paid orders from a CSV stream (columns.ts), never holding more than one chunk of orders in memory:
 *
 *   read     csv-parse streams records; the rows of one order (adjacent, same order_ref) are gathered
 *   check    each row alone, then the whole order by the order API's schema (paidOrderBody): a bad row refuses its
 *            whole order (no order is half imported), each refused row reported with its row number and reason
 *   ingest   a chunk of IMPORT_SET_ORDERS orders as one set in one transaction (set-import.ts): attributed, evaluated
 *            and posted by the order API's own ingest plan, written with COPY on PostgreSQL
 *   record   the job's progress and the chunk's refused rows, in one transaction after every chunk
 *
 * Idempotent by order reference: an order already there (imported before, or sent through the API) is refused by
 * ingest as ORDER_EXISTS and counted as skipped, so importing a file again changes nothing.
 */

import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { type PaidOrderBody, paidOrderBody } from "../orders/schema.ts";
import { type CsvRecord, checkHeader, columnOf, headConflict, parseRow, type RowHead, type RowLine } from "./columns.ts";
import { type JobProgress, type Rejection, saveProgress, setJobStatus } from "./repository.ts";
import { IMPORT_SET_ORDERS, importOrderSet } from "./set-import.ts";

/** Lines per order at most: more rows with one order_ref are refused (orders/schema.ts ORDER_LINES_MAX). */
export const IMPORT_ORDER_ROWS_MAX = 200;
/** Order references remembered per import to refuse an order split over non-adjacent rows. */
export const IMPORT_REFS_REMEMBERED_MAX = 2_000_000;

export interface ImportOptions {
  db: Db;
  /** The key ring that seals the customers' phones and names. */
  ring: KeyRing;
  merchantId: string;
  jobId: string;
  /** The program of rows without program_id (optional when the merchant has one program). */
  programId?: string;
  input: Readable;
  now: () => Date;
  /** Orders per set (transaction) and per progress write; IMPORT_SET_ORDERS of the database unless given. */
  setOrders?: number;
  onProgress?: (p: JobProgress) => void;
}

/** The input was cut short on purpose (the server is stopping): the job is `interrupted`, not failed. */
export class ImportInterrupted extends Error {
  constructor() {
    super("interrupted: the server stopped during the import; upload the file again to finish it (imported orders are skipped)");
  }
}

export class ImportColumnsError extends Error {
  constructor(readonly missing: string[]) {
    super(`the header lacks the required column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
  }
}

interface Pending {
  ref: string;
  head: RowHead;
  lines: RowLine[];
  rows: number[];
  /** The first refused row of this order, when one was. */
  refusedAt: number | null;
}

interface Ready {
  body: PaidOrderBody;
  rows: number[];
}

/** Run an import to its end; the job's final status is written (succeeded, or failed with the reason). */
export async function runImport(o: ImportOptions): Promise<JobProgress> {
  const progress: JobProgress = { bytesRead: 0, rowsRead: 0, ordersImported: 0, ordersSkipped: 0, rowsRejected: 0 };
  try {
    await o.db.tx((q) => setJobStatus(q, o.merchantId, o.jobId, "running", o.now()));
    await importStream(o, progress);
    await o.db.tx((q) => setJobStatus(q, o.merchantId, o.jobId, "succeeded", o.now()));
    return progress;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const status = e instanceof ImportInterrupted ? "interrupted" : "failed";
    await o.db.tx((q) => saveProgress(q, o.merchantId, o.jobId, progress, [], o.now()));
    await o.db.tx((q) => setJobStatus(q, o.merchantId, o.jobId, status, o.now(), { error: why }));
    throw e;
  }
}

/**
 * Rows to whole orders, in memory and without I/O: gathers the adjacent rows of one order, refuses a row that cannot be
 * part of an order (and then its whole order), and checks each finished order with the order API's schema. `take()`
 * hands over the orders ready to ingest and the rows refused so far.
 */
export class OrderGatherer {
  private readonly seen = new Set<string>();
  private cur: Pending | null = null;
  private ready: Ready[] = [];
  private rejected: Rejection[] = [];

  constructor(private readonly programId?: string) {}

  get readyCount(): number {
    return this.ready.length;
  }

  take(): { ready: Ready[]; rejected: Rejection[] } {
    const out = { ready: this.ready, rejected: this.rejected };
    this.ready = [];
    this.rejected = [];
    return out;
  }

  /** One CSV record, `rowNo` its row in the file (the header is row 1). */
  add(record: CsvRecord, rowNo: number): void {
    const row = parseRow(record);
    if (row.orderRef !== null && row.orderRef !== this.cur?.ref) {
      this.end();
      if (this.seen.has(row.orderRef)) {
        this.rejected.push({
          rowNo,
          orderRef: row.orderRef,
          field: "order_ref",
          reason: `order_ref: ${row.orderRef} already appeared in earlier rows: keep an order's rows together`,
        });
        return;
      }
      this.cur = { ref: row.orderRef, head: row.ok ? row.head : ({} as RowHead), lines: [], rows: [], refusedAt: null };
    }
    const p = this.cur;
    if (!row.ok) {
      this.rejected.push({ rowNo, orderRef: row.orderRef, field: row.field, reason: row.reason });
      if (p && row.orderRef === p.ref && p.refusedAt === null) p.refusedAt = rowNo;
      return;
    }
    if (!p) return;
    if (p.head.paidAt === undefined) p.head = row.head;
    const conflict = p.lines.length > 0 ? headConflict(p.head, row.head) : null;
    if (conflict || p.lines.length >= IMPORT_ORDER_ROWS_MAX) {
      const reason = conflict
        ? `${conflict}: differs from the first row of order ${p.ref}`
        : `order_ref: order ${p.ref} has more than ${IMPORT_ORDER_ROWS_MAX} lines`;
      this.rejected.push({ rowNo, orderRef: p.ref, field: conflict ?? "order_ref", reason });
      if (p.refusedAt === null) p.refusedAt = rowNo;
      return;
    }
    p.lines.push(row.line);
    p.rows.push(rowNo);
  }

  /** The order being gathered is complete (its last row was read). */
  end(): void {
    const p = this.cur;
    this.cur = null;
    if (!p) return;
    if (this.seen.size < IMPORT_REFS_REMEMBERED_MAX) this.seen.add(p.ref);
    if (p.refusedAt !== null) {
      for (const rowNo of p.rows)
        this.rejected.push({
          rowNo,
          orderRef: p.ref,
          field: null,
          reason: `order ${p.ref} is not imported: row ${p.refusedAt} was refused`,
        });
      return;
    }
    const { customerRef, ...head } = p.head;
    const r = paidOrderBody.safeParse({
      ...head,
      orderRef: p.ref,
      customer: { ref: customerRef },
      lines: p.lines,
      programId: head.programId ?? this.programId,
    });
    if (r.success) {
      this.ready.push({ body: r.data, rows: p.rows });
      return;
    }
    const issue = r.error.issues[0];
    const field = columnOf(issue?.path.join(".") || "order");
    for (const rowNo of p.rows) this.rejected.push({ rowNo, orderRef: p.ref, field, reason: `${field}: ${issue?.message ?? "invalid"}` });
  }
}

async function importStream(o: ImportOptions, progress: JobProgress): Promise<void> {
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const cols = header.map((h) => h.trim().toLowerCase());
      const { missing } = checkHeader(cols);
      if (missing.length > 0) throw new ImportColumnsError(missing);
      return cols;
    },
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  // pipeline, not pipe: an error of the input (a read error, an interruption) ends the parse with that error
  const piped = pipeline(o.input, parser);
  piped.catch(() => undefined); // the same error surfaces in the loop below
  const orders = new OrderGatherer(o.programId);
  const setOrders = o.setOrders ?? IMPORT_SET_ORDERS[o.db.kind];
  // One set is written while the next is read and checked (the database works while this thread parses); sets
  // still run one after another, as each reads what the one before wrote.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const { ready, rejected } = orders.take();
    const read = { rowsRead: progress.rowsRead, bytesRead: progress.bytesRead };
    await writing;
    writing = (async () => {
      await ingestChunk(o, ready, progress, (r) => rejected.push(r));
      progress.rowsRejected += rejected.length;
      const saved = { ...progress, ...read };
      await o.db.tx((q) => saveProgress(q, o.merchantId, o.jobId, saved, rejected, o.now()));
      o.onProgress?.(saved);
    })();
    writing.catch(() => undefined); // awaited below or by the next flush
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: { records: number; bytes: number } }>) {
      progress.rowsRead++;
      progress.bytesRead = info.bytes;
      orders.add(record, info.records + 1); // the header is row 1
      if (orders.readyCount >= setOrders) await flush();
    }
    orders.end();
    await flush();
  } finally {
    await writing.catch(() => undefined); // the set being written ends before the job's status is written
  }
  await writing;
  await piped;
}

/** Ingest a chunk of orders as one set (set-import.ts); ORDER_EXISTS counts as already imported. */
async function ingestChunk(
  o: ImportOptions,
  chunk: readonly Ready[],
  progress: JobProgress,
  reject: (r: Rejection) => void,
): Promise<void> {
  if (chunk.length === 0) return;
  const results = await importOrderSet(
    o.db,
    o.ring,
    o.merchantId,
    chunk.map((c) => c.body),
    o.now(),
  );
  results.forEach((out, i) => {
    const c = chunk[i] as Ready;
    if (out.ok) progress.ordersImported++;
    else if (out.error instanceof ApiError && out.error.code === "ORDER_EXISTS") progress.ordersSkipped++;
    else if (out.error instanceof ApiError) {
      const e = out.error;
      const field = refusedField(e);
      for (const row of c.rows) reject({ rowNo: row, orderRef: c.body.orderRef, field, reason: `${e.code}: ${e.message}` });
    } else throw out.error;
  });
}

/** The CSV column an order API refusal names: its `field`, or the path of its first validation issue. */
function refusedField(e: ApiError): string | null {
  const issues = e.details.issues as { path?: unknown }[] | undefined;
  const field = typeof e.details.field === "string" ? e.details.field : issues?.[0]?.path;
  return typeof field === "string" && field ? columnOf(field) : null;
}
