/** What a suspended merchant's admin sees instead of the console (every call answers 403 MERCHANT_SUSPENDED). */
import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { LogoutButton } from "../components/LogoutButton.tsx";

export const isSuspended = (e: unknown): boolean => e instanceof ApiError && e.code === "MERCHANT_SUSPENDED";

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
