/**
 * Display formatting. Amounts stay integers of minor units (fen) everywhere; these functions only turn them into
 * text (¥1,234.56) and are never parsed back. Money arithmetic lives in @fenxiao/core.
 */
import { formatMoney, formatRate, mulDiv } from "@fenxiao/core/money/money.ts";
import type { Language } from "../i18n/languages.ts";

export { formatRate };

export function money(amountMinor: number | null | undefined, currency = "CNY"): string {
  return formatMoney(amountMinor ?? 0, currency);
}

/** Signed, for deltas: +¥12.00 / -¥3.40. */
export function moneyDelta(amountMinor: number, currency = "CNY"): string {
  return amountMinor > 0 ? `+${formatMoney(amountMinor, currency)}` : formatMoney(amountMinor, currency);
}

/** part / whole as basis points, rounded half-up (0 when whole is 0). */
export function ratioBps(partMinor: number, wholeMinor: number): number {
  return wholeMinor === 0 ? 0 : mulDiv(partMinor, 10_000, wholeMinor, "half-up");
}

/** ROI given ×100 by the API: 715 → "7.15×"; null (no cost) → "—". */
export function roi(x100: number | null): string {
  if (x100 === null) return "—";
  const whole = Math.trunc(x100 / 100);
  const frac = Math.abs(x100 % 100);
  return `${x100 < 0 && whole === 0 ? "-" : ""}${whole}.${frac.toString().padStart(2, "0")}×`;
}

/** Rebate ROI as the API computes it: sales ÷ commission, ×100, half-even; null without commission. */
export function roiX100(salesMinor: number, commissionMinor: number): number | null {
  return commissionMinor > 0 ? mulDiv(salesMinor, 100, commissionMinor, "half-even") : null;
}

/** Short axis labels: ¥12.3万 (zh) or ¥123.4k (en), by integer arithmetic on fen. */
export function moneyCompact(amountMinor: number, lang: Language): string {
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  if (lang === "zh-CN" && abs >= 1_000_000) {
    const tenths = Math.trunc(abs / 100_000); // 0.1 万元 = ¥1,000 = 100,000 fen
    return `${sign}¥${Math.trunc(tenths / 10)}.${tenths % 10}万`;
  }
  if (lang === "en" && abs >= 100_000) {
    const tenths = Math.trunc(abs / 10_000); // ¥0.1k = ¥100 = 10,000 fen
    return `${sign}¥${Math.trunc(tenths / 10)}.${tenths % 10}k`;
  }
  return `${sign}¥${Math.trunc(abs / 100)}`;
}

function locale(lang: Language): string {
  return lang === "en" ? "en-GB" : "zh-CN";
}

const dtf = new Map<string, Intl.DateTimeFormat>();
function fmt(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = dtf.get(key);
  if (!f) {
    f = make();
    dtf.set(key, f);
  }
  return f;
}

export function dateTime(iso: string | null | undefined, lang: Language): string {
  if (!iso) return "—";
  return fmt(
    `dt:${lang}`,
    () =>
      new Intl.DateTimeFormat(locale(lang), {
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      }),
  ).format(new Date(iso));
}

/** The date of an instant, in the browser's time zone or the one given (a program's). */
export function date(iso: string | number | null | undefined, lang: Language, timeZone?: string): string {
  if (iso === null || iso === undefined) return "—";
  return fmt(
    `d:${lang}:${timeZone ?? ""}`,
    () => new Intl.DateTimeFormat(locale(lang), { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
  ).format(new Date(iso));
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayKey(instant: number | string, timeZone: string): string {
  return fmt(
    `k:${timeZone}`,
    () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
  ).format(new Date(instant));
}
