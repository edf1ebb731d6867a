/** Job: close every ended period of every active program once its grace days have passed, oldest first. */
import { periodOf } from "@fenxiao/core";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { closeProgramPeriod, snapshotReader } from "../modules/periods/service.ts";
import { getProgram } from "../modules/programs/repository.ts";

/** Periods closed per program per run at most (a server that was down for years catches up over several runs). */
export const CLOSES_PER_RUN_MAX = 24;

export async function runDueCloses(db: Db, clock: Clock): Promise<string[]> {
  const programs = await db.read((q) =>
    q.query<{ merchant_id: string; id: string; close_grace_days: number; timezone: string; period_kind: "month" | "week" | "quarter" }>(
      "SELECT merchant_id, id, close_grace_days, timezone, period_kind FROM programs WHERE status = 'active' ORDER BY merchant_id, id",
    ),
  );
  const closed: string[] = [];
  for (const p of programs) {
    const now = clock.now();
    // The newest period that may close: the one before the period containing (now − grace).
    const graceAgo = new Date(now.getTime() - p.close_grace_days * 86_400_000);
    const lastDueEnd = Date.parse(periodOf(graceAgo.toISOString(), p.period_kind, p.timezone).startsAt);
    const [first] = await db.read((q) =>
      q.query<{ min: Date | null }>(
        `SELECT min(o.paid_at) AS min FROM orders o WHERE o.merchant_id = $1 AND o.program_id = $2
           AND NOT EXISTS (SELECT 1 FROM period_closes c WHERE c.merchant_id = o.merchant_id AND c.program_id = o.program_id AND c.period_key = o.period_key)`,
        [p.merchant_id, p.id],
      ),
    );
    if (!first?.min) continue;
    let period = periodOf(new Date(first.min).toISOString(), p.period_kind, p.timezone);
    for (let n = 0; n < CLOSES_PER_RUN_MAX && Date.parse(period.endsAt) <= lastDueEnd; n++) {
      const key = period.key;
      const out = await db.tx(async (q) => closeProgramPeriod(q, await getProgram(q, p.merchant_id, p.id), key, now, snapshotReader(db)));
      if (!out.alreadyClosed) closed.push(`${p.merchant_id}/${p.id}/${key}`);
      period = periodOf(period.endsAt, p.period_kind, p.timezone);
    }
  }
  return closed;
}
