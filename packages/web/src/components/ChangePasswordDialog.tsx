/**
 * "Change password" for any logged-in user (console header and portal header): current password, new password twice.
 * The server checks the rules and answers with the field and the reason in both languages; the current session stays.
 */
import { KeyOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";

/** The dialog (its form and inputs) is a chunk of its own, downloaded when the button is first pressed. */
const ChangePasswordDialog = lazy(() => import("./ChangePasswordForm.tsx"));

export function ChangePasswordButton({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        type={compact ? "text" : "default"}
        icon={<KeyOutlined />}
        aria-label={t("password.open")}
        onClick={() => setOpen(true)}
        data-testid="change-password"
      >
        {compact ? null : t("password.open")}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <ChangePasswordDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
