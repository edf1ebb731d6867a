/**
 * Job: forget stored Idempotency-Keys older than the retention (IDEMPOTENCY_RETENTION_DAYS, default 30 days), so that
 * the table holds a window of retries instead of growing with every request forever. A request retried with a key
 * after its retention is a new request: a paid order is still refused as ORDER_EXISTS by its orderRef, a refund
 * with a refundRef is still answered from its first effect; a refund without one would be applied again (see
 * docs/api.md). 0 keeps keys forever.
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { deleteInBatches } from "./purge.ts";

export const IDEMPOTENCY_RETENTION_DAYS_DEFAULT = 30;
/** The longest retention that can be set (ten years); beyond it, keep keys forever with 0. */
export const IDEMPOTENCY_RETENTION_DAYS_MAX = 3650;
/** Keys deleted per database transaction. */
export const IDEMPOTENCY_PURGE_BATCH = 5000;
/** Batches per run at most: a backlog is worked off over several runs instead of holding the database for long. */
export const IDEMPOTENCY_PURGE_BATCHES_PER_RUN = 20;

/** Parse IDEMPOTENCY_RETENTION_DAYS: a whole number of days from 0 (keep forever) to the maximum. */
export function parseRetentionDays(v: string | undefined): number {
  if (v === undefined || v.trim() === "") return IDEMPOTENCY_RETENTION_DAYS_DEFAULT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > IDEMPOTENCY_RETENTION_DAYS_MAX)
    throw new Error(
      `IDEMPOTENCY_RETENTION_DAYS must be a whole number of days from 0 (keep forever) to ${IDEMPOTENCY_RETENTION_DAYS_MAX}, got ${v}`,
    );
  return n;
}

/** Delete keys stored before now − retention; returns how many. */
export async function purgeIdempotencyKeys(db: Db, clock: Clock, retentionDays: number): Promise<number> {
  if (retentionDays <= 0) return 0;
  const before = new Date(clock.now().getTime() - retentionDays * 86_400_000);
  return deleteInBatches(
    db,
    `WITH old AS (SELECT merchant_id, scope, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2),
          gone AS (DELETE FROM idempotency_keys i USING old
                   WHERE i.merchant_id = old.merchant_id AND i.scope = old.scope AND i.key = old.key RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    before,
    IDEMPOTENCY_PURGE_BATCH,
    IDEMPOTENCY_PURGE_BATCHES_PER_RUN,
  );
}
