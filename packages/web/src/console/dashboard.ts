/** Dashboard figures computed from the list endpoints (orders, commission lines, promoters). Integer fen throughout. */
import type { CommissionLine, Order, Promoter } from "../api/types.ts";
import { dayKey, ratioBps, roiX100 } from "../lib/format.ts";

export const DASHBOARD_DAYS = 60;
export const TOP_PROMOTERS = 10;
const DAY_MS = 86_400_000;

export interface TopPromoter {
  promoterId: string;
  name: string;
  code: string;
  orders: number;
  salesMinor: number;
  commissionMinor: number;
}

export interface DashboardFigures {
  promoters: number;
  activePromoters: number;
  orders: number;
  salesMinor: number;
  commissionMinor: number;
  costRatioBps: number;
  roiX100: number | null;
  pendingMinor: number;
  availableMinor: number;
  days: string[];
  dailySalesMinor: number[];
  dailyCommissionMinor: number[];
  top: TopPromoter[];
}

/** The first instant counted: `days` calendar days back from now (inclusive of today). */
export function windowStart(nowMs: number, days = DASHBOARD_DAYS): number {
  return nowMs - days * DAY_MS;
}

/** Calendar days (YYYY-MM-DD in the time zone) of the window, oldest first. */
export function windowDays(nowMs: number, timeZone: string, days = DASHBOARD_DAYS): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const k = dayKey(nowMs - i * DAY_MS, timeZone);
    if (out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

export function computeDashboard(input: {
  orders: Order[];
  lines: CommissionLine[];
  promoters: Promoter[];
  nowMs: number;
  timeZone: string;
  days?: number;
}): DashboardFigures {
  const days = windowDays(input.nowMs, input.timeZone, input.days);
  const index = new Map(days.map((d, i) => [d, i]));
  const dailySalesMinor = days.map(() => 0);
  const dailyCommissionMinor = days.map(() => 0);
  const per = new Map<string, { orders: number; salesMinor: number; commissionMinor: number }>();
  const stat = (id: string) => {
    let s = per.get(id);
    if (!s) {
      s = { orders: 0, salesMinor: 0, commissionMinor: 0 };
      per.set(id, s);
    }
    return s;
  };

  let orders = 0;
  let salesMinor = 0;
  for (const o of input.orders) {
    if (o.status === "cancelled") continue;
    const net = o.amountMinor - o.refundedMinor;
    orders += 1;
    salesMinor += net;
    const i = index.get(dayKey(o.paidAt, input.timeZone));
    if (i !== undefined) dailySalesMinor[i] = (dailySalesMinor[i] ?? 0) + net;
    if (o.promoterId) {
      const s = stat(o.promoterId);
      s.orders += 1;
      s.salesMinor += net;
    }
  }

  let commissionMinor = 0;
  for (const l of input.lines) {
    commissionMinor += l.netMinor;
    const i = index.get(dayKey(l.createdAt, input.timeZone));
    if (i !== undefined) dailyCommissionMinor[i] = (dailyCommissionMinor[i] ?? 0) + l.netMinor;
    stat(l.beneficiaryId).commissionMinor += l.netMinor;
  }

  const byId = new Map(input.promoters.map((p) => [p.promoterId, p]));
  const top = [...per.entries()]
    .filter(([, s]) => s.orders > 0)
    .sort((a, b) => b[1].salesMinor - a[1].salesMinor || a[0].localeCompare(b[0]))
    .slice(0, TOP_PROMOTERS)
    .map(([id, s]) => ({ promoterId: id, name: byId.get(id)?.name ?? id, code: byId.get(id)?.code ?? "", ...s }));

  return {
    promoters: input.promoters.length,
    activePromoters: [...per.values()].filter((s) => s.orders > 0).length,
    orders,
    salesMinor,
    commissionMinor,
    costRatioBps: ratioBps(commissionMinor, salesMinor),
    roiX100: roiX100(salesMinor, commissionMinor),
    pendingMinor: input.promoters.reduce((a, p) => a + p.pendingMinor, 0),
    availableMinor: input.promoters.reduce((a, p) => a + p.availableMinor, 0),
    days,
    dailySalesMinor,
    dailyCommissionMinor,
    top,
  };
}
