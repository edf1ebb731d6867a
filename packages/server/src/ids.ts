import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** Random bytes are drawn from the CSPRNG a pool at a time: one call per id costs more than the id itself. */
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let used = 0;

/** Random base32 string of `n` characters (5 bits each). */
export function randomBase32(n: number): string {
  if (n > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} characters`);
  if (used + n > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[(pool[used + i] as number) & 31];
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
