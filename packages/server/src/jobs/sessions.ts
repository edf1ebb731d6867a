/** Job: delete login sessions that have expired (an expired session is refused anyway; this keeps the table small). */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { deleteInBatches } from "./purge.ts";

/** Sessions deleted per database transaction. */
export const SESSION_PURGE_BATCH = 5000;
/** Batches per run at most. */
export const SESSION_PURGE_BATCHES_PER_RUN = 20;

export async function purgeExpiredSessions(db: Db, clock: Clock): Promise<number> {
  return deleteInBatches(
    db,
    `WITH gone AS (DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 LIMIT $2) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    clock.now(),
    SESSION_PURGE_BATCH,
    SESSION_PURGE_BATCHES_PER_RUN,
  );
}
