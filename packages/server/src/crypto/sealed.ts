/**
 * Personal data and secrets at rest (ID numbers, bank card numbers, phones, provider credentials): AES-256-GCM under a
 * key ring. The current key seals; every key in the ring opens, so a key can be rotated without a flag day (see
 * docs/operations.md, "Rotating FENXIAO_SECRET_KEY"). A sealed value reads `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url
 * parts), and is bound to where it is stored by the additional data (`aad`, e.g. `identity:id_number:<promoterId>`), so a
 * ciphertext copied into another row or column does not open.
 *
 * A blind index (`blindIndex`) is an HMAC of a normalised value under a key derived from the current key: it finds
 * duplicates (the same ID number or bank card on two promoters) without storing the value.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

export interface SecretKey {
  /** The first 8 hex characters of SHA-256 of the key: names the key in a sealed value, never reveals it. */
  id: string;
  key: Buffer;
}
export interface KeyRing {
  current: SecretKey;
  /** Earlier keys, still able to open values sealed under them until they are re-sealed (`fenxiao keys rotate`). */
  previous: readonly SecretKey[];
}

export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = "v1";

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}

/** A key from its text form: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parseSecretKey(text: string, name = "FENXIAO_SECRET_KEY"): SecretKey {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== SECRET_KEY_BYTES)
    throw new SealError(`${name} must be 32 random bytes as base64 (44 characters) or hex (64 characters)`);
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

export function newSecretKeyText(): string {
  return randomBytes(SECRET_KEY_BYTES).toString("base64");
}

/** The ring from the current key's text and the earlier keys' texts (comma-separated in FENXIAO_SECRET_KEYS_PREVIOUS). */
export function keyRing(current: string, previous: readonly string[] = []): KeyRing {
  const cur = parseSecretKey(current);
  const prev = previous.map((p, i) => parseSecretKey(p, `FENXIAO_SECRET_KEYS_PREVIOUS[${i}]`)).filter((k) => k.id !== cur.id);
  return { current: cur, previous: prev };
}

export function seal(ring: KeyRing, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv("aes-256-gcm", ring.current.key, iv);
  c.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([c.update(plaintext, "utf8"), c.final(), c.getAuthTag()]);
  return `${VERSION}.${ring.current.id}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** The key id a sealed value was sealed under (to find values still under an old key). */
export function sealedKeyId(sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError("not a sealed value");
  return parts[1] as string;
}

export function open(ring: KeyRing, sealed: string, aad: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError("not a sealed value");
  const [, keyId, ivText, bodyText] = parts as [string, string, string, string];
  const k = [ring.current, ...ring.previous].find((x) => x.id === keyId);
  if (!k) throw new SealError(`sealed under key ${keyId}, which is not in the key ring`);
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealError("not a sealed value");
  const d = createDecipheriv("aes-256-gcm", k.key, iv);
  d.setAAD(Buffer.from(aad, "utf8"));
  d.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]).toString("utf8");
  } catch {
    throw new SealError("the sealed value does not open: wrong key, wrong place or tampered with");
  }
}

/** Re-seal under the current key (rotation); a value already under it is returned as it is. */
export function reseal(ring: KeyRing, sealed: string, aad: string): string {
  if (sealedKeyId(sealed) === ring.current.id) return sealed;
  return seal(ring, open(ring, sealed, aad), aad);
}

/** The derived keys of blind indexes, per key and purpose: derived once, not once per value (ingest indexes every phone). */
const indexKeys = new WeakMap<SecretKey, Map<string, Buffer>>();
function indexKey(key: SecretKey, purpose: string): Buffer {
  let byPurpose = indexKeys.get(key);
  if (!byPurpose) {
    byPurpose = new Map();
    indexKeys.set(key, byPurpose);
  }
  let k = byPurpose.get(purpose);
  if (!k) {
    k = Buffer.from(hkdfSync("sha256", key.key, Buffer.alloc(0), `fenxiao blind index ${purpose}`, 32));
    byPurpose.set(purpose, k);
  }
  return k;
}

/** HMAC-SHA256 (hex) of a normalised value under a key derived from `key` for `purpose`; stable for one key. */
export function blindIndex(key: SecretKey, purpose: string, value: string): string {
  return createHmac("sha256", indexKey(key, purpose)).update(value.replace(/[\s-]/g, "").toUpperCase()).digest("hex");
}

/** A value's blind index under every key of the ring, the current key's first: what a search asks for during a rotation. */
export function blindIndexes(ring: KeyRing, purpose: string, value: string): string[] {
  return [ring.current, ...ring.previous].map((k) => blindIndex(k, purpose, value));
}

const requestDigestKeys = new WeakMap<SecretKey, Buffer>();

/**
 * A personal value of a request as an Idempotency-Key's stored request hash takes it: HMAC-SHA256 (hex) of
 * `field:value` under a key derived from `key`, so that the stored hash cannot be searched for a guessed phone or ID
 * number (a phone number has few enough possibilities that a plain hash of the request around it could be reversed).
 */
export function requestDigest(key: SecretKey, field: string, value: string): string {
  let k = requestDigestKeys.get(key);
  if (!k) {
    k = Buffer.from(hkdfSync("sha256", key.key, Buffer.alloc(0), "fenxiao idempotency request hash", 32));
    requestDigestKeys.set(key, k);
  }
  return createHmac("sha256", k).update(`${field}:${value}`).digest("hex");
}

/** One personal value as stored: sealed, its blind index under the current key, and the masked form lists show. */
export interface SealedField {
  sealed: string;
  index: string;
  masked: string;
}

/** Seal `value` for `aad`, index `indexed` (the normalised value, with any scope) for `purpose`, keep `masked`. */
export function sealField(ring: KeyRing, value: string, aad: string, purpose: string, indexed: string, masked: string): SealedField {
  return { sealed: seal(ring, value, aad), index: blindIndex(ring.current, purpose, indexed), masked };
}
