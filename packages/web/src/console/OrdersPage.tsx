/** 订单: orders with status, attribution path, amounts and promoter; a drawer shows the commission lines and why. */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Card, DatePicker, Descriptions, Drawer, Empty, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { Order, OrderStatus, OrderView, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { OrderStatusTag, PathTag, StateTag, useEnumLabel } from "../components/labels.tsx";
import { Pager } from "../components/Pager.tsx";
import { rowOpens } from "../components/rowOpens.ts";
import { TABLE_PAGE_SIZE, useCursorPager } from "../components/useCursorPager.ts";
import { downloadCsv } from "../lib/download.ts";
import { dateTime, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";
import { type OrderDetail, OrderDetailSections } from "./OrderDetail.tsx";

const STATUSES: OrderStatus[] = ["paid", "completed", "refunded", "cancelled"];

export function OrdersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const { program, promoterName } = useConsole();
  const { promoters } = useConsole();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [status, setStatus] = useState<OrderStatus | undefined>();
  const [orderRef, setOrderRef] = useState("");
  const [channel, setChannel] = useState("");
  const [promoterId, setPromoterId] = useState<string | undefined>();
  const [range, setRange] = useState<[string, string] | null>(null);
  const [openRef, setOpenRef] = useState<string | null>(null);
  const cur = program.currency;
  const filters = {
    programId: program.id,
    status,
    orderRef: orderRef.trim() || undefined,
    channel: channel.trim() || undefined,
    promoterId,
    from: range?.[0],
    to: range?.[1],
  };

  const pager = useCursorPager(
    (cursor) => get<Page<Order> & { total: number }>("/v1/orders", { ...filters, limit: TABLE_PAGE_SIZE, cursor }),
    [program.id, status, orderRef, channel, promoterId, range?.[0], range?.[1]],
  );

  return (
    <div>
      <Typography.Title level={3}>{t("orders.title")}</Typography.Title>
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Input
            allowClear
            placeholder={t("orderDetail.searchRef")}
            style={{ width: 200 }}
            onChange={(e) => setOrderRef(e.target.value)}
            data-testid="orders-search"
          />
          <DatePicker.RangePicker
            onChange={(v) => setRange(v?.[0] && v[1] ? [v[0].startOf("day").toISOString(), v[1].endOf("day").toISOString()] : null)}
          />
          <Input
            allowClear
            placeholder={t("orderDetail.channelFilter")}
            style={{ width: 130 }}
            onChange={(e) => setChannel(e.target.value)}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("orderDetail.promoterFilter")}
            placeholder={t("orderDetail.promoterFilter")}
            style={{ width: 180 }}
            value={promoterId}
            onChange={setPromoterId}
            options={promoters.map((p) => ({ value: p.promoterId, label: `${p.name} · ${p.code}` }))}
          />
          <Select<OrderStatus>
            allowClear
            aria-label={t("orders.filterStatus")}
            placeholder={t("orders.filterStatus")}
            style={{ width: 180 }}
            value={status}
            onChange={setStatus}
            options={STATUSES.map((s) => ({ value: s, label: label("orderStatus", s) }))}
          />
          <Button
            icon={<DownloadOutlined />}
            data-testid="orders-export"
            onClick={() => downloadCsv("/v1/orders/export.csv", filters, "orders.csv").catch((e) => message.error(errorText(e)))}
          >
            {t("csv.export")}
          </Button>
          {pager.data ? (
            <Typography.Text type="secondary" data-testid="orders-total">
              {t("orderDetail.total", { n: pager.data.total })}
            </Typography.Text>
          ) : null}
        </Space>
        {pager.error ? (
          <ErrorBox error={pager.error} onRetry={pager.reload} />
        ) : (
          <Table<Order>
            data-testid="orders-table"
            rowKey="id"
            size="middle"
            loading={pager.loading}
            dataSource={pager.data?.items ?? []}
            pagination={false}
            scroll={{ x: 1000 }}
            onRow={(r) => rowOpens(() => setOpenRef(r.orderRef))}
            columns={[
              {
                title: t("orders.orderRef"),
                dataIndex: "orderRef",
                render: (v: string) => <Typography.Link data-testid="order-link">{v}</Typography.Link>,
              },
              { title: t("orders.paidAt"), dataIndex: "paidAt", render: (v: string) => dateTime(v, lang) },
              { title: t("orders.customer"), dataIndex: "customerRef" },
              { title: t("orders.channel"), dataIndex: "channel", render: (v: string) => label("channel", v) },
              { title: t("orders.status"), dataIndex: "status", render: (v: string) => <OrderStatusTag status={v} /> },
              {
                title: t("orders.path"),
                dataIndex: "attributionPath",
                render: (v: string | null, r) => (
                  <Space size={4}>
                    <PathTag path={v} />
                    {r.isFirstOrder && <Tag>{t("orders.firstOrder")}</Tag>}
                  </Space>
                ),
              },
              { title: t("orders.amount"), dataIndex: "amountMinor", align: "right", render: (v: number) => money(v, cur) },
              {
                title: t("orders.refunded"),
                dataIndex: "refundedMinor",
                align: "right",
                render: (v: number) => (v ? <Typography.Text type="warning">{money(v, cur)}</Typography.Text> : "—"),
              },
              { title: t("orders.promoter"), dataIndex: "promoterId", render: (v: string | null) => promoterName(v) },
            ]}
          />
        )}
        <Pager {...pager} />
      </Card>
      <OrderDrawer orderRef={openRef} onClose={() => setOpenRef(null)} />
    </div>
  );
}

function OrderDrawer({ orderRef, onClose }: { orderRef: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const { program, promoterName } = useConsole();
  const cur = program.currency;
  const view = useAsync(
    async () => (orderRef ? get<OrderView & OrderDetail>(`/v1/orders/${encodeURIComponent(orderRef)}/detail`) : null),
    [orderRef],
  );
  const o = view.data;

  return (
    <Drawer open={orderRef !== null} onClose={onClose} size={720} title={`${t("orders.detail")} #${orderRef ?? ""}`} destroyOnHidden>
      {view.error ? (
        <ErrorBox error={view.error} onRetry={view.reload} />
      ) : !o ? (
        <Card loading />
      ) : (
        <div data-testid="order-drawer">
          <Descriptions
            column={2}
            size="small"
            bordered
            items={[
              { key: "status", label: t("orders.status"), children: <OrderStatusTag status={o.status} /> },
              { key: "path", label: t("orders.path"), children: <PathTag path={o.attributionPath} /> },
              { key: "amount", label: t("orders.amount"), children: money(o.amountMinor, cur) },
              { key: "refunded", label: t("orders.refunded"), children: money(o.refundedMinor, cur) },
              { key: "promoter", label: t("orders.promoter"), children: promoterName(o.promoterId) },
              { key: "first", label: t("orders.firstOrder"), children: o.isFirstOrder ? t("orders.firstOrder") : t("orders.repeatOrder") },
            ]}
          />
          <OrderDetailSections o={o} />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t("orders.lines")}
          </Typography.Title>
          {o.commissions.length === 0 ? (
            <Empty description={t("orders.noLines")} />
          ) : (
            <Space orientation="vertical" style={{ width: "100%" }} size={12}>
              {o.commissions.map((c) => (
                <Card key={c.id} size="small" data-testid="commission-line">
                  <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
                    <Space wrap>
                      <Typography.Text strong>{promoterName(c.beneficiaryId)}</Typography.Text>
                      <Tag>{label("level", c.level)}</Tag>
                      <Tag color="volcano">{label("kind", c.kind)}</Tag>
                      <StateTag state={c.state} />
                    </Space>
                    <Space>
                      <Typography.Text strong>{money(c.amountMinor, cur)}</Typography.Text>
                      {c.reversedMinor > 0 && <Typography.Text type="warning">−{money(c.reversedMinor, cur)}</Typography.Text>}
                    </Space>
                  </Space>
                  <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }} data-testid="commission-explanation">
                    {lang === "en" ? c.explanation.en : c.explanation.zh}
                  </Typography.Paragraph>
                </Card>
              ))}
            </Space>
          )}
          {o.rewardEvents.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                {t("orders.rewards")}
              </Typography.Title>
              {o.rewardEvents.map((r) => (
                <Tag key={`${r.kind}:${r.customerRef}:${r.valueMinor}`}>
                  {label("reward", r.kind)}{" "}
                  {r.valueMinor === undefined ? "" : r.kind === "points" ? r.valueMinor : money(r.valueMinor, cur)}
                </Tag>
              ))}
            </>
          )}
        </div>
      )}
    </Drawer>
  );
}
