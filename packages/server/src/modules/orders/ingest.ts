/**
 * Paid-order ingest as a set (group commit), one pipeline for one order or many:
 *
 *   1. read state   set-state.ts  `readSetState`: one call (`fenxiao_ingest_state`), after locking the merchant's ledger head
 *   2. attribute    set-plan.ts   each order in memory, one after another (two orders of one customer in the same set see
 *   3. evaluate     set-plan.ts   each other exactly as they would one by one)
 *   4. post         set-plan.ts   the order's rows, commission lines, ledger accrual and response
 *   5. write        set-write.ts  `writeSet`: one call (`fenxiao_ingest_write`) with everything the set produced
 *
 * A single order is a set of one: there is one code path. A unit that fails validation is reported with its own error
 * and writes nothing; the others go on. The queue (queue.ts) forms the sets and handles idempotency keys around this.
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import type { PaidOrderBody } from "./schema.ts";
import { planSet, type UnitResult } from "./set-plan.ts";
import { readSetState } from "./set-state.ts";
import { writeSet } from "./set-write.ts";

export { planSet, type UnitResult } from "./set-plan.ts";
export { loadPlans, readSetState, readSetStates, type SetState, type SetStateRequest, statsFromYear } from "./set-state.ts";
export {
  INGEST_WRITE_CALL,
  ingestWriteParams,
  type KeyRow,
  ledgerRows,
  type SetWritePart,
  type SetWrites,
  writeSet,
  writeSets,
} from "./set-write.ts";

/** Ingest paid orders as one set (no idempotency keys): read, decide in memory, write. */
export async function ingestPaidOrders(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  now: Date,
): Promise<UnitResult[]> {
  const st = await readSetState(q, merchantId, bodies, "", []);
  const { results, writes } = await planSet(ring, merchantId, bodies, st, now);
  await writeSet(q, merchantId, now, st.head, writes, "", []);
  return results;
}
