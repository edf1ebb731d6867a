/**
 * Failed logins and joins, counted per account (the e-mail) and per client address in the database (table
 * auth_failures), so that every server process on the same database sees the same counts.
 *
 * After `delayAfter` failures within the window, each further attempt must wait 1 s, 2 s, 4 s, … (doubling, at most
 * `maxDelaySeconds`) after the last failure; an attempt made sooner is refused without being tried. After
 * `lockAfter` failures the scope is locked for `lockoutMinutes`. Failures older than `lockoutMinutes`, and those
 * before a lockout that has run out, are forgotten; a successful attempt forgets the account's failures.
 * The same answer is given for accounts that exist and those that do not.
 */
import type { Sql } from "../../db/client.ts";

export type FailureScope = "account" | "ip";

export interface ScopePolicy {
  delayAfter: number;
  lockAfter: number;
}

export interface LockoutPolicy {
  account: ScopePolicy;
  ip: ScopePolicy;
  lockoutMinutes: number;
  maxDelaySeconds: number;
}

export interface FailureKey {
  scope: FailureScope;
  key: string;
}

type FailureRow = {
  scope: FailureScope;
  key: string;
  failures: number;
  last_failed_at: Date;
  locked_until: Date | null;
};

export interface Wait {
  scope: FailureScope;
  reason: "locked" | "delay";
  retryAfterSeconds: number;
}

/** Failures that still count at `now`: neither older than the window nor from before a served lockout. */
function current(row: FailureRow, policy: LockoutPolicy, now: Date): number {
  const t = now.getTime();
  if (row.locked_until && new Date(row.locked_until).getTime() <= t) return 0;
  if (new Date(row.last_failed_at).getTime() + policy.lockoutMinutes * 60_000 <= t) return 0;
  return row.failures;
}

/** Seconds to wait after the last of `failures` failures (0 below the threshold): 1, 2, 4, … up to the maximum. */
export function delaySeconds(failures: number, p: ScopePolicy, maxDelaySeconds: number): number {
  if (failures < p.delayAfter) return 0;
  return Math.min(maxDelaySeconds, 2 ** Math.min(30, failures - p.delayAfter));
}

function waitOf(row: FailureRow, policy: LockoutPolicy, now: Date): Wait | null {
  const n = current(row, policy, now);
  if (n === 0) return null;
  const t = now.getTime();
  if (row.locked_until && new Date(row.locked_until).getTime() > t)
    return { scope: row.scope, reason: "locked", retryAfterSeconds: Math.ceil((new Date(row.locked_until).getTime() - t) / 1000) };
  const notBefore = new Date(row.last_failed_at).getTime() + delaySeconds(n, policy[row.scope], policy.maxDelaySeconds) * 1000;
  if (notBefore > t) return { scope: row.scope, reason: "delay", retryAfterSeconds: Math.ceil((notBefore - t) / 1000) };
  return null;
}

async function rowsOf(q: Sql, keys: FailureKey[], forUpdate: boolean): Promise<FailureRow[]> {
  if (keys.length === 0) return [];
  return q.query<FailureRow>(
    `SELECT scope, key, failures, last_failed_at, locked_until FROM auth_failures
     WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY scope, key${forUpdate ? " FOR UPDATE" : ""}`,
    [keys.map((k) => k.scope), keys.map((k) => k.key)],
  );
}

/** The longest wait any of the scopes imposes at `now`, or null when an attempt may be made. */
export async function lockoutWait(q: Sql, keys: FailureKey[], policy: LockoutPolicy, now: Date): Promise<Wait | null> {
  let worst: Wait | null = null;
  for (const row of await rowsOf(q, keys, false)) {
    const w = waitOf(row, policy, now);
    if (w && (!worst || w.retryAfterSeconds > worst.retryAfterSeconds)) worst = w;
  }
  return worst;
}

/** Count one failure in every scope (in one transaction); lock a scope that reaches its threshold. */
export async function recordAuthFailure(q: Sql, keys: FailureKey[], policy: LockoutPolicy, now: Date): Promise<void> {
  const sorted = [...keys].sort((a, b) => (a.scope + a.key < b.scope + b.key ? -1 : 1));
  for (const k of sorted)
    await q.query(
      `INSERT INTO auth_failures (scope, key, failures, last_failed_at) VALUES ($1, $2, 0, $3) ON CONFLICT (scope, key) DO NOTHING`,
      [k.scope, k.key, now],
    );
  for (const row of await rowsOf(q, sorted, true)) {
    const failures = current(row, policy, now) + 1;
    const lockedUntil =
      failures >= policy[row.scope].lockAfter
        ? new Date(now.getTime() + policy.lockoutMinutes * 60_000)
        : row.locked_until && new Date(row.locked_until).getTime() > now.getTime()
          ? row.locked_until
          : null;
    await q.query("UPDATE auth_failures SET failures = $3, last_failed_at = $4, locked_until = $5 WHERE scope = $1 AND key = $2", [
      row.scope,
      row.key,
      failures,
      now,
      lockedUntil,
    ]);
  }
}

export async function clearAuthFailures(q: Sql, k: FailureKey): Promise<void> {
  await q.query("DELETE FROM auth_failures WHERE scope = $1 AND key = $2", [k.scope, k.key]);
}
