/**
 * P7 at close: an upline keeps the period's team (and differential) commission only if its own net sales reach the
 * threshold. Otherwise its lines are forfeited (a negative record tied to the order line), or, under `onFail:
 * "compress"`, the seller's chain is compressed on that order line: the unqualified upline is taken out, the uplines
 * above it shift down one level each, and each order-time level's amount goes to the upline that now holds that level
 * (see compressionOf). At most two levels are paid on an order line and no upline holds two of them.
 */
import type { Minor } from "../../money/money.ts";
import { QualificationSchema, UPLINE_LEVELS_MAX } from "../../plan/schema.ts";
import { type CloseState, lineKey } from "../state.ts";
import type { PeriodAdjustment, PeriodLine } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

/**
 * Most uplines above a seller that compression looks through to find the two it pays (house rule 5): a chain of more
 * unqualified uplines than this leaves the levels past them unpaid.
 */
export const COMPRESSION_UPLINES_MAX = 16;

export const qualificationRule: PeriodRule = {
  type: "qualification",
  configSchema: QualificationSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const compression = compressionOf(s);
    for (const l of s.lines) {
      if (!isUplineLine(l) || compression.has(groupKey(l))) continue;
      const q = forfeitedBy(s, l.beneficiaryId);
      if (!q) continue;
      const f = forfeitRecord(s, l, q);
      if (f) adjustments.push(f);
    }
    for (const g of compression.values()) for (const a of compressRecords(s, g)) adjustments.push(a);
    adjustments.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { adjustments };
  },
};

/** An upline's order-time line that P7 checks: team and differential lines above the seller. */
function isUplineLine(l: PeriodLine): boolean {
  return l.level > 0 && (l.kind === "team" || l.kind === "differential");
}

/** The order line and kind an upline line belongs to: compression reassigns the levels of each such group. */
function groupKey(l: PeriodLine): string {
  return `${lineKey(l.orderId, l.lineNo)}|${l.kind}`;
}

/** Does the promoter qualify for team commission this period (P7): active, and its own net sales reach the plan's threshold if there is one. */
export function teamQualified(s: CloseState, id: string): boolean {
  const q = s.planOf(id).body.team?.qualification;
  const p = s.promoters.get(id);
  return (p?.status ?? "active") === "active" && (!q || (s.netSales.get(id) ?? 0) >= q.ownSalesAtLeastMinor);
}

/** The upline's threshold when its team lines are forfeited this period (own net sales below it), else null. */
export function forfeitedBy(s: CloseState, uplineId: string): { ownSalesAtLeastMinor: number; onFail: string } | null {
  const q = s.planOf(uplineId).body.team?.qualification;
  return q && (s.netSales.get(uplineId) ?? 0) < q.ownSalesAtLeastMinor ? q : null;
}

/**
 * The seller's compressed chain: its uplines nearest first with those below the threshold taken out, at most two (the
 * level-1 and level-2 holders). An upline that is not active keeps its place (as at order time) but is paid nothing.
 * The walk follows the inviter tree past level 2, stops at the top, at a loop, or after COMPRESSION_UPLINES_MAX uplines.
 */
export function compressedChain(s: CloseState, sellerId: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>([sellerId]);
  let cur = s.promoters.get(sellerId)?.inviterId ?? null;
  for (let i = 0; cur !== null && i < COMPRESSION_UPLINES_MAX && chain.length < UPLINE_LEVELS_MAX; i++) {
    if (seen.has(cur)) break;
    seen.add(cur);
    if (!forfeitedBy(s, cur)) chain.push(cur);
    cur = s.promoters.get(cur)?.inviterId ?? null;
  }
  return chain;
}

/** One compressed order line and kind: its order-time upline lines and who holds each level now. */
export interface CompressedGroup {
  lines: PeriodLine[];
  /** holders[k - 1]: the upline that holds level k on this order line after compression, or null when no one does. */
  holders: (string | null)[];
}

const compressions = new WeakMap<CloseState, Map<string, CompressedGroup>>();

/**
 * The order lines (per kind) that compression reassigns: those where an upline line belongs to an upline below the
 * threshold whose plan compresses. Built once per close and shared by this rule and the P5/P6 true-ups (./tiers.ts).
 */
export function compressionOf(s: CloseState): Map<string, CompressedGroup> {
  const hit = compressions.get(s);
  if (hit) return hit;
  const groups = new Map<string, CompressedGroup>();
  for (const l of s.lines) {
    if (isUplineLine(l) && forfeitedBy(s, l.beneficiaryId)?.onFail === "compress") groups.set(groupKey(l), { lines: [], holders: [] });
  }
  if (groups.size > 0) {
    const chains = new Map<string, string[]>();
    for (const l of s.lines) {
      const g = isUplineLine(l) ? groups.get(groupKey(l)) : undefined;
      if (!g) continue;
      if (g.lines.length === 0) {
        let chain = chains.get(l.sellerId);
        if (!chain) {
          chain = compressedChain(s, l.sellerId);
          chains.set(l.sellerId, chain);
        }
        g.holders = [chain[0] ?? null, chain[1] ?? null];
      }
      g.lines.push(l);
    }
  }
  compressions.set(s, groups);
  return groups;
}

/**
 * Who is paid an upline line this period: its holder after compression (when its order line is compressed), else its
 * own upline; in both cases only if that upline qualifies (active, threshold reached). Null: no one.
 */
export function lineRecipient(s: CloseState, l: PeriodLine): LineRecipient | null {
  const g = compressionOf(s).get(groupKey(l));
  const to = g ? (g.holders[l.level - 1] ?? null) : l.beneficiaryId;
  if (to === null || !teamQualified(s, to)) return null;
  const moved = to === l.beneficiaryId ? null : forfeitedBy(s, l.beneficiaryId) ? "unqualified" : "shifted";
  return { to, level: l.level as 1 | 2, moved };
}

export interface LineRecipient {
  to: string;
  level: 1 | 2;
  /** Why the line is paid to another upline: its own is below the threshold, or it qualifies but shifted to a lower level. */
  moved: "unqualified" | "shifted" | null;
}

function lineBase(s: CloseState, l: PeriodLine): number | null {
  const sale = l.lineNo === null ? undefined : s.saleByLine.get(lineKey(l.orderId, l.lineNo));
  return sale?.remainingAmountMinor ?? null;
}

/** The reversal of an unqualified upline's line, or null when nothing of it is left. */
function forfeitRecord(s: CloseState, l: PeriodLine, q: { ownSalesAtLeastMinor: number; onFail: string }): PeriodAdjustment | null {
  const net = l.amountMinor - l.reversedMinor;
  if (net === 0) return null;
  const pk = s.input.period.key;
  const base = lineBase(s, l);
  return {
    key: `${pk}:qualification_forfeit:${l.beneficiaryId}:${l.kind}:${lineKey(l.orderId, l.lineNo)}`,
    periodKey: pk,
    orderId: l.orderId,
    refundBaseMinor: base,
    beneficiaryId: l.beneficiaryId,
    level: l.level,
    kind: "qualification_forfeit",
    lineNo: l.lineNo,
    baseMinor: net as Minor,
    amountMinor: -net as Minor,
    trace: {
      rule: "qualification_forfeit",
      periodKey: pk,
      baseMinor: net,
      level: l.level,
      ownSalesMinor: s.netSales.get(l.beneficiaryId) ?? 0,
      thresholdMinor: q.ownSalesAtLeastMinor,
      onFail: q.onFail,
      lineAmountMinor: base,
    },
  };
}

/**
 * The records of one compressed order line: each order-time level whose holder changed is taken from its upline (a
 * forfeit when that upline is below the threshold, a `qualification_shift` when it qualifies but now holds a lower
 * level or none) and paid, at the same amount, to the level's new holder (`qualification_compress`) if it qualifies.
 */
function* compressRecords(s: CloseState, g: CompressedGroup): Generator<PeriodAdjustment> {
  const pk = s.input.period.key;
  for (const l of g.lines) {
    const holder = g.holders[l.level - 1] ?? null;
    if (holder === l.beneficiaryId) continue;
    const net = l.amountMinor - l.reversedMinor;
    if (net === 0) continue;
    const q = forfeitedBy(s, l.beneficiaryId);
    const lk = lineKey(l.orderId, l.lineNo);
    const base = lineBase(s, l);
    const common = { periodKey: pk, orderId: l.orderId, refundBaseMinor: base, lineNo: l.lineNo, baseMinor: net as Minor };
    if (q) yield forfeitRecord(s, l, q) as PeriodAdjustment;
    else {
      const toLevel = g.holders.indexOf(l.beneficiaryId) + 1;
      yield {
        ...common,
        key: `${pk}:qualification_shift:${l.beneficiaryId}:${l.kind}:${lk}`,
        beneficiaryId: l.beneficiaryId,
        level: l.level,
        kind: "qualification_shift",
        amountMinor: -net as Minor,
        trace: {
          rule: "qualification_shift",
          periodKey: pk,
          baseMinor: net,
          level: l.level,
          toLevel: toLevel === 0 ? null : toLevel,
          lineAmountMinor: base,
        },
      };
    }
    if (holder === null || !teamQualified(s, holder)) continue;
    yield {
      ...common,
      key: `${pk}:qualification_compress:${holder}:${l.beneficiaryId}:${l.kind}:${lk}`,
      beneficiaryId: holder,
      level: l.level,
      kind: "qualification_compress",
      amountMinor: net as Minor,
      trace: {
        rule: "qualification_compress",
        periodKey: pk,
        baseMinor: net,
        level: l.level,
        fromPromoterId: l.beneficiaryId,
        fromLevel: l.level,
        reason: q ? "unqualified" : "shifted",
        lineAmountMinor: base,
      },
    };
  }
}
