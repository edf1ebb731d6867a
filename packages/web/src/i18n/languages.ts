/** The languages of the app (no DOM here, so pure modules and tests can use the type). */
export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(x: string | null | undefined): x is Language {
  return x === "zh-CN" || x === "en";
}
