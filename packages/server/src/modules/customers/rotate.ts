/**
 * Customers' sealed phones and names for key rotation (crypto/rotation.ts; `fenxiao keys rotate`), and the sealing of
 * rows still in clear (written before migration 0024), which runs at every start before the server listens
 * (`sealClearContacts` in sealed-targets.ts) and as part of a rotation.
 *
 * One update per row puts ciphertext, blind index and masked form under the current key and empties the clear columns.
 * Where a row has both a sealed value and a clear one, the sealed value is the newer (clear columns are never written
 * since 0024) and is kept. Batches of rows in key order, each its own transaction: a start stopped midway leaves every
 * finished batch sealed and cleared, and the next start finds only the rows left.
 */
import type { SealedTarget } from "../../crypto/rotation.ts";
import { type KeyRing, reseal } from "../../crypto/sealed.ts";
import { type CustomerField, customerAad, openCustomerField, sealCustomerField } from "./sealing.ts";

export interface CustomerSealRow {
  merchant_id: string;
  id: string;
  customer_ref: string;
  phone: string | null;
  name: string | null;
  phone_sealed: string | null;
  name_sealed: string | null;
}

/** The walking order: (merchant, id) as one text cursor (ids never hold a space). */
const CURSOR = `merchant_id || ' ' || id`;
const AFTER = `(merchant_id, id) > (split_part($1, ' ', 1), split_part($1, ' ', 2))`;
const COLS = `merchant_id, id, customer_ref, phone, name, phone_sealed, name_sealed, ${CURSOR} AS rotation_key`;

/** One field's columns under the current key: the sealed value re-sealed (and opened for its index), or the clear one sealed. */
function redoField(ring: KeyRing, r: CustomerSealRow, field: CustomerField): (string | null)[] {
  const sealed = r[`${field}_sealed`];
  const clear = sealed === null ? r[field] : openCustomerField(ring, field, r.merchant_id, r.customer_ref, sealed);
  if (clear === null || clear === "") return [null, null, null];
  const fresh = sealCustomerField(ring, field, r.merchant_id, r.customer_ref, clear);
  const kept = sealed === null ? fresh.sealed : reseal(ring, sealed, customerAad(field, r.merchant_id, r.customer_ref));
  return [kept, fresh.index, fresh.masked];
}

const UPDATE = `UPDATE customers SET phone_sealed = $3, phone_index = $4, phone_masked = $5, name_sealed = $6, name_index = $7,
  name_masked = $8, phone = NULL, name = NULL WHERE merchant_id = $1 AND id = $2`;

const redo = (ring: KeyRing, r: CustomerSealRow) => [r.merchant_id, r.id, ...redoField(ring, r, "phone"), ...redoField(ring, r, "name")];

export const customerContactTarget: SealedTarget<CustomerSealRow> = {
  table: "customers",
  select: `SELECT ${COLS} FROM customers
           WHERE ${AFTER} AND (phone IS NOT NULL OR name IS NOT NULL OR phone_sealed NOT LIKE $2 OR name_sealed NOT LIKE $2)
           ORDER BY merchant_id, id LIMIT $3 FOR UPDATE`,
  redo,
  update: UPDATE,
};

/** Only the rows still in clear (the start-up sealing; `$2` is not needed, only typed). */
export const customerClearTarget: SealedTarget<CustomerSealRow> = {
  table: "customers",
  select: `SELECT ${COLS} FROM customers
           WHERE ${AFTER} AND (phone IS NOT NULL OR name IS NOT NULL) AND $2::text IS NOT NULL
           ORDER BY merchant_id, id LIMIT $3 FOR UPDATE`,
  redo,
  update: UPDATE,
};
