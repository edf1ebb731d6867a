/**
 * Key rotation (`fenxiao keys rotate`, docs/operations.md "Rotating FENXIAO_SECRET_KEY"): every sealed value still
 * under an earlier key of the ring is opened and sealed again under the current key, and the row's blind index is
 * computed again under the current key, in the same update. Batches of rows, each its own transaction, walked in key
 * order: a run that is stopped leaves every finished batch done, and the next run finds only what is left (a value
 * already under the current key is not touched), so it is resumable and running it twice changes nothing the second
 * time. A value that opens under no key of the ring is counted as unreadable and left as it is.
 */
import { type KeyRing, open, reseal, SealError } from "../../crypto/sealed.ts";
import type { Db, Sql } from "../../db/client.ts";
import type { IdentityRow, PayoutAccountRow } from "./repository.ts";
import { accountIndex, identityAad, idNumberIndex, type PayoutDetails, payoutAccountAad } from "./sealing.ts";

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

interface Target<R> {
  table: string;
  key: string;
  /** Rows after `after` (in key order) with a value not under `current`. */
  select: string;
  /** The row's new sealed values and index, written by `update`. */
  redo(ring: KeyRing, row: R): unknown[];
  update: string;
}

const identities: Target<IdentityRow> = {
  table: "promoter_identities",
  key: "promoter_id",
  select: `SELECT * FROM promoter_identities
           WHERE promoter_id > $1 AND (legal_name_sealed NOT LIKE $2 OR id_number_sealed NOT LIKE $2 OR phone_sealed NOT LIKE $2)
           ORDER BY promoter_id LIMIT $3 FOR UPDATE`,
  redo(ring, r) {
    const id = r.promoter_id;
    const idNumberSealed = reseal(ring, r.id_number_sealed, identityAad("id_number", id));
    const idNumber = open(ring, idNumberSealed, identityAad("id_number", id));
    return [
      id,
      reseal(ring, r.legal_name_sealed, identityAad("legal_name", id)),
      idNumberSealed,
      r.phone_sealed === null ? null : reseal(ring, r.phone_sealed, identityAad("phone", id)),
      idNumberIndex(ring.current, r.id_type, idNumber),
    ];
  },
  update: `UPDATE promoter_identities SET legal_name_sealed = $2, id_number_sealed = $3, phone_sealed = $4, id_number_index = $5
           WHERE promoter_id = $1`,
};

const payoutAccounts: Target<PayoutAccountRow> = {
  table: "payout_accounts",
  key: "id",
  select: `SELECT * FROM payout_accounts WHERE id > $1 AND details_sealed NOT LIKE $2 ORDER BY id LIMIT $3 FOR UPDATE`,
  redo(ring, r) {
    const sealed = reseal(ring, r.details_sealed, payoutAccountAad(r.id));
    const d = JSON.parse(open(ring, sealed, payoutAccountAad(r.id))) as PayoutDetails;
    return [r.id, sealed, accountIndex(ring.current, d)];
  },
  update: "UPDATE payout_accounts SET details_sealed = $2, account_index = $3 WHERE id = $1",
};

/** One batch of a table: returns its count and the last key it read (null when the table is done). */
async function rotateBatch<R extends object>(
  q: Sql,
  ring: KeyRing,
  t: Target<R>,
  after: string,
  batchSize: number,
): Promise<{ last: string | null; found: number; resealed: number; unreadable: number }> {
  const rows = await q.query<R & Record<string, unknown>>(t.select, [after, `v1.${ring.current.id}.%`, batchSize]);
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
  const last = rows.length < batchSize ? null : String((rows.at(-1) as Record<string, unknown>)[t.key]);
  return { last, found: rows.length, resealed, unreadable };
}

async function rotateTable<R extends object>(
  db: Db,
  ring: KeyRing,
  t: Target<R>,
  batchSize: number,
  log: (line: string) => void,
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

/** Re-seal every value of this module not under the ring's current key; the counts per table. */
export async function rotateSealedValues(
  db: Db,
  ring: KeyRing,
  opts: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<RotationCount[]> {
  const batchSize = opts.batchSize ?? ROTATE_BATCH_DEFAULT;
  const log = opts.log ?? (() => {});
  return [await rotateTable(db, ring, identities, batchSize, log), await rotateTable(db, ring, payoutAccounts, batchSize, log)];
}
