/**
 * The sender: attempts due deliveries. A delivery is first leased (attempts + 1, lease_until) in a short transaction,
 * then POSTed outside any transaction, then its result recorded. A process killed in between leaves the lease to expire,
 * and the delivery is attempted again under the same webhook-id (at least once; receivers dedupe on the id).
 */
import type { Clock } from "../../clock.ts";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db, Sql } from "../../db/client.ts";
import { type AttemptResult, postWebhook } from "./http.ts";
import { signingSecrets } from "./repository.ts";
import { LEASE_MS, parseRetryAfter, retryDelayMs } from "./schedule.ts";
import { signatureHeader } from "./signature.ts";

/** Deliveries leased (and attempted in parallel) per round. */
export const SEND_BATCH_MAX = 20;

type Claimed = {
  merchant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Date | null;
  type: string;
  data: unknown;
  occurred_at: Date;
};

async function claim(q: Sql, now: Date, batchMax: number): Promise<Claimed[]> {
  const leased = await q.query<{ merchant_id: string; id: string }>(
    `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, lease_until = $2, updated_at = $1
     FROM (SELECT d.merchant_id, d.id FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.merchant_id = d.merchant_id AND e.id = d.endpoint_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1) AND e.disabled_at IS NULL
           ORDER BY d.next_attempt_at LIMIT $3 FOR UPDATE OF d SKIP LOCKED) due
     WHERE d.merchant_id = due.merchant_id AND d.id = due.id RETURNING d.merchant_id, d.id`,
    [now, new Date(now.getTime() + LEASE_MS), batchMax],
  );
  if (leased.length === 0) return [];
  return q.query<Claimed>(
    `SELECT d.merchant_id, d.id, d.endpoint_id, d.event_id, d.attempts, e.url, e.secret_sealed, e.previous_secret_sealed,
            e.previous_secret_until, ev.type, ev.data, ev.occurred_at
     FROM unnest($1::text[], $2::text[]) AS l(merchant_id, id)
     JOIN webhook_deliveries d ON d.merchant_id = l.merchant_id AND d.id = l.id
     JOIN webhook_endpoints e ON e.merchant_id = d.merchant_id AND e.id = d.endpoint_id
     JOIN events ev ON ev.merchant_id = d.merchant_id AND ev.id = d.event_id`,
    [leased.map((l) => l.merchant_id), leased.map((l) => l.id)],
  );
}

/** The body of an event's deliveries: the same bytes at every attempt. */
export function eventBody(e: { type: string; occurred_at: Date | string; data: unknown }): string {
  return JSON.stringify({ type: e.type, timestamp: new Date(e.occurred_at).toISOString(), data: e.data });
}

async function attempt(ring: KeyRing, d: Claimed, now: Date): Promise<AttemptResult> {
  const body = eventBody(d);
  const timestamp = Math.floor(now.getTime() / 1000);
  let secrets: string[];
  try {
    secrets = signingSecrets(ring, d.merchant_id, d.endpoint_id, d, now);
  } catch (e) {
    return { statusCode: null, retryAfter: undefined, excerpt: null, error: `cannot sign: ${(e as Error).message}`, latencyMs: 0 };
  }
  const headers = {
    "user-agent": "Fenxiao-Webhooks/1",
    "webhook-id": d.event_id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureHeader(secrets, d.event_id, timestamp, body),
  };
  return postWebhook(d.url, headers, body);
}

export type Outcome = "succeeded" | "retry" | "failed" | "gone";

export function outcomeOf(r: AttemptResult, attempts: number): Outcome {
  if (r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300) return "succeeded";
  if (r.statusCode === 410) return "gone";
  return retryDelayMs(attempts, null) === null ? "failed" : "retry";
}

async function record(q: Sql, d: Claimed, r: AttemptResult, startedAt: Date, now: Date): Promise<Outcome> {
  // (An endpoint deleted meanwhile took its deliveries with it: then there is nothing to record.)
  await q.query(
    `INSERT INTO webhook_attempts (merchant_id, delivery_id, attempt, endpoint_id, started_at, latency_ms, status_code, response_excerpt, error)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE merchant_id = $1 AND id = $2)
     ON CONFLICT DO NOTHING`,
    [d.merchant_id, d.id, d.attempts, d.endpoint_id, startedAt, r.latencyMs, r.statusCode, r.excerpt, r.error],
  );
  const outcome = outcomeOf(r, d.attempts);
  const last = [d.merchant_id, d.id, r.statusCode, r.error, now] as const;
  if (outcome === "succeeded") {
    await q.query(
      `UPDATE webhook_deliveries SET status = 'succeeded', lease_until = NULL, last_status_code = $3, last_error = $4, updated_at = $5
       WHERE merchant_id = $1 AND id = $2`,
      last,
    );
    return outcome;
  }
  // A late result of an attempt whose lease ran out (another attempt has begun) leaves the delivery to that attempt.
  const mine = "merchant_id = $1 AND id = $2 AND status = 'pending' AND attempts = $6";
  if (outcome === "retry") {
    const delay = retryDelayMs(d.attempts, parseRetryAfter(r.retryAfter, now)) as number;
    await q.query(
      `UPDATE webhook_deliveries SET next_attempt_at = $7, lease_until = NULL, last_status_code = $3, last_error = $4, updated_at = $5 WHERE ${mine}`,
      [...last, d.attempts, new Date(now.getTime() + delay)],
    );
    return outcome;
  }
  await q.query(
    `UPDATE webhook_deliveries SET status = 'failed', lease_until = NULL, last_status_code = $3, last_error = $4, updated_at = $5 WHERE ${mine}`,
    [...last, d.attempts],
  );
  if (outcome === "gone")
    await q.query(
      `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, $3), disabled_reason = coalesce(disabled_reason, 'the endpoint answered 410 Gone'), updated_at = $3
       WHERE merchant_id = $1 AND id = $2`,
      [d.merchant_id, d.endpoint_id, now],
    );
  return outcome;
}

/** Lease the due deliveries, attempt them in parallel, record the results. Returns the outcomes (one per delivery). */
export async function sendDue(db: Db, clock: Clock, ring: KeyRing, batchMax = SEND_BATCH_MAX): Promise<Outcome[]> {
  const claimed = await db.tx((q) => claim(q, clock.now(), batchMax));
  return Promise.all(
    claimed.map(async (d) => {
      const startedAt = clock.now();
      const r = await attempt(ring, d, startedAt);
      return db.tx((q) => record(q, d, r, startedAt, clock.now()));
    }),
  );
}
