/**
 * What every view, log line, audit entry and event shows of a promoter's personal data. Names and phones are masked as
 * customers' are (customers/mask.ts: 张三 → 张*, 13812345678 → 138****5678); the rest here.
 */
import { maskName, maskPhone } from "../customers/mask.ts";

export { maskName, maskPhone };

/**
 * An ID document number: the first 3 and the last 4 characters of a long one (110101199003071234 →
 * 110***********1234), the first and the last 2 of a short one (a passport: E12345678 → E******78).
 */
export function maskIdNumber(v: string): string {
  if (v.length >= 14) return `${v.slice(0, 3)}${"*".repeat(v.length - 7)}${v.slice(-4)}`;
  if (v.length <= 4) return "*".repeat(v.length);
  return `${v.slice(0, 1)}${"*".repeat(v.length - 3)}${v.slice(-2)}`;
}

/** A bank card: the first 4 and the last 4 digits, in the same groups whatever the length (6222 **** **** 1234). */
export function maskCardNumber(v: string): string {
  return `${v.slice(0, 4)} **** **** ${v.slice(-4)}`;
}

/** A WeChat openid: the first and last 4 characters (o6_b…Y8Kc). */
export function maskOpenid(v: string): string {
  return `${v.slice(0, 4)}…${v.slice(-4)}`;
}

/** An e-mail address: the first character of the name part (ab@example.com → a***@example.com). */
export function maskEmail(v: string): string {
  const at = v.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${v.slice(0, 1)}***${v.slice(at)}`;
}

/** An Alipay identity: a user id as 2088********5678, a login id as its phone or e-mail is masked. */
export function maskAlipayIdentity(type: "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID", v: string): string {
  if (type === "ALIPAY_USER_ID") return `${v.slice(0, 4)}********${v.slice(-4)}`;
  return v.includes("@") ? maskEmail(v) : (maskPhone(v) as string);
}
