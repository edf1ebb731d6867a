/**
 * A promoter's phone at rest (migration 0024): sealed (crypto/sealed.ts) and bound to the promoter's id by its
 * additional data, with a blind index for exact search (the whole number, spaces and dashes ignored) and the masked
 * form every list and page shows. Opened only for the audited reveal and for the promoter itself (POST /v1/me/reveal).
 */
import { blindIndexes, type KeyRing, open, type SealedField, sealField } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { maskPhone } from "../customers/mask.ts";

export const promoterPhoneAad = (promoterId: string) => `promoter:phone:${promoterId}`;

const PURPOSE = "promoter_phone";
const normal = (phone: string) => phone.replace(/[\s-]/g, "");

export function sealPromoterPhone(ring: KeyRing, promoterId: string, phone: string): SealedField {
  return sealField(ring, phone, promoterPhoneAad(promoterId), PURPOSE, normal(phone), maskPhone(phone) as string);
}

/** A searched phone's index under every key of the ring (the current key's first). */
export function promoterPhoneIndexes(ring: KeyRing, phone: string): string[] {
  return blindIndexes(ring, PURPOSE, normal(phone));
}

export function openPromoterPhone(ring: KeyRing, promoterId: string, sealed: string | null): string | null {
  return sealed === null ? null : open(ring, sealed, promoterPhoneAad(promoterId));
}

/** A promoter's sealed phone, opened (null without one). */
export async function promoterPhone(q: Sql, ring: KeyRing, promoterId: string): Promise<string | null> {
  const [r] = await q.query<{ phone_sealed: string | null }>("SELECT phone_sealed FROM promoters WHERE id = $1", [promoterId]);
  return openPromoterPhone(ring, promoterId, r?.phone_sealed ?? null);
}
