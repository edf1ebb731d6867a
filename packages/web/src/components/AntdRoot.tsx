/**
 * antd's theme and locale, and its App context (message, modal, notification) for what is under it. The shell does not
 * load antd: each app or page that uses it is wrapped in this (lazyWithAntd), so antd is downloaded with the first such
 * page and never for the portal's first screen. antd's English texts are downloaded only when English is chosen
 * (loadAntdEnglish: lazyWithAntd waits for them when the page opens in English; a switch later loads them here).
 */
import { App, ConfigProvider } from "antd";
import type { Locale } from "antd/es/locale";
import zhCN from "antd/locale/zh_CN";
import { useEffect, useState } from "react";
import { useLang } from "../components/hooks.ts";

export const THEME = { token: { colorPrimary: "#d4380d", borderRadius: 8 } };

let enUS: Locale | undefined;
let enLoading: Promise<Locale> | undefined;

export function loadAntdEnglish(): Promise<Locale> {
  enLoading ??= import("antd/locale/en_US").then((m) => {
    enUS = m.default;
    return m.default;
  });
  return enLoading;
}

/** `bare`: no element of its own (for a dialog, which antd renders into document.body anyway). */
export function AntdRoot({ children, bare = false }: { children?: React.ReactNode; bare?: boolean }) {
  const lang = useLang();
  const [en, setEn] = useState(enUS);
  useEffect(() => {
    if (lang === "en" && !en) void loadAntdEnglish().then(setEn);
  }, [lang, en]);
  return (
    <ConfigProvider locale={lang === "en" && en ? en : zhCN} theme={THEME}>
      <App component={bare ? false : undefined}>{children}</App>
    </ConfigProvider>
  );
}
