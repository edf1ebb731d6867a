/** Valid and nearly valid personal data for the identity tests (made here, so that each is right by construction). */
import { luhnOk, mod11CheckChar } from "../src/modules/identity/validate.ts";

/** A resident ID with a correct check character from 17 digits (region, birth date YYYYMMDD, sequence). */
export function residentId(first17: string): string {
  return `${first17}${mod11CheckChar(first17)}`;
}

/** The same number with the check character changed (a typo the check must catch). */
export function wrongCheck(id: string): string {
  const last = id.slice(-1);
  const other = last === "0" ? "1" : "0";
  return `${id.slice(0, -1)}${other}`;
}

/** A card number of `prefix` and a Luhn check digit. */
export function cardNumber(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnOk(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error("unreachable");
}

export const ID_P = residentId("11010519491231002"); // 110105 19491231 002x
export const ID_Q = residentId("44030619900307123");
export const ID_R = residentId("31011519851120456");
export const CARD_1 = cardNumber("622202100012345");
export const CARD_2 = cardNumber("621483755500987");
export const OPENID_1 = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M";
export const APPID = "wx8888888888888888";
export const ALIPAY_USER = "2088102146225135";
