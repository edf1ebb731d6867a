/**
 * 客户: the server-side list (search by reference, name or phone; filter by binding and bound promoter; a total; the CSV
 * export), every phone and name masked. "显示" on a row asks the server for that one customer's full data — an audit
 * entry each time — and shows it in place. A row opens the customer's page: bindings and their history, orders,
 * referrals and who viewed the full data when.
 */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Descriptions, Drawer, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, post } from "../../api/client.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { OrderStatusTag } from "../../components/labels.tsx";
import { downloadCsv } from "../../lib/download.ts";
import { dateTime, money } from "../../lib/format.ts";
import { useConsole } from "../context.tsx";
import { RevealButton } from "./RevealButton.tsx";
import { offsetPagination, openableRow } from "./table.ts";

const PAGE = 20;

interface CustomerRow {
  id: string;
  customerRef: string;
  phone: string | null;
  name: string | null;
  registeredAt: string | null;
  programId: string | null;
  boundPromoterId: string | null;
  boundPromoterName: string | null;
  boundAt: string | null;
  bindingExpiresAt: string | null;
  orders: number;
}
interface Revealed {
  phone: string | null;
  name: string | null;
}
interface CustomerDetail {
  id: string;
  customerRef: string;
  phone: string | null;
  name: string | null;
  registeredAt: string | null;
  referrer: { id: string; customerRef: string } | null;
  bindings: {
    current: { programId: string; promoterId: string; promoterName: string | null; boundAt: string; expiresAt: string }[];
    history: {
      programId: string | null;
      promoterId: string;
      via: "order" | "registration" | "community";
      orderRef: string | null;
      boundAt: string;
    }[];
  };
  orders: { orderRef: string; status: string; channel: string; paidAt: string; amountMinor: number; promoterId: string | null }[];
  referrals: { referredCustomers: number; rewards: { kind: string; valueMinor: number; orderRef: string; at: string }[] };
  reveals: { actor: string; at: string }[];
}

function CustomerDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { program, promoterName } = useConsole();
  const d = useAsync(async () => (id ? get<CustomerDetail>(`/v1/customers/${encodeURIComponent(id)}`) : null), [id]);
  const c = d.data;
  return (
    <Drawer open={id !== null} onClose={onClose} width={640} title={`${t("customersPage.detail")} · ${c?.customerRef ?? ""}`}>
      {d.error ? <ErrorBox error={d.error} onRetry={d.reload} /> : null}
      {c ? (
        <Space direction="vertical" style={{ width: "100%" }} size="large" data-testid="customer-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t("customersPage.ref")}>{c.customerRef}</Descriptions.Item>
            <Descriptions.Item label={t("customersPage.name")}>{c.name ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("customersPage.phone")}>{c.phone ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("customersPage.registeredAt")}>{dateTime(c.registeredAt, lang)}</Descriptions.Item>
            <Descriptions.Item label={t("customersPage.referrer")}>{c.referrer?.customerRef ?? "—"}</Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t("customersPage.bindings")}</Typography.Title>
            <Table
              size="small"
              rowKey="programId"
              pagination={false}
              dataSource={c.bindings.current}
              locale={{ emptyText: t("customersPage.empty") }}
              columns={[
                { title: t("customersPage.promoter"), dataIndex: "promoterName", render: (v, r) => v ?? r.promoterId },
                { title: t("customersPage.boundAt"), dataIndex: "boundAt", render: (v: string) => dateTime(v, lang) },
                { title: t("customersPage.expiresAt"), dataIndex: "expiresAt", render: (v: string) => dateTime(v, lang) },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>{t("customersPage.history")}</Typography.Title>
            <Table
              size="small"
              rowKey={(r) => `${r.boundAt}:${r.promoterId}:${r.orderRef ?? ""}`}
              pagination={false}
              dataSource={c.bindings.history}
              locale={{ emptyText: t("customersPage.empty") }}
              columns={[
                { title: t("customersPage.boundAt"), dataIndex: "boundAt", render: (v: string) => dateTime(v, lang) },
                { title: t("customersPage.promoter"), dataIndex: "promoterId", render: (v: string) => promoterName(v) },
                {
                  title: t("customersPage.viaTitle"),
                  dataIndex: "via",
                  render: (v: "order" | "registration" | "community", r) => (
                    <Tag>
                      {t(`customersPage.via.${v}`)}
                      {r.orderRef ? ` ${r.orderRef}` : ""}
                    </Tag>
                  ),
                },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>{t("customersPage.orderList")}</Typography.Title>
            <Table
              size="small"
              rowKey="orderRef"
              pagination={false}
              dataSource={c.orders}
              locale={{ emptyText: t("customersPage.empty") }}
              columns={[
                { title: t("customersPage.orderRef"), dataIndex: "orderRef" },
                { title: t("customersPage.paidAt"), dataIndex: "paidAt", render: (v: string) => dateTime(v, lang) },
                {
                  title: t("customersPage.amount"),
                  dataIndex: "amountMinor",
                  align: "right",
                  render: (v: number) => money(v, program.currency),
                },
                { title: t("customersPage.status"), dataIndex: "status", render: (v: string) => <OrderStatusTag status={v} /> },
                { title: t("customersPage.orderPromoter"), dataIndex: "promoterId", render: (v: string | null) => promoterName(v) },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>{t("customersPage.referrals")}</Typography.Title>
            <Typography.Paragraph>{t("customersPage.referredCustomers", { n: c.referrals.referredCustomers })}</Typography.Paragraph>
            {c.referrals.rewards.map((r) => (
              <Tag key={`${r.orderRef}:${r.at}`}>
                {r.orderRef} · {r.kind} {money(r.valueMinor, program.currency)}
              </Tag>
            ))}
          </div>
          <div>
            <Typography.Title level={5}>{t("customersPage.reveals")}</Typography.Title>
            <Table
              size="small"
              rowKey={(r) => `${r.at}:${r.actor}`}
              pagination={false}
              dataSource={c.reveals}
              locale={{ emptyText: t("customersPage.empty") }}
              columns={[
                { title: t("customersPage.at"), dataIndex: "at", render: (v: string) => dateTime(v, lang) },
                { title: t("customersPage.actor"), dataIndex: "actor" },
              ]}
            />
          </div>
        </Space>
      ) : null}
    </Drawer>
  );
}

export function CustomersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program, promoters } = useConsole();
  const [q, setQ] = useState("");
  const [bound, setBound] = useState<"yes" | "no" | undefined>();
  const [promoterId, setPromoterId] = useState<string | undefined>();
  const [pageNo, setPageNo] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<Record<string, Revealed>>({});
  const filters = { programId: program.id, q: q.trim() || undefined, bound, promoterId };
  const list = useAsync(
    () => get<{ items: CustomerRow[]; total: number }>("/v1/customers", { ...filters, limit: PAGE, offset: (pageNo - 1) * PAGE }),
    [program.id, q, bound, promoterId, pageNo],
  );
  const shown = (r: CustomerRow, k: "phone" | "name") => {
    const full = revealed[r.id];
    if (!full) return <span data-testid={`${k}-${r.customerRef}`}>{r[k] ?? "—"}</span>;
    return (
      <Space size={4}>
        <Typography.Text strong data-testid={`${k}-${r.customerRef}`}>
          {full[k] ?? "—"}
        </Typography.Text>
        {k === "phone" ? <Tag color="orange">{t("customersPage.revealed")}</Tag> : null}
      </Space>
    );
  };

  return (
    <div>
      <Typography.Title level={3}>{t("customersPage.title")}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            aria-label={t("customersPage.search")}
            placeholder={t("customersPage.search")}
            style={{ width: 280 }}
            onChange={(e) => {
              setQ(e.target.value);
              setPageNo(1);
            }}
            data-testid="customers-search"
          />
          <Select
            allowClear
            aria-label={t("customersPage.bound")}
            placeholder={t("customersPage.bound")}
            style={{ width: 140 }}
            value={bound}
            onChange={(v) => {
              setBound(v);
              setPageNo(1);
            }}
            options={[
              { value: "yes", label: t("customersPage.boundYes") },
              { value: "no", label: t("customersPage.boundNo") },
            ]}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("customersPage.promoter")}
            placeholder={t("customersPage.promoter")}
            style={{ width: 200 }}
            value={promoterId}
            onChange={(v) => {
              setPromoterId(v);
              setPageNo(1);
            }}
            options={promoters.map((p) => ({ value: p.promoterId, label: p.name }))}
          />
          <Button
            icon={<DownloadOutlined aria-hidden />}
            data-testid="customers-export"
            onClick={() =>
              downloadCsv("/v1/customers/export.csv", { programId: program.id }, "customers.csv").catch((e) => message.error(errorText(e)))
            }
          >
            {t("csv.export")}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary">{t("customersPage.revealNote")}</Typography.Paragraph>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        <Table<CustomerRow>
          data-testid="customers-table"
          rowKey={(r) => `${r.id}:${r.programId ?? ""}`}
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1000 }}
          pagination={offsetPagination(pageNo, PAGE, list.data?.total ?? 0, setPageNo, (n) => t("customersPage.total", { n }))}
          onRow={(r) => openableRow(() => setOpen(r.id))}
          columns={[
            { title: t("customersPage.ref"), dataIndex: "customerRef", render: (v: string) => <Typography.Link>{v}</Typography.Link> },
            { title: t("customersPage.name"), key: "name", render: (_: unknown, r) => shown(r, "name") },
            { title: t("customersPage.phone"), key: "phone", render: (_: unknown, r) => shown(r, "phone") },
            { title: t("customersPage.promoter"), dataIndex: "boundPromoterName", render: (v: string | null) => v ?? "—" },
            { title: t("customersPage.boundAt"), dataIndex: "boundAt", render: (v: string | null) => dateTime(v, lang) },
            { title: t("customersPage.expiresAt"), dataIndex: "bindingExpiresAt", render: (v: string | null) => dateTime(v, lang) },
            { title: t("customersPage.orders"), dataIndex: "orders", align: "right" },
            {
              title: "",
              key: "reveal",
              render: (_: unknown, r) =>
                revealed[r.id] ? null : (
                  <RevealButton
                    label={t("customersPage.revealLabel", { ref: r.customerRef })}
                    testId={`reveal-${r.customerRef}`}
                    reveal={async () => {
                      const full = await post<Revealed>(`/v1/customers/${encodeURIComponent(r.id)}/reveal`);
                      setRevealed((m) => ({ ...m, [r.id]: full }));
                    }}
                  />
                ),
            },
          ]}
        />
      </Card>
      <CustomerDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
