/**
 * Bank batch files (docs/payouts.md, "Bank batch file"): approved withdrawals out as a CSV the bank's batch payment
 * takes, and the bank's result file back, checked strictly against the batch it answers — a wrong batch number, an
 * unknown line, an outRef or an amount that does not match the line are errors naming the row. CSV through
 * csv-stringify and csv-parse (RFC 4180 quoting; UTF-8; a byte-order mark on a result file is accepted).
 */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { fenOf, OUT_REF_PATTERN, type Payee, yuan } from "./types.ts";

export const EXPORT_COLUMNS = [
  "batch_no",
  "line_no",
  "out_ref",
  "holder_name",
  "bank_name",
  "branch",
  "card_number",
  "amount_yuan",
  "remark",
] as const;
export const RESULT_COLUMNS = ["batch_no", "line_no", "out_ref", "amount_yuan", "status", "reason"] as const;
export const BATCH_NO_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** Lines in one file at most. */
export const BATCH_LINES_MAX = 50_000;

export interface BankFileItem {
  outRef: string;
  /** The net paid, in fen. */
  amountMinor: number;
  payee: Extract<Payee, { kind: "bank" }>;
  remark: string;
}

/** A line of an exported batch, as the result file is checked against it. */
export interface BatchLine {
  lineNo: number;
  outRef: string;
  amountMinor: number;
}

export interface ResultLine extends BatchLine {
  batchNo: string;
  outcome: "paid" | "failed";
  reason: string | null;
}

/** A file that cannot be exported or read as it is; `row` is its line in the file (1 = the header). */
export class BankFileError extends Error {
  constructor(
    message: string,
    readonly row: number | null,
    readonly field: string | null = null,
  ) {
    super(row === null ? message : `row ${row}${field ? ` (${field})` : ""}: ${message}`);
    this.name = "BankFileError";
  }
}

/** The lines of a batch of `items`: numbered from 1 in the order given (as exportBatch numbers them). */
export function batchLines(items: readonly BankFileItem[]): BatchLine[] {
  return items.map((it, i) => ({ lineNo: i + 1, outRef: it.outRef, amountMinor: it.amountMinor }));
}

/** The batch as CSV: the header, then one row per item, lines numbered from 1 in the order given (batchLines). */
export function exportBatch(batchNo: string, items: readonly BankFileItem[]): string {
  if (!BATCH_NO_PATTERN.test(batchNo)) throw new BankFileError("batchNo: 1–32 letters, digits, _ or -", null, "batch_no");
  if (items.length === 0 || items.length > BATCH_LINES_MAX) throw new BankFileError(`a batch has 1–${BATCH_LINES_MAX} lines`, null);
  const seen = new Set<string>();
  const rows = items.map((it, i) => {
    const lineNo = i + 1;
    const row = lineNo + 1;
    if (!OUT_REF_PATTERN.test(it.outRef)) throw new BankFileError("outRef: 1–32 letters and digits", row, "out_ref");
    if (seen.has(it.outRef)) throw new BankFileError(`outRef ${it.outRef} is twice in the batch`, row, "out_ref");
    seen.add(it.outRef);
    if (!Number.isSafeInteger(it.amountMinor) || it.amountMinor <= 0)
      throw new BankFileError("amountMinor: a positive integer of fen", row, "amount_yuan");
    if (it.payee.kind !== "bank") throw new BankFileError("payee: a bank account", row, "card_number");
    const p = it.payee;
    return [
      batchNo,
      lineNo,
      it.outRef,
      p.holderName,
      p.bankName,
      p.branch ?? "",
      p.cardNumber.replace(/\s/g, ""),
      yuan(it.amountMinor),
      it.remark,
    ];
  });
  return stringify([EXPORT_COLUMNS as unknown as string[], ...rows], { record_delimiter: "\r\n" });
}

function records(csv: string): { row: number; cells: string[] }[] {
  try {
    const out = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return out.map((r) => ({ row: r.info.lines, cells: r.record }));
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new BankFileError(`not a CSV file: ${(e as Error).message}`, typeof line === "number" ? line : null);
  }
}

function line(r: { row: number; cells: string[] }, batch: { batchNo: string; byLine: Map<number, BatchLine> } | null): ResultLine {
  const [batchNo, lineText, outRef, amount, status, reason] = r.cells as [string, string, string, string, string, string];
  if (r.cells.length !== RESULT_COLUMNS.length)
    throw new BankFileError(`${r.cells.length} columns, expected ${RESULT_COLUMNS.length}`, r.row);
  if (batch && batchNo !== batch.batchNo) throw new BankFileError(`batch ${batchNo} is not batch ${batch.batchNo}`, r.row, "batch_no");
  if (!BATCH_NO_PATTERN.test(batchNo)) throw new BankFileError("not a batch number", r.row, "batch_no");
  if (!/^[1-9][0-9]{0,5}$/.test(lineText)) throw new BankFileError(`line ${lineText} is not a line number`, r.row, "line_no");
  const lineNo = Number(lineText);
  const amountMinor = fenOf(amount);
  if (amountMinor === null) throw new BankFileError(`amount ${amount} is not yuan with two decimals`, r.row, "amount_yuan");
  if (status !== "paid" && status !== "failed") throw new BankFileError(`status ${status} is not paid or failed`, r.row, "status");
  if (status === "failed" && !reason.trim()) throw new BankFileError("a failed line needs a reason", r.row, "reason");
  const known = batch?.byLine.get(lineNo);
  if (batch && !known) throw new BankFileError(`line ${lineNo} is not in batch ${batch.batchNo}`, r.row, "line_no");
  if (known && known.outRef !== outRef) throw new BankFileError(`line ${lineNo} is ${known.outRef}, not ${outRef}`, r.row, "out_ref");
  if (known && known.amountMinor !== amountMinor)
    throw new BankFileError(`line ${lineNo} was ${yuan(known.amountMinor)}, the result says ${amount}`, r.row, "amount_yuan");
  return { batchNo, lineNo, outRef, amountMinor, outcome: status, reason: reason.trim() || null };
}

/**
 * The bank's result file, line by line. With `expected` (the batch it answers: its number and exported lines), every
 * line must be one of the batch's, with its outRef and amount. A line may be reported once only; lines the file does
 * not report stay as they are (a partial result).
 */
export function parseResult(csv: string, expected?: { batchNo: string; lines: readonly BatchLine[] }): ResultLine[] {
  const recs = records(csv);
  const head = recs.shift();
  if (!head || head.cells.join(",") !== RESULT_COLUMNS.join(","))
    throw new BankFileError(`the header must be ${RESULT_COLUMNS.join(",")}`, head?.row ?? 1);
  const batch = expected ? { batchNo: expected.batchNo, byLine: new Map(expected.lines.map((l) => [l.lineNo, l])) } : null;
  const out: ResultLine[] = [];
  const seen = new Set<number>();
  let fileBatch: string | null = null;
  for (const r of recs) {
    const l = line(r, batch);
    if (fileBatch !== null && l.batchNo !== fileBatch)
      throw new BankFileError(`batch ${l.batchNo} in a file of batch ${fileBatch}`, r.row, "batch_no");
    fileBatch = l.batchNo;
    if (seen.has(l.lineNo)) throw new BankFileError(`line ${l.lineNo} is reported twice`, r.row, "line_no");
    seen.add(l.lineNo);
    out.push(l);
  }
  return out;
}
