/**
 * Onboard a merchant: name, slug, first admin's e-mail and name. The answer's one-time initial password and first API
 * key are shown once (POST /v1/merchants without adminPassword).
 */
import { App, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { write } from "../api/client.ts";
import { FormDialog } from "../components/FormDialog.tsx";
import { SecretOnceModal } from "../components/SecretOnceModal.tsx";

interface Values {
  name: string;
  slug: string;
  adminEmail: string;
  adminName: string;
}

interface Onboarded {
  merchantId: string;
  apiKey: { key: string | null };
  initialPassword: string | null;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function OnboardDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [made, setMade] = useState<{ email: string; password: string; key: string } | null>(null);

  if (made)
    return (
      <SecretOnceModal
        open
        title={t("admin.platform.onboardSecretTitle")}
        help={t("admin.platform.onboardSecretHelp", { email: made.email })}
        doneLabel={t("admin.users.secretDone")}
        doneTestId="onboard-secret-done"
        secrets={[
          { label: t("admin.platform.initialPassword"), value: made.password, testId: "onboard-initial-password" },
          { label: t("admin.platform.apiKey"), value: made.key, testId: "onboard-api-key" },
        ]}
        onClose={onClose}
      />
    );

  return (
    <FormDialog<Values>
      title={t("admin.platform.onboardTitle")}
      okText={t("admin.platform.onboard")}
      okTestId="onboard-submit"
      errorTestId="onboard-error"
      onClose={onClose}
      onSubmit={async (v, key) => {
        const body = { name: v.name.trim(), slug: v.slug.trim(), adminEmail: v.adminEmail.trim(), adminName: v.adminName.trim() };
        const r = await write<Onboarded>("POST", "/v1/merchants", body, key);
        message.success(t("admin.platform.onboarded"));
        onDone();
        if (r.initialPassword && r.apiKey.key) setMade({ email: body.adminEmail, password: r.initialPassword, key: r.apiKey.key });
        else onClose();
      }}
    >
      <Form.Item
        name="name"
        label={t("admin.platform.name")}
        rules={[{ required: true, whitespace: true, message: t("admin.platform.nameRequired") }]}
      >
        <Input maxLength={100} data-testid="onboard-name" />
      </Form.Item>
      <Form.Item
        name="slug"
        label={t("admin.platform.slug")}
        extra={t("admin.platform.slugHelp")}
        rules={[{ required: true, min: 2, max: 40, pattern: SLUG, message: t("admin.platform.slugInvalid") }]}
      >
        <Input maxLength={40} autoCapitalize="none" data-testid="onboard-slug" />
      </Form.Item>
      <Form.Item
        name="adminEmail"
        label={t("admin.platform.adminEmail")}
        rules={[{ required: true, type: "email", message: t("admin.users.emailRequired") }]}
      >
        <Input type="email" autoComplete="off" maxLength={200} data-testid="onboard-email" />
      </Form.Item>
      <Form.Item
        name="adminName"
        label={t("admin.platform.adminName")}
        rules={[{ required: true, whitespace: true, message: t("admin.users.nameRequired") }]}
      >
        <Input maxLength={100} data-testid="onboard-admin-name" />
      </Form.Item>
    </FormDialog>
  );
}
