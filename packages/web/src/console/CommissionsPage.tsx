/** 佣金: commission lines with their explanation, filtered by state, promoter or order. */
import { Card, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { CommissionLine, CommissionState, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { StateTag, useEnumLabel } from "../components/labels.tsx";
import { Pager } from "../components/Pager.tsx";
import { TABLE_PAGE_SIZE, useCursorPager } from "../components/useCursorPager.ts";
import { dateTime, formatRate, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

const STATES: CommissionState[] = ["pending", "available", "held", "reversed"];

export function CommissionsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const { program, promoters, promoterName } = useConsole();
  const [state, setState] = useState<CommissionState | undefined>();
  const [promoterId, setPromoterId] = useState<string | undefined>();
  const [orderRef, setOrderRef] = useState<string | undefined>();
  const cur = program.currency;

  const pager = useCursorPager(
    (cursor) =>
      get<Page<CommissionLine>>("/v1/commissions", { programId: program.id, state, promoterId, orderRef, limit: TABLE_PAGE_SIZE, cursor }),
    [program.id, state, promoterId, orderRef],
  );

  return (
    <div>
      <Typography.Title level={3}>{t("commissions.title")}</Typography.Title>
      <Card>
        <Space style={{ marginBottom: 12 }} wrap>
          <Select<CommissionState>
            allowClear
            placeholder={t("commissions.filterState")}
            style={{ width: 180 }}
            value={state}
            onChange={setState}
            options={STATES.map((s) => ({ value: s, label: label("commissionState", s) }))}
            data-testid="state-filter"
          />
          <Select<string>
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("commissions.beneficiary")}
            style={{ width: 200 }}
            value={promoterId}
            onChange={setPromoterId}
            options={promoters.map((p) => ({ value: p.promoterId, label: `${p.name} (${p.code})` }))}
          />
          <Input.Search
            allowClear
            placeholder={t("commissions.searchOrder")}
            style={{ width: 220 }}
            onSearch={(v) => setOrderRef(v.trim() || undefined)}
          />
        </Space>
        {pager.error ? (
          <ErrorBox error={pager.error} onRetry={pager.reload} />
        ) : (
          <Table<CommissionLine>
            data-testid="commissions-table"
            rowKey="id"
            size="middle"
            loading={pager.loading}
            dataSource={pager.data?.items ?? []}
            pagination={false}
            scroll={{ x: 1560 }}
            columns={[
              { title: t("commissions.createdAt"), dataIndex: "createdAt", width: 150, render: (v: string) => dateTime(v, lang) },
              { title: t("commissions.order"), dataIndex: "orderRef", width: 100, render: (v: string | null) => v ?? "—" },
              { title: t("commissions.beneficiary"), dataIndex: "beneficiaryId", width: 100, render: (v: string) => promoterName(v) },
              {
                title: t("commissions.kind"),
                key: "kind",
                width: 170,
                render: (_v, r) => (
                  <Space size={4} wrap>
                    <Tag color="volcano">{label("kind", r.kind)}</Tag>
                    <Tag>{label("level", r.level)}</Tag>
                  </Space>
                ),
              },
              { title: t("commissions.base"), dataIndex: "baseMinor", align: "right", width: 110, render: (v: number) => money(v, cur) },
              {
                title: t("commissions.rate"),
                dataIndex: "rateBps",
                align: "right",
                width: 70,
                render: (v: number | null) => (v === null ? "—" : formatRate(v)),
              },
              {
                title: t("commissions.amount"),
                dataIndex: "amountMinor",
                align: "right",
                width: 100,
                render: (v: number) => money(v, cur),
              },
              {
                title: t("commissions.reversed"),
                dataIndex: "reversedMinor",
                align: "right",
                width: 100,
                render: (v: number) => (v ? <Typography.Text type="warning">{money(v, cur)}</Typography.Text> : "—"),
              },
              { title: t("commissions.state"), dataIndex: "state", width: 100, render: (v: string) => <StateTag state={v} /> },
              {
                title: t("commissions.explanation"),
                key: "explanation",
                width: 420,
                render: (_v, r) => (
                  <Typography.Text type="secondary" data-testid="line-explanation">
                    {lang === "en" ? r.explanationEn : r.explanationZh}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
        <Pager {...pager} />
      </Card>
    </div>
  );
}
