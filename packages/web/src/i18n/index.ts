/** i18next setup: Chinese by default, English on request; the choice is remembered in localStorage. */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { isLanguage, type Language } from "./languages.ts";
import { type Messages, zhCN } from "./zh-CN.ts";

export { LANGUAGES, type Language } from "./languages.ts";

const STORAGE_KEY = "fenxiao.lang";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}

/** ?lang=en in the address wins, then the remembered choice, then Chinese. */
export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  if (isLanguage(fromUrl)) return fromUrl;
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    /* storage unavailable (private mode): fall through */
  }
  return "zh-CN";
}

export function setLanguage(lang: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
  document.documentElement.lang = lang;
  void loadLanguage(lang).then(() => i18n.changeLanguage(lang));
}

/** A chunk of strings loaded once; a failed download is tried again on the next call. */
function once(load: () => Promise<void>): () => Promise<void> {
  let loading: Promise<void> | undefined;
  return () => {
    loading ??= load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
    return loading;
  };
}

/**
 * The Chinese strings are in the first load; the English ones are a chunk of their own, downloaded when English is
 * chosen (what it buys: a Chinese first visit does not download the English copy of every string). The consoles'
 * English strings come with them once a console has been opened.
 */
const loadEnglish = once(async () => {
  const { en } = await import("./en.ts");
  i18n.addResourceBundle("en", "translation", en, true);
});

const loadConsoleEnglish = once(async () => {
  const { consoleEn } = await import("./console.en.ts");
  i18n.addResourceBundle("en", "translation", consoleEn, true);
});

let consoleOpened = false;

async function loadLanguage(lang: Language): Promise<void> {
  if (lang === "en") await Promise.all([loadEnglish(), consoleOpened ? loadConsoleEnglish() : undefined]);
}

const loadConsoleChinese = once(async () => {
  const { consoleZh } = await import("./console.ts");
  i18n.addResourceBundle("zh-CN", "translation", consoleZh, true);
});

/**
 * The consoles' strings into i18next, once: the Chinese ones (the fallback) and, in English, the English ones too. The
 * consoles are rendered after it (App.tsx), so no key shows unresolved. What it buys: the promoter portal's first load
 * does not carry them, and a Chinese console does not download their English copy.
 */
export async function loadConsoleStrings(): Promise<void> {
  consoleOpened = true;
  await Promise.all([loadConsoleChinese(), i18n.language === "en" ? loadConsoleEnglish() : undefined]);
}

/** `page` once the consoles' strings are there too (both downloaded in parallel). */
export async function withConsoleStrings<M>(page: Promise<M>): Promise<M> {
  const [m] = await Promise.all([page, loadConsoleStrings()]);
  return m;
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "zh-CN";
}

const lang = initialLanguage();
document.documentElement.lang = lang;

/** Resolves when the first language's strings are there: main.tsx renders after it, so English never flashes Chinese. */
export const i18nReady: Promise<unknown> = i18n
  .use(initReactI18next)
  .init({
    resources: { "zh-CN": { translation: zhCN } },
    lng: "zh-CN",
    fallbackLng: "zh-CN",
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  .then(() => loadLanguage(lang))
  .then(() => i18n.changeLanguage(lang));

export default i18n;
