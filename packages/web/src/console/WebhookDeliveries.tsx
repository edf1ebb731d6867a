/** An endpoint's delivery log: status, attempts (status code, latency, response excerpt) and a resend button. */
import { Alert, App, Button, Drawer, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client.ts";
import type { Items } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { dateTime } from "../lib/format.ts";
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "./webhooks.ts";

const STATUS_COLOR = { pending: "orange", succeeded: "green", failed: "red" } as const;

function AttemptLog({ log }: { log: WebhookAttempt[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Table<WebhookAttempt>
      rowKey="attempt"
      size="small"
      pagination={false}
      dataSource={log}
      columns={[
        { title: "#", dataIndex: "attempt", width: 60, render: (n: number) => t("webhooks.attempt", { n }) },
        { title: t("webhooks.createdAt"), dataIndex: "startedAt", render: (v: string) => dateTime(v, lang) },
        { title: t("webhooks.lastStatus"), dataIndex: "statusCode", render: (v: number | null) => v ?? "—" },
        { title: t("webhooks.latency"), dataIndex: "latencyMs", render: (v: number) => `${v} ms` },
        {
          title: t("webhooks.response"),
          key: "response",
          render: (_v, a) =>
            a.error ? (
              <Typography.Text type="danger">{a.error}</Typography.Text>
            ) : (
              <Typography.Text code style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
                {a.responseExcerpt || "—"}
              </Typography.Text>
            ),
        },
      ]}
    />
  );
}

export function WebhookDeliveries({ endpoint, onClose }: { endpoint: WebhookEndpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [problem, setProblem] = useState<string | null>(null);
  const list = useAsync(
    async () => (endpoint ? get<Items<WebhookDelivery>>(`/v1/webhook-endpoints/${endpoint.id}/deliveries`, { limit: 100 }) : { items: [] }),
    [endpoint?.id],
  );

  async function resend(d: WebhookDelivery) {
    if (!endpoint) return;
    setProblem(null);
    try {
      await post(`/v1/webhook-endpoints/${endpoint.id}/deliveries/${d.id}/resend`, {});
      message.success(t("webhooks.resent"));
      list.reload();
    } catch (e) {
      setProblem(errorText(e));
    }
  }

  return (
    <Drawer open={endpoint !== null} onClose={onClose} width={960} title={`${t("webhooks.deliveries")} · ${endpoint?.url ?? ""}`}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      {list.error ? (
        <ErrorBox error={list.error} onRetry={list.reload} />
      ) : (
        <Table<WebhookDelivery>
          data-testid="webhook-deliveries"
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          scroll={{ x: 860 }}
          expandable={{ expandedRowRender: (d) => <AttemptLog log={d.log} />, rowExpandable: (d) => d.log.length > 0 }}
          columns={[
            { title: t("webhooks.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
            {
              title: t("webhooks.eventType"),
              dataIndex: "eventType",
              render: (v: string) => t(`webhooks.types.${v}` as "webhooks.types.order.attributed", { defaultValue: v }),
            },
            { title: t("webhooks.eventId"), dataIndex: "eventId", render: (v: string) => <Typography.Text copyable>{v}</Typography.Text> },
            {
              title: t("webhooks.status"),
              dataIndex: "status",
              render: (v: WebhookDelivery["status"]) => <Tag color={STATUS_COLOR[v]}>{t(`webhooks.deliveryStatus.${v}`)}</Tag>,
            },
            { title: t("webhooks.attempts"), dataIndex: "attempts", align: "right" },
            {
              title: t("webhooks.lastStatus"),
              key: "last",
              render: (_v, d) => d.lastStatusCode ?? (d.lastError ? <Typography.Text type="danger">{d.lastError}</Typography.Text> : "—"),
            },
            { title: t("webhooks.nextAttempt"), dataIndex: "nextAttemptAt", render: (v: string | null) => (v ? dateTime(v, lang) : "—") },
            {
              title: t("webhooks.actions"),
              key: "actions",
              render: (_v, d) => (
                <Button size="small" onClick={() => resend(d)} data-testid={`webhook-resend-${d.id}`}>
                  {t("webhooks.resend")}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}
