/** Deleting old rows in short transactions, shared by the purge jobs. */
import type { Db } from "../db/client.ts";

/**
 * Run `sql` — a statement that deletes at most `$2` rows older than `$1` and returns `n`, how many it deleted — in
 * its own transaction again and again until a batch deletes fewer than `batch` rows or `batchesMax` batches have run
 * (a backlog is worked off over several runs instead of holding the database for long). Returns the rows deleted.
 */
export async function deleteInBatches(db: Db, sql: string, before: Date, batch: number, batchesMax: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < batchesMax; i++) {
    const rows = await db.tx((q) => q.query<{ n: number }>(sql, [before, batch]));
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) break;
  }
  return total;
}
