/** i18next setup: Chinese by default, English on request; the choice is remembered in localStorage. */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.ts";
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
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "zh-CN";
}

const lang = initialLanguage();
document.documentElement.lang = lang;
void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: lang,
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
