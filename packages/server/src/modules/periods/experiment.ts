/** P20: per-variant KPIs of the experiment in the plan in force: promoters, active promoters, sales, commission cost, ROI. */
import { mulDiv, parsePlan, planForPromoter } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { type Program, planInForce } from "../programs/repository.ts";

export async function experimentKpis(q: Sql, program: Program, now: Date, range: { from?: string; to?: string }) {
  const version = await planInForce(q, program.merchantId, program.id, now);
  if (!version) fail("NO_PLAN_IN_FORCE");
  const parsed = parsePlan(version.document);
  if (!parsed.ok) throw new Error(`stored plan version ${version.version} no longer parses`);
  const exp = parsed.plan.experiment;
  if (!exp) fail("NOT_FOUND", "The plan in force has no experiment.");
  const from = range.from ? new Date(range.from) : new Date(0);
  const to = range.to ? new Date(range.to) : now;
  const members = await q.query<{ promoter_id: string }>("SELECT promoter_id FROM memberships WHERE merchant_id = $1 AND program_id = $2", [
    program.merchantId,
    program.id,
  ]);
  const sales = await q.query<{ promoter_id: string; orders: number; net: number }>(
    `SELECT promoter_id, count(*)::int AS orders, sum(amount_minor - refunded_minor)::bigint AS net FROM orders
     WHERE merchant_id = $1 AND program_id = $2 AND promoter_id IS NOT NULL AND status <> 'cancelled' AND paid_at >= $3 AND paid_at < $4 GROUP BY promoter_id`,
    [program.merchantId, program.id, from, to],
  );
  const cost = await q.query<{ promoter_id: string; cost: number }>(
    `SELECT o.promoter_id, sum(cl.amount_minor - cl.reversed_minor)::bigint AS cost FROM commission_lines cl
     JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
     WHERE cl.merchant_id = $1 AND cl.program_id = $2 AND o.paid_at >= $3 AND o.paid_at < $4 GROUP BY o.promoter_id`,
    [program.merchantId, program.id, from, to],
  );
  const variants = new Map(
    exp.variants.map((v) => [
      v.key,
      { key: v.key, weightBps: v.weightBps, promoters: 0, activePromoters: 0, orders: 0, salesMinor: 0, commissionMinor: 0 },
    ]),
  );
  const variantOf = new Map(members.map((m) => [m.promoter_id, planForPromoter(parsed.plan, m.promoter_id).variant?.key ?? ""]));
  for (const m of members) {
    const v = variants.get(variantOf.get(m.promoter_id) ?? "");
    if (v) v.promoters++;
  }
  for (const s of sales) {
    const v = variants.get(variantOf.get(s.promoter_id) ?? "");
    if (!v) continue;
    v.activePromoters++;
    v.orders += Number(s.orders);
    v.salesMinor += Number(s.net);
  }
  for (const c of cost) {
    const v = variants.get(variantOf.get(c.promoter_id) ?? "");
    if (v) v.commissionMinor += Number(c.cost);
  }
  return {
    experimentId: exp.id,
    planVersion: version.version,
    from: from.toISOString(),
    to: to.toISOString(),
    variants: [...variants.values()].map((v) => ({
      ...v,
      costRatioBps: v.salesMinor > 0 ? mulDiv(v.commissionMinor, 10_000, v.salesMinor, "half-even") : 0,
      roiX100: v.commissionMinor > 0 ? mulDiv(v.salesMinor, 100, v.commissionMinor, "half-even") : null,
    })),
  };
}
