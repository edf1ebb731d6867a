/**
 * P14 at close: the top N active promoters by a metric (net sales, orders, or distinct customers), optionally within rank
 * groups, win fixed prizes. Ties break deterministically: higher net sales, then earlier joinedAt, then promoter id.
 * Under an experiment (P20) each variant's cohort runs its own plan's contests among its own promoters.
 */
import type { Minor } from "../../money/money.ts";
import { ContestSchema } from "../../plan/schema.ts";
import { byCohort, type CloseState } from "../state.ts";
import type { PeriodAdjustment } from "../types.ts";
import type { PeriodRule, PeriodRuleOutput } from "./rule.ts";

export const contestRule: PeriodRule = {
  type: "contest",
  configSchema: ContestSchema,
  evaluate(s: CloseState): PeriodRuleOutput {
    const adjustments: PeriodAdjustment[] = [];
    const doc = s.input.plan;
    if (!(doc.contests?.length || doc.experiment?.variants.some((v) => v.plan?.contests?.length))) return { adjustments };
    const pk = s.input.period.key;
    const experiment = doc.experiment !== undefined;
    // the whole period's per-seller totals (a streamed close holds only some sellers' sales at a time)
    const metrics = new Map<string, { sales: number; orders: number; customers: number }>();
    for (const [id, m] of s.sellerMetrics) metrics.set(id, { sales: s.netSales.get(id) ?? 0, orders: m.orders, customers: m.customers });
    // Each experiment cohort runs its own plan's contests among its own promoters (one cohort without an experiment).
    for (const { cohort, plan, items: members } of byCohort(s, s.input.promoters, (p) => p.promoterId)) {
      for (const c of plan.contests ?? []) {
        const groups = new Map<string, { id: string; v: number; sales: number; joined: number }[]>();
        for (const p of members) {
          if (p.status !== "active") continue;
          const m = metrics.get(p.promoterId);
          const v = m ? m[c.metric] : 0;
          if (v < c.minMetric || v <= 0) continue;
          const g = c.byRank ? (p.rank ?? "") : "";
          const arr = groups.get(g) ?? [];
          arr.push({ id: p.promoterId, v, sales: m?.sales ?? 0, joined: Date.parse(p.joinedAt) });
          groups.set(g, arr);
        }
        for (const g of [...groups.keys()].sort()) {
          const ranked = (groups.get(g) ?? []).sort(
            (a, b) => b.v - a.v || b.sales - a.sales || a.joined - b.joined || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          );
          ranked.slice(0, c.prizesMinor.length).forEach((r, i) => {
            const prize = c.prizesMinor[i] ?? 0;
            if (prize === 0) return;
            adjustments.push({
              key: `${pk}:contest:${c.id}:${r.id}`,
              periodKey: pk,
              orderId: null,
              refundBaseMinor: null,
              beneficiaryId: r.id,
              level: 0,
              kind: "contest",
              lineNo: null,
              baseMinor: r.sales as Minor,
              amountMinor: prize as Minor,
              trace: {
                rule: "contest",
                periodKey: pk,
                contestId: c.id,
                baseMinor: r.sales,
                fixedMinor: prize,
                metric: c.metric,
                value: r.v,
                place: i + 1,
                group: c.byRank ? g : null,
                ...(experiment ? { variant: cohort } : {}),
              },
            });
          });
        }
      }
    }
    return { adjustments };
  },
};
