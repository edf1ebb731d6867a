/** In-process scheduler: runs each job every `everyMs`, never two runs of one job at once. Jobs are safe to run on several processes (row locks). */
import type { Clock } from "../clock.ts";
import type { KeyRing } from "../crypto/sealed.ts";
import type { Db } from "../db/client.ts";
import { DEFAULT_LIMITS } from "../http/limits.ts";
import { foldAll } from "../modules/analytics/fold.ts";
import { type RunnerDeps, tickPayoutRuns } from "../modules/payouts/runner.ts";
import { runDueCloses } from "./close.ts";
import { IDEMPOTENCY_RETENTION_DAYS_DEFAULT, purgeIdempotencyKeys } from "./idempotency.ts";
import { runRelease } from "./release.ts";
import { purgeExpiredSessions, purgeStaleAuthFailures } from "./sessions.ts";
import { runWebhooks, WEBHOOKS_EVERY_MS } from "./webhooks.ts";

export interface Scheduler {
  stop(): void;
}

/** How often payout runs are looked at: due steps, items to query, runs whose holder's lease has lapsed. */
export const PAYOUT_TICK_MS = 2_000;

/** How often stored Idempotency-Keys past their retention and expired login sessions are deleted. */
export const PURGE_EVERY_MS = 3_600_000;

export function startScheduler(
  db: Db,
  clock: Clock,
  log: (msg: string) => void,
  opts: {
    everyMs?: number;
    idempotencyRetentionDays?: number;
    loginLockoutMinutes?: number;
    payouts?: RunnerDeps;
    payoutEveryMs?: number;
    /** The key ring that opens webhook secrets; without it no webhook is sent. */
    secrets?: KeyRing;
    webhooksEveryMs?: number;
  } = {},
): Scheduler {
  const everyMs = opts.everyMs ?? 60_000;
  const retentionDays = opts.idempotencyRetentionDays ?? IDEMPOTENCY_RETENTION_DAYS_DEFAULT;
  let running = false;
  let lastPurge = Number.NEGATIVE_INFINITY;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await runRelease(db, clock);
      if (n > 0) log(`released ${n} commission lines`);
      const closed = await runDueCloses(db, clock);
      if (closed.length > 0) log(`closed periods: ${closed.join(", ")}`);
      // The analytics summaries: each merchant's days changed since its last fold (modules/analytics/fold.ts).
      await foldAll(db, clock.now());
      if (clock.now().getTime() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = clock.now().getTime();
        const purged = await purgeIdempotencyKeys(db, clock, retentionDays);
        if (purged > 0) log(`forgot ${purged} idempotency keys older than ${retentionDays} days`);
        const sessions = await purgeExpiredSessions(db, clock);
        if (sessions > 0) log(`deleted ${sessions} expired login sessions`);
        await purgeStaleAuthFailures(db, clock, opts.loginLockoutMinutes ?? DEFAULT_LIMITS.loginLockoutMinutes);
      }
    } catch (e) {
      log(`scheduled job failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  void tick();
  // Payout runs on their own, faster beat: a run resumes within seconds of its lease lapsing.
  const payouts = opts.payouts;
  let paying = false;
  const payoutTimer = payouts
    ? setInterval(async () => {
        if (paying) return;
        paying = true;
        try {
          await tickPayoutRuns(payouts);
        } catch (e) {
          log(`payout runs failed: ${(e as Error).message}`);
        } finally {
          paying = false;
        }
      }, opts.payoutEveryMs ?? PAYOUT_TICK_MS)
    : null;
  payoutTimer?.unref();
  const webhooks = opts.secrets ? startWebhookLoop(db, clock, log, opts.secrets, opts.webhooksEveryMs ?? WEBHOOKS_EVERY_MS) : null;
  return {
    stop: () => {
      clearInterval(timer);
      if (payoutTimer) clearInterval(payoutTimer);
      if (webhooks) clearInterval(webhooks);
    },
  };
}

/** Webhooks run on a loop of their own, every second: a close or a release must not hold up a delivery. */
function startWebhookLoop(db: Db, clock: Clock, log: (msg: string) => void, ring: KeyRing, everyMs: number): NodeJS.Timeout {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runWebhooks(db, clock, ring);
    } catch (e) {
      log(`webhook job failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  void tick();
  return timer;
}
