import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

export const PASSWORD_LENGTH_MIN = 8;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [scheme, saltB64, keyB64] = stored.split("$");
  if (scheme !== "scrypt" || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64url");
  const got = scryptSync(password, Buffer.from(saltB64, "base64url"), expected.length);
  return timingSafeEqual(expected, got);
}
