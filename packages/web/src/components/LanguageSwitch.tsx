import { Segmented } from "antd";
import { type Language, setLanguage } from "../i18n/index.ts";
import { useLang } from "./hooks.ts";

/** 中文 / English. */
export function LanguageSwitch({ size }: { size?: "small" | "middle" | "large" }) {
  const lang = useLang();
  return (
    <Segmented<Language>
      data-testid="lang-switch"
      size={size}
      value={lang}
      onChange={(v) => setLanguage(v)}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "English", value: "en" },
      ]}
    />
  );
}
