/** The bank batch file: the export layout, quoting, exact amounts, and the strict reading of the bank's result file. */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { BankFileError, type BankFileItem, batchLines, exportBatch, parseResult } from "../src/modules/payouts/providers/bank-file.ts";

const items: BankFileItem[] = [
  {
    outRef: "WD1",
    amountMinor: 123_456,
    payee: { kind: "bank", holderName: "张三", bankName: "招商银行", cardNumber: "6222 0000 1111 2222", branch: "深圳分行" },
    remark: "3月佣金",
  },
  {
    outRef: "WD2",
    amountMinor: 5,
    payee: { kind: "bank", holderName: 'O"Brien, Pat', bankName: "中国银行", cardNumber: "6217000000000001", branch: null },
    remark: "含,逗号\n换行",
  },
];
const lines = batchLines(items);
const RESULT_HEAD = "batch_no,line_no,out_ref,amount_yuan,status,reason\r\n";

function expectError(f: () => unknown, row: number | null, field: string | null, message: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BankFileError);
    expect((e as BankFileError).row).toBe(row);
    expect((e as BankFileError).field).toBe(field);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error("expected a BankFileError");
}

describe("bank batch file", () => {
  it("exports the documented layout: a header, one row per item, yuan with two decimals, quoting where needed", () => {
    const csv = exportBatch("B20260302", items);
    expect(csv.split("\r\n")[0]).toBe("batch_no,line_no,out_ref,holder_name,bank_name,branch,card_number,amount_yuan,remark");
    expect(csv.split("\r\n")[1]).toBe("B20260302,1,WD1,张三,招商银行,深圳分行,6222000011112222,1234.56,3月佣金");
    const back = parse(csv) as string[][];
    expect(back[2]).toEqual(["B20260302", "2", "WD2", 'O"Brien, Pat', "中国银行", "", "6217000000000001", "0.05", "含,逗号\n换行"]);
    expect(lines).toEqual([
      { lineNo: 1, outRef: "WD1", amountMinor: 123_456 },
      { lineNo: 2, outRef: "WD2", amountMinor: 5 },
    ]);
  });

  it("refuses to export a bad batch number, a duplicate outRef, a non-integer amount or an empty batch", () => {
    expectError(() => exportBatch("B 1", items), null, "batch_no", /batchNo/);
    expectError(() => exportBatch("B1", [items[0]!, { ...items[1]!, outRef: "WD1" }]), 3, "out_ref", /twice/);
    expectError(() => exportBatch("B1", [{ ...items[0]!, amountMinor: 1.5 }]), 2, "amount_yuan", /integer/);
    expectError(() => exportBatch("B1", []), null, null, /1–/);
  });

  it("reads the bank's result file: paid and failed lines with reasons, a byte-order mark, a partial file", () => {
    const csv = `\uFEFF${RESULT_HEAD}B20260302,1,WD1,1234.56,paid,\r\nB20260302,2,WD2,0.05,failed,账户已销户\r\n`;
    expect(parseResult(csv, { batchNo: "B20260302", lines })).toEqual([
      { batchNo: "B20260302", lineNo: 1, outRef: "WD1", amountMinor: 123_456, outcome: "paid", reason: null },
      { batchNo: "B20260302", lineNo: 2, outRef: "WD2", amountMinor: 5, outcome: "failed", reason: "账户已销户" },
    ]);
    expect(parseResult(`${RESULT_HEAD}B20260302,2,WD2,0.05,paid,\r\n`, { batchNo: "B20260302", lines })).toHaveLength(1);
  });

  it("refuses a wrong batch, an unknown line, another outRef, an amount mismatch, a repeated line — naming the row", () => {
    const expected = { batchNo: "B20260302", lines };
    const file = (...rows: string[]) => RESULT_HEAD + rows.join("\r\n");
    expectError(() => parseResult(file("B20260301,1,WD1,1234.56,paid,"), expected), 2, "batch_no", /not batch B20260302/);
    expectError(
      () => parseResult(file("B20260302,1,WD1,1234.56,paid,", "B20260302,3,WD3,1.00,paid,"), expected),
      3,
      "line_no",
      /not in batch/,
    );
    expectError(() => parseResult(file("B20260302,1,WD2,1234.56,paid,"), expected), 2, "out_ref", /is WD1/);
    expectError(() => parseResult(file("B20260302,1,WD1,1234.57,paid,"), expected), 2, "amount_yuan", /was 1234.56/);
    expectError(() => parseResult(file("B20260302,1,WD1,1234.5,paid,"), expected), 2, "amount_yuan", /two decimals/);
    expectError(() => parseResult(file("B20260302,1,WD1,1234.56,paid,", "B20260302,1,WD1,1234.56,paid,"), expected), 3, "line_no", /twice/);
    expectError(() => parseResult(file("B20260302,1,WD1,1234.56,done,"), expected), 2, "status", /paid or failed/);
    expectError(() => parseResult(file("B20260302,2,WD2,0.05,failed,"), expected), 2, "reason", /reason/);
    expectError(() => parseResult(file("B20260302,1,WD1,1234.56,paid"), expected), 2, null, /5 columns/);
    expectError(() => parseResult("line,no\r\n", expected), 1, null, /header/);
    expectError(() => parseResult(file('B20260302,1,"WD1,1234.56,paid,'), expected), 2, null, /not a CSV/);
    // Without the batch, the file must still be of one batch.
    expectError(() => parseResult(file("B1,1,WD1,1.00,paid,", "B2,2,WD2,1.00,paid,")), 3, "batch_no", /file of batch B1/);
  });
});
