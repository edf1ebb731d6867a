/** The analytics figures of docs/analytics.md, built from the SQL in repository.ts. Integers throughout. */
import type { Sql } from "../../db/client.ts";
import { invalid } from "../../http/errors.ts";
import { getProgram, type Program } from "../programs/repository.ts";
import { commissionCost, periodBounds, type Scope, salesFigures } from "./repository.ts";

/** A period is at most this many days (and a trend at most this many buckets). */
export const PERIOD_DAYS_MAX = 366;
/** The seeds' targets (SPEC §8). */
export const TARGETS = { participationBps: 8000, referredPerPromoterMonthX100: 300, roiX100: 500 } as const;
/** Default swing that raises an alert: 30 % against the previous period. */
export const SWING_BPS_DEFAULT = 3000;
const DAY_MS = 86_400_000;

export interface Baseline {
  dailySalesMinor: number;
  note: string | null;
  recordedAt: string;
}

export interface Period {
  program: Program;
  from: string;
  to: string;
  days: number;
  scope: Scope;
}

/** Whole days from one calendar date to another (UTC arithmetic on dates is exact). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The program and the instants of [from, to] in its time zone; a reversed or too long range names `querystring.to`. */
export async function resolvePeriod(q: Sql, merchantId: string, programId: string, from: string, to: string): Promise<Period> {
  const days = daysBetween(from, to);
  if (days < 1) invalid("querystring.to", "must not be before from");
  if (days > PERIOD_DAYS_MAX) invalid("querystring.to", `the period is at most ${PERIOD_DAYS_MAX} days`);
  const program = await getProgram(q, merchantId, programId);
  const b = await periodBounds(q, from, to, program.timezone);
  return { program, from, to, days, scope: { merchantId, programId, ...b, timeZone: program.timezone } };
}

/** The period of the same length that ends the day before `from`. */
export function previousOf(p: { from: string; days: number }): { from: string; to: string } {
  return { from: addDays(p.from, -p.days), to: addDays(p.from, -1) };
}

/** a ÷ b in basis points, half-up; null when b is 0. */
export function bps(a: number, b: number): number | null {
  if (b === 0) return null;
  return Math.floor((a * 10_000 * 2 + b) / (2 * b));
}

/** a ÷ b × 100 rounded down (toward −∞); null when b is 0. */
export function x100Down(a: number, b: number): number | null {
  if (b === 0) return null;
  return Math.floor((a * 100) / b);
}

export async function readBaseline(q: Sql, merchantId: string, programId: string): Promise<Baseline | null> {
  const [r] = await q.query<{ b: Baseline | null }>(
    "SELECT settings->'analyticsBaseline' AS b FROM programs WHERE merchant_id = $1 AND id = $2",
    [merchantId, programId],
  );
  const b = r?.b;
  return b && typeof b.dailySalesMinor === "number" ? b : null;
}

/** Record (or with null remove) the program's baseline; returns what is now recorded. */
export async function writeBaseline(
  q: Sql,
  merchantId: string,
  programId: string,
  input: { dailySalesMinor: number | null; note?: string | undefined },
  now: Date,
): Promise<Baseline | null> {
  await getProgram(q, merchantId, programId);
  const value: Baseline | null =
    input.dailySalesMinor === null
      ? null
      : { dailySalesMinor: input.dailySalesMinor, note: input.note ?? null, recordedAt: now.toISOString() };
  await q.query(
    value === null
      ? "UPDATE programs SET settings = settings - 'analyticsBaseline' WHERE merchant_id = $1 AND id = $2"
      : "UPDATE programs SET settings = jsonb_set(settings, '{analyticsBaseline}', $3::jsonb) WHERE merchant_id = $1 AND id = $2",
    value === null ? [merchantId, programId] : [merchantId, programId, JSON.stringify(value)],
  );
  return value;
}

export interface Summary {
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

export async function summary(q: Sql, p: Period): Promise<Summary> {
  const sales = await salesFigures(q, p.scope);
  const people = { active: sales.activePromoters, participating: sales.participatingPromoters };
  const cost = await commissionCost(q, p.scope);
  const baseline = await readBaseline(q, p.scope.merchantId, p.scope.programId);
  const perMonthDen = people.active * p.days;
  return {
    programId: p.program.id,
    currency: p.program.currency,
    timezone: p.program.timezone,
    from: p.from,
    to: p.to,
    days: p.days,
    orders: sales.orders,
    salesMinor: sales.salesMinor,
    unattributedOrders: sales.unattributedOrders,
    unattributedSalesMinor: sales.unattributedSalesMinor,
    commissionMinor: cost,
    costRatioBps: bps(cost, sales.salesMinor),
    activePromoters: people.active,
    participatingPromoters: people.participating,
    participationBps: bps(people.participating, people.active),
    referredCustomers: sales.referredCustomers,
    // referred × 30 ÷ (active × days) × 100, half-up
    referredPerPromoterMonthX100:
      perMonthDen === 0 ? null : Math.floor((sales.referredCustomers * 3000 * 2 + perMonthDen) / (2 * perMonthDen)),
    roiX100: x100Down(sales.salesMinor, cost),
    incrementalRoiX100: baseline ? x100Down(sales.salesMinor - baseline.dailySalesMinor * p.days, cost) : null,
    baseline,
  };
}

export type Alert =
  | { kind: "target"; metric: string; value: number; target: number }
  | { kind: "swing"; metric: string; value: number | null; previous: number; changeBps: number; direction: "up" | "down" };

const SWING_METRICS = [
  "salesMinor",
  "orders",
  "commissionMinor",
  "costRatioBps",
  "participationBps",
  "referredPerPromoterMonthX100",
  "roiX100",
] as const;

/** Target alerts on the current period, swing alerts against the previous one (docs/analytics.md). */
export function alertsOf(current: Summary, previous: Summary, swingBps: number): Alert[] {
  const out: Alert[] = [];
  const target = (metric: string, value: number | null, min: number) => {
    if (value !== null && value < min) out.push({ kind: "target", metric, value, target: min });
  };
  target("participationBps", current.participationBps, TARGETS.participationBps);
  target("referredPerPromoterMonthX100", current.referredPerPromoterMonthX100, TARGETS.referredPerPromoterMonthX100);
  if (current.incrementalRoiX100 !== null) target("incrementalRoiX100", current.incrementalRoiX100, TARGETS.roiX100);
  else target("roiX100", current.roiX100, TARGETS.roiX100);
  for (const metric of SWING_METRICS) {
    const now = current[metric];
    const before = previous[metric];
    if (before === null || before === 0) continue;
    const change = (now ?? 0) - before;
    // |change| ÷ |previous| > swing, compared in integers
    if (Math.abs(change) * 10_000 <= swingBps * Math.abs(before)) continue;
    out.push({
      kind: "swing",
      metric,
      value: now,
      previous: before,
      changeBps: Math.trunc((change * 10_000) / Math.abs(before)),
      direction: change > 0 ? "up" : "down",
    });
  }
  return out;
}
