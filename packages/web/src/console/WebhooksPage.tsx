/** 开发者 / Webhooks: the merchant's endpoints, creating one (secret shown once), rotating, disabling, the delivery log. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, get, post } from "../api/client.ts";
import type { Items } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { dateTime } from "../lib/format.ts";
import { WebhookDeliveries } from "./WebhookDeliveries.tsx";
import { WebhookEndpointForm } from "./WebhookEndpointForm.tsx";
import { WebhookSecretModal } from "./WebhookSecretModal.tsx";
import type { WebhookEndpoint, WebhookEndpointWithSecret } from "./webhooks.ts";

export function WebhooksPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const list = useAsync(() => get<Items<WebhookEndpoint>>("/v1/webhook-endpoints"), []);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<WebhookEndpoint | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function act(work: () => Promise<unknown>, done: string) {
    setProblem(null);
    try {
      await work();
      message.success(done);
      list.reload();
    } catch (e) {
      setProblem(errorText(e));
    }
  }
  const rotate = (e: WebhookEndpoint) =>
    act(
      async () => setSecret((await post<WebhookEndpointWithSecret>(`/v1/webhook-endpoints/${e.id}/rotate-secret`, {})).secret),
      t("webhooks.saved"),
    );
  const toggle = (e: WebhookEndpoint) =>
    act(() => api("PATCH", `/v1/webhook-endpoints/${e.id}`, { disabled: !e.disabled }), t("webhooks.saved"));
  const remove = (e: WebhookEndpoint) => act(() => api("DELETE", `/v1/webhook-endpoints/${e.id}`), t("webhooks.removed"));

  return (
    <div>
      <Typography.Title level={3}>{t("webhooks.title")}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("webhooks.help")}</Typography.Paragraph>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          style={{ marginBottom: 12 }}
          data-testid="webhook-create"
        >
          {t("webhooks.create")}
        </Button>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        {list.error ? (
          <ErrorBox error={list.error} onRetry={list.reload} />
        ) : (
          <Table<WebhookEndpoint>
            data-testid="webhooks-table"
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t("webhooks.noEndpoints") }}
            scroll={{ x: 900 }}
            columns={[
              {
                title: t("webhooks.url"),
                key: "url",
                render: (_v, e) => (
                  <div>
                    <Typography.Text strong style={{ wordBreak: "break-all" }}>
                      {e.url}
                    </Typography.Text>
                    {e.description && <div style={{ color: "#888" }}>{e.description}</div>}
                  </div>
                ),
              },
              {
                title: t("webhooks.events"),
                dataIndex: "events",
                render: (events: string[]) =>
                  events.includes("*") ? (
                    <Tag color="blue">{t("webhooks.allEvents")}</Tag>
                  ) : (
                    events.map((ev) => (
                      <Tag key={ev}>{t(`webhooks.types.${ev}` as "webhooks.types.order.attributed", { defaultValue: ev })}</Tag>
                    ))
                  ),
              },
              {
                title: t("webhooks.status"),
                key: "status",
                render: (_v, e) =>
                  e.disabled ? (
                    <Tag color="red" title={e.disabledReason ?? undefined}>
                      {t("webhooks.disabled")}
                    </Tag>
                  ) : (
                    <Tag color="green">{t("webhooks.enabled")}</Tag>
                  ),
              },
              { title: t("webhooks.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
              {
                title: t("webhooks.actions"),
                key: "actions",
                render: (_v, e) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setLogOf(e)} data-testid={`webhook-log-${e.id}`}>
                      {t("webhooks.deliveries")}
                    </Button>
                    <Popconfirm title={t("webhooks.rotateConfirm")} onConfirm={() => rotate(e)}>
                      <Button size="small">{t("webhooks.rotate")}</Button>
                    </Popconfirm>
                    <Button size="small" onClick={() => toggle(e)}>
                      {e.disabled ? t("webhooks.enable") : t("webhooks.disable")}
                    </Button>
                    <Popconfirm title={t("webhooks.removeConfirm")} onConfirm={() => remove(e)}>
                      <Button size="small" danger>
                        {t("webhooks.remove")}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <WebhookEndpointForm
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(e) => {
          setCreating(false);
          setSecret(e.secret);
          message.success(t("webhooks.created"));
          list.reload();
        }}
      />
      <WebhookSecretModal secret={secret} onClose={() => setSecret(null)} />
      <WebhookDeliveries endpoint={logOf} onClose={() => setLogOf(null)} />
    </div>
  );
}
