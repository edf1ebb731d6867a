/** Indexes over a period's rows, built once per close and shared by the period rules. */
import { type CompiledPlan, compilePlan } from "../plan/compiled.ts";
import { planForPromoter } from "../plan/experiment.ts";
import type { PlanBody } from "../plan/schema.ts";
import type { ClosePeriodInput, PeriodLine, PeriodSale, TreePromoter } from "./types.ts";

export const ORDER_TIME_KINDS: ReadonlySet<string> = new Set(["sale", "team", "differential", "referral"]);

export interface CloseState {
  input: ClosePeriodInput;
  promoters: Map<string, TreePromoter>;
  /** inviter id → direct invitees, in input order. */
  invitees: Map<string, string[]>;
  salesBySeller: Map<string, PeriodSale[]>;
  netSales: Map<string, number>;
  saleByLine: Map<string, PeriodSale>;
  /** Order-time lines only (anything else in the input is ignored, so closing twice equals closing once). */
  lines: PeriodLine[];
  totalNetSales: number;
  planOf(promoterId: string): { body: PlanBody; cp: CompiledPlan };
}

/**
 * P20 at close: the experiment cohort a promoter belongs to — its variant's key, or "" when the plan has no experiment
 * (then everyone is in one cohort under the document's own rules). Rules that compare or pool promoters (contests,
 * the contribution pool) run once per cohort, under that cohort's plan, so that variants never compete with or fund
 * each other.
 */
export function cohortOf(s: CloseState, promoterId: string): string {
  return s.input.plan.experiment ? (planForPromoter(s.input.plan, promoterId).variant?.key ?? "") : "";
}

/** Group ids by cohort (cohorts in key order, ids in input order within each). */
export function byCohort<T>(s: CloseState, items: Iterable<T>, idOf: (t: T) => string): { cohort: string; plan: PlanBody; items: T[] }[] {
  const groups = new Map<string, { plan: PlanBody; items: T[] }>();
  for (const it of items) {
    const id = idOf(it);
    const key = cohortOf(s, id);
    let g = groups.get(key);
    if (!g) {
      g = { plan: s.planOf(id).body, items: [] };
      groups.set(key, g);
    }
    g.items.push(it);
  }
  return [...groups.keys()].sort().map((cohort) => ({ cohort, ...(groups.get(cohort) as { plan: PlanBody; items: T[] }) }));
}

export function lineKey(orderId: string, lineNo: number | null): string {
  return `${orderId}#${lineNo ?? "-"}`;
}

export function buildCloseState(input: ClosePeriodInput): CloseState {
  const promoters = new Map<string, TreePromoter>();
  const invitees = new Map<string, string[]>();
  for (const p of input.promoters) promoters.set(p.promoterId, p);
  for (const p of input.promoters) {
    if (p.inviterId === null) continue;
    const list = invitees.get(p.inviterId);
    if (list) list.push(p.promoterId);
    else invitees.set(p.inviterId, [p.promoterId]);
  }
  const salesBySeller = new Map<string, PeriodSale[]>();
  const netSales = new Map<string, number>();
  const saleByLine = new Map<string, PeriodSale>();
  let totalNetSales = 0;
  // paid time, then order, then line; instants parsed once per sale, not twice per comparison
  const sales = input.sales;
  const paidMs = new Float64Array(sales.length);
  for (let i = 0; i < sales.length; i++) paidMs[i] = Date.parse((sales[i] as PeriodSale).paidAt);
  const order = Array.from({ length: sales.length }, (_, i) => i).sort((i, j) => {
    const a = sales[i] as PeriodSale;
    const b = sales[j] as PeriodSale;
    return a.paidAt === b.paidAt
      ? a.orderId === b.orderId
        ? a.lineNo - b.lineNo
        : a.orderId < b.orderId
          ? -1
          : 1
      : (paidMs[i] as number) - (paidMs[j] as number);
  });
  for (const i of order) {
    const s = sales[i] as PeriodSale;
    const list = salesBySeller.get(s.sellerId);
    if (list) list.push(s);
    else salesBySeller.set(s.sellerId, [s]);
    netSales.set(s.sellerId, (netSales.get(s.sellerId) ?? 0) + s.remainingAmountMinor);
    saleByLine.set(lineKey(s.orderId, s.lineNo), s);
    totalNetSales += s.remainingAmountMinor;
  }
  const cache = new Map<string, { body: PlanBody; cp: CompiledPlan }>();
  // without an experiment every promoter has the document's own rules: one entry for all
  let shared: { body: PlanBody; cp: CompiledPlan } | null = null;
  return {
    input,
    promoters,
    invitees,
    salesBySeller,
    netSales,
    saleByLine,
    lines: input.lines.filter((l) => ORDER_TIME_KINDS.has(l.kind)),
    totalNetSales,
    planOf(promoterId: string) {
      if (!input.plan.experiment) {
        if (!shared) {
          const body = planForPromoter(input.plan, promoterId).plan;
          shared = { body, cp: compilePlan(body) };
        }
        return shared;
      }
      let hit = cache.get(promoterId);
      if (!hit) {
        const body = planForPromoter(input.plan, promoterId).plan;
        hit = { body, cp: compilePlan(body) };
        cache.set(promoterId, hit);
      }
      return hit;
    },
  };
}

/** Level-1 and level-2 invitees of a leader (the team of P13). */
export function teamOf(s: CloseState, leaderId: string): string[] {
  const out: string[] = [];
  for (const a of s.invitees.get(leaderId) ?? []) {
    out.push(a);
    for (const b of s.invitees.get(a) ?? []) out.push(b);
  }
  return out;
}
