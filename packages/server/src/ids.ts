import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** Random base32 string of `n` characters (5 bits each). */
export function randomBase32(n: number): string {
  const bytes = randomBytes(n);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[(bytes[i] as number) & 31];
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
