/**
 * The dispatcher: events of the outbox not yet dispatched become one delivery per subscribed endpoint, in one
 * transaction with marking them dispatched. `FOR UPDATE SKIP LOCKED` lets several server processes share the work
 * without taking the same event twice. An endpoint gets the events of the types it subscribes to that occur while it
 * exists and is enabled; a unique key (endpoint, event) makes a repeated dispatch harmless.
 */
import type { Db, Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";

/** Events dispatched per transaction. */
export const DISPATCH_BATCH_MAX = 500;

export interface Subscription {
  events: string[];
}

export function subscribes(e: Subscription, type: string): boolean {
  return e.events.includes("*") || e.events.includes(type);
}

/** An endpoint receives the events that occur from its creation on (an older event not yet dispatched is not its). */
function receives(ep: { created_at: Date }, ev: { occurred_at: Date }): boolean {
  return new Date(ev.occurred_at).getTime() >= new Date(ep.created_at).getTime();
}

async function dispatchBatch(q: Sql, now: Date, batchMax: number): Promise<number> {
  const events = await q.query<{ merchant_id: string; id: string; type: string; occurred_at: Date }>(
    "SELECT merchant_id, id, type, occurred_at FROM events WHERE dispatched_at IS NULL ORDER BY pos LIMIT $1 FOR UPDATE SKIP LOCKED",
    [batchMax],
  );
  if (events.length === 0) return 0;
  const merchants = [...new Set(events.map((e) => e.merchant_id))];
  const endpoints = await q.query<{ merchant_id: string; id: string; events: string[]; created_at: Date }>(
    "SELECT merchant_id, id, events, created_at FROM webhook_endpoints WHERE merchant_id = ANY($1) AND disabled_at IS NULL",
    [merchants],
  );
  const rows: { merchant: string; endpoint: string; event: string }[] = [];
  for (const ev of events)
    for (const ep of endpoints)
      if (ep.merchant_id === ev.merchant_id && subscribes(ep, ev.type) && receives(ep, ev))
        rows.push({ merchant: ev.merchant_id, endpoint: ep.id, event: ev.id });
  if (rows.length > 0)
    await q.query(
      `INSERT INTO webhook_deliveries (merchant_id, id, endpoint_id, event_id, status, next_attempt_at, created_at, updated_at)
       SELECT d.merchant_id, d.id, d.endpoint_id, d.event_id, 'pending', $1, $1, $1
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS d(merchant_id, id, endpoint_id, event_id)
       ON CONFLICT (merchant_id, endpoint_id, event_id) DO NOTHING`,
      [now, rows.map((r) => r.merchant), rows.map(() => newId("whd")), rows.map((r) => r.endpoint), rows.map((r) => r.event)],
    );
  await q.query(
    `UPDATE events SET dispatched_at = $1 FROM unnest($2::text[], $3::text[]) AS e(merchant_id, id)
     WHERE events.merchant_id = e.merchant_id AND events.id = e.id`,
    [now, events.map((e) => e.merchant_id), events.map((e) => e.id)],
  );
  return events.length;
}

/** Dispatch every undispatched event, a batch per transaction. Returns how many events were dispatched. */
export async function dispatchEvents(db: Db, now: () => Date, batchMax = DISPATCH_BATCH_MAX): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.tx((q) => dispatchBatch(q, now(), batchMax));
    total += n;
    if (n < batchMax) return total;
  }
}
