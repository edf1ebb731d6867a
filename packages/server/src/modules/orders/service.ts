/**
 * Order events → attribution → evaluation → commission lines → ledger postings, each event in one database transaction.
 * Data flows one way: the engine in @fenxiao/core decides every amount; this file only gathers inputs and stores outputs.
 */

import { createHash } from "node:crypto";
import { allocate, type CommissionBucket, minor, type RoundingMode, release, reversalFor, reverse } from "@fenxiao/core";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { emitEvents } from "../events/outbox.ts";
import { lockLedgerHead, postTx } from "../ledger/repository.ts";
import { type Program, resolveProgram } from "../programs/repository.ts";
import { ingestPaidOrders } from "./ingest.ts";
import { checkAfterPayment } from "./plausibility.ts";
import { bumpPeriodStats, type CommissionRow, insertEvent, lockOrder, lockOrderCommissions } from "./repository.ts";
import type { PaidOrderBody, RefundBody } from "./schema.ts";
import type { OrderView } from "./view.ts";

export type { OrderView } from "./view.ts";

/** One paid order: a batch of one through the set-based ingest (orders/ingest.ts). */
export async function ingestPaidOrder(q: Sql, ring: KeyRing, merchantId: string, b: PaidOrderBody, now: Date): Promise<OrderView> {
  const [r] = await ingestPaidOrders(q, ring, merchantId, [b], now);
  if (!r) throw new Error("ingest returned nothing");
  if (!r.ok) throw r.error;
  return r.view;
}

/** Reverse what each line still holds so that its cumulative reversal matches `remaining` (P19). Returns the ledger legs. */
function reversalsFor(
  lines: readonly CommissionRow[],
  lineAmounts: Map<number, { amount: number; remaining: number }>,
  orderTotals: { amount: number; remaining: number },
  mode: RoundingMode,
) {
  const out: { row: CommissionRow; inc: number; from: CommissionBucket }[] = [];
  for (const c of lines) {
    if (c.state === "reversed") continue;
    const line = c.line_no !== null ? lineAmounts.get(c.line_no) : orderTotals;
    if (!line) throw new Error(`commission ${c.id} refers to a missing order line ${c.line_no}`);
    // Records posted at period close reverse against the line's amount at close (P19: the rate originally applied).
    const basis =
      c.refund_base_minor !== null ? { amount: c.refund_base_minor, remaining: Math.min(line.remaining, c.refund_base_minor) } : line;
    const inc = reversalFor(c.amount_minor, basis.amount, basis.remaining, c.reversed_minor, mode);
    if (inc !== 0) out.push({ row: c, inc, from: c.state as CommissionBucket });
  }
  return out;
}

async function applyReversals(
  q: Sql,
  program: Program,
  orderId: string,
  orderRef: string,
  causeRef: string,
  rev: ReturnType<typeof reversalsFor>,
  now: Date,
) {
  for (const r of rev) {
    const total = r.row.reversed_minor + r.inc;
    await q.query(
      `UPDATE commission_lines SET reversed_minor = $3, state = CASE WHEN $3 = amount_minor THEN 'reversed' ELSE state END WHERE merchant_id = $1 AND id = $2`,
      [program.merchantId, r.row.id, total],
    );
  }
  const tx = reverse(
    program.merchantId,
    program.currency,
    causeRef,
    `订单 #${orderRef} 佣金冲回 / commission reversed`,
    rev.map((r) => ({ promoterId: r.row.beneficiary_id, amountMinor: r.inc, from: r.from })),
  );
  if (tx) await postTx(q, program.merchantId, tx, now);
  await emitEvents(
    q,
    program.merchantId,
    rev.map((r) => ({
      type: "commission.reversed" as const,
      subject: `commission:${r.row.id}`,
      data: {
        id: r.row.id,
        orderId,
        orderRef,
        programId: program.id,
        beneficiaryId: r.row.beneficiary_id,
        amountMinor: r.row.amount_minor,
        reversedNowMinor: r.inc,
        reversedMinor: r.row.reversed_minor + r.inc,
        state: r.row.reversed_minor + r.inc === r.row.amount_minor ? "reversed" : r.from,
        cause: causeRef.endsWith(":cancel") ? "cancel" : "refund",
      },
    })),
    now,
  );
}

function eventHash(payload: unknown): string {
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

export async function refundOrder(q: Sql, merchantId: string, orderRef: string, b: RefundBody, now: Date): Promise<OrderView> {
  // The ledger head first (docs/ledger.md, "Lock order"), as paid orders and period close take it: an event is
  // before or after a close, never during.
  await lockLedgerHead(q, merchantId);
  const { order, lines } = await lockOrder(q, merchantId, orderRef);
  if (b.refundRef) {
    const [prev] = await q.query<{ payload: { hash?: string } }>(
      "SELECT payload FROM order_events WHERE merchant_id = $1 AND order_id = $2 AND type = 'refund' AND event_ref = $3",
      [merchantId, order.id, b.refundRef],
    );
    if (prev) {
      if (prev.payload.hash !== eventHash(b))
        fail("IDEMPOTENCY_KEY_REUSED", "This refundRef was already used with a different refund.", { field: "refundRef" });
      return orderView(q, merchantId, orderRef);
    }
  }
  if (order.status === "cancelled" || order.status === "refunded")
    fail("ORDER_STATE", `The order is ${order.status}.`, { status: order.status });
  const refundedAt = b.refundedAt ? new Date(b.refundedAt) : now;
  if (b.refundedAt) checkAfterPayment("refundedAt", refundedAt, order.paid_at);
  const program = await resolveProgram(q, merchantId, order.program_id);
  // Per-line refund amounts: as given, or the total spread over what remains of each line (largest remainder).
  const remaining = new Map(lines.map((l) => [l.line_no, l.net_amount_minor - l.refunded_minor]));
  const perLine = new Map<number, number>();
  if (b.lines) {
    for (const [i, l] of b.lines.entries()) {
      const left = remaining.get(l.lineNo);
      if (left === undefined) invalid(`lines.${i}.lineNo`, "the order has no such line");
      perLine.set(l.lineNo, (perLine.get(l.lineNo) ?? 0) + l.amountMinor);
      if ((perLine.get(l.lineNo) as number) > left)
        fail("REFUND_EXCEEDS_PAID", `lines.${i}.amountMinor: at most ${left} remains refundable on line ${l.lineNo}`, {
          field: `lines.${i}.amountMinor`,
          refundableMinor: left,
        });
    }
  } else {
    const total = b.amountMinor as number;
    const left = order.amount_minor - order.refunded_minor;
    if (total > left)
      fail("REFUND_EXCEEDS_PAID", `amountMinor: at most ${left} remains refundable`, { field: "amountMinor", refundableMinor: left });
    const parts = allocate(
      minor(total),
      lines.map((l) => remaining.get(l.line_no) as number),
    );
    for (const [i, l] of lines.entries()) perLine.set(l.line_no, parts[i] as number);
  }
  const refundTotal = [...perLine.values()].reduce((s, v) => s + v, 0);
  for (const [lineNo, amt] of perLine) {
    if (amt === 0) continue;
    await q.query("UPDATE order_lines SET refunded_minor = refunded_minor + $4 WHERE merchant_id = $1 AND order_id = $2 AND line_no = $3", [
      merchantId,
      order.id,
      lineNo,
      amt,
    ]);
  }
  const newRefunded = order.refunded_minor + refundTotal;
  const fully = newRefunded === order.amount_minor;
  await q.query(
    `UPDATE orders SET refunded_minor = $3, status = CASE WHEN $4 THEN 'refunded' ELSE status END WHERE merchant_id = $1 AND id = $2`,
    [merchantId, order.id, newRefunded, fully],
  );
  const eventId = newId("evt");
  await insertEvent(q, merchantId, {
    id: eventId,
    orderId: order.id,
    type: "refund",
    eventRef: b.refundRef ?? null,
    payload: { ...b, hash: eventHash(b), perLine: Object.fromEntries(perLine) },
    occurredAt: refundedAt,
    at: now,
  });
  if (order.promoter_id)
    await bumpPeriodStats(q, merchantId, program.id, order.promoter_id, order.period_key, { refundedMinor: refundTotal });

  const commissions = await lockOrderCommissions(q, merchantId, order.id);
  const lineAmounts = new Map(
    lines.map((l) => [
      l.line_no,
      { amount: l.net_amount_minor, remaining: l.net_amount_minor - l.refunded_minor - (perLine.get(l.line_no) ?? 0) },
    ]),
  );
  const rev = reversalsFor(
    commissions,
    lineAmounts,
    { amount: order.amount_minor, remaining: order.amount_minor - newRefunded },
    program.roundingMode,
  );
  await applyReversals(q, program, order.id, orderRef, `order:${order.id}:refund:${eventId}`, rev, now);
  return orderView(q, merchantId, orderRef);
}

export async function cancelOrder(
  q: Sql,
  merchantId: string,
  orderRef: string,
  b: { cancelledAt?: string; reason?: string },
  now: Date,
): Promise<OrderView> {
  // The ledger head first (docs/ledger.md, "Lock order"), as paid orders and period close take it: an event is
  // before or after a close, never during.
  await lockLedgerHead(q, merchantId);
  const { order } = await lockOrder(q, merchantId, orderRef);
  if (order.status === "cancelled") return orderView(q, merchantId, orderRef); // repeated cancel: same result, no second effect
  if (order.status === "completed") fail("ORDER_STATE", "A completed order is refunded, not cancelled.", { status: order.status });
  const program = await resolveProgram(q, merchantId, order.program_id);
  const at = b.cancelledAt ? new Date(b.cancelledAt) : now;
  if (b.cancelledAt) checkAfterPayment("cancelledAt", at, order.paid_at);
  const left = order.amount_minor - order.refunded_minor;
  await q.query("UPDATE orders SET status = 'cancelled', cancelled_at = $3 WHERE merchant_id = $1 AND id = $2", [merchantId, order.id, at]);
  const eventId = newId("evt");
  await insertEvent(q, merchantId, { id: eventId, orderId: order.id, type: "cancel", eventRef: null, payload: b, occurredAt: at, at: now });
  if (order.promoter_id && left > 0)
    await bumpPeriodStats(q, merchantId, program.id, order.promoter_id, order.period_key, { refundedMinor: left });
  const commissions = await lockOrderCommissions(q, merchantId, order.id);
  const rev = commissions
    .filter((c) => c.state !== "reversed" && c.amount_minor - c.reversed_minor !== 0)
    .map((c) => ({ row: c, inc: c.amount_minor - c.reversed_minor, from: c.state as CommissionBucket }));
  await applyReversals(q, program, order.id, orderRef, `order:${order.id}:cancel`, rev, now);
  return orderView(q, merchantId, orderRef);
}

export async function completeOrder(
  q: Sql,
  merchantId: string,
  orderRef: string,
  b: { completedAt?: string },
  now: Date,
): Promise<OrderView> {
  // The ledger head first (docs/ledger.md, "Lock order"), as paid orders and period close take it: an event is
  // before or after a close, never during.
  await lockLedgerHead(q, merchantId);
  const { order } = await lockOrder(q, merchantId, orderRef);
  if (order.status === "completed") return orderView(q, merchantId, orderRef);
  if (order.status !== "paid") fail("ORDER_STATE", `The order is ${order.status}.`, { status: order.status });
  const program = await resolveProgram(q, merchantId, order.program_id);
  const at = b.completedAt ? new Date(b.completedAt) : now;
  if (b.completedAt) checkAfterPayment("completedAt", at, order.paid_at);
  const availableAt = new Date(at.getTime() + program.holdDays * 86_400_000);
  await q.query("UPDATE orders SET status = 'completed', completed_at = $3 WHERE merchant_id = $1 AND id = $2", [merchantId, order.id, at]);
  await q.query("UPDATE commission_lines SET available_at = $3 WHERE merchant_id = $1 AND order_id = $2 AND state = 'pending'", [
    merchantId,
    order.id,
    availableAt,
  ]);
  await insertEvent(q, merchantId, {
    id: newId("evt"),
    orderId: order.id,
    type: "complete",
    eventRef: null,
    payload: b,
    occurredAt: at,
    at: now,
  });
  return orderView(q, merchantId, orderRef);
}

/** Release due pending lines (completed + hold days passed) to available. Returns the number of lines released. */
export async function releaseDue(q: Sql, merchantId: string, now: Date, batchMax: number): Promise<number> {
  await lockLedgerHead(q, merchantId); // lock order: the ledger head before the commission lines (docs/ledger.md)
  const due = await q.query<{ id: string; beneficiary_id: string; amount_minor: number; reversed_minor: number; currency: string }>(
    `SELECT id, beneficiary_id, amount_minor, reversed_minor, currency FROM commission_lines
     WHERE merchant_id = $1 AND state = 'pending' AND available_at <= $2 ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [merchantId, now, batchMax],
  );
  if (due.length === 0) return 0;
  await q.query("UPDATE commission_lines SET state = 'available', released_at = $3 WHERE merchant_id = $1 AND id = ANY($2)", [
    merchantId,
    due.map((d) => d.id),
    now,
  ]);
  const byCurrency = new Map<string, typeof due>();
  for (const d of due) {
    const arr = byCurrency.get(d.currency) ?? [];
    arr.push(d);
    byCurrency.set(d.currency, arr);
  }
  for (const [currency, rows] of byCurrency) {
    const ids = rows.map((r) => r.id).sort();
    const causeRef = `release:${createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 32)}`;
    const tx = release(
      currency,
      causeRef,
      `${rows.length} 笔佣金解冻 / commission released`,
      rows.map((r) => ({ promoterId: r.beneficiary_id, amountMinor: Number(r.amount_minor) - Number(r.reversed_minor) })),
    );
    if (tx) await postTx(q, merchantId, tx, now);
  }
  await emitEvents(
    q,
    merchantId,
    due.map((d) => ({
      type: "commission.available" as const,
      subject: `commission:${d.id}`,
      data: {
        id: d.id,
        beneficiaryId: d.beneficiary_id,
        amountMinor: Number(d.amount_minor) - Number(d.reversed_minor),
        currency: d.currency,
        state: "available",
      },
    })),
    now,
  );
  return due.length;
}

export async function orderView(q: Sql, merchantId: string, orderRef: string, opts: { promoterId?: string } = {}): Promise<OrderView> {
  const [o] = await q.query<{
    id: string;
    order_ref: string;
    program_id: string;
    status: string;
    amount_minor: number;
    refunded_minor: number;
    promoter_id: string | null;
    attribution_path: string | null;
    is_first_order: boolean;
  }>(
    "SELECT id, order_ref, program_id, status, amount_minor, refunded_minor, promoter_id, attribution_path, is_first_order FROM orders WHERE merchant_id = $1 AND order_ref = $2",
    [merchantId, orderRef],
  );
  if (!o) fail("NOT_FOUND", "No order with this orderRef.", { orderRef });
  const cs = await q.query<{
    id: string;
    beneficiary_id: string;
    level: number;
    kind: string;
    line_no: number | null;
    amount_minor: number;
    reversed_minor: number;
    state: string;
    explanation_zh: string;
    explanation_en: string;
  }>(
    `SELECT id, beneficiary_id, level, kind, line_no, amount_minor, reversed_minor, state, explanation_zh, explanation_en FROM commission_lines
     WHERE merchant_id = $1 AND order_id = $2 ${opts.promoterId ? "AND beneficiary_id = $3" : ""} ORDER BY level, line_no, id`,
    opts.promoterId ? [merchantId, o.id, opts.promoterId] : [merchantId, o.id],
  );
  const rewards = opts.promoterId
    ? []
    : (
        await q.query<{ payload: unknown }>(
          "SELECT payload FROM order_events WHERE merchant_id = $1 AND order_id = $2 AND type = 'customer_reward' ORDER BY created_at, id",
          [merchantId, o.id],
        )
      ).map((r) => r.payload);
  return {
    orderId: o.id,
    orderRef: o.order_ref,
    programId: o.program_id,
    status: o.status,
    amountMinor: Number(o.amount_minor),
    refundedMinor: Number(o.refunded_minor),
    promoterId: o.promoter_id,
    attributionPath: o.attribution_path,
    isFirstOrder: o.is_first_order,
    commissions: cs.map((c) => ({
      id: c.id,
      beneficiaryId: c.beneficiary_id,
      level: c.level,
      kind: c.kind,
      lineNo: c.line_no,
      amountMinor: Number(c.amount_minor),
      reversedMinor: Number(c.reversed_minor),
      state: c.state,
      explanation: { zh: c.explanation_zh, en: c.explanation_en },
    })),
    rewardEvents: rewards,
  };
}
