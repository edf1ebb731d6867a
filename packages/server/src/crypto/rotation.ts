/**
 * Key rotation of sealed values (`fenxiao keys rotate`, docs/operations.md "Rotating FENXIAO_SECRET_KEY"): every
 * module that seals values names its tables as `SealedTarget`s; each value still under an earlier key of the ring is
 * opened and sealed again under the current key (with any blind index recomputed), in the same update. Batches of rows,
 * each its own transaction, walked in the target's key order: a stopped run leaves every finished batch done, the next
 * run finds only what is left (a value already under the current key is not touched), so it is resumable and running it
 * twice changes nothing the second time. A value that opens under no key of the ring is counted as unreadable and left.
 */
import type { Db, Sql } from "../db/sql.ts";
import { type KeyRing, SealError } from "./sealed.ts";

export const ROTATE_BATCH_DEFAULT = 500;

export interface RotationCount {
  table: string;
  /** Rows found with a value under an earlier key. */
  found: number;
  /** Of those, re-sealed under the current key (blind index recomputed). */
  resealed: number;
  /** Of those, not opened by any key of the ring (left as they are). */
  unreadable: number;
}

export interface SealedTarget<R extends object = Record<string, unknown>> {
  table: string;
  /**
   * Rows with a value not under the current key, after the cursor: `$1` is the cursor (text, "" at first), `$2` a LIKE
   * pattern that matches values under the current key, `$3` the batch size. Each row has a text column `rotation_key`
   * (the walking order, ORDER BY it) and is locked FOR UPDATE.
   */
  select: string;
  /** The row's parameters for `update`, with its values re-sealed; throws SealError when a value opens under no key. */
  redo(ring: KeyRing, row: R): unknown[];
  update: string;
}

async function rotateBatch<R extends object>(q: Sql, ring: KeyRing, t: SealedTarget<R>, after: string, batchSize: number) {
  const rows = await q.query<R & { rotation_key: string }>(t.select, [after, `v1.${ring.current.id}.%`, batchSize]);
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    let values: unknown[];
    try {
      values = t.redo(ring, row);
    } catch (e) {
      if (!(e instanceof SealError)) throw e;
      unreadable++;
      continue;
    }
    await q.query(t.update, values);
    resealed++;
  }
  const last = rows.length < batchSize ? null : String(rows.at(-1)?.rotation_key);
  return { last, found: rows.length, resealed, unreadable };
}

export async function rotateTable<R extends object>(
  db: Db,
  ring: KeyRing,
  t: SealedTarget<R>,
  batchSize = ROTATE_BATCH_DEFAULT,
  log: (line: string) => void = () => {},
): Promise<RotationCount> {
  const count: RotationCount = { table: t.table, found: 0, resealed: 0, unreadable: 0 };
  let after: string | null = "";
  while (after !== null) {
    const from: string = after;
    const b = await db.tx((q) => rotateBatch(q, ring, t, from, batchSize));
    count.found += b.found;
    count.resealed += b.resealed;
    count.unreadable += b.unreadable;
    if (b.found > 0) log(`${t.table}: ${count.resealed} re-sealed so far${count.unreadable ? `, ${count.unreadable} unreadable` : ""}`);
    after = b.last;
  }
  return count;
}

/** Every target in turn; the counts per table. */
export async function rotateTargets(
  db: Db,
  ring: KeyRing,
  targets: readonly SealedTarget<never>[],
  opts: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<RotationCount[]> {
  const out: RotationCount[] = [];
  for (const t of targets) out.push(await rotateTable(db, ring, t as SealedTarget<object>, opts.batchSize, opts.log));
  return out;
}
