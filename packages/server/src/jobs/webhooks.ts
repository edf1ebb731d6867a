/** Job: dispatch new events to subscribed endpoints, then attempt the deliveries that are due (modules/webhooks). */
import type { Clock } from "../clock.ts";
import type { KeyRing } from "../crypto/sealed.ts";
import type { Db } from "../db/client.ts";
import { dispatchEvents } from "../modules/webhooks/dispatch.ts";
import { type Outcome, SEND_BATCH_MAX, sendDue } from "../modules/webhooks/send.ts";

/** How often the webhook job runs: the first attempt is meant to be immediate, the second 5 s later. */
export const WEBHOOKS_EVERY_MS = 1_000;

/** One run: dispatch, then send rounds until fewer than a full batch was due. */
export async function runWebhooks(db: Db, clock: Clock, ring: KeyRing): Promise<{ dispatched: number; outcomes: Outcome[] }> {
  const dispatched = await dispatchEvents(db, () => clock.now());
  const outcomes: Outcome[] = [];
  for (;;) {
    const round = await sendDue(db, clock, ring);
    outcomes.push(...round);
    if (round.length < SEND_BATCH_MAX) return { dispatched, outcomes };
  }
}
