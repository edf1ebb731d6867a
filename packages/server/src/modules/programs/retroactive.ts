/**
 * Publishing a plan into the past (effectiveFrom before now): the new version would re-price orders already paid since
 * then — what period close trues up and what a replay recomputes — without anyone asking for it. Such a publish is
 * refused unless the merchant asks for it explicitly with a reason (audited), and never reaches into a closed period.
 * The impact is a what-if over the orders paid since effectiveFrom: the plan in force now against the version published.
 */
import { type PlanDocument, parsePlan, plan, simulatePlans } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { historyScenario } from "../periods/simulate.ts";
import { type Program, planInForce } from "./repository.ts";

/** How far before now an effectiveFrom still counts as "now" (clock skew between the merchant and the server). */
export const PLAN_EFFECTIVE_FROM_TOLERANCE_MS = 5 * 60_000;

const NO_PLAN: PlanDocument = plan({ version: 1 });

export interface RetroactiveImpact {
  effectiveFrom: string;
  now: string;
  toleranceMs: number;
  /** effectiveFrom is more than the tolerance before now. */
  retroactive: boolean;
  /** Orders of the program paid at or after effectiveFrom (the ones the version would re-price). */
  ordersPaidSince: number;
  /** The latest closed period that ends after effectiveFrom, when there is one (a publish can never reach into it). */
  closedPeriodKey: string | null;
  /** What-if over those orders: the plan in force now (currentVersion, null when none) against the version published. */
  whatIf: (ReturnType<typeof simulatePlans> & { currentVersion: number | null; orders: number }) | null;
}

/** The impact of publishing `document` in force from `effectiveFrom`, as of `now`. Reads only. */
export async function retroactiveImpact(
  q: Sql,
  program: Program,
  document: unknown,
  effectiveFrom: Date,
  now: Date,
): Promise<RetroactiveImpact> {
  const base = {
    effectiveFrom: effectiveFrom.toISOString(),
    now: now.toISOString(),
    toleranceMs: PLAN_EFFECTIVE_FROM_TOLERANCE_MS,
  };
  if (effectiveFrom.getTime() >= now.getTime() - PLAN_EFFECTIVE_FROM_TOLERANCE_MS)
    return { ...base, retroactive: false, ordersPaidSince: 0, closedPeriodKey: null, whatIf: null };
  const M = program.merchantId;
  const [n] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1 AND program_id = $2 AND paid_at >= $3",
    [M, program.id, effectiveFrom],
  );
  const ordersPaidSince = Number(n?.n ?? 0);
  const [closed] = await q.query<{ period_key: string }>(
    "SELECT period_key FROM period_closes WHERE merchant_id = $1 AND program_id = $2 AND ends_at > $3 ORDER BY ends_at DESC LIMIT 1",
    [M, program.id, effectiveFrom],
  );
  let whatIf: RetroactiveImpact["whatIf"] = null;
  if (ordersPaidSince > 0) {
    const draft = parsePlan(document);
    if (!draft.ok) fail("PLAN_INVALID", undefined, { issues: draft.issues });
    const current = await planInForce(q, M, program.id, now);
    const cur = current ? parsePlan(current.document) : { ok: true as const, plan: NO_PLAN };
    if (!cur.ok) throw new Error(`stored plan version ${current?.version} no longer parses`);
    const history = await historyScenario(q, program, now, { from: effectiveFrom.toISOString(), to: now.toISOString() });
    whatIf = {
      currentVersion: current?.version ?? null,
      orders: history.events.filter((e) => e.type === "order_paid").length,
      ...simulatePlans(history, cur.plan, draft.plan),
    };
  }
  return { ...base, retroactive: true, ordersPaidSince, closedPeriodKey: closed?.period_key ?? null, whatIf };
}

/**
 * Refuse a retroactive publish that would re-price paid orders: always when it reaches into a closed period, otherwise
 * unless asked for explicitly (`allowRetroactive` with a reason). A past effectiveFrom with no order paid since changes
 * nothing and passes. Returns whether the publish is retroactive over paid orders (to be audited as such).
 */
export function checkRetroactive(impact: RetroactiveImpact, allowRetroactive: boolean): boolean {
  if (!impact.retroactive || impact.ordersPaidSince === 0) return false;
  const summary = impact.whatIf && {
    currentVersion: impact.whatIf.currentVersion,
    orders: impact.whatIf.orders,
    current: impact.whatIf.current,
    draft: impact.whatIf.draft,
    deltaCostMinor: impact.whatIf.deltaCostMinor,
    largestGains: impact.whatIf.largestGains,
    largestLosses: impact.whatIf.largestLosses,
  };
  const details = {
    field: "effectiveFrom",
    effectiveFrom: impact.effectiveFrom,
    now: impact.now,
    toleranceMs: impact.toleranceMs,
    ordersPaidSince: impact.ordersPaidSince,
    closedPeriodKey: impact.closedPeriodKey,
    whatIf: summary,
  };
  if (impact.closedPeriodKey !== null) {
    const message = `effectiveFrom: ${impact.effectiveFrom} is before the end of the closed period ${impact.closedPeriodKey}; a plan version can reach back only into open periods`;
    fail("PLAN_RETROACTIVE", message, { ...details, issues: [{ path: "effectiveFrom", message }] });
  }
  if (!allowRetroactive) {
    const message = `effectiveFrom: ${impact.effectiveFrom} is in the past and ${impact.ordersPaidSince} paid order(s) since then would be re-priced by this version; publish from now, or send "allowRetroactive": true with a "reason" (see details.whatIf, or POST …/publish-preview)`;
    fail("PLAN_RETROACTIVE", message, { ...details, issues: [{ path: "effectiveFrom", message }] });
  }
  return true;
}
