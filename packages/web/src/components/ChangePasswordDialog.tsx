/**
 * "Change password" for any logged-in user (console header and portal header): current password, new password twice.
 * The server checks the rules and answers with the field and the reason in both languages; the current session stays.
 */
import { KeyOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { getSession, setSession } from "../api/client.ts";

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

/**
 * The first login with a one-time initial password (an invited admin): the dialog cannot be dismissed, and once the
 * new password is set the session is marked done (the server refuses every other call until then).
 */
export function FirstPasswordChange() {
  const { t } = useTranslation();
  const session = getSession();
  return (
    <div style={{ minHeight: "100vh", padding: 24 }}>
      <Suspense fallback={null}>
        <ChangePasswordDialog
          required={{ title: t("admin.firstPassword.title"), help: t("admin.firstPassword.help") }}
          onClose={() => {
            if (session) setSession({ ...session, user: { ...session.user, passwordChangeRequired: false } });
          }}
        />
      </Suspense>
    </div>
  );
}
