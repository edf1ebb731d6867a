/** Indexes over a period's rows, built once per close and shared by the period rules. */
import { type CompiledPlan, compilePlan } from "../plan/compiled.ts";
import { planForPromoter } from "../plan/experiment.ts";
import type { PlanBody } from "../plan/schema.ts";
import type { ClosePeriodInput, PeriodLine, PeriodSale, TreePromoter } from "./types.ts";

export const ORDER_TIME_KINDS: ReadonlySet<string> = new Set(["sale", "team", "differential", "referral"]);

/**
 * What the rules need to know of the whole period, whichever of its sales a state holds: the team tree and per-seller
 * totals, O(promoters). A caller that streams a large period builds it first (periodTotalsFrom) and then closes the
 * period's sellers a part at a time against it (close.ts).
 */
export interface PeriodTotals {
  promoters: Map<string, TreePromoter>;
  /** inviter id → direct invitees, in input order. */
  invitees: Map<string, string[]>;
  /** Net sales of every seller with a sale in the period (refunds before close count, P5). */
  netSales: Map<string, number>;
  totalNetSales: number;
  /** Per seller: its orders and distinct customers with something left (remaining > 0), the contest metrics (P14). */
  sellerMetrics: Map<string, { orders: number; customers: number }>;
}

export interface CloseState extends PeriodTotals {
  input: ClosePeriodInput;
  /** The sales this state holds, by seller, in paid time order. */
  salesBySeller: Map<string, PeriodSale[]>;
  saleByLine: Map<string, PeriodSale>;
  /** Order-time lines only (anything else in the input is ignored, so closing twice equals closing once). */
  lines: PeriodLine[];
  planOf(promoterId: string): { body: PlanBody; cp: CompiledPlan };
}

function treeOf(list: readonly TreePromoter[]): Pick<PeriodTotals, "promoters" | "invitees"> {
  const promoters = new Map<string, TreePromoter>();
  const invitees = new Map<string, string[]>();
  for (const p of list) promoters.set(p.promoterId, p);
  for (const p of list) {
    if (p.inviterId === null) continue;
    const had = invitees.get(p.inviterId);
    if (had) had.push(p.promoterId);
    else invitees.set(p.inviterId, [p.promoterId]);
  }
  return { promoters, invitees };
}

/** The period's totals from all of its sales. */
export function periodTotals(promoters: readonly TreePromoter[], sales: readonly PeriodSale[]): PeriodTotals {
  const netSales = new Map<string, number>();
  const orders = new Map<string, Set<string>>();
  const customers = new Map<string, Set<string>>();
  let totalNetSales = 0;
  for (const s of sales) {
    netSales.set(s.sellerId, (netSales.get(s.sellerId) ?? 0) + s.remainingAmountMinor);
    totalNetSales += s.remainingAmountMinor;
    let o = orders.get(s.sellerId);
    let c = customers.get(s.sellerId);
    if (!o || !c) {
      o = new Set();
      c = new Set();
      orders.set(s.sellerId, o);
      customers.set(s.sellerId, c);
    }
    if (s.remainingAmountMinor <= 0) continue;
    o.add(s.orderId);
    c.add(s.customerRef);
  }
  const sellerMetrics = new Map<string, { orders: number; customers: number }>();
  for (const [id, o] of orders) sellerMetrics.set(id, { orders: o.size, customers: customers.get(id)?.size ?? 0 });
  return { ...treeOf(promoters), netSales, totalNetSales, sellerMetrics };
}

/** One seller's totals, as a caller that streams the period reads them from storage. */
export interface SellerTotal {
  sellerId: string;
  netSalesMinor: number;
  /** Orders and distinct customers with something left (remaining > 0). */
  orders: number;
  customers: number;
}

/** The period's totals from per-seller totals (every seller with a sale in the period, once). */
export function periodTotalsFrom(promoters: readonly TreePromoter[], sellers: Iterable<SellerTotal>): PeriodTotals {
  const netSales = new Map<string, number>();
  const sellerMetrics = new Map<string, { orders: number; customers: number }>();
  let totalNetSales = 0;
  for (const t of sellers) {
    netSales.set(t.sellerId, t.netSalesMinor);
    sellerMetrics.set(t.sellerId, { orders: t.orders, customers: t.customers });
    totalNetSales += t.netSalesMinor;
  }
  return { ...treeOf(promoters), netSales, totalNetSales, sellerMetrics };
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

/**
 * The state the rules read: `input.sales` and `input.lines` indexed, against `totals` — the whole period's, when the
 * input holds only some sellers' sales (and every order-time line of their orders); by default the input's own.
 */
export function buildCloseState(input: ClosePeriodInput, totals: PeriodTotals = periodTotals(input.promoters, input.sales)): CloseState {
  const salesBySeller = new Map<string, PeriodSale[]>();
  const saleByLine = new Map<string, PeriodSale>();
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
    saleByLine.set(lineKey(s.orderId, s.lineNo), s);
  }
  const cache = new Map<string, { body: PlanBody; cp: CompiledPlan }>();
  // without an experiment every promoter has the document's own rules: one entry for all
  let shared: { body: PlanBody; cp: CompiledPlan } | null = null;
  return {
    ...totals,
    input,
    salesBySeller,
    saleByLine,
    lines: input.lines.filter((l) => ORDER_TIME_KINDS.has(l.kind)),
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
export function teamOf(s: CloseState, leaderId: string, levels: 1 | 2 = 2): string[] {
  const out: string[] = [];
  for (const a of s.invitees.get(leaderId) ?? []) {
    out.push(a);
    if (levels === 2) for (const b of s.invitees.get(a) ?? []) out.push(b);
  }
  return out;
}
