/** The "change password" dialog (opened by ChangePasswordButton in ChangePasswordDialog.tsx, loaded lazily). */
import { Alert, Form, Input, Modal, message, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, post } from "../api/client.ts";
import { localizedIssue } from "../lib/errors.ts";
import { useErrorText, useLang } from "./hooks.ts";

/** The server's minimum (modules/auth/passwords.ts PASSWORD_LENGTH_MIN); the server decides, this only helps early. */
const PASSWORD_LENGTH_MIN = 10;

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** `required`: the first login with a one-time password — the dialog cannot be dismissed and says why. */
export default function ChangePasswordDialog({ onClose, required }: { onClose: () => void; required?: { title: string; help: string } }) {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(v: Values) {
    setBusy(true);
    setError(null);
    try {
      await post("/v1/auth/password", { currentPassword: v.currentPassword, newPassword: v.newPassword });
      // antd's global message, not App.useApp()'s: closing unmounts the dialog with the antd holder it was loaded with
      // (lazyWithAntd), and the message must outlive it (it is the same look: the theme changes no colour of it).
      void message.success(t("password.changed"));
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
