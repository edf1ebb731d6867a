/** The sentence the app shows for an error (pure: translations come in as functions). */
import { formatMoney, formatRate } from "@fenxiao/core/money/money.ts";
import { ApiError } from "../api/errors.ts";

/** Codes whose server message carries a useful detail (the field, the rule) worth showing after the translated headline. */
const DETAILED_CODES = new Set(["VALIDATION_FAILED", "PLAN_INVALID", "PLAN_LINT_FAILED", "PLAN_RETROACTIVE", "PLAN_BREAKS_POLICY"]);

/**
 * Refusals that carry their figures (core/withdrawal/check.ts): the sentence `errorDetails.<code>` with the details
 * as variables — every `…Minor` detail as money (owedMinor → {{owed}}), every `…Bps` as a percentage, other numbers
 * as they are — used when the details carry every field the sentence needs; otherwise the headline.
 */
export const FIGURE_CODES: Record<string, readonly string[]> = {
  BALANCE_NEGATIVE: ["owedMinor"],
  BELOW_MINIMUM: ["minimumMinor"],
  ABOVE_MAXIMUM: ["maximumMinor"],
  INSUFFICIENT_AVAILABLE: ["availableMinor"],
  DAILY_COUNT_EXCEEDED: ["dailyCountMax", "todayCount"],
  DAILY_AMOUNT_EXCEEDED: ["dailyAmountMaxMinor", "remainingMinor"],
  NET_NOT_POSITIVE: ["amountMinor", "taxMinor", "feeMinor"],
  BUDGET_INSUFFICIENT: ["remainingMinor"],
};

/** The variables of a refusal's sentence from its details (see FIGURE_CODES). */
export function figureVars(details: Record<string, unknown>): Record<string, string> {
  const currency = typeof details.currency === "string" ? details.currency : "CNY";
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    if (k.endsWith("Minor")) vars[k.slice(0, -"Minor".length)] = formatMoney(v, currency);
    else if (k.endsWith("Bps")) vars[k.slice(0, -"Bps".length)] = formatRate(v);
    else vars[k] = String(v);
  }
  return vars;
}

/** Translation as describeError needs it (i18next's `t` and `exists`, or a stand-in in tests). */
export interface ErrorTexts {
  t(key: string, vars?: Record<string, unknown>): string;
  exists(key: string): boolean;
  /** The app's language: picks `messageZh` or `messageEn` where the server sends both (password rules). */
  lang?: "zh-CN" | "en";
}

/** The server's sentence for the first issue in the app's language, when it sends one per language. */
export function localizedIssue(e: ApiError, lang: "zh-CN" | "en" | undefined): string | null {
  const issues = e.details.issues;
  const first = Array.isArray(issues) ? (issues[0] as { messageEn?: unknown; messageZh?: unknown } | undefined) : undefined;
  const text = lang === "en" ? first?.messageEn : first?.messageZh;
  return typeof text === "string" ? text : null;
}

/**
 * A localized sentence for an error from the API: the translated headline of its code, then the server's detail for
 * codes that carry one, or the error id of an internal error (which the server's log line carries too).
 */
export function describeError(e: unknown, x: ErrorTexts): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : x.t("common.unknownError");
  if (e.code === "NETWORK") return x.t("errors.network");
  const key = `errors.${e.code}`;
  if (!x.exists(key)) return e.message || x.t("common.unknownError");
  const figures = FIGURE_CODES[e.code];
  if (figures?.every((f) => typeof e.details[f] === "number") && x.exists(`errorDetails.${e.code}`))
    return x.t(`errorDetails.${e.code}`, figureVars(e.details));
  const headline = x.t(key);
  const localized = localizedIssue(e, x.lang);
  if (DETAILED_CODES.has(e.code) && localized) return `${headline} ${localized}`;
  if (DETAILED_CODES.has(e.code) && e.message) return `${headline} ${e.message}`;
  const id = e.details.errorId;
  if (e.code === "INTERNAL" && typeof id === "string") return `${headline} ${x.t("errors.errorId", { id })}`;
  return headline;
}
