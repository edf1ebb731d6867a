/** Log out and go to the login page; `compact` shows the icon only (the name stays the accessible name). */
import { LogoutOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { logout } from "../api/client.ts";

export function LogoutButton({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button
      icon={<LogoutOutlined aria-hidden />}
      aria-label={t("common.logout")}
      onClick={async () => {
        await logout();
        navigate("/login", { replace: true });
      }}
      data-testid="logout"
    >
      {compact ? null : t("common.logout")}
    </Button>
  );
}
