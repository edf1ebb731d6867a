/**
 * The platform's merchants: search, status filter, this month's figures per merchant, onboarding, and suspending or
 * reactivating with a reason (POST /v1/merchants/{id}/suspend | reactivate).
 */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, newIdempotencyKey, write } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { date, money } from "../lib/format.ts";
import { OnboardDialog } from "./OnboardDialog.tsx";
import type { MerchantPage, PlatformMerchant } from "./types.ts";

const PAGE_SIZE = 20;

export function MerchantsCard({ onChanged, reloadKey }: { onChanged: () => void; reloadKey: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<"" | "active" | "suspended">("");
  const [pageNo, setPageNo] = useState(1);
  const [acting, setActing] = useState<{ merchant: PlatformMerchant; action: "suspend" | "reactivate" } | null>(null);
  const [onboarding, setOnboarding] = useState(false);
  const list = useAsync(
    () =>
      get<MerchantPage>("/v1/merchants", {
        search: search.trim() || undefined,
        status: status || undefined,
        limit: PAGE_SIZE,
        offset: (pageNo - 1) * PAGE_SIZE,
      }),
    [search, status, pageNo, reloadKey],
  );

  return (
    <Card
      title={t("platform.merchants")}
      style={{ marginBottom: 16 }}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOnboarding(true)} data-testid="merchant-onboard">
          {t("admin.platform.onboard")}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          aria-label={t("admin.platform.search")}
          placeholder={t("admin.platform.search")}
          onSearch={(v) => {
            setSearch(v);
            setPageNo(1);
          }}
          style={{ width: 280 }}
          data-testid="merchant-search"
        />
        <Select
          aria-label={t("admin.platform.statusFilter")}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPageNo(1);
          }}
          style={{ width: 140 }}
          options={[
            { value: "", label: t("admin.platform.all") },
            { value: "active", label: t("admin.platform.active") },
            { value: "suspended", label: t("admin.platform.suspended") },
          ]}
          data-testid="merchant-status-filter"
        />
      </Space>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <Table<PlatformMerchant>
        size="small"
        rowKey="id"
        data-testid="merchants-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 960 }}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPageNo }}
        columns={[
          {
            title: t("platform.merchant"),
            key: "name",
            render: (_v, m) => (
              <div>
                <Typography.Text strong>{m.name}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" copyable={{ text: m.id }} style={{ fontSize: 12 }}>
                    {m.id}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t("admin.platform.slug"),
            dataIndex: "slug",
            render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—"),
          },
          {
            title: t("admin.platform.status"),
            key: "status",
            render: (_v, m) =>
              m.status === "active" ? (
                <Tag color="green">{t("admin.platform.active")}</Tag>
              ) : (
                <Space direction="vertical" size={0}>
                  <Tag color="red" data-testid={`merchant-suspended-${m.id}`}>
                    {t("admin.platform.suspended")}
                  </Tag>
                  {m.statusReason ? <Typography.Text type="secondary">{m.statusReason}</Typography.Text> : null}
                </Space>
              ),
          },
          { title: t("platform.createdAt"), dataIndex: "createdAt", render: (v: string) => date(v, lang) },
          { title: t("admin.platform.promotersCol"), dataIndex: "promoters", align: "right" },
          { title: t("admin.platform.salesCol"), dataIndex: "salesMinor", align: "right", render: (v: number) => money(v) },
          { title: t("admin.platform.commissionCol"), dataIndex: "commissionMinor", align: "right", render: (v: number) => money(v) },
          {
            title: t("admin.platform.actions"),
            key: "actions",
            render: (_v, m) => {
              const action = m.status === "active" ? "suspend" : "reactivate";
              return (
                <Button
                  size="small"
                  danger={action === "suspend"}
                  aria-label={`${t(`admin.platform.${action}`)} ${m.name}`}
                  onClick={() => setActing({ merchant: m, action })}
                  data-testid={`merchant-${action}-${m.id}`}
                >
                  {t(`admin.platform.${action}`)}
                </Button>
              );
            },
          },
        ]}
      />
      {acting && (
        <StatusDialog
          {...acting}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            list.reload();
            onChanged();
          }}
        />
      )}
      {onboarding && (
        <OnboardDialog
          onClose={() => setOnboarding(false)}
          onDone={() => {
            list.reload();
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function StatusDialog({
  merchant,
  action,
  onClose,
  onDone,
}: {
  merchant: PlatformMerchant;
  action: "suspend" | "reactivate";
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt] = useState(newIdempotencyKey);

  async function submit(v: { reason: string }) {
    setBusy(true);
    setError(null);
    try {
      await write("POST", `/v1/merchants/${encodeURIComponent(merchant.id)}/${action}`, { reason: v.reason.trim() }, attempt);
      message.success(t("admin.platform.done"));
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t(action === "suspend" ? "admin.platform.suspendTitle" : "admin.platform.reactivateTitle", { name: merchant.name })}
      onCancel={onClose}
      okText={t(`admin.platform.${action}`)}
      okButtonProps={{ danger: action === "suspend", "data-testid": "merchant-status-submit" }}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t(action === "suspend" ? "admin.platform.suspendHelp" : "admin.platform.reactivateHelp")}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="reason"
          label={t("admin.platform.reasonLabel")}
          rules={[{ required: true, whitespace: true, message: t("admin.platform.reasonRequired") }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="merchant-status-reason" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
