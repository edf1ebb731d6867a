/**
 * A customer's phone and name at rest (migration 0024): each sealed (crypto/sealed.ts) and bound to the customer by its
 * additional data — the merchant and the customer's reference, which never change and are known before the row's id is
 * (an upsert by reference keeps the row it finds), so a ciphertext copied into another row or column does not open —
 * with a blind index for exact search and the masked form the lists show.
 *
 * Blind indexes are scoped to the merchant (the same phone at two merchants has two unrelated indexes) and computed on
 * the normalised value: a phone without spaces or dashes, a name in Unicode NFKC without spaces and in upper case (for
 * Latin letters). While a key rotation is under way a row may still carry an index under an earlier key, so a search
 * asks for the value's index under every key of the ring (`blindIndexes`).
 */
import { blindIndexes, type KeyRing, open, type SealedField, sealField } from "../../crypto/sealed.ts";
import { maskName, maskPhone } from "./mask.ts";

export type CustomerField = "phone" | "name";

export const customerAad = (field: CustomerField, merchantId: string, customerRef: string) =>
  `customer:${field}:${merchantId}:${customerRef}`;

const PURPOSE: Record<CustomerField, string> = { phone: "customer_phone", name: "customer_name" };

/** The value as indexed and searched: a phone's digits (and a leading +), a name in NFKC (blindIndex drops spaces, upper-cases). */
export function normalContact(field: CustomerField, value: string): string {
  return field === "phone" ? value.replace(/[\s-]/g, "") : value.normalize("NFKC").trim();
}

const indexed = (field: CustomerField, merchantId: string, value: string) => `${merchantId}:${normalContact(field, value)}`;

/** The customer's value sealed, indexed and masked. */
export function sealCustomerField(
  ring: KeyRing,
  field: CustomerField,
  merchantId: string,
  customerRef: string,
  value: string,
): SealedField {
  const masked = (field === "phone" ? maskPhone(value) : maskName(value)) as string;
  return sealField(ring, value, customerAad(field, merchantId, customerRef), PURPOSE[field], indexed(field, merchantId, value), masked);
}

/** The blind index of a value under the ring's current key (ingest compares it with the stored one). */
export function customerIndex(ring: KeyRing, field: CustomerField, merchantId: string, value: string): string {
  return customerIndexes({ current: ring.current, previous: [] }, field, merchantId, value)[0] as string;
}

/** A searched value's index under every key of the ring (the current key's first). */
export function customerIndexes(ring: KeyRing, field: CustomerField, merchantId: string, value: string): string[] {
  return blindIndexes(ring, PURPOSE[field], indexed(field, merchantId, value));
}

/** The columns of a customer row for its phone and name (null where the value is not given: the stored one stays). */
export function customerContactColumns(
  ring: KeyRing,
  merchantId: string,
  customerRef: string,
  c: { phone?: string | null; name?: string | null },
): Record<`${CustomerField}_${"sealed" | "index" | "masked"}`, string | null> {
  const phone = c.phone ? sealCustomerField(ring, "phone", merchantId, customerRef, c.phone) : null;
  const name = c.name ? sealCustomerField(ring, "name", merchantId, customerRef, c.name) : null;
  return {
    phone_sealed: phone?.sealed ?? null,
    phone_index: phone?.index ?? null,
    phone_masked: phone?.masked ?? null,
    name_sealed: name?.sealed ?? null,
    name_index: name?.index ?? null,
    name_masked: name?.masked ?? null,
  };
}

/** A sealed customer value opened (null stays null). */
export function openCustomerField(
  ring: KeyRing,
  field: CustomerField,
  merchantId: string,
  customerRef: string,
  sealed: string | null,
): string | null {
  return sealed === null ? null : open(ring, sealed, customerAad(field, merchantId, customerRef));
}
