/** Job: move commission whose order is completed and whose hold days have passed from pending to available. */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/client.ts";
import { releaseDue } from "../modules/orders/service.ts";

/** Lines released per database transaction. */
export const RELEASE_BATCH_MAX = 1000;

export async function runRelease(db: Db, clock: Clock): Promise<number> {
  const merchants = await db.read((q) =>
    q.query<{ merchant_id: string }>("SELECT DISTINCT merchant_id FROM commission_lines WHERE state = 'pending' AND available_at <= $1", [
      clock.now(),
    ]),
  );
  let total = 0;
  for (const { merchant_id } of merchants) {
    for (;;) {
      const n = await db.tx((q) => releaseDue(q, merchant_id, clock.now(), RELEASE_BATCH_MAX));
      total += n;
      if (n < RELEASE_BATCH_MAX) break;
    }
  }
  return total;
}
