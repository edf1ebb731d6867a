/** Create an endpoint: URL, description, event types (all, or a choice). */
import { Alert, Checkbox, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../api/client.ts";
import { useErrorText } from "../components/hooks.ts";
import { WEBHOOK_EVENT_TYPES, type WebhookEndpointWithSecret } from "./webhooks.ts";

interface Values {
  url: string;
  description?: string;
  all: boolean;
  events?: string[];
}

export function WebhookEndpointForm({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (e: WebhookEndpointWithSecret) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const all = Form.useWatch("all", form);

  async function submit(v: Values) {
    setBusy(true);
    setProblem(null);
    try {
      const events = v.all ? ["*"] : (v.events ?? []);
      const created = await post<WebhookEndpointWithSecret>("/v1/webhook-endpoints", {
        url: v.url.trim(),
        events,
        description: v.description ?? "",
      });
      form.resetFields();
      onCreated(created);
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t("webhooks.create")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy, "data-testid": "webhook-create-submit" } as never}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="webhook-create-error" />}
      <Form<Values> form={form} layout="vertical" initialValues={{ all: true, events: [] }} onFinish={submit}>
        <Form.Item name="url" label={t("webhooks.url")} extra={t("webhooks.urlHelp")} rules={[{ required: true, type: "url" }]}>
          <Input placeholder="https://erp.example.com/fenxiao/webhooks" data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="description" label={t("webhooks.description")}>
          <Input maxLength={500} data-testid="webhook-description" />
        </Form.Item>
        <Form.Item name="all" valuePropName="checked">
          <Checkbox data-testid="webhook-all-events">{t("webhooks.allEvents")}</Checkbox>
        </Form.Item>
        {!all && (
          <Form.Item name="events" label={t("webhooks.events")} rules={[{ required: true, type: "array", min: 1 }]}>
            <Checkbox.Group
              style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 6 }}
              options={WEBHOOK_EVENT_TYPES.map((e) => ({ value: e, label: `${t(`webhooks.types.${e}`)} (${e})` }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
