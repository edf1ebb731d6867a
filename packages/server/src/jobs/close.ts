/** Job: close every program's previous period once it has ended and its grace days have passed. */
import { periodOf } from "@fenxiao/core";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { closeProgramPeriod } from "../modules/periods/service.ts";
import { getProgram } from "../modules/programs/repository.ts";

export async function runDueCloses(db: Db, clock: Clock): Promise<string[]> {
  const programs = await db.read((q) =>
    q.query<{ merchant_id: string; id: string; close_grace_days: number; timezone: string; period_kind: "month" | "week" | "quarter" }>(
      "SELECT merchant_id, id, close_grace_days, timezone, period_kind FROM programs WHERE status = 'active'",
    ),
  );
  const closed: string[] = [];
  for (const p of programs) {
    const now = clock.now();
    const graceAgo = new Date(now.getTime() - p.close_grace_days * 86_400_000);
    const current = periodOf(graceAgo.toISOString(), p.period_kind, p.timezone);
    // the period before the one that contains (now − grace)
    const previous = periodOf(new Date(Date.parse(current.startsAt) - 1).toISOString(), p.period_kind, p.timezone);
    const [first] = await db.read((q) =>
      q.query<{ min: Date | null }>("SELECT min(paid_at) AS min FROM orders WHERE merchant_id = $1 AND program_id = $2", [
        p.merchant_id,
        p.id,
      ]),
    );
    if (!first?.min || new Date(first.min).getTime() >= Date.parse(previous.endsAt)) continue;
    const out = await db.tx(async (q) => closeProgramPeriod(q, await getProgram(q, p.merchant_id, p.id), previous.key, now));
    if (!out.alreadyClosed) closed.push(`${p.merchant_id}/${p.id}/${previous.key}`);
  }
  return closed;
}
