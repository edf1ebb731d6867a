/**
 * Checks of the personal data a promoter records (实名与收款账户): ID documents, phones, bank cards, WeChat and Alipay
 * accounts. Each check answers null (good) or why the value is refused, in words that never repeat the value: a
 * refusal is shown to the client and may reach logs, and the value is personal data.
 *
 * The algorithms are short and fixed by their standards (GB 11643-1999 with ISO 7064 MOD 11-2, Luhn / ISO/IEC 7812),
 * and written here rather than taken from a package: the packages that do them answer only yes or no, while the API
 * says which rule failed (length, check digit, birth date) for the field it names.
 */

export const ID_TYPES = ["cn_resident_id", "hk_macau_permit", "taiwan_permit", "passport", "foreign_permanent_id"] as const;
export type IdType = (typeof ID_TYPES)[number];

/** A value as it is compared and stored: spaces and dashes removed, letters upper-case (ID documents, cards). */
export function compact(value: string): string {
  return value.replace(/[\s-]/g, "").toUpperCase();
}

const MOD11_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const MOD11_CHECK = "10X98765432";

/** The ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643: 身份证 and the 2023 外国人永久居留身份证). */
export function mod11CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (MOD11_WEIGHTS[i] as number);
  return MOD11_CHECK[sum % 11] as string;
}

/**
 * First two digits of a resident ID: the province-level division (GB/T 2260), and 81/82/83 for the residence permits of
 * Hong Kong, Macau and Taiwan residents, which use the same 18-character layout.
 */
const CN_REGIONS = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
  83,
]);

/** A real calendar date YYYYMMDD from 1900-01-01 up to `today`. */
function birthDateProblem(yyyymmdd: string, today: Date): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return "the birth date in it (characters 7–14) is not a real date";
  if (date.getTime() > today.getTime()) return "the birth date in it (characters 7–14) is in the future";
  return null;
}

/** An 18-character number in the GB 11643 layout: 17 digits, a check character; `region` checks the first two digits. */
function gb11643Problem(v: string, today: Date, region: (first2: number) => boolean): string | null {
  if (v.length !== 18) return "must be 18 characters";
  if (!/^\d{17}[\dX]$/.test(v)) return "must be 17 digits and a final digit or X";
  if (!region(Number(v.slice(0, 2)))) return "does not begin with a known region code";
  const birth = birthDateProblem(v.slice(6, 14), today);
  if (birth) return birth;
  if (mod11CheckChar(v) !== v[17]) return "the check character (the last one) does not match: a character is mistyped";
  return null;
}

/** Why an ID document number is refused (null when it is good); `value` already `compact`ed. */
export function idNumberProblem(type: IdType, value: string, today: Date): string | null {
  const v = compact(value);
  if (v === "") return "must not be empty";
  switch (type) {
    case "cn_resident_id":
      return gb11643Problem(v, today, (r) => CN_REGIONS.has(r));
    case "hk_macau_permit":
      // 港澳居民来往内地通行证: H (Hong Kong) or M (Macau) and 8 digits; older cards add 2 digits of issue count.
      return /^[HM]\d{8}(\d{2})?$/.test(v) ? null : "must be H or M followed by 8 (or 10) digits";
    case "taiwan_permit":
      // 台湾居民来往大陆通行证: 8 digits since 2015; older cards 10.
      return /^\d{8}(\d{2})?$/.test(v) ? null : "must be 8 (or 10) digits";
    case "passport":
      if (!/^[A-Z0-9]{5,17}$/.test(v)) return "must be 5–17 letters and digits";
      return /\d/.test(v) ? null : "must contain digits";
    case "foreign_permanent_id":
      // 外国人永久居留身份证: since 2023 18 characters starting with 9 in the GB 11643 layout; before, 3 letters (the
      // nationality) and 12 digits.
      if (/^[A-Z]{3}\d{12}$/.test(v)) return null;
      if (v.length === 18 && v.startsWith("9")) return gb11643Problem(v, today, () => true);
      return "must be 18 characters starting with 9, or 3 letters and 12 digits";
  }
}

/** A phone as stored: digits with an optional leading +, spaces and dashes removed. */
export function normalPhone(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/** A mainland mobile (11 digits from 13…19…, optionally +86) or an international number in E.164 (+ and 7–15 digits). */
export function phoneProblem(value: string): string | null {
  const v = normalPhone(value);
  if (/^(\+?86)?1[3-9]\d{9}$/.test(v)) return null;
  if (/^\+[1-9]\d{6,14}$/.test(v)) return null;
  return "must be a mainland mobile number (11 digits) or an international number starting with +";
}

/** A person's legal name: letters (any script) with the separators names use (· . ' - and spaces), 1–50 characters. */
export function legalNameProblem(value: string): string | null {
  const v = value.trim();
  if (v === "") return "must not be blank";
  if ([...v].length > 50) return "at most 50 characters";
  if (!/^[\p{L}\p{M}][\p{L}\p{M}·•.'’\- ]*$/u.test(v)) return "letters only (and · . ' - or spaces between them)";
  return null;
}

/** The Luhn check (ISO/IEC 7812) over a string of digits. */
export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A bank card number: 12–19 digits (spaces and dashes allowed between them) passing the Luhn check. */
export function cardNumberProblem(value: string): string | null {
  const v = compact(value);
  if (!/^\d+$/.test(v)) return "digits only";
  if (v.length < 12 || v.length > 19) return "must be 12–19 digits";
  if (!luhnOk(v)) return "the check digit (the last one) does not match: a digit is mistyped";
  return null;
}

/** A WeChat appid: wx and 16 hexadecimal digits. */
export function appidProblem(value: string): string | null {
  return /^wx[0-9a-f]{16}$/.test(value) ? null : "must be wx followed by 16 hexadecimal digits (lower case)";
}

/** A WeChat openid (for one appid): 20–64 letters, digits, _ or -. */
export function openidProblem(value: string): string | null {
  return /^[A-Za-z0-9_-]{20,64}$/.test(value) ? null : "must be 20–64 letters, digits, _ or -";
}

export type AlipayIdentityType = "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID";

const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** An Alipay user id (2088 and 12 digits) or login id (an e-mail address or a mainland mobile number). */
export function alipayIdentityProblem(type: AlipayIdentityType, value: string): string | null {
  if (type === "ALIPAY_USER_ID") return /^2088\d{12}$/.test(value) ? null : "an Alipay user id is 2088 followed by 12 digits";
  if (value.length > 100) return "at most 100 characters";
  if (EMAIL.test(value) || /^1[3-9]\d{9}$/.test(value)) return null;
  return "an Alipay login id is an e-mail address or a mainland mobile number (11 digits)";
}
