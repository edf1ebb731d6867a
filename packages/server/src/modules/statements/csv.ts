/**
 * Statements as CSV (docs/payouts.md, "Statements" has every column): UTF-8 with a byte-order mark so that Excel opens
 * the Chinese headers, RFC 4180 quoting by csv-stringify. Amounts in yuan (major units) with two decimals, exact from
 * the fen.
 */
import { formatDecimalMinor } from "@fenxiao/core";
import { stringify } from "csv-stringify/sync";
import type { PromoterStatement } from "./compute.ts";
import type { MerchantStatementDoc, PromoterStatementDoc } from "./service.ts";

/** Exact decimal of an amount in fen: 12345 → "123.45", -5 → "-0.05". */
export const yuan = (minor: number): string => formatDecimalMinor(minor);

export const CATEGORY_ZH: Record<string, string> = {
  opening: "期初余额",
  closing: "期末余额",
  earning: "佣金收入",
  reversal: "佣金冲回",
  withdrawal: "提现",
  adjustment: "调整",
  internal: "余额转移",
};

export const KIND_ZH: Record<string, string> = {
  accrue: "佣金计提",
  release: "解冻为可提现",
  reverse: "佣金冲回",
  withdraw_lock: "提现冻结",
  withdraw_withhold: "代扣个税及手续费",
  withdraw_pay: "提现到账",
  withdraw_release: "提现退回",
  withdraw_fail: "提现失败退回",
};

export const LINE_COLUMNS = [
  ["merchant_id", "商户 Merchant"],
  ["promoter_id", "推广员 Promoter"],
  ["promoter_name", "姓名 Name"],
  ["month", "月份 Month"],
  ["currency", "币种 Currency"],
  ["row", "行 Row"],
  ["date", "日期 Date"],
  ["at", "时间 Time (UTC)"],
  ["seq", "流水号 Seq"],
  ["kind", "类型 Kind"],
  ["kind_zh", "类型说明"],
  ["cause_ref", "业务单号 Reference"],
  ["memo", "摘要 Memo"],
  ["earning", "佣金收入 Earnings"],
  ["reversal", "冲回 Reversals"],
  ["adjustment", "调整 Adjustments"],
  ["withdrawal", "提现到账 Withdrawals"],
  ["tax", "代扣个税 Tax"],
  ["fee", "手续费 Fees"],
  ["change", "余额变动 Change"],
  ["balance", "余额 Balance"],
] as const;

type LineRow = (string | number)[];

/**
 * Rows of one statement, as arrays in LINE_COLUMNS order: an opening row, one per ledger line, a closing row with the
 * month's totals.
 */
export function statementRows(
  s: Omit<PromoterStatement, "promoterId">,
  who: { merchantId: string; promoterId: string; promoterName: string; month: string },
): LineRow[] {
  const base = [who.merchantId, who.promoterId, who.promoterName, who.month, s.currency];
  const rows: LineRow[] = [[...base, "opening", "", "", "", "", "", "", "", "", "", "", "", "", "", "", yuan(s.openingMinor)]];
  for (const l of s.lines)
    rows.push([
      ...base,
      l.category,
      l.date,
      l.at,
      l.seq,
      l.kind,
      KIND_ZH[l.kind] ?? "",
      l.causeRef,
      l.memo,
      yuan(l.earningMinor),
      yuan(l.reversalMinor),
      yuan(l.adjustmentMinor),
      yuan(l.withdrawalMinor),
      yuan(l.taxMinor),
      yuan(l.feeMinor),
      yuan(l.changeMinor),
      yuan(l.balanceMinor),
    ]);
  rows.push([
    ...base,
    "closing",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    yuan(s.earningsMinor),
    yuan(s.reversalsMinor),
    yuan(s.adjustmentsMinor),
    yuan(s.withdrawalsMinor),
    yuan(s.taxMinor),
    yuan(s.feesMinor),
    yuan(s.closingMinor - s.openingMinor),
    yuan(s.closingMinor),
  ]);
  return rows;
}

/** Rows given as arrays in the columns' order, as CSV (see csvOf). */
export function csvOfRows(rows: readonly LineRow[], columns: readonly (readonly [string, string])[], first = true): string {
  return stringify(rows as LineRow[], {
    bom: first,
    header: first,
    columns: columns.map(([, header], i) => ({ key: String(i), header })),
    record_delimiter: "\r\n",
  });
}

/** Records as CSV with the columns' bilingual headers; `first: false` for a continuation (no BOM, no header). */
export function csvOf(records: readonly Record<string, unknown>[], columns: readonly (readonly [string, string])[], first = true): string {
  return stringify(records as Record<string, unknown>[], {
    bom: first,
    header: first,
    columns: columns.map(([key, header]) => ({ key, header })),
    record_delimiter: "\r\n",
  });
}

export function promoterStatementCsv(doc: PromoterStatementDoc): string {
  const who = { merchantId: doc.merchant.id, promoterId: doc.promoter.id, promoterName: doc.promoter.name, month: doc.month };
  return csvOfRows(
    doc.currencies.flatMap((s) => statementRows(s, who)),
    LINE_COLUMNS,
  );
}

export const MERCHANT_COLUMNS = [
  ["merchant_id", "商户 Merchant"],
  ["month", "月份 Month"],
  ["currency", "币种 Currency"],
  ["item", "项目 Item"],
  ["item_zh", "项目说明"],
  ["kind", "类型 Kind"],
  ["transactions", "笔数 Transactions"],
  ["amount", "金额 Amount"],
] as const;

export const MERCHANT_ITEMS = [
  ["owed_opening", "期初应付推广员", "owedOpeningMinor"],
  ["commissions", "佣金计提", "commissionsMinor"],
  ["reversals", "佣金冲回", "reversalsMinor"],
  ["adjustments", "调整", "adjustmentsMinor"],
  ["payouts", "提现到账", "payoutsMinor"],
  ["tax", "代扣个税", "taxMinor"],
  ["withdrawal_fees", "提现手续费", "withdrawalFeesMinor"],
  ["owed_closing", "期末应付推广员", "owedClosingMinor"],
  ["fee_income", "商户手续费收入", "merchantFeeIncomeMinor"],
  ["platform_fees", "平台服务费", "platformFeeMinor"],
  ["topups", "预付充值", "topupsMinor"],
] as const;

export function merchantStatementCsv(doc: MerchantStatementDoc): string {
  const rows: Record<string, unknown>[] = [];
  for (const c of doc.currencies) {
    const base = { merchant_id: doc.merchant.id, month: doc.month, currency: c.currency };
    for (const [item, zh, key] of MERCHANT_ITEMS)
      rows.push({ ...base, item, item_zh: zh, kind: "", transactions: "", amount: yuan(c[key]) });
    for (const k of c.byKind)
      rows.push({
        ...base,
        item: "by_kind",
        item_zh: KIND_ZH[k.kind] ?? "按类型",
        kind: k.kind,
        transactions: k.transactions,
        amount: yuan(k.volumeMinor),
      });
  }
  return csvOf(rows, MERCHANT_COLUMNS);
}

export const SUMMARY_COLUMNS = [
  ["merchant_id", "商户 Merchant"],
  ["month", "月份 Month"],
  ["promoter_id", "推广员 Promoter"],
  ["promoter_name", "姓名 Name"],
  ["currency", "币种 Currency"],
  ["opening", "期初余额 Opening"],
  ["earnings", "佣金收入 Earnings"],
  ["earnings_order", "订单佣金 Order commission"],
  ["earnings_period", "结算奖励 Period bonus"],
  ["earnings_event", "活动奖励 Event reward"],
  ["earnings_other", "其他收入 Other earnings"],
  ["reversals", "冲回 Reversals"],
  ["adjustments", "调整 Adjustments"],
  ["withdrawals", "提现到账 Withdrawals"],
  ["tax", "代扣个税 Tax"],
  ["fees", "手续费 Fees"],
  ["closing", "期末余额 Closing"],
  ["lines", "明细笔数 Lines"],
] as const;

export function summaryRow(
  s: PromoterStatement,
  who: { merchantId: string; promoterName: string; month: string },
): Record<string, unknown> {
  return {
    merchant_id: who.merchantId,
    month: who.month,
    promoter_id: s.promoterId,
    promoter_name: who.promoterName,
    currency: s.currency,
    opening: yuan(s.openingMinor),
    earnings: yuan(s.earningsMinor),
    earnings_order: yuan(s.earningsBySource.order),
    earnings_period: yuan(s.earningsBySource.period),
    earnings_event: yuan(s.earningsBySource.event),
    earnings_other: yuan(s.earningsBySource.other),
    reversals: yuan(s.reversalsMinor),
    adjustments: yuan(s.adjustmentsMinor),
    withdrawals: yuan(s.withdrawalsMinor),
    tax: yuan(s.taxMinor),
    fees: yuan(s.feesMinor),
    closing: yuan(s.closingMinor),
    lines: s.lines.length,
  };
}
