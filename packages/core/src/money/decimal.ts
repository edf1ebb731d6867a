/**
 * Decimal amounts as shops and files write them ("199.00", "-5.5", "1,234.56" is refused) to exact minor units, with
 * no float on the way: the digits are read as text. More decimals than the currency has are refused unless they are
 * zeros ("12.340" is 1234 fen, "12.345" is an error), so nothing is rounded in silence.
 */

export type DecimalParse = { ok: true; minor: number } | { ok: false; reason: string };

const DECIMAL = /^([+-]?)(\d{1,15})(?:\.(\d{1,12}))?$/;

/** `text` in major units (yuan, dollars) as an integer of minor units, `digits` decimals per unit (2 for CNY). */
export function parseDecimalMinor(text: string, digits = 2): DecimalParse {
  const m = DECIMAL.exec(text.trim());
  if (!m) return { ok: false, reason: `"${text.slice(0, 40)}" is not a decimal amount like 12.34` };
  const [, sign, whole, frac = ""] = m as unknown as [string, string, string, string | undefined];
  const kept = frac.slice(0, digits).padEnd(digits, "0");
  if (/[^0]/.test(frac.slice(digits))) return { ok: false, reason: `"${text}" has more than ${digits} decimals` };
  const value = Number(whole) * 10 ** digits + Number(kept || "0");
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, minor: sign === "-" && value !== 0 ? -value : value };
}

/** An integer of minor units as an exact decimal in major units, `digits` decimals: 12345 → "123.45", -5 → "-0.05". */
export function formatDecimalMinor(minor: number, digits = 2): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`an amount in minor units is a safe integer, got ${minor}`);
  const sign = minor < 0 ? "-" : "";
  const a = Math.abs(minor);
  const unit = 10 ** digits;
  return digits === 0 ? `${sign}${a}` : `${sign}${Math.floor(a / unit)}.${String(a % unit).padStart(digits, "0")}`;
}
