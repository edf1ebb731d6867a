/** The promoter's own figures for the portal home (docs/analytics.md, "Promoter figures"). */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { getProgram, planInForce } from "../programs/repository.ts";
import { type FunnelRows, funnel } from "./repository.ts";

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

interface RankStep {
  fromMinor: number;
  promoteToRank?: string;
}
interface PlanShape {
  ranks?: { key: string; name?: string }[];
  tiers?: { steps?: RankStep[] };
}

export interface RankProgress {
  current: string | null;
  next: { key: string; name: string | null } | null;
  progress: { criterion: "periodSalesMinor"; required: number; current: number }[];
}

/** The next rank of the plan's ladder and the tier step that promotes to it (net sales of the current period). */
function rankProgress(plan: PlanShape | null, current: string | null, periodSalesMinor: number): RankProgress {
  const ranks = plan?.ranks ?? [];
  const at = current === null ? -1 : ranks.findIndex((r) => r.key === current);
  const next = ranks[at + 1];
  if (!next) return { current, next: null, progress: [] };
  const step = (plan?.tiers?.steps ?? []).find((s) => s.promoteToRank === next.key);
  return {
    current,
    next: { key: next.key, name: next.name ?? null },
    progress: step ? [{ criterion: "periodSalesMinor", required: step.fromMinor, current: periodSalesMinor }] : [],
  };
}

export interface PromoterFigures {
  programId: string;
  currency: string;
  timezone: string;
  asOf: string;
  orders: { today: number; month: number; total: number };
  salesMinor: { today: number; month: number; total: number };
  earnings: { todayMinor: number; monthMinor: number; totalMinor: number };
  teamSize: { level1: number; level2: number };
  rank: RankProgress;
  funnel: FunnelRows & { from: string; to: string };
}

export async function promoterFigures(
  q: Sql,
  merchantId: string,
  programId: string,
  promoterId: string,
  now: Date,
): Promise<PromoterFigures> {
  const program = await getProgram(q, merchantId, programId);
  const [m] = await q.query<{ rank: string | null }>(
    "SELECT rank FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3",
    [merchantId, programId, promoterId],
  );
  if (!m) fail("NOT_FOUND", "You are not a member of this program.", { programId });
  const [b] = await q.query<{ day: Date; month: Date; month_end: Date; from: string; to: string }>(
    `SELECT date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS day,
            date_trunc('month', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS month,
            (date_trunc('month', $1::timestamptz AT TIME ZONE $2) + interval '1 month') AT TIME ZONE $2 AS month_end,
            to_char(date_trunc('month', $1::timestamptz AT TIME ZONE $2), 'YYYY-MM-DD') AS from,
            to_char(date_trunc('month', $1::timestamptz AT TIME ZONE $2) + interval '1 month' - interval '1 day', 'YYYY-MM-DD') AS to`,
    [now, program.timezone],
  );
  if (!b) throw new Error("promoter figures: no bounds");
  const args = [merchantId, programId, promoterId, b.day, b.month];
  const [o] = await q.query<Record<string, unknown>>(
    `SELECT count(*) FILTER (WHERE paid_at >= $4) AS o_day, count(*) FILTER (WHERE paid_at >= $5) AS o_month, count(*) AS o_total,
            coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE paid_at >= $4), 0)::bigint AS s_day,
            coalesce(sum(amount_minor - refunded_minor) FILTER (WHERE paid_at >= $5), 0)::bigint AS s_month,
            coalesce(sum(amount_minor - refunded_minor), 0)::bigint AS s_total
     FROM orders WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 AND status <> 'cancelled'`,
    args,
  );
  const [e] = await q.query<Record<string, unknown>>(
    `SELECT coalesce(sum(amount_minor - reversed_minor) FILTER (WHERE created_at >= $4), 0)::bigint AS day,
            coalesce(sum(amount_minor - reversed_minor) FILTER (WHERE created_at >= $5), 0)::bigint AS month,
            coalesce(sum(amount_minor - reversed_minor), 0)::bigint AS total
     FROM commission_lines WHERE merchant_id = $1 AND program_id = $2 AND beneficiary_id = $3`,
    args,
  );
  const [t] = await q.query<Record<string, unknown>>(
    `SELECT count(*) FILTER (WHERE inviter_id = $3) AS l1, count(*) FILTER (WHERE inviter2_id = $3) AS l2
     FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND (inviter_id = $3 OR inviter2_id = $3)`,
    [merchantId, programId, promoterId],
  );
  const plan = await planInForce(q, merchantId, programId, now);
  return {
    programId,
    currency: program.currency,
    timezone: program.timezone,
    asOf: now.toISOString(),
    orders: { today: n(o?.o_day), month: n(o?.o_month), total: n(o?.o_total) },
    salesMinor: { today: n(o?.s_day), month: n(o?.s_month), total: n(o?.s_total) },
    earnings: { todayMinor: n(e?.day), monthMinor: n(e?.month), totalMinor: n(e?.total) },
    teamSize: { level1: n(t?.l1), level2: n(t?.l2) },
    rank: rankProgress((plan?.document as PlanShape | undefined) ?? null, m.rank, n(o?.s_month)),
    funnel: {
      from: b.from,
      to: b.to,
      ...(await funnel(q, { merchantId, programId, start: new Date(b.month), end: new Date(b.month_end) }, promoterId)),
    },
  };
}
