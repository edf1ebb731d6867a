/**
 * Readable names of plan fields (for messages and the version diff) and Chinese / English wording of the schema's
 * messages. Lint findings already come from the server in both languages; schema issues come in English and are
 * reworded here, with limits shown in the unit the form uses (percent, yuan).
 */
import type { Language } from "../../i18n/languages.ts";
import { parsePathText, type Seg } from "./doc.ts";
import { bpsToPercent, fenToYuan } from "./units.ts";

type L = { zh: string; en: string };
const KEY_LABELS: Record<string, L> = {
  version: { zh: "格式版本", en: "format version" },
  name: { zh: "方案名称", en: "plan name" },
  base: { zh: "基础佣金", en: "base" },
  defaultRateBps: { zh: "基础比例", en: "default rate" },
  productRates: { zh: "商品佣金", en: "product rates" },
  categoryRates: { zh: "类目佣金", en: "category rates" },
  productFixed: { zh: "商品固定金额", en: "fixed amounts" },
  perOrderMinor: { zh: "每单固定奖励", en: "per-order amount" },
  firstOrder: { zh: "首单/复购", en: "first / repeat" },
  firstRateBps: { zh: "首单比例", en: "first-order rate" },
  repeatRateBps: { zh: "复购比例", en: "repeat rate" },
  tiers: { zh: "阶梯提成", en: "tiers" },
  mode: { zh: "方式", en: "mode" },
  steps: { zh: "档位", en: "steps" },
  fromMinor: { zh: "起点销售额", en: "from sales" },
  rateBps: { zh: "比例", en: "rate" },
  bonusMinor: { zh: "奖金", en: "bonus" },
  promoteToRank: { zh: "晋升等级", en: "promote to rank" },
  team: { zh: "团队提成", en: "team" },
  levels: { zh: "层级", en: "levels" },
  shareBps: { zh: "卖家佣金分成", en: "share of seller's commission" },
  qualification: { zh: "业绩门槛", en: "qualification" },
  ownSalesAtLeastMinor: { zh: "本人销售额门槛", en: "own sales at least" },
  onFail: { zh: "未达标处理", en: "when not met" },
  ranks: { zh: "等级", en: "ranks" },
  key: { zh: "等级代码", en: "rank key" },
  teamLevels: { zh: "等级团队层级", en: "rank team levels" },
  newPromoterBoost: { zh: "新手期加成", en: "new-promoter boost" },
  days: { zh: "天数", en: "days" },
  addBps: { zh: "加成", en: "added points" },
  campaigns: { zh: "活动", en: "campaigns" },
  id: { zh: "编号", en: "id" },
  startsAt: { zh: "开始时间", en: "starts at" },
  endsAt: { zh: "结束时间", en: "ends at" },
  productIds: { zh: "商品", en: "products" },
  categoryIds: { zh: "类目", en: "categories" },
  channels: { zh: "渠道加成", en: "channel uplifts" },
  multiplierBps: { zh: "系数", en: "multiplier" },
  appliesTo: { zh: "适用对象", en: "applies to" },
  thresholdBonuses: { zh: "达标奖", en: "threshold bonuses" },
  salesAtLeastMinor: { zh: "销售额门槛", en: "sales at least" },
  teamBonuses: { zh: "团队奖", en: "team bonuses" },
  form: { zh: "形式", en: "form" },
  amountMinor: { zh: "金额", en: "amount" },
  teamSalesAtLeastMinor: { zh: "团队销售额门槛", en: "team sales at least" },
  includeSelf: { zh: "含本人", en: "include self" },
  leaderRanks: { zh: "队长等级", en: "leader ranks" },
  contests: { zh: "竞赛奖", en: "contests" },
  metric: { zh: "指标", en: "metric" },
  prizesMinor: { zh: "奖金", en: "prizes" },
  byRank: { zh: "按等级分组", en: "by rank" },
  minMetric: { zh: "最低指标", en: "minimum" },
  cap: { zh: "返利上限", en: "cap" },
  orderRateBps: { zh: "订单额比例上限", en: "order cap" },
  marginRateBps: { zh: "毛利比例上限", en: "margin cap" },
  differential: { zh: "级差", en: "differential" },
  rankRates: { zh: "等级比例", en: "rank rates" },
  events: { zh: "事件奖励", en: "event rewards" },
  referral: { zh: "客户推荐", en: "referral" },
  contributionPool: { zh: "贡献值奖池", en: "contribution pool" },
  rounding: { zh: "舍入", en: "rounding" },
  period: { zh: "结算周期", en: "period" },
  experiment: { zh: "方案实验", en: "experiment" },
};
const MAP_PARENTS = new Set(["productRates", "categoryRates", "productFixed", "channels", "rankRates", "pointsPerEvent"]);

/** 「阶梯提成 › 档位 2 › 比例」 for `tiers.steps[1].rateBps`. */
export function pathLabel(path: string | readonly Seg[], lang: Language): string {
  const segs = typeof path === "string" ? parsePathText(path) : path;
  if (segs.length === 0) return lang === "en" ? "document" : "整个方案";
  const parts: string[] = [];
  segs.forEach((s, i) => {
    const parent = segs[i - 1];
    if (typeof s === "number") parts.push(lang === "en" ? `#${s + 1}` : `第 ${s + 1} 项`);
    else if (typeof parent === "string" && MAP_PARENTS.has(parent)) parts.push(`「${s}」`);
    else parts.push(KEY_LABELS[s]?.[lang === "en" ? "en" : "zh"] ?? s);
  });
  return parts.join(" › ");
}

/** A value in the unit the form shows: rates in percent, amounts in yuan. */
export function formatValue(path: string | readonly Seg[], value: unknown): string {
  const segs = typeof path === "string" ? parsePathText(path) : path;
  const last = [...segs].reverse().find((s) => typeof s === "string") as string | undefined;
  if (typeof value === "number" && last?.endsWith("Bps")) return `${bpsToPercent(value)}%`;
  if (typeof value === "number" && last?.endsWith("Minor")) return `¥${fenToYuan(value)}`;
  if (Array.isArray(value) && last?.endsWith("Minor"))
    return value.map((v) => (typeof v === "number" ? `¥${fenToYuan(v)}` : String(v))).join(", ");
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function limit(path: string, n: number, lang: Language): string {
  const last = parsePathText(path)
    .filter((s) => typeof s === "string")
    .pop() as string | undefined;
  if (last?.endsWith("Bps")) return `${bpsToPercent(n)}%`;
  if (last?.endsWith("Minor")) return `¥${fenToYuan(n)}`;
  return lang === "en" ? String(n) : String(n);
}

const RULES: [RegExp, (m: RegExpExecArray, path: string) => L][] = [
  [
    /^Too big: expected number to be <=?(\d+)/,
    (m, p) => ({ zh: `不能大于 ${limit(p, +m[1]!, "zh-CN")}`, en: `must be at most ${limit(p, +m[1]!, "en")}` }),
  ],
  [
    /^Too small: expected number to be >=?(-?\d+)/,
    (m, p) => ({ zh: `不能小于 ${limit(p, +m[1]!, "zh-CN")}`, en: `must be at least ${limit(p, +m[1]!, "en")}` }),
  ],
  [
    /expected int, received number/,
    () => ({ zh: "比例最多两位小数（0.01%），金额精确到分", en: "rates have at most 2 decimals (0.01 %), amounts are to the fen" }),
  ],
  [
    /^Invalid input: expected (\w+), received (\w+)/,
    (m) => ({ zh: `类型不对：应为 ${m[1]}，实际为 ${m[2]}`, en: `expected ${m[1]}, received ${m[2]}` }),
  ],
  [/^Invalid option: expected one of (.*)/, (m) => ({ zh: `取值无效，可选 ${m[1]}`, en: `invalid option, one of ${m[1]}` })],
  [/^Too small: expected string to have >=1 characters/, () => ({ zh: "不能为空", en: "must not be empty" })],
  [/^Too big: expected string to have <=(\d+)/, (m) => ({ zh: `最多 ${m[1]} 个字符`, en: `at most ${m[1]} characters` })],
  [/^Too small: expected array to have >=(\d+)/, (m) => ({ zh: `至少 ${m[1]} 项`, en: `at least ${m[1]} entries` })],
  [/^Too big: expected array to have <=(\d+)/, (m) => ({ zh: `最多 ${m[1]} 项`, en: `at most ${m[1]} entries` })],
  [
    /^Invalid ISO datetime/,
    () => ({ zh: "时间格式应为 2025-04-01T00:00:00+08:00（含时区）", en: "use an ISO time with offset, e.g. 2025-04-01T00:00:00+08:00" }),
  ],
  [/^Unrecognized keys?: (.*)/, (m) => ({ zh: `未知字段 ${m[1]}（可能是拼写错误）`, en: `unknown field ${m[1]} (a typo?)` })],
  [
    /^give exactly one of rateBps or addBps/,
    () => ({ zh: "活动须且只能设置「替换比例」或「加成」之一", en: "give exactly one of an override rate or added points" }),
  ],
  [/^endsAt must be after startsAt/, () => ({ zh: "结束时间须晚于开始时间", en: "the end must be after the start" })],
  [/^the first step must start at 0/, () => ({ zh: "第一档须从 ¥0 开始", en: "the first step starts at ¥0" })],
  [/^steps must be strictly increasing/, () => ({ zh: "各档起点销售额须逐档递增", en: "each step must start above the previous one" })],
  [/^give orderRateBps or marginRateBps/, () => ({ zh: "请设置订单额比例上限或毛利比例上限", en: "give an order cap or a margin cap" })],
  [
    /^a product has either a rate or a fixed amount/,
    () => ({ zh: "同一商品不能同时设置比例和固定金额", en: "a product has a rate or a fixed amount, not both" }),
  ],
  [/^duplicate rank (.*)/, (m) => ({ zh: `等级代码重复：${m[1]}`, en: `duplicate rank ${m[1]}` })],
  [/^unknown rank (.*)/, (m) => ({ zh: `未知等级：${m[1]}（须在等级表中）`, en: `unknown rank ${m[1]} (not in the ladder)` })],
  [/^Invalid discriminator value/, () => ({ zh: "形式无效", en: "invalid form" })],
  [/^Invalid input/, () => ({ zh: "输入无效", en: "invalid input" })],
];

/** A schema issue (English from the server) in the UI language. */
export function schemaMessage(issue: { path: string; message: string }, lang: Language): string {
  for (const [re, f] of RULES) {
    const m = re.exec(issue.message);
    if (m) return f(m, issue.path)[lang === "en" ? "en" : "zh"];
  }
  return issue.message;
}
