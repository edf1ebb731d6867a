/**
 * Period close: load the period's rows, let core's closePeriod decide, store its records once.
 * A period closes once; closing again returns the stored summary and changes nothing. Records are keyed
 * (commission_lines.adjustment_key) so even a crashed, retried close cannot post twice.
 */
import { accrue, closePeriod, explainLine, type PeriodRange, parsePlan, periodOf, periodOfKey, type TreePromoter } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { insertCommissionLines, type NewCommissionLine } from "../commissions/repository.ts";
import { postTx } from "../ledger/repository.ts";
import { type Program, planInForce } from "../programs/repository.ts";

export interface CloseSummary {
  periodKey: string;
  startsAt: string;
  endsAt: string;
  planVersion: number | null;
  adjustments: number;
  totalMinor: number;
  promotions: { promoterId: string; fromRank: string | null; toRank: string }[];
  salesByPromoter: Record<string, number>;
  alreadyClosed?: boolean;
}

export function periodRange(program: Program, periodKey: string): PeriodRange {
  let p: PeriodRange;
  try {
    p = periodOfKey(periodKey, program.timezone);
  } catch {
    invalid("periodKey", "expected 2026-04 (month), 2026-Q2 (quarter) or 2026-W15 (ISO week)");
  }
  if (p.unit !== program.periodKind) invalid("periodKey", `the program's periods are ${program.periodKind}s`);
  return p;
}

export async function isClosed(q: Sql, program: Program, periodKey: string): Promise<boolean> {
  const [row] = await q.query("SELECT 1 FROM period_closes WHERE merchant_id = $1 AND program_id = $2 AND period_key = $3", [
    program.merchantId,
    program.id,
    periodKey,
  ]);
  return Boolean(row);
}

/** The period an event at `at` counts in: its own, or — when that one is already closed — the open period at `now`. */
export async function openPeriodKeyFor(q: Sql, program: Program, at: Date, now: Date): Promise<string> {
  const own = periodOf(at.toISOString(), program.periodKind, program.timezone).key;
  if (!(await isClosed(q, program, own))) return own;
  return periodOf(now.toISOString(), program.periodKind, program.timezone).key;
}

async function loadInput(q: Sql, program: Program, period: PeriodRange) {
  const M = program.merchantId;
  const promoters = (
    await q.query<{ promoter_id: string; inviter_id: string | null; rank: string | null; status: TreePromoter["status"]; joined_at: Date }>(
      "SELECT promoter_id, inviter_id, rank, status, joined_at FROM memberships WHERE merchant_id = $1 AND program_id = $2 ORDER BY promoter_id",
      [M, program.id],
    )
  ).map((r) => ({
    promoterId: r.promoter_id,
    inviterId: r.inviter_id,
    rank: r.rank,
    status: r.status,
    joinedAt: new Date(r.joined_at).toISOString(),
  }));
  const sales = (
    await q.query<{
      promoter_id: string;
      order_id: string;
      line_no: number;
      paid_at: Date;
      customer_ref: string;
      net_amount_minor: number;
      refunded_minor: number;
      status: string;
    }>(
      `SELECT o.promoter_id, o.id AS order_id, l.line_no, o.paid_at, c.customer_ref, l.net_amount_minor, l.refunded_minor, o.status
       FROM orders o JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
       JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
       WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.period_key = $3 AND o.promoter_id IS NOT NULL ORDER BY o.id, l.line_no`,
      [M, program.id, period.key],
    )
  ).map((r) => ({
    sellerId: r.promoter_id,
    orderId: r.order_id,
    lineNo: r.line_no,
    paidAt: new Date(r.paid_at).toISOString(),
    customerRef: r.customer_ref,
    lineAmountMinor: Number(r.net_amount_minor),
    remainingAmountMinor: r.status === "cancelled" ? 0 : Number(r.net_amount_minor) - Number(r.refunded_minor),
  }));
  const lines = (
    await q.query<{
      beneficiary_id: string;
      seller_id: string;
      order_id: string;
      line_no: number | null;
      level: 0 | 1 | 2;
      kind: string;
      amount_minor: number;
      reversed_minor: number;
      trace: Record<string, unknown> & { rule: string; baseMinor: number };
    }>(
      `SELECT cl.beneficiary_id, o.promoter_id AS seller_id, cl.order_id, cl.line_no, cl.level, cl.kind, cl.amount_minor, cl.reversed_minor, cl.trace
       FROM commission_lines cl JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
       WHERE cl.merchant_id = $1 AND cl.program_id = $2 AND o.period_key = $3 AND cl.adjustment_key IS NULL ORDER BY cl.id`,
      [M, program.id, period.key],
    )
  ).map((r) => ({
    beneficiaryId: r.beneficiary_id,
    sellerId: r.seller_id,
    orderId: r.order_id,
    lineNo: r.line_no,
    level: r.level,
    kind: r.kind,
    amountMinor: Number(r.amount_minor),
    reversedMinor: Number(r.reversed_minor),
    trace: r.trace,
  }));
  const contributions = (
    await q.query<{ promoter_id: string; type: string; n: number }>(
      `SELECT promoter_id, type, sum(count)::int AS n FROM contribution_events WHERE merchant_id = $1 AND program_id = $2 AND occurred_at >= $3 AND occurred_at < $4
       GROUP BY promoter_id, type ORDER BY promoter_id, type`,
      [M, program.id, period.startsAt, period.endsAt],
    )
  ).map((r) => ({ promoterId: r.promoter_id, type: r.type, count: Number(r.n) }));
  return { promoters, sales, lines, contributions };
}

export async function closeProgramPeriod(q: Sql, program: Program, periodKey: string, now: Date): Promise<CloseSummary> {
  const period = periodRange(program, periodKey);
  if (now.getTime() < Date.parse(period.endsAt)) fail("PERIOD_NOT_ENDED", undefined, { periodKey, endsAt: period.endsAt });
  // One closer at a time per program (row lock on PostgreSQL; PGlite serialises anyway).
  await q.query("SELECT 1 FROM programs WHERE merchant_id = $1 AND id = $2 FOR UPDATE", [program.merchantId, program.id]);
  const [done] = await q.query<{ summary: CloseSummary }>(
    "SELECT summary FROM period_closes WHERE merchant_id = $1 AND program_id = $2 AND period_key = $3",
    [program.merchantId, program.id, period.key],
  );
  if (done) return { ...done.summary, alreadyClosed: true };

  const plan = await planInForce(q, program.merchantId, program.id, new Date(Date.parse(period.endsAt) - 1));
  const summary: CloseSummary = {
    periodKey: period.key,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
    planVersion: plan?.version ?? null,
    adjustments: 0,
    totalMinor: 0,
    promotions: [],
    salesByPromoter: {},
  };
  if (plan) {
    const parsed = parsePlan(plan.document);
    if (!parsed.ok) throw new Error(`stored plan version ${plan.version} no longer parses`);
    const input = await loadInput(q, program, period);
    const result = closePeriod({ plan: parsed.plan, period, roundingMode: program.roundingMode, ...input });
    summary.salesByPromoter = result.salesByPromoter;
    const adj = result.adjustments.filter((a) => a.amountMinor !== 0);
    if (adj.length > 0) {
      const orderRefs = new Map(
        (
          await q.query<{ id: string; order_ref: string; completed_at: Date | null }>(
            "SELECT id, order_ref, completed_at FROM orders WHERE merchant_id = $1 AND id = ANY($2)",
            [program.merchantId, [...new Set(adj.map((a) => a.orderId).filter((x): x is string => x !== null))]],
          )
        ).map((o) => [o.id, o]),
      );
      const holdMs = program.holdDays * 86_400_000;
      const rows: NewCommissionLine[] = adj.map((a) => {
        const order = a.orderId ? orderRefs.get(a.orderId) : undefined;
        const extras = { orderRef: order?.order_ref ?? null, currency: program.currency, periodKey: period.key };
        summary.totalMinor += a.amountMinor;
        return {
          id: newId("com"),
          orderId: a.orderId,
          lineNo: a.lineNo,
          beneficiaryId: a.beneficiaryId,
          level: a.level,
          kind: a.kind,
          baseMinor: a.baseMinor,
          rateBps: a.trace.rateBps ?? null,
          amountMinor: a.amountMinor,
          attributionPath: null,
          planVersion: plan.version,
          periodKey: period.key,
          trace: a.trace,
          explanationZh: explainLine(a, "zh", extras),
          explanationEn: explainLine(a, "en", extras),
          // Order-line records become available with their order; period-level records after the hold days from close.
          availableAt: a.orderId
            ? order?.completed_at
              ? new Date(new Date(order.completed_at).getTime() + holdMs)
              : null
            : new Date(now.getTime() + holdMs),
          adjustmentKey: a.key,
          refundBaseMinor: a.refundBaseMinor,
        };
      });
      await insertCommissionLines(q, program.merchantId, program.id, program.currency, now, rows);
      summary.adjustments = adj.length;
      const tx = accrue(
        program.merchantId,
        program.currency,
        `period:${program.id}:${period.key}:close`,
        `${period.key} 期结算 / period close`,
        adj.map((a) => ({ promoterId: a.beneficiaryId, amountMinor: a.amountMinor })),
      );
      if (tx) await postTx(q, program.merchantId, tx, now);
    }
    for (const p of result.promotions) {
      await q.query("UPDATE memberships SET rank = $4 WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3", [
        program.merchantId,
        program.id,
        p.promoterId,
        p.toRank,
      ]);
      await q.query(
        "INSERT INTO rank_history (merchant_id, id, program_id, promoter_id, from_rank, to_rank, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
          program.merchantId,
          newId("rnk"),
          program.id,
          p.promoterId,
          p.fromRank,
          p.toRank,
          JSON.stringify({ ...p.reason, periodKey: period.key }),
          now,
        ],
      );
      summary.promotions.push({ promoterId: p.promoterId, fromRank: p.fromRank, toRank: p.toRank });
    }
  }
  await q.query(
    "INSERT INTO period_closes (merchant_id, program_id, period_key, starts_at, ends_at, plan_version, closed_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [program.merchantId, program.id, period.key, period.startsAt, period.endsAt, summary.planVersion, now, JSON.stringify(summary)],
  );
  return summary;
}
