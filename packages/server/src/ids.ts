import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** Random bytes are drawn from the CSPRNG a pool at a time: one call per id costs more than the id itself. */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let used = 0;

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** The base32 characters of `n` random bytes from `from` (5 low bits each). */
function base32Of(bytes: Uint8Array, from: number, n: number): string {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = CODES[(bytes[from + i] as number) & 31] as number;
  return out.toString("latin1");
}

/** Random base32 string of `n` characters (5 bits each); longer than the pool, it is drawn at once. */
export function randomBase32(n: number): string {
  if (n > POOL_BYTES) return base32Of(randomBytes(n), 0, n);
  if (used + n > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const s = base32Of(pool, used, n);
  used += n;
  return s;
}

/** Prefixed id, e.g. ord_5k2m...: 20 random characters = 100 bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase32(20)}`;
}

/** Human-friendly promo / invite code: 6 upper-case characters without look-alikes. */
export function newCode(): string {
  return randomBase32(6).toUpperCase();
}
