/**
 * "Change password" for any logged-in user (console header and portal header): current password, new password twice.
 * The server checks the rules and answers with the field and the reason in both languages; the current session stays.
 */
import KeyOutlined from "@ant-design/icons-svg/es/asn/KeyOutlined";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { getSession, setSession } from "../api/client.ts";
import { loadConsoleStrings } from "../i18n/index.ts";
import { Button, Icon } from "../ui/ui.tsx";
import { lazyWithAntd } from "./lazyNamed.ts";

/** The dialog (its form and inputs, with antd) is a chunk of its own, downloaded when the button is first pressed. */
const ChangePasswordDialog = lazyWithAntd(() => import("./ChangePasswordForm.tsx"), "default", true);
/**
 * The same dialog on the first login, titled from the consoles' strings (admins are invited): rendered once those strings
 * and the dialog's chunk are downloaded (in parallel).
 */
const FirstPasswordDialog = lazy(async () => {
  await Promise.all([loadConsoleStrings(), import("./ChangePasswordForm.tsx")]);
  return { default: FirstDialog };
});

function FirstDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ChangePasswordDialog required={{ title: t("admin.firstPassword.title"), help: t("admin.firstPassword.help") }} onClose={onClose} />
  );
}

export function ChangePasswordButton({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        kind={compact ? "text" : "default"}
        icon={<Icon icon={KeyOutlined} />}
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
  const session = getSession();
  return (
    <div style={{ minHeight: "100vh", padding: 24 }}>
      <Suspense fallback={null}>
        <FirstPasswordDialog
          onClose={() => {
            if (session) setSession({ ...session, user: { ...session.user, passwordChangeRequired: false } });
          }}
        />
      </Suspense>
    </div>
  );
}
