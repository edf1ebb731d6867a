/**
 * The outbox of domain events (table `events`, migration 0009). A module that changes something a merchant's systems
 * should hear about calls `emitEvent` with the same `q` as the change, so the event is committed with it or not at all:
 * none is lost and none invented. The webhooks module delivers them (each event to each subscribed endpoint under
 * the event's id, however often it retries).
 *
 * Event types are named `<resource>.<what happened>`; `data` is the resource as the API shows it (masked personal data
 * only, never a secret).
 */
import type { Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";

export const EVENT_TYPES = [
  "order.attributed",
  "commission.created",
  "commission.reversed",
  "commission.available",
  "customer.rewarded",
  "withdrawal.state_changed",
  "payout.succeeded",
  "payout.failed",
  "period.closed",
  "plan.published",
  "funding.low_budget",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent {
  type: EventType;
  /** What the event is about, e.g. `withdrawal:wd_…`. */
  subject: string;
  data: Record<string, unknown>;
}

/** Append events in the caller's transaction; returns their ids (`evt_…`), which deliveries carry as `webhook-id`. */
export async function emitEvents(q: Sql, merchantId: string, events: readonly DomainEvent[], at: Date): Promise<string[]> {
  const [ids] = await emitEventsOf(q, [{ merchantId, events, at }]);
  return ids ?? [];
}

/** The events of several merchants (each group at its own time) with one insert; their ids, per group. */
export async function emitEventsOf(
  q: Sql,
  groups: readonly { merchantId: string; events: readonly DomainEvent[]; at: Date }[],
): Promise<string[][]> {
  const insert = eventsInsert(groups, 1);
  if (insert.text) await q.query(insert.text, insert.params);
  return insert.ids;
}

/**
 * The insert of several merchants' events as SQL text with its parameters numbered from `first` on, for a caller that
 * sends it as part of a statement of its own (a data-modifying `WITH`); `text` is empty when there is no event.
 */
export function eventsInsert(
  groups: readonly { merchantId: string; events: readonly DomainEvent[]; at: Date }[],
  first: number,
): { text: string; params: unknown[]; ids: string[][] } {
  const ids = groups.map((g) => g.events.map(() => newId("evt")));
  const rows = groups.flatMap((g, k) => g.events.map((e, i) => ({ g, e, id: (ids[k] as string[])[i] as string })));
  if (rows.length === 0) return { text: "", params: [], ids };
  const p = (i: number) => `$${first + i}`;
  const text = `INSERT INTO events (merchant_id, id, type, subject, data, occurred_at)
     SELECT e.merchant_id, e.id, e.type, e.subject, e.data, e.occurred_at
     FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::jsonb[], ${p(5)}::timestamptz[])
       WITH ORDINALITY AS e(merchant_id, id, type, subject, data, occurred_at, n) ORDER BY e.n`;
  const params = [
    rows.map((r) => r.g.merchantId),
    rows.map((r) => r.id),
    rows.map((r) => r.e.type),
    rows.map((r) => r.e.subject),
    rows.map((r) => JSON.stringify(r.e.data)),
    rows.map((r) => r.g.at.toISOString()),
  ];
  return { text, params, ids };
}

export function emitEvent(q: Sql, merchantId: string, event: DomainEvent, at: Date): Promise<string[]> {
  return emitEvents(q, merchantId, [event], at);
}
