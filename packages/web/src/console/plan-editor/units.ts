/**
 * Exact unit conversion for the plan form: a rate typed in percent becomes integer basis points, an amount typed in
 * yuan becomes integer fen. The typed text is parsed as a decimal string (never through a float), so "12.35" is
 * exactly 1235 and "0.1" + "0.2" problems cannot occur.
 */

export type Parsed = { ok: true; value: number } | { ok: false; reason: "format" | "precision" | "range" };

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/** "12.5" with 2 decimals → 1250. Accepts a leading "¥" / trailing "%" and thousands commas; rejects a 3rd decimal. */
export function parseScaled(text: string, decimals = 2): Parsed {
  const s = text.trim().replace(/^¥/, "").replace(/%$/, "").replace(/,/g, "").trim();
  const m = DECIMAL.exec(s);
  if (!m) return { ok: false, reason: "format" };
  const whole = m[1] ?? "0";
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > decimals) return { ok: false, reason: "precision" };
  const digits = `${whole}${frac.padEnd(decimals, "0")}`;
  const big = BigInt(digits);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: "range" };
  return { ok: true, value: Number(big) };
}

/** 1250 with 2 decimals → "12.5"; 1000 → "10"; -5 → "-0.05". */
export function formatScaled(n: number, decimals = 2): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const neg = n < 0;
  const digits = String(Math.abs(n)).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export const percentToBps = (text: string) => parseScaled(text, 2);
export const yuanToFen = (text: string) => parseScaled(text, 2);
export const bpsToPercent = (bps: number) => formatScaled(bps, 2);
export const fenToYuan = (fen: number) => formatScaled(fen, 2);
