/**
 * Compliance linter (合规检查), SPEC §4. Works on the raw JSON of a draft (so it can name fields the schema does not even
 * accept) and on parsed plans. Errors refuse publishing; warnings are shown to the merchant.
 *   - more upline levels than the policy allows (standard ≤ 2, wechat ≤ 1)
 *   - any entry or membership fee (入门费 / 会费)
 *   - any reward for recruiting promoters without a sale (拉人头)
 *   - warning: the worst-case total commission of an order can exceed the cap
 */
import { formatRate } from "../money/money.ts";
import { formatPath, parsePlan } from "./schema.ts";

export type CompliancePolicy = "standard" | "wechat";
export const POLICY_UPLINE_LEVELS_MAX: Record<CompliancePolicy, number> = { standard: 2, wechat: 1 };

export interface LintFinding {
  code: string;
  severity: "error" | "warning";
  /** JSON path of the offending part of the document. */
  path: string;
  messageZh: string;
  messageEn: string;
}

export interface LintResult {
  ok: boolean;
  errors: LintFinding[];
  warnings: LintFinding[];
}

export interface LintOptions {
  /** Skip the schema check (the caller already parsed the document). */
  skipSchema?: boolean;
}

type Path = (string | number)[];
type Json = Record<string, unknown>;

const FEE_KEY = /fee|deposit|membership|joining|entry(price|cost|amount)/i;
const HEADCOUNT = /promoter|invite|invitation|recruit|downline|team_?build|team_?size|member_?join|sign_?up_?promoter/i;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

class Collector {
  readonly errors: LintFinding[] = [];
  readonly warnings: LintFinding[] = [];
  error(code: string, path: Path, zh: string, en: string): void {
    this.errors.push({ code, severity: "error", path: formatPath(path), messageZh: zh, messageEn: en });
  }
  warn(code: string, path: Path, zh: string, en: string): void {
    this.warnings.push({ code, severity: "warning", path: formatPath(path), messageZh: zh, messageEn: en });
  }
}

function findFees(v: unknown, path: Path, c: Collector): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) findFees(v[i], [...path, i], c);
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (FEE_KEY.test(k)) {
        c.error(
          "FEE_FORBIDDEN",
          [...path, k],
          `不允许收取任何入门费、会费或押金（字段 ${k}）`,
          `no entry fee, membership fee or deposit may be charged (field ${k})`,
        );
      } else findFees(x, [...path, k], c);
    }
  }
}

function checkLevels(arr: unknown, path: Path, max: number, policy: CompliancePolicy, c: Collector): void {
  if (Array.isArray(arr) && arr.length > max) {
    c.error(
      "UPLINE_LEVELS_EXCEEDED",
      [...path, max],
      `合规策略 ${policy} 最多允许 ${max} 级上级提成，方案配置了 ${arr.length} 级`,
      `the ${policy} compliance policy allows at most ${max} upline level(s); the plan pays ${arr.length}`,
    );
  }
}

function headcount(path: Path, what: string, c: Collector): void {
  c.error(
    "HEADCOUNT_REWARD",
    path,
    `不允许为发展推广员（拉人头）发放奖励：${what}；奖励必须与真实销售挂钩`,
    `rewards for recruiting promoters without a sale are not allowed: ${what}; rewards must come from real sales`,
  );
}

/** Upper bound, in bps of the order amount, of everything an order can pay (rates only). */
function worstCaseBps(p: Json): { bps: number; fixed: boolean } {
  const base = isObj(p.base) ? p.base : {};
  let seller = num(base.defaultRateBps);
  const maxOf = (r: unknown) => {
    if (isObj(r)) for (const v of Object.values(r)) seller = Math.max(seller, num(v));
  };
  maxOf(base.productRates);
  maxOf(base.categoryRates);
  if (isObj(p.firstOrder)) seller = Math.max(seller, num(p.firstOrder.firstRateBps), num(p.firstOrder.repeatRateBps));
  if (isObj(p.tiers) && Array.isArray(p.tiers.steps))
    for (const s of p.tiers.steps) if (isObj(s)) seller = Math.max(seller, num(s.rateBps));
  const ranks = Array.isArray(p.ranks) ? p.ranks.filter(isObj) : [];
  for (const r of ranks) seller = Math.max(seller, num(r.rateBps));
  let adds = 0;
  for (const cmp of Array.isArray(p.campaigns) ? p.campaigns.filter(isObj) : []) {
    seller = Math.max(seller, num(cmp.rateBps));
    adds += num(cmp.addBps);
  }
  if (isObj(p.newPromoterBoost)) adds += num(p.newPromoterBoost.addBps);
  let mult = 10_000;
  let multAll = 10_000; // the largest uplift that also applies to the uplines' rate-based lines
  if (isObj(p.channels))
    for (const ch of Object.values(p.channels))
      if (isObj(ch)) {
        mult = Math.max(mult, num(ch.multiplierBps));
        if (ch.appliesTo === "all") multAll = Math.max(multAll, num(ch.multiplierBps));
      }
  const sellerBps = Math.ceil(((seller + adds) * mult) / 10_000);
  const levelSets: unknown[] = [isObj(p.team) ? p.team.levels : undefined, ...ranks.map((r) => r.teamLevels)];
  let team = 0;
  for (let k = 0; k < 2; k++) {
    let best = 0;
    for (const set of levelSets) {
      const l = Array.isArray(set) ? set[k] : undefined;
      if (isObj(l))
        best = Math.max(best, Math.ceil((num(l.rateBps) * multAll) / 10_000), Math.ceil((num(l.shareBps) * sellerBps) / 10_000));
    }
    team += best;
  }
  let diff = 0;
  if (isObj(p.differential)) {
    diff = num(p.differential.defaultRateBps);
    if (isObj(p.differential.rankRates)) for (const v of Object.values(p.differential.rankRates)) diff = Math.max(diff, num(v));
    diff = Math.ceil((diff * multAll) / 10_000);
  }
  const fixed = num(base.perOrderMinor) > 0 || (isObj(base.productFixed) && Object.keys(base.productFixed).length > 0) || isObj(p.referral);
  return { bps: sellerBps + team + diff, fixed };
}

function lintBody(p: Json, path: Path, policy: CompliancePolicy, c: Collector): void {
  const max = POLICY_UPLINE_LEVELS_MAX[policy];
  if (isObj(p.team)) checkLevels(p.team.levels, [...path, "team", "levels"], max, policy, c);
  if (Array.isArray(p.ranks))
    p.ranks.forEach((r, i) => {
      if (isObj(r)) checkLevels(r.teamLevels, [...path, "ranks", i, "teamLevels"], max, policy, c);
    });
  if (isObj(p.differential)) {
    const levels = p.differential.levels === undefined ? 2 : num(p.differential.levels);
    if (levels > max) {
      c.error(
        "UPLINE_LEVELS_EXCEEDED",
        [...path, "differential", "levels"],
        `合规策略 ${policy} 最多允许 ${max} 级上级提成，级差配置了 ${levels} 级`,
        `the ${policy} compliance policy allows at most ${max} upline level(s); the differential pays ${levels}`,
      );
    }
    if (isObj(p.team) && Array.isArray(p.team.levels) && p.team.levels.length > 0) {
      c.warn(
        "TEAM_AND_DIFFERENTIAL",
        [...path, "differential"],
        "方案同时配置了团队提成和级差，上级将同时获得两者",
        "the plan has both team commission and a differential; uplines earn both",
      );
    }
  }
  if (Array.isArray(p.events)) {
    p.events.forEach((e, i) => {
      if (isObj(e) && typeof e.trigger === "string" && HEADCOUNT.test(e.trigger))
        headcount([...path, "events", i, "trigger"], `事件 ${e.trigger} / event ${e.trigger}`, c);
    });
  }
  if (Array.isArray(p.contests)) {
    p.contests.forEach((e, i) => {
      if (isObj(e) && typeof e.metric === "string" && HEADCOUNT.test(e.metric))
        headcount([...path, "contests", i, "metric"], `竞赛指标 ${e.metric} / contest metric ${e.metric}`, c);
    });
  }
  if (isObj(p.contributionPool) && isObj(p.contributionPool.pointsPerEvent)) {
    for (const [k, v] of Object.entries(p.contributionPool.pointsPerEvent)) {
      if (HEADCOUNT.test(k) && num(v) > 0)
        headcount([...path, "contributionPool", "pointsPerEvent", k], `贡献类型 ${k} / contribution ${k}`, c);
    }
  }
  if (Array.isArray(p.teamBonuses)) {
    p.teamBonuses.forEach((b, i) => {
      if (!isObj(b)) return;
      for (const k of Object.keys(b))
        if (HEADCOUNT.test(k)) headcount([...path, "teamBonuses", i, k], `团队奖条件 ${k} / team bonus condition ${k}`, c);
      const levels = b.levels === undefined ? 2 : num(b.levels);
      if (levels > max)
        c.error(
          "UPLINE_LEVELS_EXCEEDED",
          [...path, "teamBonuses", i, "levels"],
          `合规策略 ${policy} 最多允许 ${max} 级上级提成，团队奖统计了 ${levels} 级团队的业绩（设置 levels: ${max}）`,
          `the ${policy} compliance policy allows at most ${max} upline level(s); the team bonus counts ${levels} levels of the team's sales (set levels: ${max})`,
        );
    });
  }
  const worst = worstCaseBps(p);
  const cap = isObj(p.cap) ? p.cap : null;
  if (cap && cap.orderRateBps !== undefined && worst.bps > num(cap.orderRateBps)) {
    c.warn(
      "CAP_MAY_BE_EXCEEDED",
      [...path, "cap", "orderRateBps"],
      `一笔订单最坏情况下佣金合计可达 ${formatRate(worst.bps)}，超过封顶 ${formatRate(num(cap.orderRateBps))}；超出部分将按比例缩减`,
      `the worst-case total commission of an order is ${formatRate(worst.bps)}, above the cap of ${formatRate(num(cap.orderRateBps))}; lines will be scaled down`,
    );
  }
  if (cap && cap.marginRateBps !== undefined && cap.orderRateBps === undefined) {
    c.warn(
      "CAP_NEEDS_MARGIN",
      [...path, "cap"],
      "仅按毛利封顶：未上报毛利的订单不封顶；建议同时设置 orderRateBps",
      "capped by margin only: orders sent without a margin are not capped; also set orderRateBps",
    );
  }
  if (cap && worst.fixed) {
    c.warn(
      "CAP_AND_FIXED",
      [...path, "cap"],
      "方案含固定金额佣金，小额订单可能触发封顶缩减",
      "the plan pays fixed amounts; small orders may hit the cap and be scaled down",
    );
  }
  if (!cap && worst.bps > 0) {
    c.warn(
      "CAP_MISSING",
      [...path],
      `方案未设置单笔封顶，最坏情况下佣金合计 ${formatRate(worst.bps)}`,
      `the plan has no per-order cap; the worst case is ${formatRate(worst.bps)} of an order`,
    );
  }
}

/** Lint a plan document (raw JSON or parsed) under a compliance policy. */
export function lintPlan(doc: unknown, policy: CompliancePolicy = "standard", opts: LintOptions = {}): LintResult {
  const c = new Collector();
  findFees(doc, [], c);
  if (isObj(doc)) {
    lintBody(doc, [], policy, c);
    const exp = isObj(doc.experiment) ? doc.experiment : null;
    if (exp && Array.isArray(exp.variants)) {
      exp.variants.forEach((v, i) => {
        if (isObj(v) && isObj(v.plan)) lintBody(v.plan, ["experiment", "variants", i, "plan"], policy, c);
      });
    }
  }
  if (!opts.skipSchema) {
    const parsed = parsePlan(doc);
    if (!parsed.ok) {
      for (const i of parsed.issues) {
        if (c.errors.some((e) => i.path.startsWith(e.path) || e.path.startsWith(i.path))) continue; // already explained by a compliance error
        c.error("PLAN_INVALID", i.path.split(/\.|\[|\]/).filter(Boolean), `方案格式错误：${i.message}`, `invalid plan: ${i.message}`);
      }
    }
  }
  return { ok: c.errors.length === 0, errors: c.errors, warnings: c.warnings };
}
