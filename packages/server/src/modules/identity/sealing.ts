/**
 * Where each sealed value of this module lives (its `aad`, so a ciphertext copied to another row or column does not
 * open) and the blind indexes that find the same ID number or payout account on two promoters.
 *
 * A blind index is computed under the current key; while a rotation is under way (docs/operations.md, "Rotating
 * FENXIAO_SECRET_KEY") rows may still carry one under an earlier key, so a lookup asks for the value's index under
 * every key of the ring.
 */
import { blindIndex, type KeyRing, type SecretKey } from "../../crypto/sealed.ts";
import { compact, type IdType } from "./validate.ts";

export const identityAad = (field: "legal_name" | "id_number" | "phone", promoterId: string) => `identity:${field}:${promoterId}`;
export const payoutAccountAad = (accountId: string) => `payout_account:${accountId}`;

/** The full details of a payout account, sealed as one JSON document. */
export type PayoutDetails =
  | { kind: "wechat"; appid: string; openid: string }
  | { kind: "alipay"; identityType: "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID"; identity: string; name: string | null }
  | { kind: "bank"; holderName: string; bankName: string; cardNumber: string; branch: string | null };

const ID_PURPOSE = "id_number";
const ACCOUNT_PURPOSE = "payout_account";

/** The same document for the same account, whoever typed it. */
function accountKey(d: PayoutDetails): string {
  if (d.kind === "wechat") return `wechat:${d.appid}:${d.openid}`;
  if (d.kind === "alipay") return `alipay:${d.identityType}:${d.identity.toLowerCase()}`;
  return `bank:${compact(d.cardNumber)}`;
}

export function idNumberIndex(key: SecretKey, idType: IdType, idNumber: string): string {
  return blindIndex(key, ID_PURPOSE, `${idType}:${compact(idNumber)}`);
}

export function accountIndex(key: SecretKey, d: PayoutDetails): string {
  return blindIndex(key, ACCOUNT_PURPOSE, accountKey(d));
}

/** The ring's keys, the current one first. */
export function ringKeys(ring: KeyRing): SecretKey[] {
  return [ring.current, ...ring.previous];
}

/** A value's blind index under every key of the ring (the current key's first). */
export function idNumberIndexes(ring: KeyRing, idType: IdType, idNumber: string): string[] {
  return ringKeys(ring).map((k) => idNumberIndex(k, idType, idNumber));
}

export function accountIndexes(ring: KeyRing, d: PayoutDetails): string[] {
  return ringKeys(ring).map((k) => accountIndex(k, d));
}
