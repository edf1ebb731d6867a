/**
 * Promoters' sealed phones for key rotation (crypto/rotation.ts; `fenxiao keys rotate`), and the sealing of phones still
 * in clear (written before migration 0024) at every start (`sealClearContacts` in sealed-targets.ts): as for customers
 * (customers/rotate.ts), one update per row seals, indexes and masks under the current key and empties the clear column.
 */
import type { SealedTarget } from "../../crypto/rotation.ts";
import { type KeyRing, reseal } from "../../crypto/sealed.ts";
import { openPromoterPhone, promoterPhoneAad, sealPromoterPhone } from "./sealing.ts";

export interface PromoterSealRow {
  id: string;
  phone: string | null;
  phone_sealed: string | null;
}

function redo(ring: KeyRing, r: PromoterSealRow): unknown[] {
  const clear = r.phone_sealed === null ? r.phone : openPromoterPhone(ring, r.id, r.phone_sealed);
  if (clear === null || clear === "") return [r.id, null, null, null];
  const fresh = sealPromoterPhone(ring, r.id, clear);
  const kept = r.phone_sealed === null ? fresh.sealed : reseal(ring, r.phone_sealed, promoterPhoneAad(r.id));
  return [r.id, kept, fresh.index, fresh.masked];
}

const UPDATE = "UPDATE promoters SET phone_sealed = $2, phone_index = $3, phone_masked = $4, phone = NULL WHERE id = $1";

export const promoterPhoneTarget: SealedTarget<PromoterSealRow> = {
  table: "promoters",
  select: `SELECT id, phone, phone_sealed, id AS rotation_key FROM promoters
           WHERE id > $1 AND (phone IS NOT NULL OR phone_sealed NOT LIKE $2) ORDER BY id LIMIT $3 FOR UPDATE`,
  redo,
  update: UPDATE,
};

/** Only the phones still in clear (the start-up sealing; `$2` is not needed, only typed). */
export const promoterClearTarget: SealedTarget<PromoterSealRow> = {
  table: "promoters",
  select: `SELECT id, phone, phone_sealed, id AS rotation_key FROM promoters
           WHERE id > $1 AND phone IS NOT NULL AND $2::text IS NOT NULL ORDER BY id LIMIT $3 FOR UPDATE`,
  redo,
  update: UPDATE,
};
