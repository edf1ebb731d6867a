/**
 * The platform's merchants: search, status filter, this month's figures per merchant, onboarding, and suspending or
 * reactivating with a reason (POST /v1/merchants/{id}/suspend | reactivate).
 */
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, write } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { FormDialog } from "../components/FormDialog.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
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
  const { message } = App.useApp();
  return (
    <FormDialog<{ reason: string }>
      title={t(action === "suspend" ? "admin.platform.suspendTitle" : "admin.platform.reactivateTitle", { name: merchant.name })}
      okText={t(`admin.platform.${action}`)}
      okDanger={action === "suspend"}
      okTestId="merchant-status-submit"
      intro={
        <Typography.Paragraph type="secondary">
          {t(action === "suspend" ? "admin.platform.suspendHelp" : "admin.platform.reactivateHelp")}
        </Typography.Paragraph>
      }
      onClose={onClose}
      onSubmit={async (v, key) => {
        await write("POST", `/v1/merchants/${encodeURIComponent(merchant.id)}/${action}`, { reason: v.reason.trim() }, key);
        message.success(t("admin.platform.done"));
        onDone();
      }}
    >
      <Form.Item
        name="reason"
        label={t("admin.platform.reasonLabel")}
        rules={[{ required: true, whitespace: true, message: t("admin.platform.reasonRequired") }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="merchant-status-reason" />
      </Form.Item>
    </FormDialog>
  );
}
