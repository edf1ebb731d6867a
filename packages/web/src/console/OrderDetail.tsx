/** The parts of an order's detail beyond its commission lines: products, customer, channel, paid time, attribution, events. */
import { Descriptions, Table, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useLang } from "../components/hooks.ts";
import { PathTag, useEnumLabel } from "../components/labels.tsx";
import { dateTime, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

export interface OrderDetail {
  channel: string;
  currency: string;
  paidAt: string;
  completedAt: string | null;
  customer: { customerRef: string; phone: string | null } | null;
  lines: {
    lineNo: number;
    productId: string;
    productName: string | null;
    quantity: number;
    netAmountMinor: number;
    refundedMinor: number;
  }[];
  attribution: {
    path: string | null;
    promoterId: string | null;
    promoCode: string | null;
    click: { id: string; linkCode: string; promoterId: string; clickedAt: string } | null;
    boundByThisOrder: { promoterId: string; boundAt: string; expiresAt: string } | null;
    currentBinding: { promoterId: string; source: string; boundAt: string; expiresAt: string } | null;
    notes: string[];
  };
  events: { type: string; eventRef: string | null; occurredAt: string; recordedAt: string }[];
}

export function OrderDetailSections({ o }: { o: OrderDetail }) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const { promoterName } = useConsole();
  const a = o.attribution;
  const none = t("orderDetail.none");
  return (
    <div data-testid="order-detail">
      <Descriptions
        column={2}
        size="small"
        style={{ marginTop: 16 }}
        items={[
          {
            key: "customer",
            label: t("orders.customer"),
            children: o.customer ? `${o.customer.customerRef} · ${o.customer.phone ?? "—"}` : "—",
          },
          { key: "channel", label: t("orders.channel"), children: label("channel", o.channel) },
          { key: "paid", label: t("orders.paidAt"), children: dateTime(o.paidAt, lang) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("orderDetail.attribution")}
      </Typography.Title>
      <Descriptions
        column={1}
        size="small"
        bordered
        data-testid="order-attribution"
        items={[
          { key: "path", label: t("orders.path"), children: <PathTag path={a.path} /> },
          { key: "promoter", label: t("orders.promoter"), children: promoterName(a.promoterId) },
          { key: "code", label: t("orderDetail.promoCode"), children: a.promoCode ?? none },
          {
            key: "click",
            label: t("orderDetail.click"),
            children: a.click ? `${a.click.linkCode} · ${promoterName(a.click.promoterId)} · ${dateTime(a.click.clickedAt, lang)}` : none,
          },
          {
            key: "bound",
            label: t("orderDetail.boundHere"),
            children: a.boundByThisOrder
              ? `${promoterName(a.boundByThisOrder.promoterId)} · ${dateTime(a.boundByThisOrder.boundAt, lang)} → ${dateTime(a.boundByThisOrder.expiresAt, lang)}`
              : none,
          },
          {
            key: "binding",
            label: t("orderDetail.binding"),
            children: a.currentBinding
              ? `${promoterName(a.currentBinding.promoterId)} · ${a.currentBinding.source} · ${dateTime(a.currentBinding.boundAt, lang)} → ${dateTime(a.currentBinding.expiresAt, lang)}`
              : none,
          },
          { key: "notes", label: t("orderDetail.notes"), children: a.notes.length ? a.notes.join(", ") : none },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("orderDetail.products")}
      </Typography.Title>
      <Table
        size="small"
        rowKey="lineNo"
        pagination={false}
        dataSource={o.lines}
        columns={[
          { title: "#", dataIndex: "lineNo" },
          { title: t("orderDetail.product"), key: "p", render: (_: unknown, l) => l.productName ?? l.productId },
          { title: t("orderDetail.quantity"), dataIndex: "quantity", align: "right" },
          { title: t("orderDetail.net"), dataIndex: "netAmountMinor", align: "right", render: (v: number) => money(v, o.currency) },
          {
            title: t("orders.refunded"),
            dataIndex: "refundedMinor",
            align: "right",
            render: (v: number) => (v ? money(v, o.currency) : "—"),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("orderDetail.events")}
      </Typography.Title>
      <Timeline
        items={o.events.map((e) => ({ children: `${dateTime(e.occurredAt, lang)} · ${e.type}${e.eventRef ? ` · ${e.eventRef}` : ""}` }))}
      />
    </div>
  );
}
