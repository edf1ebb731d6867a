import { useTranslation } from "react-i18next";
import { type Language, setLanguage } from "../i18n/index.ts";
import "../ui/ui.css";
import { useLang } from "./hooks.ts";

const OPTIONS: { label: string; value: Language }[] = [
  { label: "中文", value: "zh-CN" },
  { label: "English", value: "en" },
];

/** 中文 / English: two toggle buttons that look like antd's Segmented (no antd: it is on the portal's first screen). */
export function LanguageSwitch({ size }: { size?: "small" | "middle" | "large" }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <fieldset className={`ui-segmented${size === "small" ? " small" : ""}`} aria-label={t("common.language")} data-testid="lang-switch">
      {OPTIONS.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={lang === o.value}
          lang={o.value}
          onClick={() => lang !== o.value && setLanguage(o.value)}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}
