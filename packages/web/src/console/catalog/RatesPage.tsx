/**
 * 商品与佣金: the merchant's products (or categories) with the rates the plan in force pays on them — the promoter, the
 * level-1 and level-2 uplines — as GET /v1/programs/{id}/effective-rates computes them with the plan engine. A row opens a
 * drawer with each commission line's sentence, the cap and what else changes the figure on a real order.
 */
import { Alert, Card, Descriptions, Drawer, Input, List, Segmented, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../../api/client.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync } from "../../components/hooks.ts";
import { money } from "../../lib/format.ts";
import { useConsole } from "../context.tsx";
import { offsetPagination, openableRow } from "./table.ts";

const PAGE = 20;

interface RateLine {
  level: 0 | 1 | 2;
  kind: string;
  source: string | null;
  effectiveBps: number | null;
  perUnitMinor: number | null;
  amountMinor: number;
  explanation: { zh: string; en: string };
}
interface Rates {
  baseMinor: number;
  lines: RateLine[];
  sellerBps: number | null;
  level1Bps: number | null;
  level2Bps: number | null;
  cap: { orderRateBps: number | null; appliedOnProbe: boolean } | null;
  variesBy: string[];
}
export interface RateItem {
  kind: "product" | "category";
  id: string;
  name: string;
  categoryId: string | null;
  categoryName: string | null;
  priceMinor: number | null;
  rates: Rates | null;
}
interface RatesPage {
  planVersion: number | null;
  currency: string;
  total: number;
  items: RateItem[];
}

/** Basis points as a percent, up to three decimals (1012.5 → 10.125%). */
export function percent(bps: number | null | undefined): string {
  if (bps === null || bps === undefined) return "—";
  return `${Number((bps / 100).toFixed(3))}%`;
}

function RateCell({ rates, level, testId }: { rates: Rates | null; level: 0 | 1 | 2; testId: string }) {
  const { t } = useTranslation();
  if (!rates) return <>—</>;
  const lines = rates.lines.filter((l) => l.level === level);
  if (lines.length === 0) return <>—</>;
  const bps = level === 0 ? rates.sellerBps : level === 1 ? rates.level1Bps : rates.level2Bps;
  const src = lines[0]?.source ?? lines[0]?.kind ?? "";
  return (
    <Space size={4} data-testid={testId}>
      <Typography.Text strong>{bps === null ? t("catalog.fixed") : percent(bps)}</Typography.Text>
      {level === 0 && src ? <Tag>{t(`catalog.sources.${src}` as "catalog.sources.default", { defaultValue: src })}</Tag> : null}
    </Space>
  );
}

export function RatesPage() {
  const { t, i18n } = useTranslation();
  const { program } = useConsole();
  const [kind, setKind] = useState<"product" | "category">("product");
  const [q, setQ] = useState("");
  const [firstOrder, setFirstOrder] = useState(true);
  const [channel, setChannel] = useState("");
  /** datetime-local text in the browser's time zone; empty = now. */
  const [at, setAt] = useState("");
  const [pageNo, setPageNo] = useState(1);
  const [open, setOpen] = useState<RateItem | null>(null);
  const list = useAsync(
    () =>
      get<RatesPage>(`/v1/programs/${encodeURIComponent(program.id)}/effective-rates`, {
        kind,
        q: q.trim() || undefined,
        firstOrder: String(firstOrder),
        channel: channel.trim() || undefined,
        at: at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : undefined,
        limit: PAGE,
        offset: (pageNo - 1) * PAGE,
      }),
    [program.id, kind, q, firstOrder, channel, at, pageNo],
  );
  const cur = program.currency;
  const lang = i18n.language === "en" ? "en" : "zh";

  return (
    <div>
      <Typography.Title level={3}>{t("catalog.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("catalog.help")}</Typography.Paragraph>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            aria-label={t("catalog.title")}
            value={kind}
            onChange={(v) => {
              setKind(v as "product" | "category");
              setPageNo(1);
            }}
            options={[
              { value: "product", label: t("catalog.products") },
              { value: "category", label: t("catalog.categories") },
            ]}
            data-testid="rates-kind"
          />
          <Input.Search
            allowClear
            aria-label={t("catalog.search")}
            placeholder={t("catalog.search")}
            style={{ width: 240 }}
            onChange={(e) => {
              setQ(e.target.value);
              setPageNo(1);
            }}
            data-testid="rates-search"
          />
          <Space>
            <Switch checked={firstOrder} onChange={setFirstOrder} aria-label={t("catalog.firstOrder")} data-testid="rates-first-order" />
            <Typography.Text>{t("catalog.firstOrder")}</Typography.Text>
          </Space>
          <Input
            allowClear
            aria-label={t("catalog.channel")}
            placeholder={`${t("catalog.channel")}: online`}
            style={{ width: 160 }}
            onChange={(e) => setChannel(e.target.value)}
          />
          <Input
            type="datetime-local"
            aria-label={t("catalog.at")}
            title={t("catalog.at")}
            style={{ width: 210 }}
            value={at}
            onChange={(e) => {
              setAt(e.target.value);
              setPageNo(1);
            }}
            data-testid="rates-at"
          />
          {list.data ? (
            list.data.planVersion === null ? (
              <Tag color="red" data-testid="rates-no-plan">
                {t("catalog.noPlan")}
              </Tag>
            ) : (
              <Tag color="blue">{t("catalog.planVersion", { v: list.data.planVersion })}</Tag>
            )
          ) : null}
        </Space>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        <Table<RateItem>
          data-testid="rates-table"
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          pagination={offsetPagination(pageNo, PAGE, list.data?.total ?? 0, setPageNo, (n) => t("catalog.total", { n }))}
          onRow={(r) => openableRow(() => setOpen(r), `rate-row-${r.id}`)}
          columns={[
            { title: kind === "product" ? t("catalog.product") : t("catalog.category"), dataIndex: "name" },
            { title: t("catalog.id"), dataIndex: "id", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            ...(kind === "product"
              ? [
                  { title: t("catalog.price"), dataIndex: "priceMinor", align: "right" as const, render: (v: number) => money(v, cur) },
                  {
                    title: t("catalog.category"),
                    dataIndex: "categoryName",
                    render: (v: string | null, r: RateItem) => v ?? r.categoryId ?? "—",
                  },
                ]
              : []),
            {
              title: t("catalog.seller"),
              key: "l0",
              render: (_: unknown, r) => <RateCell rates={r.rates} level={0} testId={`rate-l0-${r.id}`} />,
            },
            {
              title: t("catalog.level1"),
              key: "l1",
              render: (_: unknown, r) => <RateCell rates={r.rates} level={1} testId={`rate-l1-${r.id}`} />,
            },
            {
              title: t("catalog.level2"),
              key: "l2",
              render: (_: unknown, r) => <RateCell rates={r.rates} level={2} testId={`rate-l2-${r.id}`} />,
            },
          ]}
        />
      </Card>
      <Drawer open={open !== null} onClose={() => setOpen(null)} title={`${t("catalog.details")} · ${open?.name ?? ""}`} width={560}>
        {open?.rates ? (
          <Space direction="vertical" style={{ width: "100%" }} data-testid="rate-details">
            <Typography.Text type="secondary">{t("catalog.perUnit", { price: money(open.rates.baseMinor, cur) })}</Typography.Text>
            <List
              bordered
              dataSource={open.rates.lines}
              renderItem={(l) => (
                <List.Item>
                  <Descriptions size="small" column={1} style={{ width: "100%" }}>
                    <Descriptions.Item label={[t("catalog.seller"), t("catalog.level1"), t("catalog.level2")][l.level]}>
                      <Typography.Text strong>{l.effectiveBps === null ? t("catalog.fixed") : percent(l.effectiveBps)}</Typography.Text>
                      {" · "}
                      {money(l.amountMinor, cur)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t("catalog.reason")}>{l.explanation[lang]}</Descriptions.Item>
                  </Descriptions>
                </List.Item>
              )}
            />
            {open.rates.cap ? (
              <Alert
                type={open.rates.cap.appliedOnProbe ? "warning" : "info"}
                message={
                  open.rates.cap.appliedOnProbe ? t("catalog.capped") : t("catalog.cap", { rate: percent(open.rates.cap.orderRateBps) })
                }
              />
            ) : null}
            {open.rates.variesBy.length > 0 ? (
              <div>
                <Typography.Text type="secondary">{t("catalog.variesBy")}</Typography.Text>
                <div style={{ marginTop: 8 }}>
                  {open.rates.variesBy.map((v) => (
                    <Tag key={v}>{t(`catalog.variations.${v}` as "catalog.variations.tier", { defaultValue: v })}</Tag>
                  ))}
                </div>
              </div>
            ) : null}
          </Space>
        ) : (
          <Typography.Text>{t("catalog.noPlan")}</Typography.Text>
        )}
      </Drawer>
    </div>
  );
}
