/** Tax reports as CSV (UTF-8 with BOM; layouts in docs/payouts.md, "Tax reports"). Amounts in yuan, two decimals. */
import { csvOf, yuan } from "../statements/csv.ts";
import { ID_TYPE_ZH, type QuarterlyReport, type WithholdingReport } from "./service.ts";

export const WITHHOLDING_COLUMNS = [
  ["no", "序号 No."],
  ["agent", "扣缴义务人 Agent"],
  ["month", "所属月份 Month"],
  ["promoter_id", "推广员 Promoter"],
  ["name", "姓名 Name (masked)"],
  ["id_type", "证件类型 ID type"],
  ["id_type_zh", "证件类型说明"],
  ["id_number", "证件号码 ID number (masked)"],
  ["income_item", "所得项目 Income item"],
  ["income", "收入额 Income"],
  ["tax", "已扣缴税额 Tax withheld"],
  ["payments", "笔数 Payments"],
] as const;

export function withholdingCsv(r: WithholdingReport): string {
  return csvOf(
    r.items.map((i, n) => ({
      no: n + 1,
      agent: r.agent,
      month: r.month,
      promoter_id: i.promoterId,
      name: i.legalNameMasked ?? "",
      id_type: i.idType ?? "",
      id_type_zh: i.idType ? (ID_TYPE_ZH[i.idType] ?? "") : "",
      id_number: i.idNumberMasked ?? "",
      income_item: "劳务报酬所得",
      income: yuan(i.incomeMinor),
      tax: yuan(i.taxMinor),
      payments: i.withdrawals,
    })),
    WITHHOLDING_COLUMNS,
  );
}

export const QUARTERLY_COLUMNS = [
  ["no", "序号 No."],
  ["agent", "报送主体 Reporting agent"],
  ["quarter", "所属季度 Quarter"],
  ["promoter_id", "平台内用户ID Platform user id"],
  ["display_name", "昵称 Display name"],
  ["legal_name", "姓名 Legal name"],
  ["id_type", "证件类型 ID type"],
  ["id_type_zh", "证件类型说明"],
  ["id_number", "证件号码 ID number"],
  ["identity_status", "实名状态 Identity"],
  ["income_kind", "收入类型 Income kind"],
  ["income_total", "收入总额 Total income"],
  ["refunds", "退款金额 Refunds"],
  ["net_income", "收入净额 Net income"],
  ["declared_income", "已扣缴申报收入 Income declared by withholding"],
  ["tax_withheld", "已扣缴税额 Tax withheld"],
] as const;

export function quarterlyCsv(r: QuarterlyReport): string {
  return csvOf(
    r.items.map((i, n) => ({
      no: n + 1,
      agent: r.agent,
      quarter: r.quarter,
      promoter_id: i.promoterId,
      display_name: i.promoterName,
      legal_name: i.identity?.legalName ?? "",
      id_type: i.identity?.idType ?? "",
      id_type_zh: i.identity ? (ID_TYPE_ZH[i.identity.idType] ?? "") : "",
      id_number: i.identity?.idNumber ?? "",
      identity_status: i.identity ? "recorded" : "missing",
      income_kind: "佣金收入 commission",
      income_total: yuan(i.incomeMinor),
      refunds: yuan(i.refundsMinor),
      net_income: yuan(i.netIncomeMinor),
      declared_income: yuan(i.declaredIncomeMinor),
      tax_withheld: yuan(i.taxMinor),
    })),
    QUARTERLY_COLUMNS,
  );
}
