/**
 * "Change password" for any logged-in user (console header and portal header): current password, new password twice.
 * The server checks the rules and answers with the field and the reason in both languages; the current session stays.
 */
import { KeyOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, getSession, post, setSession } from "../api/client.ts";
import { localizedIssue } from "../lib/errors.ts";
import { useErrorText, useLang } from "./hooks.ts";

/** The server's minimum (modules/auth/passwords.ts PASSWORD_LENGTH_MIN); the server decides, this only helps early. */
export const PASSWORD_LENGTH_MIN = 10;

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

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
      {open && <ChangePasswordDialog onClose={() => setOpen(false)} />}
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
      <ChangePasswordDialog
        required={{ title: t("admin.firstPassword.title"), help: t("admin.firstPassword.help") }}
        onClose={() => {
          if (session) setSession({ ...session, user: { ...session.user, passwordChangeRequired: false } });
        }}
      />
    </div>
  );
}

function ChangePasswordDialog({ onClose, required }: { onClose: () => void; required?: { title: string; help: string } }) {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(v: Values) {
    setBusy(true);
    setError(null);
    try {
      await post("/v1/auth/password", { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t("password.changed"));
      onClose();
    } catch (e) {
      // Put the server's answer under the field it names; anything else above the buttons.
      if (e instanceof ApiError && e.code === "PASSWORD_INCORRECT") form.setFields([{ name: "currentPassword", errors: [errorText(e)] }]);
      else if (e instanceof ApiError && e.code === "VALIDATION_FAILED" && localizedIssue(e, lang))
        form.setFields([{ name: "newPassword", errors: [(localizedIssue(e, lang) as string).replace(/^newPassword[:：]\s*/, "")] }]);
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={required?.title ?? t("password.title")}
      onCancel={required ? undefined : onClose}
      closable={!required}
      maskClosable={!required}
      keyboard={!required}
      cancelButtonProps={required ? { style: { display: "none" } } : undefined}
      okText={t("password.submit")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      okButtonProps={{ "data-testid": "change-password-submit" } as Record<string, string>}
      destroyOnHidden
    >
      {required && <Alert type="info" showIcon title={required.help} style={{ marginBottom: 12 }} data-testid="first-password" />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t("password.current")}
          rules={[{ required: true, message: t("password.currentRequired") }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t("password.next")}
          rules={[
            { required: true, message: t("password.nextRequired") },
            { min: PASSWORD_LENGTH_MIN, message: t("password.tooShort", { min: PASSWORD_LENGTH_MIN }) },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("password.confirm")}
          dependencies={["newPassword"]}
          rules={[
            { required: true, message: t("password.nextRequired") },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("password.mismatch"))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("password.hint", { min: PASSWORD_LENGTH_MIN })}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="password-error" />}
      </Form>
    </Modal>
  );
}
