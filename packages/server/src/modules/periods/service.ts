/**
 * Period close: load the period's rows, let core's closePeriod decide, store its records once.
 * A period closes once; closing again returns the stored summary and changes nothing. Records are keyed
 * (commission_lines.adjustment_key) so even a crashed, retried close cannot post twice.
 */
import {
  accrue,
  CLOSE_TRACE_KEYS,
  closePeriod,
  closeReadsTrace,
  explainLine,
  type PeriodLine,
  type PeriodRange,
  type PeriodSale,
  type PlanDocument,
  parsePlan,
  periodOf,
  periodOfKey,
  TRACE_NOT_LOADED,
  type Trace,
  type TreePromoter,
} from "@fenxiao/core";
import type { Row, Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { newId, randomBase32 } from "../../ids.ts";
import { insertCommissionLines, type NewCommissionLine } from "../commissions/repository.ts";
import { lockLedgerHead, postTx } from "../ledger/repository.ts";
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

/** Rows per FETCH while the close reads its period: the driver holds one page of raw rows at a time, whatever the size. */
export const CLOSE_FETCH_ROWS = 5_000;
/** Records built into rows and handed to the writer at a time (the next batch is built while this one is written). */
export const CLOSE_WRITE_BATCH = 1_000;
/** work_mem of the close's transaction: the hash of a period's orders (about 100 bytes each) fits for millions of orders. */
export const CLOSE_WORK_MEM = "256MB";

/**
 * Run `text` as a cursor in the caller's transaction and hand each row to `each`, one page at a time. The next page is
 * requested before this one is handled, so the database produces it meanwhile (one statement in flight at a time).
 */
async function eachRow<T extends Row>(
  q: Sql,
  cursor: string,
  text: string,
  params: readonly unknown[],
  each: (row: T) => void,
): Promise<void> {
  await q.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`, params);
  const fetch = () => {
    const page = q.query<T>(`FETCH ${CLOSE_FETCH_ROWS} FROM ${cursor}`);
    page.catch(() => undefined); // awaited below; a failure while the previous page is handled must not go unhandled
    return page;
  };
  let next = fetch();
  for (;;) {
    const rows = await next;
    const more = rows.length === CLOSE_FETCH_ROWS;
    if (more) next = fetch();
    for (const r of rows) each(r);
    if (!more) break;
  }
  await q.query(`CLOSE ${cursor}`);
}

/** `n` ids shaped like newId's, from one random draw (a draw per id costs microseconds, which a large period adds up). */
function newIds(prefix: string, n: number): string[] {
  const chars = randomBase32(20 * n);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `${prefix}_${chars.slice(20 * i, 20 * i + 20)}`;
  return out;
}

/** One string per distinct value: a period repeats the same ids over millions of rows. */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    seen.set(s, s);
    return s;
  };
}

/**
 * The period's orders, by index: id (the one string every sale and line of the order shares), shared per-order values
 * of its sales, and what the records posted for it need (reference, completion).
 */
interface PeriodOrders {
  index: Map<string, number>;
  paidAt: string[];
  customerRef: string[];
  orderRef: string[];
  completedAtMs: (number | null)[];
}

/**
 * The period's rows for closePeriod, read through cursors into lean objects with shared strings. Of the order-time lines'
 * traces only what the close reads is loaded: CLOSE_TRACE_KEYS of the lines closeReadsTrace names.
 */
async function loadInput(q: Sql, program: Program, period: PeriodRange) {
  const M = program.merchantId;
  // Every row is read: plan the cursors for the whole result, not for the first rows (this transaction only).
  await q.query("SET LOCAL cursor_tuple_fraction = 1");
  const promoterId = interner();
  const promoters = (
    await q.query<{ promoter_id: string; inviter_id: string | null; rank: string | null; status: TreePromoter["status"]; joined_at: Date }>(
      "SELECT promoter_id, inviter_id, rank, status, joined_at FROM memberships WHERE merchant_id = $1 AND program_id = $2 ORDER BY promoter_id",
      [M, program.id],
    )
  ).map((r) => ({
    promoterId: promoterId(r.promoter_id),
    inviterId: r.inviter_id === null ? null : promoterId(r.inviter_id),
    rank: r.rank,
    status: r.status,
    joinedAt: new Date(r.joined_at).toISOString(),
  }));

  const orders: PeriodOrders = { index: new Map(), paidAt: [], customerRef: [], orderRef: [], completedAtMs: [] };
  const orderIds: string[] = [];
  const sales: PeriodSale[] = [];
  await eachRow<{
    promoter_id: string;
    order_id: string;
    line_no: number;
    paid_ms: number;
    customer_ref: string;
    net_amount_minor: number;
    refunded_minor: number;
    status: string;
    order_ref: string;
    completed_ms: number | null;
  }>(
    q,
    "close_sales",
    `SELECT o.promoter_id, o.id AS order_id, l.line_no, floor(extract(epoch FROM o.paid_at) * 1000)::bigint AS paid_ms, c.customer_ref,
       l.net_amount_minor, l.refunded_minor, o.status, o.order_ref, floor(extract(epoch FROM o.completed_at) * 1000)::bigint AS completed_ms
     FROM orders o JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
     JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
     WHERE o.merchant_id = $1 AND o.program_id = $2 AND o.period_key = $3 AND o.promoter_id IS NOT NULL`,
    [M, program.id, period.key],
    (r) => {
      let i = orders.index.get(r.order_id);
      if (i === undefined) {
        i = orderIds.length;
        orders.index.set(r.order_id, i);
        orderIds.push(r.order_id);
        orders.paidAt.push(new Date(Number(r.paid_ms)).toISOString());
        orders.customerRef.push(r.customer_ref);
        orders.orderRef.push(r.order_ref);
        orders.completedAtMs.push(r.completed_ms === null ? null : Number(r.completed_ms));
      }
      sales.push({
        sellerId: promoterId(r.promoter_id),
        orderId: orderIds[i] as string,
        lineNo: r.line_no,
        paidAt: orders.paidAt[i] as string,
        customerRef: orders.customerRef[i] as string,
        lineAmountMinor: Number(r.net_amount_minor),
        remainingAmountMinor: r.status === "cancelled" ? 0 : Number(r.net_amount_minor) - Number(r.refunded_minor),
      });
    },
  );

  // Order-time lines: every one counts by its amounts. The close reads the trace only of the lines closeReadsTrace names
  // (sale lines of level 0 and share-of-seller team lines: selected as such below, checked for each line), and of those
  // only CLOSE_TRACE_KEYS, read as one JSON array; the other lines get TRACE_NOT_LOADED. The join hashes the period's orders: in memory, not on disk.
  await q.query(`SET LOCAL work_mem = '${CLOSE_WORK_MEM}'`);
  const otherOrderId = interner();
  const lines: PeriodLine[] = [];
  await eachRow<{
    beneficiary_id: string;
    seller_id: string;
    order_id: string;
    line_no: number | null;
    level: 0 | 1 | 2;
    kind: string;
    amount_minor: number;
    reversed_minor: number;
    rate_bps: number | null;
    trace: unknown[] | null;
  }>(
    q,
    "close_lines",
    `SELECT cl.beneficiary_id, o.promoter_id AS seller_id, cl.order_id, cl.line_no, cl.level, cl.kind, cl.amount_minor, cl.reversed_minor, cl.rate_bps,
       CASE WHEN (cl.kind = 'sale' AND cl.level = 0) OR (cl.kind = 'team' AND cl.level > 0 AND cl.rate_bps IS NULL) THEN jsonb_build_array(${CLOSE_TRACE_KEYS.map((k) => `cl.trace->'${k}'`).join(", ")}) END AS trace
     FROM commission_lines cl JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
     WHERE cl.merchant_id = $1 AND cl.program_id = $2 AND o.period_key = $3 AND cl.adjustment_key IS NULL`,
    [M, program.id, period.key],
    (r) => {
      let trace: Trace = TRACE_NOT_LOADED;
      if (closeReadsTrace(r.kind, r.level, r.rate_bps)) {
        if (r.trace === null) throw new Error(`period close reads the trace of ${r.kind} lines at level ${r.level}: load it`);
        const t: Record<string, unknown> = {};
        for (let k = 0; k < CLOSE_TRACE_KEYS.length; k++) {
          const v = r.trace[k];
          if (v !== null && v !== undefined) t[CLOSE_TRACE_KEYS[k] as string] = v;
        }
        trace = t as Trace;
      }
      const i = orders.index.get(r.order_id);
      lines.push({
        beneficiaryId: promoterId(r.beneficiary_id),
        sellerId: promoterId(r.seller_id),
        orderId: i === undefined ? otherOrderId(r.order_id) : (orderIds[i] as string),
        lineNo: r.line_no,
        level: r.level,
        kind: r.kind,
        amountMinor: Number(r.amount_minor),
        reversedMinor: Number(r.reversed_minor),
        trace,
      });
    },
  );
  const contributions = (
    await q.query<{ promoter_id: string; type: string; n: number }>(
      `SELECT promoter_id, type, sum(count)::int AS n FROM contribution_events WHERE merchant_id = $1 AND program_id = $2 AND occurred_at >= $3 AND occurred_at < $4
       GROUP BY promoter_id, type ORDER BY promoter_id, type`,
      [M, program.id, period.startsAt, period.endsAt],
    )
  ).map((r) => ({ promoterId: r.promoter_id, type: r.type, count: Number(r.n) }));
  return { input: { promoters, sales, lines, contributions }, orders };
}

/** Load and decide in one step, so that the period's rows can be collected once closePeriod has read them. */
async function decide(q: Sql, program: Program, period: PeriodRange, plan: PlanDocument) {
  const { input, orders } = await loadInput(q, program, period);
  const result = closePeriod({ plan, period, roundingMode: program.roundingMode, ...input });
  const wanted = new Set<string>();
  for (const a of result.adjustments) if (a.orderId !== null && a.amountMinor !== 0) wanted.add(a.orderId);
  const orderRefs = new Map<string, { order_ref: string; completed_at: Date | null }>();
  for (const id of wanted) {
    const i = orders.index.get(id);
    if (i === undefined) continue;
    const completed = orders.completedAtMs[i] ?? null;
    orderRefs.set(id, { order_ref: orders.orderRef[i] as string, completed_at: completed === null ? null : new Date(completed) });
  }
  return { result, orderRefs, missing: [...wanted].filter((id) => !orderRefs.has(id)) };
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
  // The cut. Every order event of the merchant takes its ledger head lock before it reads or writes anything (paid-order
  // sets in fenxiao_ingest_state, refunds, cancellations and completions in orders/service.ts), and keeps it until it
  // commits. Held from here until this close commits: whatever committed before is in what the close reads below (each
  // statement reads after the lock), and whatever comes after sees the period closed (period_closes, written in this
  // transaction) and follows the rules for late events — a paid order counts in the open period, a refund reverses the
  // close's records at the rate applied (P19).
  await lockLedgerHead(q, program.merchantId);

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
    const { result, orderRefs, missing } = await decide(q, program, period, parsed.plan);
    summary.salesByPromoter = result.salesByPromoter;
    const adj = result.adjustments.filter((a) => a.amountMinor !== 0);
    if (adj.length > 0) {
      // records of orders that are not among the period's sales (none in practice): read their references
      if (missing.length > 0)
        for (const o of await q.query<{ id: string; order_ref: string; completed_at: Date | null }>(
          "SELECT id, order_ref, completed_at FROM orders WHERE merchant_id = $1 AND id = ANY($2)",
          [program.merchantId, missing],
        ))
          orderRefs.set(o.id, o);
      const holdMs = program.holdDays * 86_400_000;
      const toRow = (a: (typeof adj)[number], id: string): NewCommissionLine => {
        const order = a.orderId ? orderRefs.get(a.orderId) : undefined;
        const extras = { orderRef: order?.order_ref ?? null, currency: program.currency, periodKey: period.key };
        summary.totalMinor += a.amountMinor;
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
      };
      // Written in key order, with ids drawn at once and handed out in ascending order, so that the table's primary key and
      // its adjustment_key and beneficiary indexes fill in sweeps instead of at random pages (several times less work for
      // the database on a large period). Batches are built and handed to the writer while the previous one is written
      // (two writer calls at most, each with at most one statement outstanding): the rows of a large period are never
      // all in memory, and building them overlaps the database's work.
      const byKey = [...adj].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const ids = newIds("com", byKey.length).sort();
      const writes: Promise<void>[] = [];
      for (let i = 0; i < byKey.length; i += CLOSE_WRITE_BATCH) {
        const rows = byKey.slice(i, i + CLOSE_WRITE_BATCH).map((a, j) => toRow(a, ids[i + j] as string));
        if (writes.length === 2) await writes.shift();
        const w = insertCommissionLines(q, program.merchantId, program.id, program.currency, now, rows);
        w.catch(() => undefined); // awaited in turn; a failure meanwhile must not go unhandled
        writes.push(w);
      }
      for (const w of writes) await w;
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
