/**
 * Period close: read the period's rows, let core's period rules decide, store their records once.
 * A period closes once; closing again returns the stored summary and changes nothing. Records are keyed
 * (commission_lines.adjustment_key) so even a crashed, retried close cannot post twice.
 *
 * The period is streamed (read.ts): the team tree and per-seller totals first, then the sellers a part at a time —
 * each part's sales and lines are decided (core closeSellers) and their records written before the next part is read —
 * and the period-level rules last (closePeriodLevel). Memory holds the totals (O(promoters)) and one part.
 */
import {
  accrue,
  type ClosePeriodInput,
  closePeriodLevel,
  closeSellers,
  explainLine,
  type PeriodAdjustment,
  type PeriodRange,
  type PlanDocument,
  parsePlan,
  periodOf,
  periodOfKey,
  periodTotalsFrom,
  type RankPromotion,
  salesByPromoterOf,
} from "@fenxiao/core";
import type { Db, Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { newId, randomBase32 } from "../../ids.ts";
import { insertCommissionLines, type NewCommissionLine } from "../commissions/repository.ts";
import { type DomainEvent, emitEvent, emitEvents } from "../events/outbox.ts";
import { lockLedgerHead, postTx } from "../ledger/repository.ts";
import { type Program, planInForce } from "../programs/repository.ts";
import { interner, type PartOrders, readContributions, readPart, readSellerTotals, readTree } from "./read.ts";

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

/** Records built into rows and handed to the writer at a time (the next batch is built while this one is written). */
export const CLOSE_WRITE_BATCH = 1_000;

/** `n` ids shaped like newId's, from one random draw (a draw per id costs microseconds, which a large period adds up). */
function newIds(prefix: string, n: number): string[] {
  const chars = randomBase32(20 * n);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `${prefix}_${chars.slice(20 * i, 20 * i + 20)}`;
  return out;
}

/** Does the plan (or one of its experiment's variants) run contests? Only then are the contest metrics counted. */
function hasContests(doc: PlanDocument): boolean {
  return Boolean(doc.contests?.length || doc.experiment?.variants.some((v) => v.plan?.contests?.length));
}

/**
 * Writes the close's records as the parts produce them, and adds up what the ledger accrues per promoter (in the order
 * the promoters first appear), so that nothing of a part is kept once it is written.
 */
function recordWriter(r: Sql, q: Sql, program: Program, period: PeriodRange, planVersion: number, now: Date, summary: CloseSummary) {
  const holdMs = program.holdDays * 86_400_000;
  const accrued = new Map<string, number>();
  const writes: Promise<void>[] = [];
  const toRow = (a: PeriodAdjustment, id: string, orders: PartOrders): NewCommissionLine => {
    const order = a.orderId ? orders.get(a.orderId) : undefined;
    const extras = { orderRef: order?.orderRef ?? null, currency: program.currency, periodKey: period.key };
    return {
      id,
      orderId: a.orderId,
      lineNo: a.lineNo,
      beneficiaryId: a.beneficiaryId,
      level: a.level,
      kind: a.kind,
      baseMinor: a.baseMinor,
      rateBps: a.trace.rateBps ?? null,
      amountMinor: a.amountMinor,
      attributionPath: null,
      planVersion,
      periodKey: period.key,
      trace: a.trace,
      explanationZh: explainLine(a, "zh", extras),
      explanationEn: explainLine(a, "en", extras),
      // Order-line records become available with their order; period-level records after the hold days from close.
      availableAt: a.orderId
        ? order?.completedAt
          ? new Date(order.completedAt.getTime() + holdMs)
          : null
        : new Date(now.getTime() + holdMs),
      adjustmentKey: a.key,
      refundBaseMinor: a.refundBaseMinor,
    };
  };
  return {
    /** Write a part's records (`orders`: the part's orders; records of other orders read theirs). */
    async write(records: readonly PeriodAdjustment[], orders: PartOrders): Promise<void> {
      const adj = records.filter((a) => a.amountMinor !== 0);
      if (adj.length === 0) return;
      const missing = [...new Set(adj.map((a) => a.orderId).filter((id): id is string => id !== null && !orders.has(id)))];
      if (missing.length > 0) {
        // records of orders that are not among the part's sales (none in practice): read their references
        const known = new Map(orders);
        for (const o of await r.query<{ id: string; order_ref: string; completed_at: Date | null }>(
          "SELECT id, order_ref, completed_at FROM orders WHERE merchant_id = $1 AND id = ANY($2)",
          [program.merchantId, missing],
        ))
          known.set(o.id, { orderRef: o.order_ref, completedAt: o.completed_at === null ? null : new Date(o.completed_at) });
        orders = known;
      }
      // Written in key order, with ids drawn at once and handed out in ascending order, so that the table's primary key
      // and its adjustment_key and beneficiary indexes fill in sweeps instead of at random pages. Batches are built and
      // handed to the writer while the previous one is written (two writer calls at most, each with at most one
      // statement outstanding).
      const byKey = [...adj].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const ids = newIds("com", byKey.length).sort();
      for (let i = 0; i < byKey.length; i += CLOSE_WRITE_BATCH) {
        const rows = byKey.slice(i, i + CLOSE_WRITE_BATCH).map((a, j) => toRow(a, ids[i + j] as string, orders));
        if (writes.length === 2) await writes.shift();
        const w = insertCommissionLines(q, program.merchantId, program.id, program.currency, now, rows).then(() =>
          emitEvents(
            q,
            program.merchantId,
            rows.map((row) => closeLineCreated(program, row, orders)),
            now,
          ).then(() => undefined),
        );
        w.catch(() => undefined); // awaited in turn; a failure meanwhile must not go unhandled
        writes.push(w);
      }
      for (const a of byKey) {
        summary.totalMinor += a.amountMinor;
        accrued.set(a.beneficiaryId, (accrued.get(a.beneficiaryId) ?? 0) + a.amountMinor);
      }
      summary.adjustments += byKey.length;
    },
    /** Wait for the writes. */
    async flush(): Promise<void> {
      for (const w of writes.splice(0)) await w;
    },
    /** Post what the records accrue, as one ledger transaction. */
    async post(): Promise<void> {
      if (summary.adjustments === 0) return;
      const tx = accrue(
        program.merchantId,
        program.currency,
        `period:${program.id}:${period.key}:close`,
        `${period.key} 期结算 / period close`,
        [...accrued].map(([promoterId, amountMinor]) => ({ promoterId, amountMinor })),
      );
      if (tx) await postTx(q, program.merchantId, tx, now);
    },
  };
}

/**
 * `commission.created` for a record of the close (a tier true-up, a bonus, a compression shift), shaped like the
 * event of an order's line, with the period it belongs to; written in the close's transaction with the record.
 */
function closeLineCreated(program: Program, row: NewCommissionLine, orders: PartOrders): DomainEvent {
  return {
    type: "commission.created",
    subject: `commission:${row.id}`,
    data: {
      id: row.id,
      orderId: row.orderId,
      orderRef: row.orderId ? (orders.get(row.orderId)?.orderRef ?? null) : null,
      programId: program.id,
      beneficiaryId: row.beneficiaryId,
      level: row.level,
      kind: row.kind,
      lineNo: row.lineNo,
      amountMinor: row.amountMinor,
      state: "pending",
      periodKey: row.periodKey,
      explanation: { zh: row.explanationZh, en: row.explanationEn },
    },
  };
}

/** Rank promotions of the close (P5), with their history. */
async function promote(
  q: Sql,
  program: Program,
  period: PeriodRange,
  promotions: readonly RankPromotion[],
  now: Date,
  summary: CloseSummary,
) {
  for (const p of promotions) {
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

/**
 * Decide the close of a period under `doc` and write its records: totals, then the sellers part by part, then the
 * period-level rules. Reads through `r`, writes through `q` (the same connection, or a snapshot's beside the close's
 * transaction). Returns the last step — the ledger transaction and the promotions — for the caller to run at the cut.
 */
async function closeUnderPlan(
  r: Sql,
  q: Sql,
  program: Program,
  period: PeriodRange,
  planVersion: number,
  doc: PlanDocument,
  now: Date,
  summary: CloseSummary,
): Promise<() => Promise<void>> {
  // Every statement of the close reads its rows through the indexes, for the rest of the reading transaction: with
  // planner statistics of tables still small (a period loaded since the last ANALYZE), a join planned as a loop over
  // scans would read the period once per order.
  await r.query("SET LOCAL enable_seqscan = off");
  await r.query("SET LOCAL enable_bitmapscan = off");
  const id = interner();
  const promoters = await readTree(r, program, id);
  const { sellers, parts } = await readSellerTotals(r, program, period, hasContests(doc), id);
  const totals = periodTotalsFrom(promoters, sellers);
  const input: ClosePeriodInput = {
    plan: doc,
    period,
    roundingMode: program.roundingMode,
    promoters,
    sales: [],
    lines: [],
    contributions: await readContributions(r, program, period),
  };
  const writer = recordWriter(r, q, program, period, planVersion, now, summary);
  const promotions: RankPromotion[] = [];
  for (const part of parts) {
    const { sales, lines, orders } = await readPart(r, program, period, part, id);
    const out = closeSellers({ ...input, sales, lines }, totals);
    await writer.write(out.adjustments, orders);
    for (const p of out.promotions) promotions.push(p);
  }
  const level = closePeriodLevel(input, totals);
  await writer.write(level.adjustments, new Map());
  for (const p of level.promotions) promotions.push(p);
  await writer.flush();
  summary.salesByPromoter = salesByPromoterOf(totals);
  // in promoter order, as one pass over the sorted sellers gives them
  promotions.sort((a, b) => (a.promoterId < b.promoterId ? -1 : a.promoterId > b.promoterId ? 1 : 0));
  return async () => {
    await writer.post();
    await promote(q, program, period, promotions, now, summary);
  };
}

/**
 * Runs `fn` in a REPEATABLE READ, read-only transaction of its own connection: one snapshot for everything it reads,
 * beside the caller's transaction. A close given one reads its period without holding the cut (see closeProgramPeriod).
 */
export type SnapshotReader = <T>(fn: (r: Sql) => Promise<T>) => Promise<T>;

/** The snapshot reader of a database that has more than one connection (PostgreSQL); none for embedded PGlite. */
export function snapshotReader(db: Db): SnapshotReader | undefined {
  if (db.kind !== "postgres") return undefined;
  return (fn) =>
    db.read(async (r) => {
      await r.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        return await fn(r);
      } finally {
        await r.query("ROLLBACK");
      }
    });
}

/**
 * What every order event of the period changes, only ever upwards: paid orders (orders counted in the period's stats),
 * refunds and cancellations (refunded amounts in the stats), completions (completed orders). Equal at two moments: no
 * event of the period committed in between.
 */
async function periodFingerprint(r: Sql, program: Program, period: PeriodRange): Promise<string> {
  const [row] = await r.query(
    `SELECT (SELECT count(*) FROM promoter_period_stats s WHERE s.merchant_id = $1 AND s.program_id = $2 AND s.period_key = $3) AS stats,
       (SELECT coalesce(sum(s.orders), 0) FROM promoter_period_stats s WHERE s.merchant_id = $1 AND s.program_id = $2 AND s.period_key = $3) AS orders,
       (SELECT coalesce(sum(s.sales_minor), 0) FROM promoter_period_stats s WHERE s.merchant_id = $1 AND s.program_id = $2 AND s.period_key = $3) AS sales,
       (SELECT coalesce(sum(s.refunded_minor), 0) FROM promoter_period_stats s WHERE s.merchant_id = $1 AND s.program_id = $2 AND s.period_key = $3) AS refunded,
       (SELECT count(*) FROM orders o WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.period_key = $3 AND o.completed_at IS NOT NULL) AS completed`,
    [program.merchantId, program.id, period.key],
  );
  return JSON.stringify(row);
}

function newSummary(period: PeriodRange, planVersion: number | null): CloseSummary {
  return {
    periodKey: period.key,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
    planVersion,
    adjustments: 0,
    totalMinor: 0,
    promotions: [],
    salesByPromoter: {},
  };
}

/**
 * Close a period once (closing again returns the stored summary, alreadyClosed). The close takes one consistent cut of
 * the period's order events. Every order event of the merchant takes its ledger head lock before it reads or writes
 * anything (paid-order sets in fenxiao_ingest_state; refunds, cancellations and completions in orders/service.ts) and
 * keeps it until it commits; the close marks the period closed (period_closes) under that lock. So an event either
 * committed before the cut and is in the close, or comes after it, sees the period closed and follows the rules for late
 * events: a paid order counts in the open period, a refund reverses the close's records at the rate applied (P19).
 *
 * With a snapshot reader (PostgreSQL), the period is read and decided in one snapshot without the lock, so that the
 * merchant's orders keep flowing while a large period closes; the lock is taken at the end, and the records stand only
 * if no event of the period committed since the snapshot (periodFingerprint). Otherwise — or without a reader — the
 * close takes the lock first and reads under it (its statements each read after the lock, and nothing of the period
 * can commit meanwhile).
 */
export async function closeProgramPeriod(
  q: Sql,
  program: Program,
  periodKey: string,
  now: Date,
  snapshot?: SnapshotReader,
): Promise<CloseSummary> {
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
  let doc: PlanDocument | null = null;
  if (plan) {
    const parsed = parsePlan(plan.document);
    if (!parsed.ok) throw new Error(`stored plan version ${plan.version} no longer parses`);
    doc = parsed.plan;
  }
  let summary = newSummary(period, plan?.version ?? null);
  let finish: (() => Promise<void>) | null = null;
  if (plan && doc && snapshot) {
    const d = doc;
    await q.query("SAVEPOINT fenxiao_close");
    const attempt = newSummary(period, plan.version);
    const read = await snapshot(async (r) => {
      const before = await periodFingerprint(r, program, period);
      return { before, finish: await closeUnderPlan(r, q, program, period, plan.version, d, now, attempt) };
    });
    await lockLedgerHead(q, program.merchantId);
    if ((await periodFingerprint(q, program, period)) === read.before) {
      await q.query("RELEASE SAVEPOINT fenxiao_close");
      summary = attempt;
      finish = read.finish;
    } else await q.query("ROLLBACK TO SAVEPOINT fenxiao_close"); // an event of the period came in meanwhile: again, under the lock
  }
  if (!finish) {
    await lockLedgerHead(q, program.merchantId);
    if (plan && doc) finish = await closeUnderPlan(q, q, program, period, plan.version, doc, now, summary);
  }
  if (finish) await finish();
  await q.query(
    "INSERT INTO period_closes (merchant_id, program_id, period_key, starts_at, ends_at, plan_version, closed_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [program.merchantId, program.id, period.key, period.startsAt, period.endsAt, summary.planVersion, now, JSON.stringify(summary)],
  );
  const data = {
    programId: program.id,
    periodKey: period.key,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
    closedAt: now.toISOString(),
    summary,
  };
  await emitEvent(q, program.merchantId, { type: "period.closed", subject: `period:${program.id}:${period.key}`, data }, now);
  return summary;
}
