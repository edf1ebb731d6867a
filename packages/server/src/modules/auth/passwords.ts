/**
 * Password hashing and the password rules.
 *
 * Hashes are scrypt at OWASP's parameters (N = 2^17, r = 8, p = 1), computed with the asynchronous crypto.scrypt on
 * libuv's thread pool so that a login never stalls the event loop. The parameters are stored with the hash in the
 * PHC string format (`$scrypt$ln=17,r=8,p=1$<salt>$<key>`), so a hash made with other parameters — or the first
 * format, `scrypt$<salt>$<key>` at Node's defaults (N = 2^14) — still verifies, and `needsRehash` tells the login to
 * store a stronger one.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { ApiError } from "../../http/errors.ts";

/** scrypt's cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

/** OWASP's Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1 (128 MiB and ~0.2–0.4 s per hash). Production always uses it. */
export const PASSWORD_COST: ScryptCost = { logN: 17, r: 8, p: 1 };
/**
 * A cheap cost (1 MiB, ~3 ms) that only tests select, explicitly (AppConfig.passwordCost), so that a suite creating
 * hundreds of users stays fast. A server started by `fenxiao serve` never uses it, and a login on a server at
 * PASSWORD_COST upgrades such a hash.
 */
export const PASSWORD_COST_TESTS_ONLY: ScryptCost = { logN: 10, r: 8, p: 1 };
/** The first stored format (`scrypt$salt$key`) used Node's default cost. */
const LEGACY_COST: ScryptCost = { logN: 14, r: 8, p: 1 };

export const PASSWORD_LENGTH_MIN = 10;
export const PASSWORD_LENGTH_MAX = 200;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Stored parameters above these are refused rather than computed (a corrupt row must not cost gigabytes). */
const LOG_N_MAX = 20;
const R_MAX = 32;
const P_MAX = 16;

/**
 * A small list of the most common passwords of 10 or more characters (shorter ones are refused by length), English
 * and Chinese, and this product's own name with digits: the first guesses of anyone trying accounts. Compared in
 * lower case.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "0123456789",
  "1234567890",
  "12345678910",
  "123456789a",
  "123456789q",
  "0987654321",
  "1111111111",
  "0000000000",
  "1234512345",
  "1q2w3e4r5t",
  "1qaz2wsx3edc",
  "qwertyuiop",
  "qwerty1234",
  "qwerty123456",
  "asdfghjkl;",
  "asdfghjkl1",
  "zxcvbnm123",
  "a123456789",
  "aa12345678",
  "abc1234567",
  "abcd123456",
  "abcdefghij",
  "password12",
  "password123",
  "password1234",
  "password!1",
  "passw0rd123",
  "p@ssw0rd123",
  "iloveyou12",
  "iloveyou123",
  "letmein123",
  "welcome123",
  "welcome1234",
  "admin12345",
  "admin123456",
  "administrator",
  "changeme123",
  "qq123456789",
  "woaini1314",
  "woaini520",
  "woaini5201314",
  "5201314520",
  "1314520520",
  "52013145201314",
  "wang123456",
  "zhang123456",
  "li123456789",
  "88888888888",
  "6666666666",
  "fenxiao123",
  "fenxiao1234",
  "fenxiao123456",
]);

export type PasswordProblem = "too_short" | "too_long" | "too_common";

/** What is wrong with a new password, or null: too short, too long, on the common list, or the account's e-mail. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_LENGTH_MIN) return "too_short";
  if (password.length > PASSWORD_LENGTH_MAX) return "too_long";
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return "too_common";
  if (email) {
    const e = email.trim().toLowerCase();
    if (lower === e || lower === e.split("@")[0]) return "too_common";
  }
  if (new Set(password).size === 1) return "too_common";
  return null;
}

const PROBLEM_TEXT: Record<PasswordProblem, { en: string; zh: string }> = {
  too_short: { en: `must be at least ${PASSWORD_LENGTH_MIN} characters`, zh: `密码至少 ${PASSWORD_LENGTH_MIN} 个字符` },
  too_long: { en: `must be at most ${PASSWORD_LENGTH_MAX} characters`, zh: `密码最多 ${PASSWORD_LENGTH_MAX} 个字符` },
  too_common: {
    en: "is too common or too easy to guess; choose another",
    zh: "密码过于常见或容易猜到，请换一个",
  },
};

/**
 * Refuse a weak new password with a 400 VALIDATION_FAILED that names the field (`password`, `adminPassword`,
 * `newPassword`) and carries the reason in English and Chinese (details.issues[0].messageEn / messageZh).
 */
export function requireStrongPassword(password: string, field: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (!problem) return;
  const text = PROBLEM_TEXT[problem];
  const issue = {
    path: field,
    message: text.en,
    rule: `password_${problem}`,
    messageEn: `${field}: ${text.en}`,
    messageZh: `${field}：${text.zh}`,
  };
  throw new ApiError("VALIDATION_FAILED", `${field}: ${text.en}`, { issues: [issue] });
}

function derive(password: string, salt: Buffer, cost: ScryptCost, bytes: number): Promise<Buffer> {
  const N = 2 ** cost.logN;
  // scrypt needs 128·N·r bytes (and 128·r·p more); Node's default maxmem (32 MiB) is below OWASP's 128 MiB.
  const maxmem = 128 * N * cost.r + 128 * cost.r * cost.p + 1024 * 1024;
  return new Promise((ok, fail) => scrypt(password, salt, bytes, { N, r: cost.r, p: cost.p, maxmem }, (e, key) => (e ? fail(e) : ok(key))));
}

/** A new hash of `password` at `cost` (the production cost unless a test names another). */
export async function hashPassword(password: string, cost: ScryptCost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, KEY_BYTES);
  return `$scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

/** The cost, salt and key of a stored hash (both formats), or null for anything else. */
export function parseHash(stored: string): ParsedHash | null {
  const legacy = /^scrypt\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (legacy)
    return { cost: LEGACY_COST, salt: Buffer.from(legacy[1] as string, "base64url"), key: Buffer.from(legacy[2] as string, "base64url") };
  const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored);
  if (!phc) return null;
  const cost = { logN: Number(phc[1]), r: Number(phc[2]), p: Number(phc[3]) };
  if (cost.logN < 1 || cost.logN > LOG_N_MAX || cost.r < 1 || cost.r > R_MAX || cost.p < 1 || cost.p > P_MAX) return null;
  const key = Buffer.from(phc[5] as string, "base64url");
  if (key.length < 16) return null;
  return { cost, salt: Buffer.from(phc[4] as string, "base64url"), key };
}

/** Whether a stored hash is weaker than `target` (then a successful login stores a new one). */
export function needsRehash(stored: string, target: ScryptCost = PASSWORD_COST): boolean {
  const h = parseHash(stored);
  if (!h) return true;
  return h.cost.logN < target.logN || h.cost.r < target.r || h.cost.p < target.p || !stored.startsWith("$scrypt$");
}

/** Whether `password` matches the stored hash; false for a hash it cannot read. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (!h) return false;
  const got = await derive(password, h.salt, h.cost, h.key.length);
  return timingSafeEqual(h.key, got);
}

const dummies = new Map<string, Promise<string>>();

/**
 * A hash of a random password at `cost`, made once per process: a login for an unknown e-mail verifies against it,
 * so that it takes as long as one for a known e-mail.
 */
export function dummyHash(cost: ScryptCost = PASSWORD_COST): Promise<string> {
  const k = `${cost.logN},${cost.r},${cost.p}`;
  let d = dummies.get(k);
  if (!d) {
    d = hashPassword(randomBytes(16).toString("hex"), cost);
    dummies.set(k, d);
  }
  return d;
}
