/** Job: delete login sessions that have expired (an expired session is refused anyway; this keeps the table small). */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";

/** Sessions deleted per database transaction. */
export const SESSION_PURGE_BATCH = 5000;
/** Batches per run at most. */
export const SESSION_PURGE_BATCHES_PER_RUN = 20;

export async function purgeExpiredSessions(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  let total = 0;
  for (let i = 0; i < SESSION_PURGE_BATCHES_PER_RUN; i++) {
    const rows = await db.tx((q) =>
      q.query<{ n: number }>(
        `WITH gone AS (DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at < $1 LIMIT $2) RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [now, SESSION_PURGE_BATCH],
      ),
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < SESSION_PURGE_BATCH) break;
  }
  return total;
}
