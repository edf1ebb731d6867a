/**
 * One sentence per withheld figure, in Chinese or English, from its trace only (like commission explanations), e.g.
 *   2026-10 累计预扣法：累计收入 ¥10,000.00 − 费用 20% ¥2,000.00 − 减除费用 ¥5,000.00 × 1 个月 = 应纳税所得额 ¥3,000.00；
 *   × 3% − 速算扣除数 ¥0.00 = 累计应预扣 ¥90.00 − 已预扣 ¥0.00 = 本次预扣 ¥90.00（四舍五入到分）
 */
import type { Lang } from "../explain/explain.ts";
import { formatMoney, formatRate } from "../money/money.ts";
import { MONTHLY_DEDUCTION_MINOR } from "./cn-labour-cumulative.ts";
import type { WithholdingTrace } from "./rule.ts";

function t(lang: Lang, zh: string, en: string): string {
  return lang === "zh" ? zh : en;
}

/** An exact decimal string of fen ("320000.8", "-5.25") as money with every exact digit kept: ¥3,200.008. */
export function formatExactMoney(exact: string, currency = "CNY"): string {
  const negative = exact.startsWith("-");
  const body = negative ? exact.slice(1) : exact;
  const [whole = "0", frac = ""] = body.split(".");
  const fen = Number(whole.replace("…", ""));
  const base = formatMoney(negative ? -fen : fen, currency);
  return frac === "" ? base : `${base}${frac}`;
}

function tail(tr: WithholdingTrace, lang: Lang, cur: string, windowLabel: [string, string]): string {
  const m = (n: number) => formatMoney(n, cur);
  let s = t(
    lang,
    ` = ${windowLabel[0]} ${m(tr.windowTaxMinor)} − 已预扣 ${m(tr.priorTaxMinor)} = 本次预扣 ${m(tr.taxMinor)}（四舍五入到分）`,
    ` = ${windowLabel[1]} ${m(tr.windowTaxMinor)} − already withheld ${m(tr.priorTaxMinor)} = withheld now ${m(tr.taxMinor)} (rounded half-up to the fen)`,
  );
  if (tr.clamped === "zero") s += t(lang, "，已预扣税款已足额，本次不预扣", "; what was withheld already covers it, nothing more now");
  if (tr.clamped === "payment")
    s += t(
      lang,
      `，应预扣 ${m(tr.dueMinor)} 超过本次支付，本次全额预扣，其余在下次支付时预扣`,
      `; ${m(tr.dueMinor)} is due, more than this payment: all of it is withheld, the rest on the next payment`,
    );
  return s;
}

function taxable(tr: WithholdingTrace, lang: Lang, cur: string): string {
  const exact = tr.taxableExact ?? "0";
  const shown = formatExactMoney(exact, cur);
  const nonPositive = exact.startsWith("-") || exact === "0";
  return nonPositive
    ? t(lang, `应纳税所得额 ${shown}，不足零按零计`, `taxable ${shown}, none below zero`)
    : t(lang, `应纳税所得额 ${shown}`, `taxable ${shown}`);
}

function rateStep(tr: WithholdingTrace, lang: Lang, cur: string): string {
  return t(
    lang,
    `；× ${formatRate(tr.rateBps)} − 速算扣除数 ${formatMoney(tr.quickDeductionMinor, cur)}`,
    `; × ${formatRate(tr.rateBps)} − quick deduction ${formatMoney(tr.quickDeductionMinor, cur)}`,
  );
}

/** One sentence explaining how the tax withheld now was computed. */
export function explainWithholding(tr: WithholdingTrace, lang: Lang, currency = "CNY"): string {
  const cur = currency;
  const m = (n: number) => formatMoney(n, cur);
  switch (tr.method) {
    case "none":
      return t(lang, `${tr.month} 不代扣个税：本次预扣 ${m(0)}`, `${tr.month} no tax withheld: ${m(0)}`);
    case "flat":
      return t(
        lang,
        `${tr.month} 按固定比例预扣：${m(tr.amountMinor)} × ${formatRate(tr.rateBps)} = 本次预扣 ${m(tr.taxMinor)}（四舍五入到分）`,
        `${tr.month} flat rate: ${m(tr.amountMinor)} × ${formatRate(tr.rateBps)} = withheld now ${m(tr.taxMinor)} (rounded half-up to the fen)`,
      );
    case "cn-labour-monthly": {
      const expense =
        tr.expense?.kind === "fixed"
          ? t(lang, `− 费用 ${formatExactMoney(tr.expense.exact, cur)}`, `− expenses ${formatExactMoney(tr.expense.exact, cur)}`)
          : t(
              lang,
              `− 费用 20% ${formatExactMoney(tr.expense?.exact ?? "0", cur)}`,
              `− 20% expenses ${formatExactMoney(tr.expense?.exact ?? "0", cur)}`,
            );
      return (
        t(
          lang,
          `${tr.month} 劳务报酬按月预扣（预扣率表二）：本月收入 ${m(tr.incomeMinor)} ${expense} = ${taxable(tr, lang, cur)}`,
          `${tr.month} labour remuneration, monthly (table 2): this month's income ${m(tr.incomeMinor)} ${expense} = ${taxable(tr, lang, cur)}`,
        ) +
        rateStep(tr, lang, cur) +
        tail(tr, lang, cur, ["本月应预扣", "the month's tax"])
      );
    }
    case "cn-labour-cumulative":
      return (
        t(
          lang,
          `${tr.month} 累计预扣法：累计收入 ${m(tr.incomeMinor)} − 费用 20% ${formatExactMoney(tr.expense?.exact ?? "0", cur)} − 减除费用 ${m(MONTHLY_DEDUCTION_MINOR)} × ${tr.continuousMonths ?? 0} 个月 = ${taxable(tr, lang, cur)}`,
          `${tr.month} cumulative method: income this year ${m(tr.incomeMinor)} − 20% expenses ${formatExactMoney(tr.expense?.exact ?? "0", cur)} − deduction ${m(MONTHLY_DEDUCTION_MINOR)} × ${tr.continuousMonths ?? 0} continuous month${tr.continuousMonths === 1 ? "" : "s"} = ${taxable(tr, lang, cur)}`,
        ) +
        rateStep(tr, lang, cur) +
        tail(tr, lang, cur, ["累计应预扣", "tax to date"])
      );
    default:
      return `${tr.month} ${tr.method}: ${m(tr.taxMinor)}`;
  }
}
