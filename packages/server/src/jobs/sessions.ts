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

/**
 * Delete counts of failed logins and joins that no longer count: the last failure is older than the lockout
 * (LOGIN_LOCKOUT_MINUTES), so any lockout it caused has run out too (modules/auth/lockout.ts).
 */
export async function purgeStaleAuthFailures(db: Db, clock: Clock, lockoutMinutes: number): Promise<number> {
  return deleteInBatches(
    db,
    `WITH old AS (SELECT scope, key FROM auth_failures WHERE last_failed_at < $1 LIMIT $2),
          gone AS (DELETE FROM auth_failures a USING old WHERE a.scope = old.scope AND a.key = old.key RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    new Date(clock.now().getTime() - lockoutMinutes * 60_000),
    SESSION_PURGE_BATCH,
    SESSION_PURGE_BATCHES_PER_RUN,
  );
}
