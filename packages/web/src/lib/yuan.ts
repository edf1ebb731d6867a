/**
 * Amounts typed by people, in yuan ("12.30", "1,000", "0.5"), turned into integers of fen by reading the decimal
 * string digit by digit — never through a float (0.1 + 0.2, or 19.99 × 100 = 1998.9999…). The same for percentages
 * into basis points ("1.5" % → 150 bps). Pure: the tests and the forms share it.
 */

/** The largest amount a form accepts: ¥10,000,000,000 (far above every API limit, far below 2^53 fen). */
export const YUAN_INPUT_MAX_MINOR = 1_000_000_000_000;

export type Parsed = { ok: true; value: number } | { ok: false; why: "empty" | "format" | "decimals" | "tooLarge" };

const YUAN = /^(\d+)(?:\.(\d*))?$/;

/** "12.3" → 1230 fen; "¥1,234.56" → 123456; refuses negatives, more than 2 decimals, letters, and huge values. */
export function parseYuan(text: string): Parsed {
  const s = text
    .trim()
    .replace(/^[¥￥]/, "")
    .replace(/[,，\s]/g, "");
  if (s === "") return { ok: false, why: "empty" };
  const m = YUAN.exec(s.startsWith(".") ? `0${s}` : s);
  if (!m) return { ok: false, why: "format" };
  const whole = m[1] ?? "0";
  const frac = m[2] ?? "";
  if (frac.length > 2) return { ok: false, why: "decimals" };
  const digits = (whole.replace(/^0+(?=\d)/, "") + frac.padEnd(2, "0")).replace(/^0+(?=\d)/, "");
  if (digits.length > 15) return { ok: false, why: "tooLarge" };
  const value = Number(digits);
  if (value > YUAN_INPUT_MAX_MINOR) return { ok: false, why: "tooLarge" };
  return { ok: true, value };
}

/** "1.5" (%) → 150 bps; at most 2 decimals of a percent; 0 – 100 %. */
export function parsePercentBps(text: string): Parsed {
  const s = text.trim().replace(/[%％\s]/g, "");
  if (s === "") return { ok: false, why: "empty" };
  const m = YUAN.exec(s.startsWith(".") ? `0${s}` : s);
  if (!m) return { ok: false, why: "format" };
  const frac = m[2] ?? "";
  if (frac.length > 2) return { ok: false, why: "decimals" };
  const digits = (m[1] ?? "0") + frac.padEnd(2, "0");
  if (digits.replace(/^0+/, "").length > 5) return { ok: false, why: "tooLarge" };
  const value = Number(digits);
  if (value > 10_000) return { ok: false, why: "tooLarge" };
  return { ok: true, value };
}

/** 1230 → "12.30" (for an input's initial value: no symbol, no grouping). */
export function yuanInput(minor: number): string {
  const neg = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${neg}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** 150 → "1.5", 1000 → "10", 5 → "0.05" (a percentage for an input). */
export function percentInput(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(bps % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}
