/**
 * Refund, completion and cancellation of an order: each runs once under its Idempotency-Key, in its merchant's
 * group-commit lane (db.batch), as a unit of work on the database's thread (units.ts): in embedded mode its dozen
 * queries do not each cross threads.
 */
import type { Db, Sql } from "../../db/client.ts";
import { idempotent, type StoredResponse } from "../idempotency/service.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import type { RefundBody } from "./schema.ts";
import { cancelOrder, completeOrder, refundOrder } from "./service.ts";

export const ORDER_EVENTS = {
  refunds: (q, merchantId, orderRef, body, now) => refundOrder(q, merchantId, orderRef, body as RefundBody, now),
  complete: (q, merchantId, orderRef, body, now) => completeOrder(q, merchantId, orderRef, body as { completedAt?: string }, now),
  cancel: (q, merchantId, orderRef, body, now) =>
    cancelOrder(q, merchantId, orderRef, body as { cancelledAt?: string; reason?: string }, now),
} as const satisfies Record<string, (q: Sql, merchantId: string, orderRef: string, body: unknown, now: Date) => Promise<unknown>>;

export type OrderEventKind = keyof typeof ORDER_EVENTS;

/** One order event as it is handed over (validated body; `now` when it arrived). */
export interface OrderEvent {
  kind: OrderEventKind;
  merchantId: string;
  orderRef: string;
  key: string | null;
  body: unknown;
  now: Date;
}

/** The Idempotency-Key scope of an order event: its method and path. */
export const orderEventScope = (orderRef: string, kind: OrderEventKind) => `POST /v1/orders/${orderRef}/${kind}`;

/** Run an order event on `db` in this thread (the unit of work of units.ts; callers use `runOrderEvent` there). */
export function runOrderEventHere(db: Db, ev: OrderEvent): Promise<StoredResponse> {
  const handle = ORDER_EVENTS[ev.kind];
  return db.batch(ev.merchantId, async (q) => {
    // The ledger head first, before the idempotency key, the order, its period stats and its commission lines: the
    // lock order of paid-order sets (docs/ledger.md, "Lock order").
    await lockLedgerHead(q, ev.merchantId);
    return idempotent(q, ev.merchantId, orderEventScope(ev.orderRef, ev.kind), ev.key, ev.body, ev.now, async () => ({
      statusCode: 200,
      body: await handle(q, ev.merchantId, ev.orderRef, ev.body, ev.now),
    }));
  });
}
