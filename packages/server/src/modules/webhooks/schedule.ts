/**
 * When a delivery is attempted (Standard Webhooks' recommended schedule): attempt 1 at once, then after each failure
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h, each with ±10 % jitter; after the 10th attempt fails the
 * delivery is failed. A `Retry-After` longer than the scheduled wait is honoured (up to the longest step).
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** The wait before attempt n+1 (index n-1 after attempt n fails); index 0 is the first attempt's (none). */
export const RETRY_SCHEDULE_MS = [0, 5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H] as const;
export const ATTEMPTS_MAX = RETRY_SCHEDULE_MS.length;
export const JITTER = 0.1;
/** A single attempt's limit: the connection, the request and the response together. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/**
 * How long a sender holds a delivery it is attempting. A process killed during the attempt leaves the lease to expire;
 * then another sender (or the restarted one) attempts the delivery again: at least once, under the same id.
 */
export const LEASE_MS = ATTEMPT_TIMEOUT_MS + 15_000;

/** The wait after attempt `attempt` (1-based) failed, or null when it was the last. `random` in [0, 1). */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, random: number = Math.random()): number | null {
  if (attempt >= ATTEMPTS_MAX) return null;
  const base = RETRY_SCHEDULE_MS[attempt] as number;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random));
  const longest = RETRY_SCHEDULE_MS[ATTEMPTS_MAX - 1] as number;
  return retryAfterMs !== null && retryAfterMs > jittered ? Math.min(retryAfterMs, longest) : jittered;
}

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * S;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
