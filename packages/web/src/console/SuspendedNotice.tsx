/** What a suspended merchant's admin sees instead of the console (every call answers 403 MERCHANT_SUSPENDED). */
import { LogoutOutlined } from "@ant-design/icons";
import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError, logout } from "../api/client.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";

export const isSuspended = (e: unknown): boolean => e instanceof ApiError && e.code === "MERCHANT_SUSPENDED";

export function SuspendedNotice() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="warning"
      title={t("admin.suspended.title")}
      subTitle={t("admin.suspended.help")}
      data-testid="merchant-suspended"
      extra={[
        <LanguageSwitch key="lang" />,
        <Button
          key="logout"
          icon={<LogoutOutlined />}
          onClick={async () => {
            await logout();
            navigate("/login", { replace: true });
          }}
          data-testid="logout"
        >
          {t("common.logout")}
        </Button>,
      ]}
    />
  );
}
