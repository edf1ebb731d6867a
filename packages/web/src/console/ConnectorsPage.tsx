/** 店铺连接: connect a shop (platform, secret), copy its webhook URL, see its recent deliveries and their errors. */
import { ApiOutlined, CopyOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, message, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { copyText } from "../lib/clipboard.ts";
import { dateTime } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

type Platform = "shopify" | "woocommerce" | "youzan";
const PLATFORMS: { value: Platform; label: string }[] = [
  { value: "shopify", label: "Shopify" },
  { value: "woocommerce", label: "WooCommerce" },
  { value: "youzan", label: "有赞 Youzan" },
];

interface Connector {
  id: string;
  platform: Platform;
  programId: string;
  name: string;
  status: "active" | "disabled";
  secretHint: string;
  webhookUrl: string;
  createdAt: string;
}

interface Delivery {
  id: string;
  receivedAt: string;
  topic: string;
  outcome: "applied" | "ignored" | "duplicate" | "rejected" | "failed";
  statusCode: number;
  errorCode: string | null;
  error: string | null;
  orderRef: string | null;
}

const OUTCOME_COLOR: Record<Delivery["outcome"], string> = {
  applied: "green",
  ignored: "default",
  duplicate: "blue",
  rejected: "red",
  failed: "orange",
};

function CopyButton({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <Button
      size="small"
      icon={<CopyOutlined />}
      onClick={async () => ((await copyText(text)) ? message.success(t("common.copied")) : message.error(t("common.copyFailed")))}
    >
      {t("common.copy")}
    </Button>
  );
}

function Deliveries({ connector }: { connector: Connector }) {
  const { t } = useTranslation();
  const lang = useLang();
  const list = useAsync(() => get<{ items: Delivery[] }>(`/v1/connectors/${connector.id}/deliveries`, { limit: 50 }), [connector.id]);
  if (list.error) return <ErrorBox error={list.error} onRetry={list.reload} />;
  return (
    <Table<Delivery>
      size="small"
      rowKey="id"
      loading={list.loading}
      dataSource={list.data?.items ?? []}
      pagination={false}
      data-testid="connector-deliveries"
      title={() => (
        <Space>
          <Typography.Text strong>{t("connectors.deliveries")}</Typography.Text>
          <Button size="small" onClick={list.reload}>
            {t("common.refresh")}
          </Button>
        </Space>
      )}
      columns={[
        { title: t("connectors.receivedAt"), dataIndex: "receivedAt", render: (v: string) => dateTime(v, lang), width: 170 },
        { title: t("connectors.topic"), dataIndex: "topic" },
        {
          title: t("connectors.outcome"),
          dataIndex: "outcome",
          render: (v: Delivery["outcome"], r) => (
            <Tag color={OUTCOME_COLOR[v]}>
              {t(`connectors.outcomes.${v}`)} · {r.statusCode}
            </Tag>
          ),
        },
        { title: t("connectors.orderRef"), dataIndex: "orderRef", render: (v: string | null) => v ?? "—" },
        {
          title: t("connectors.error"),
          dataIndex: "error",
          render: (v: string | null, r) =>
            v ? <Typography.Text type={r.outcome === "ignored" ? "secondary" : "danger"}>{v}</Typography.Text> : "—",
        },
      ]}
    />
  );
}

/** The form that connects a shop, and the webhook URL it answers. */
function CreateConnector({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const { program } = useConsole();
  const [form] = Form.useForm<{ platform: Platform; name: string; secret: string }>();
  const platform = (Form.useWatch("platform", form) ?? "shopify") as Platform;
  const [created, setCreated] = useState<Connector | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function create(values: { platform: Platform; name: string; secret: string }) {
    setBusy(true);
    setError(null);
    try {
      setCreated(await post<Connector>("/v1/connectors", { ...values, programId: program.id }));
      form.resetFields(["secret"]);
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("connectors.create")} style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" initialValues={{ platform: "shopify" }} onFinish={create} style={{ maxWidth: 560 }}>
        <Form.Item name="platform" label={t("connectors.platform")} rules={[{ required: true }]} extra={t(`connectors.topics.${platform}`)}>
          <Select options={PLATFORMS} data-testid="connector-platform" />
        </Form.Item>
        <Form.Item name="name" label={t("connectors.name")} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="connector-name" />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t("connectors.secret")}
          rules={[{ required: true, min: 8 }]}
          extra={t(`connectors.secretHelp.${platform}`)}
        >
          <Input.Password autoComplete="off" data-testid="connector-secret" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<ApiOutlined />} loading={busy} data-testid="connector-create">
          {t("connectors.submit")}
        </Button>
      </Form>
      {error !== null && (
        <div style={{ marginTop: 16 }}>
          <ErrorBox error={error} />
        </div>
      )}
      {created && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          data-testid="connector-created"
          message={t("connectors.created")}
          description={
            <Space wrap>
              <Typography.Text code>{created.webhookUrl}</Typography.Text>
              <CopyButton text={created.webhookUrl} />
            </Space>
          }
        />
      )}
      <ScriptSnippet platform={platform} />
    </Card>
  );
}

/** The /fx.js tag to put on the shop's pages, with the program's click window. */
function ScriptSnippet({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const { program } = useConsole();
  const days = (program as typeof program & { clickWindowDays?: number }).clickWindowDays ?? 7;
  const extra = platform === "shopify" ? " data-shopify" : platform === "woocommerce" ? ' data-form="form.checkout"' : "";
  const tag = `<script src="${window.location.origin}/fx.js?days=${days}"${extra}></script>`;
  return (
    <div style={{ marginTop: 16 }}>
      <Typography.Text strong>{t("connectors.snippet")}</Typography.Text>
      <div>
        <Space wrap>
          <Typography.Text code>{tag}</Typography.Text>
          <CopyButton text={tag} />
        </Space>
      </div>
    </div>
  );
}

export function ConnectorsPage() {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = useAsync(() => get<{ items: Connector[] }>("/v1/connectors"), []);

  async function disable(id: string) {
    try {
      await post(`/v1/connectors/${id}/disable`, {});
      list.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div>
      <Typography.Title level={3}>{t("connectors.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("connectors.help")}</Typography.Paragraph>
      <CreateConnector onCreated={list.reload} />
      {error !== null && <ErrorBox error={error} />}
      {list.error ? (
        <ErrorBox error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Connector>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t("connectors.empty") }}
          data-testid="connectors-table"
          expandable={{
            expandedRowKeys: open ? [open] : [],
            onExpand: (expanded, r) => setOpen(expanded ? r.id : null),
            expandedRowRender: (r) => <Deliveries connector={r} />,
          }}
          columns={[
            { title: t("connectors.name"), dataIndex: "name" },
            {
              title: t("connectors.platform"),
              dataIndex: "platform",
              render: (v: Platform) => PLATFORMS.find((p) => p.value === v)?.label ?? v,
            },
            {
              title: t("connectors.status"),
              dataIndex: "status",
              render: (v: Connector["status"]) => <Tag color={v === "active" ? "green" : "default"}>{t(`connectors.${v}`)}</Tag>,
            },
            {
              title: t("connectors.webhookUrl"),
              dataIndex: "webhookUrl",
              render: (v: string) => (
                <Space>
                  <Typography.Text code ellipsis style={{ maxWidth: 320 }}>
                    {v}
                  </Typography.Text>
                  <CopyButton text={v} />
                </Space>
              ),
            },
            { title: t("connectors.secret"), dataIndex: "secretHint" },
            {
              title: "",
              key: "actions",
              render: (_: unknown, r) =>
                r.status === "active" ? (
                  <Popconfirm title={t("connectors.disableConfirm")} onConfirm={() => disable(r.id)}>
                    <Button size="small" danger>
                      {t("connectors.disable")}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      )}
    </div>
  );
}
