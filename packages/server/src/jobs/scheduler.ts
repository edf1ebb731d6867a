/** In-process scheduler: runs each job every `everyMs`, never two runs of one job at once. Jobs are safe to run on several processes (row locks). */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { runDueCloses } from "./close.ts";
import { runRelease } from "./release.ts";

export interface Scheduler {
  stop(): void;
}

export function startScheduler(db: Db, clock: Clock, log: (msg: string) => void, everyMs = 60_000): Scheduler {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await runRelease(db, clock);
      if (n > 0) log(`released ${n} commission lines`);
      const closed = await runDueCloses(db, clock);
      if (closed.length > 0) log(`closed periods: ${closed.join(", ")}`);
    } catch (e) {
      log(`scheduled job failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
