/**
 * What a suspended merchant's admin sees instead of the console (every call answers 403 MERCHANT_SUSPENDED); a chunk of
 * its own (antd's Result and its drawing are not in the console's first load).
 */
import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { LogoutButton } from "../components/LogoutButton.tsx";

export function SuspendedNotice() {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={t("admin.suspended.title")}
      subTitle={t("admin.suspended.help")}
      data-testid="merchant-suspended"
      extra={[<LanguageSwitch key="lang" />, <LogoutButton key="logout" />]}
    />
  );
}
