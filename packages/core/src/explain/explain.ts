/**
 * One sentence per commission line, in Chinese or English, rendered from the line's trace only
 * (so a stored line explains itself years later), e.g.
 *   订单 #1024 · 商品 婴儿推车 ¥2,000.00 × 10%（阶梯第2档）= ¥200.00
 */
import type { CommissionLineDraft, LineTrace, RateAddition } from "../commission/types.ts";
import { formatMoney, formatRate } from "../money/money.ts";

export type Lang = "zh" | "en";

export interface ExplainExtras {
  orderRef?: string | null;
  productName?: string | null;
  currency?: string;
  /** Shown for period-level lines, e.g. "2025-04". */
  periodKey?: string | null;
}

export type ExplainableLine = Pick<CommissionLineDraft, "kind" | "level" | "baseMinor" | "amountMinor"> & {
  trace: CommissionLineDraft["trace"];
};

const SOURCE: Record<string, [string, string]> = {
  campaign: ["活动佣金", "campaign rate"],
  product: ["商品佣金", "product rate"],
  product_fixed: ["商品固定佣金", "fixed per unit"],
  category: ["类目佣金", "category rate"],
  rank: ["等级佣金", "rank rate"],
  first_order: ["首单", "first order"],
  repeat_order: ["复购", "repeat order"],
  default: ["基础比例", "base rate"],
};
const LEVEL_ZH = ["", "一", "二"];

/** Join with an operator; no space after a full-width closing parenthesis (Chinese typography). */
function op(left: string, sign: string): string {
  return left.endsWith("）") ? `${left}${sign} ` : `${left} ${sign} `;
}

function t(lang: Lang, zh: string, en: string): string {
  return lang === "zh" ? zh : en;
}

function paren(lang: Lang, parts: string[]): string {
  if (parts.length === 0) return "";
  return lang === "zh" ? `（${parts.join("，")}）` : ` (${parts.join(", ")})`;
}

function additionLabel(a: RateAddition, lang: Lang): string {
  if (a.reason === "new_promoter_boost") return t(lang, `新手期加成 +${formatRate(a.bps)}`, `new-promoter boost +${formatRate(a.bps)}`);
  return t(lang, `活动加成 +${formatRate(a.bps)}`, `campaign +${formatRate(a.bps)}`);
}

/** "订单 #1024 · 商品 婴儿推车 " — what the amount that follows belongs to. */
function leadOf(line: ExplainableLine, lang: Lang, x: ExplainExtras): string {
  let s = "";
  if (x.orderRef) s = t(lang, `订单 #${x.orderRef} · `, `Order #${x.orderRef} · `);
  else if (x.periodKey) s = t(lang, `${x.periodKey} 期 · `, `Period ${x.periodKey} · `);
  if (x.productName && line.kind !== "referral") s += t(lang, `商品 ${x.productName} `, `Product ${x.productName} `);
  return s;
}

function capSuffix(tr: LineTrace, amount: number, lang: Lang, cur: string): string {
  if (!tr.cap) return "";
  return t(
    lang,
    `，订单封顶 ${formatMoney(tr.cap.capMinor, cur)} 按比例缩减为 ${formatMoney(amount, cur)}`,
    `, scaled to ${formatMoney(amount, cur)} by the order cap of ${formatMoney(tr.cap.capMinor, cur)}`,
  );
}

function saleBody(line: ExplainableLine, tr: LineTrace, lang: Lang, cur: string): string {
  const notes: string[] = [];
  let expr: string;
  const src = tr.source ?? "default";
  if (src === "product_fixed") {
    expr = `${formatMoney(tr.fixedMinor ?? 0, cur)} × ${String(tr.quantity ?? 1)}${t(lang, " 件", " units")}`;
    notes.push((SOURCE[src] ?? [src, src])[lang === "zh" ? 0 : 1]);
  } else if (src === "tier" && tr.tier?.portions && tr.tier.portions.length > 1) {
    expr = tr.tier.portions.map((p) => `${formatMoney(p.baseMinor, cur)} × ${formatRate(p.rateBps)}`).join(" + ");
    notes.push(t(lang, "阶梯分段累进", "marginal tiers"));
  } else {
    expr = `${formatMoney(line.baseMinor, cur)} × ${formatRate(tr.rateBps ?? 0)}`;
    if (src === "tier") notes.push(t(lang, `阶梯第${tr.tier?.step ?? 1}档`, `tier step ${tr.tier?.step ?? 1}`));
    else if (src === "rank") notes.push(t(lang, `等级 ${tr.rank ?? ""}`, `rank ${tr.rank ?? ""}`));
    else if (src === "campaign") notes.push(t(lang, `活动 ${tr.campaignId ?? ""}`, `campaign ${tr.campaignId ?? ""}`));
    else notes.push((SOURCE[src] ?? [src, src])[lang === "zh" ? 0 : 1] as string);
  }
  for (const a of tr.additions ?? []) notes.push(additionLabel(a, lang));
  return withChannel(`${expr}${paren(lang, notes)}`, tr, lang);
}

/** `… × 110%（community 渠道加成）` when the line carries a channel uplift (P11). */
function withChannel(s: string, tr: LineTrace, lang: Lang): string {
  if (!tr.channel) return s;
  return `${op(s, "×")}${formatRate(tr.channel.multiplierBps)}${paren(lang, [t(lang, `${tr.channel.channel} 渠道加成`, `${tr.channel.channel} channel uplift`)])}`;
}

/** One sentence explaining the line. */
export function explainLine(line: ExplainableLine, lang: Lang, extras: ExplainExtras = {}): string {
  const cur = extras.currency ?? "CNY";
  const tr = line.trace as LineTrace;
  const shown = tr.cap ? tr.cap.uncappedMinor : line.amountMinor;
  const lead = leadOf(line, lang, extras);
  let body: string;
  switch (tr.rule) {
    case "sale":
      body = saleBody(line, tr, lang, cur);
      break;
    case "team": {
      const lvl = tr.level ?? line.level;
      const label = t(lang, `团队${LEVEL_ZH[lvl] ?? lvl}级`, `team level ${lvl}`);
      body =
        tr.shareBps !== null && tr.shareBps !== undefined
          ? `${t(lang, "下级佣金 ", "seller's commission ")}${formatMoney(line.baseMinor, cur)} × ${formatRate(tr.shareBps)}${paren(lang, [label])}`
          : withChannel(`${formatMoney(line.baseMinor, cur)} × ${formatRate(tr.rateBps ?? 0)}${paren(lang, [label])}`, tr, lang);
      break;
    }
    case "differential": {
      const d = tr.differential;
      const lvl = tr.level ?? line.level;
      body = withChannel(
        `${formatMoney(line.baseMinor, cur)} × ${formatRate(tr.rateBps ?? 0)}${paren(lang, [
          t(
            lang,
            `级差 ${formatRate(d?.rankRateBps ?? 0)} − ${formatRate(d?.paidBelowBps ?? 0)}，上${LEVEL_ZH[lvl] ?? lvl}级`,
            `differential ${formatRate(d?.rankRateBps ?? 0)} − ${formatRate(d?.paidBelowBps ?? 0)}, upline ${lvl}`,
          ),
        ])}`,
        tr,
        lang,
      );
      break;
    }
    case "referral":
      body = t(lang, "客户推荐奖励", "customer referral reward");
      return `${lead}${op(body, "=")}${formatMoney(shown, cur)}${capSuffix(tr, line.amountMinor, lang, cur)}`;
    case "fixed_per_order":
      body = t(lang, "每单固定佣金", "fixed amount per order");
      return `${lead}${op(body, "=")}${formatMoney(shown, cur)}${capSuffix(tr, line.amountMinor, lang, cur)}`;
    default:
      return `${lead}${op(explainPeriodBody(tr, lang, cur), "=")}${formatMoney(line.amountMinor, cur)}`;
  }
  return `${lead}${op(body, "=")}${formatMoney(shown, cur)}${capSuffix(tr, line.amountMinor, lang, cur)}`;
}

/** Period-level adjustments (tier true-ups, bonuses, forfeits …): the trace fields named by the period rules. */
function explainPeriodBody(tr: LineTrace, lang: Lang, cur: string): string {
  const m = (k: string) => formatMoney(Number(tr[k] ?? 0), cur);
  switch (tr.rule) {
    case "tier_trueup":
      return t(
        lang,
        `阶梯补差：本期销售额 ${m("salesMinor")} 达第${String(tr.step)}档，应得 ${m("targetMinor")} − 已计 ${m("provisionalMinor")}`,
        `tier true-up: period sales ${m("salesMinor")} reached step ${String(tr.step)}, due ${m("targetMinor")} − accrued ${m("provisionalMinor")}`,
      );
    case "team_trueup": {
      const from = tr.fromLevel === undefined ? null : Number(tr.fromLevel);
      return t(
        lang,
        `团队补差：下级佣金补差后 ${m("baseMinor")} × ${formatRate(Number(tr.shareBps ?? 0))} = ${m("targetMinor")} − 已计 ${m("provisionalMinor")}${from === null ? "" : tr.reason === "shifted" ? `（压缩：原第${LEVEL_ZH[from] ?? from}级上线递补到更近一级，本级转给本人）` : `（上${LEVEL_ZH[from] ?? from}级未达门槛，转给本人）`}`,
        `team true-up: seller's commission after true-up ${m("baseMinor")} × ${formatRate(Number(tr.shareBps ?? 0))} = ${m("targetMinor")} − accrued ${m("provisionalMinor")}${from === null ? "" : tr.reason === "shifted" ? ` (compressed: the level-${from} upline moved one level closer, this level passes to you)` : ` (moved up: the level-${from} upline did not qualify)`}`,
      );
    }
    case "step_bonus":
      return t(
        lang,
        `阶梯第${String(tr.step)}档达标奖金（本期销售额 ${m("salesMinor")}）`,
        `tier step ${String(tr.step)} bonus (period sales ${m("salesMinor")})`,
      );
    case "qualification_forfeit":
      return t(
        lang,
        `团队佣金作废：本人本期销售额 ${m("ownSalesMinor")} 未达门槛 ${m("thresholdMinor")}`,
        `team commission forfeited: own period sales ${m("ownSalesMinor")} below the threshold ${m("thresholdMinor")}`,
      );
    case "qualification_compress": {
      const lv = Number(tr.level ?? 0);
      return tr.reason === "shifted"
        ? t(
            lang,
            `团队佣金压缩：下方上线未达门槛被跳过，原第${LEVEL_ZH[lv] ?? lv}级上线递补到更近一级，本人递补为第${LEVEL_ZH[lv] ?? lv}级`,
            `team commission compressed: an upline below did not qualify and was skipped, the level-${lv} upline moved one level closer, you take level ${lv}`,
          )
        : t(
            lang,
            `团队佣金压缩：第${LEVEL_ZH[lv] ?? lv}级上线未达门槛被跳过，本人递补为第${LEVEL_ZH[lv] ?? lv}级`,
            `team commission compressed: the level-${lv} upline did not qualify and was skipped, you take level ${lv}`,
          );
    }
    case "qualification_shift": {
      const lv = Number(tr.level ?? 0);
      const to = tr.toLevel === null || tr.toLevel === undefined ? null : Number(tr.toLevel);
      return to === null
        ? t(
            lang,
            `团队佣金压缩：下方上线未达门槛被跳过，本人第${LEVEL_ZH[lv] ?? lv}级佣金转给递补的上线`,
            `team commission compressed: an upline below did not qualify and was skipped, your level-${lv} line passes to the upline that takes it`,
          )
        : t(
            lang,
            `团队佣金压缩：下方上线未达门槛被跳过，本人由第${LEVEL_ZH[lv] ?? lv}级递补为第${LEVEL_ZH[to] ?? to}级，原第${LEVEL_ZH[lv] ?? lv}级佣金扣回`,
            `team commission compressed: an upline below did not qualify and was skipped, you move from level ${lv} to level ${to} and give up your level-${lv} line`,
          );
    }
    case "threshold_bonus":
      return t(
        lang,
        `达标奖：本期销售额 ${m("salesMinor")} ≥ ${m("thresholdMinor")}`,
        `threshold bonus: period sales ${m("salesMinor")} ≥ ${m("thresholdMinor")}`,
      );
    case "team_bonus":
      return tr.form === "leader_rate"
        ? t(
            lang,
            `团队奖：团队销售额 ${m("teamSalesMinor")} × ${formatRate(Number(tr.rateBps ?? 0))}`,
            `team bonus: team sales ${m("teamSalesMinor")} × ${formatRate(Number(tr.rateBps ?? 0))}`,
          )
        : t(
            lang,
            `团队奖：奖池 ${m("poolMinor")} 按业绩 ${m("memberSalesMinor")} / ${m("teamSalesMinor")} 分配`,
            `team bonus: pool ${m("poolMinor")} shared by sales ${m("memberSalesMinor")} / ${m("teamSalesMinor")}`,
          );
    case "contest":
      return t(
        lang,
        `竞赛奖：${String(tr.contestId)} 第${String(tr.place)}名`,
        `contest prize: ${String(tr.contestId)} place ${String(tr.place)}`,
      );
    case "pool":
      return t(
        lang,
        `贡献值奖池 ${m("poolMinor")} × ${String(tr.points)} / ${String(tr.totalPoints)} 分`,
        `contribution pool ${m("poolMinor")} × ${String(tr.points)} / ${String(tr.totalPoints)} points`,
      );
    case "event":
      return t(lang, `事件奖励：${String(tr.trigger)}`, `event reward: ${String(tr.trigger)}`);
    default:
      return String(tr.rule);
  }
}
