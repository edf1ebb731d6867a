/**
 * The dashboard's figures come from the analytics endpoints (docs/analytics.md): the server computes them in SQL over
 * the program and the period; this file only names their shapes, picks the default period and lays the cards out.
 */
import { dayKey } from "../lib/format.ts";

export const DEFAULT_DAYS = 30;
export const TOP_LIMIT = 10;
const DAY_MS = 86_400_000;

export type Granularity = "day" | "week" | "month";

export interface Filter {
  from: string;
  to: string;
  granularity: Granularity;
}

export interface Baseline {
  dailySalesMinor: number;
  note: string | null;
  recordedAt: string;
}

export interface AnalyticsSummary {
  programId: string;
  currency: string;
  timezone: string;
  from: string;
  to: string;
  days: number;
  orders: number;
  salesMinor: number;
  unattributedOrders: number;
  unattributedSalesMinor: number;
  commissionMinor: number;
  costRatioBps: number | null;
  activePromoters: number;
  participatingPromoters: number;
  participationBps: number | null;
  referredCustomers: number;
  referredPerPromoterMonthX100: number | null;
  roiX100: number | null;
  incrementalRoiX100: number | null;
  baseline: Baseline | null;
}

export interface TrendBucket {
  bucket: string;
  orders: number;
  salesMinor: number;
  unattributedSalesMinor: number;
  commissionMinor: number;
}

export interface TopPromoter {
  promoterId: string;
  name: string;
  code: string | null;
  orders: number;
  customers: number;
  salesMinor: number;
  commissionMinor: number;
}

export interface TopProduct {
  productId: string;
  name: string | null;
  quantity: number;
  orders: number;
  salesMinor: number;
}

export interface ChannelRow {
  channel: string;
  customers: number;
  orders: number;
  clickOrders: number;
  salesMinor: number;
}

export interface Funnel {
  clicks: number;
  clickCustomers: number;
  clickCustomersOrdered: number;
  orderCustomers: number;
  orders: number;
  clickToCustomerBps: number | null;
  clickCustomerOrderBps: number | null;
  byChannel: ChannelRow[];
}

export type AnalyticsAlert =
  | { kind: "target"; metric: string; value: number; target: number }
  | { kind: "swing"; metric: string; value: number | null; previous: number; changeBps: number; direction: "up" | "down" };

/** The last `days` calendar days of the program's time zone, today included. */
export function defaultFilter(nowMs: number, timeZone: string, days = DEFAULT_DAYS): Filter {
  return { from: dayKey(nowMs - (days - 1) * DAY_MS, timeZone), to: dayKey(nowMs, timeZone), granularity: "day" };
}

/** The query every analytics call of one filter sends. */
export function periodQuery(programId: string, f: Filter): Record<string, string> {
  return { programId, from: f.from, to: f.to };
}

/** 返利ROI as the dashboard shows it: incremental when a baseline is recorded, otherwise attributed sales ÷ commission. */
export function shownRoi(s: AnalyticsSummary): { x100: number | null; incremental: boolean } {
  return s.baseline ? { x100: s.incrementalRoiX100, incremental: true } : { x100: s.roiX100, incremental: false };
}

/** A value × 100 as a decimal with two places (325 → "3.25"); null → "—". */
export function hundredths(x100: number | null): string {
  if (x100 === null) return "—";
  const sign = x100 < 0 ? "-" : "";
  const a = Math.abs(x100);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}
