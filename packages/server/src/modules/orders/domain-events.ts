/**
 * The domain events of order ingest (modules/events/outbox.ts): `order.attributed` for an order credited to a
 * promoter, `commission.created` per commission line, `customer.rewarded` per referral reward (the coupon or points the
 * referring customer earns, also in the order response). A set writes all of its events with one multi-row insert.
 */
import type { DomainEvent } from "../events/outbox.ts";
import type { OrderView } from "./view.ts";

export function paidOrderEvents(
  bodies: readonly { paidAt: string; customer: { ref: string } }[],
  results: readonly ({ ok: true; view: OrderView } | { ok: false })[],
): DomainEvent[] {
  const out: DomainEvent[] = [];
  results.forEach((r, i) => {
    const b = bodies[i];
    if (r.ok && b) out.push(...eventsOf(r.view, b));
  });
  return out;
}

function eventsOf(v: OrderView, b: { paidAt: string; customer: { ref: string } }): DomainEvent[] {
  const order = { orderId: v.orderId, orderRef: v.orderRef, programId: v.programId };
  const out: DomainEvent[] = [];
  if (v.promoterId)
    out.push({
      type: "order.attributed",
      subject: `order:${v.orderId}`,
      data: {
        ...order,
        customerRef: b.customer.ref,
        promoterId: v.promoterId,
        attributionPath: v.attributionPath,
        amountMinor: v.amountMinor,
        isFirstOrder: v.isFirstOrder ?? null,
        paidAt: new Date(b.paidAt).toISOString(),
      },
    });
  for (const c of v.commissions)
    out.push({
      type: "commission.created",
      subject: `commission:${c.id}`,
      data: {
        id: c.id,
        ...order,
        beneficiaryId: c.beneficiaryId,
        level: c.level,
        kind: c.kind,
        lineNo: c.lineNo,
        amountMinor: c.amountMinor,
        state: c.state,
        explanation: c.explanation,
      },
    });
  for (const reward of v.rewardEvents ?? [])
    out.push({ type: "customer.rewarded", subject: `order:${v.orderId}`, data: { ...order, reward: reward as Record<string, unknown> } });
  return out;
}
