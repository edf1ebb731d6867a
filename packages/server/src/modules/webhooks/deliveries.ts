/** The delivery log of an endpoint and the manual resend. */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  log: {
    attempt: number;
    startedAt: string;
    statusCode: number | null;
    latencyMs: number;
    responseExcerpt: string | null;
    error: string | null;
  }[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

async function views(q: Sql, merchantId: string, where: string, params: unknown[], limit: number): Promise<DeliveryView[]> {
  const rows = await q.query<{
    id: string;
    event_id: string;
    type: string;
    status: string;
    attempts: number;
    next_attempt_at: Date;
    last_status_code: number | null;
    last_error: string | null;
    created_at: Date;
    updated_at: Date;
  }>(
    `SELECT d.id, d.event_id, ev.type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at
     FROM webhook_deliveries d JOIN events ev ON ev.merchant_id = d.merchant_id AND ev.id = d.event_id
     WHERE d.merchant_id = $1 AND ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT ${Number(limit)}`,
    [merchantId, ...params],
  );
  const attempts = await q.query<{
    delivery_id: string;
    attempt: number;
    started_at: Date;
    status_code: number | null;
    latency_ms: number;
    response_excerpt: string | null;
    error: string | null;
  }>(
    `SELECT delivery_id, attempt, started_at, status_code, latency_ms, response_excerpt, error FROM webhook_attempts
     WHERE merchant_id = $1 AND delivery_id = ANY($2) ORDER BY attempt`,
    [merchantId, rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    eventType: r.type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === "pending" ? iso(r.next_attempt_at) : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    log: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: iso(a.started_at),
        statusCode: a.status_code,
        latencyMs: a.latency_ms,
        responseExcerpt: a.response_excerpt,
        error: a.error,
      })),
  }));
}

export function listDeliveries(
  q: Sql,
  merchantId: string,
  endpointId: string,
  f: { limit: number; status?: string },
): Promise<DeliveryView[]> {
  return views(q, merchantId, "d.endpoint_id = $2 AND ($3::text IS NULL OR d.status = $3)", [endpointId, f.status ?? null], f.limit);
}

/** Attempt a delivery again now, whatever its status; its next failure follows the schedule from where it is. */
export async function resendDelivery(q: Sql, merchantId: string, endpointId: string, deliveryId: string, now: Date): Promise<DeliveryView> {
  const updated = await q.query(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $4, updated_at = $4
     WHERE merchant_id = $1 AND endpoint_id = $2 AND id = $3 RETURNING id`,
    [merchantId, endpointId, deliveryId, now],
  );
  if (updated.length === 0) fail("NOT_FOUND", `No delivery ${deliveryId} of webhook endpoint ${endpointId}.`);
  const [v] = await views(q, merchantId, "d.id = $2", [deliveryId], 1);
  return v as DeliveryView;
}
