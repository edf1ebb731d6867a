/**
 * antd's theme and locale, and its App context (message, modal, notification) for what is under it. The shell does not
 * load antd: each app or page that uses it is wrapped in this (lazyWithAntd), so antd is downloaded with the first such
 * page and never for the portal's first screen.
 */
import { App, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useLang } from "../components/hooks.ts";

export const THEME = { token: { colorPrimary: "#d4380d", borderRadius: 8 } };

/** `bare`: no element of its own (for a dialog, which antd renders into document.body anyway). */
export function AntdRoot({ children, bare = false }: { children?: React.ReactNode; bare?: boolean }) {
  const lang = useLang();
  return (
    <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={THEME}>
      <App component={bare ? false : undefined}>{children}</App>
    </ConfigProvider>
  );
}
