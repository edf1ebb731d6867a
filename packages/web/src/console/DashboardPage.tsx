/**
 * 概览: the program's figures over a chosen period, as the analytics endpoints compute them (docs/analytics.md) —
 * KPI cards, alerts, the trend, top promoters and products, the funnel by channel. Nothing is paged through here.
 * The console's first screen: its boxes, tables and date fields are `ui/panels.tsx`, not antd's Card, Table and Input,
 * which stay out of the console's first load (docs/performance.md).
 */
import { Alert, Col, Row, Segmented, Space, Statistic } from "antd";
import type { TFunction } from "i18next";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { EChart, type LineChartOption } from "../components/EChart.tsx";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import type { zhCN } from "../i18n/zh-CN.ts";
import { formatRate, money, moneyCompact, roi } from "../lib/format.ts";
import { DataTable, Panel, TextInput } from "../ui/panels.tsx";
import { useConsole } from "./context.tsx";
import {
  type AnalyticsAlert,
  type AnalyticsSummary,
  type ChannelRow,
  defaultFilter,
  type Filter,
  type Funnel,
  type Granularity,
  hundredths,
  periodQuery,
  shownRoi,
  TOP_LIMIT,
  type TopProduct,
  type TopPromoter,
  type TrendBucket,
} from "./dashboard.ts";

const rate = (bps: number | null) => (bps === null ? "—" : formatRate(bps));

function useAnalytics(programId: string, f: Filter) {
  return useAsync(async () => {
    const q = periodQuery(programId, f);
    const [summary, trends, top, products, funnel, alerts] = await Promise.all([
      get<AnalyticsSummary>("/v1/analytics/summary", q),
      get<{ buckets: TrendBucket[] }>("/v1/analytics/trends", { ...q, granularity: f.granularity }),
      get<{ items: TopPromoter[] }>("/v1/analytics/top-promoters", { ...q, limit: TOP_LIMIT }),
      get<{ items: TopProduct[] }>("/v1/analytics/top-products", { ...q, limit: TOP_LIMIT }),
      get<Funnel>("/v1/analytics/funnel", q),
      get<{ alerts: AnalyticsAlert[] }>("/v1/analytics/alerts", q),
    ]);
    return { summary, buckets: trends.buckets, top: top.items, products: products.items, funnel, alerts: alerts.alerts };
  }, [programId, f.from, f.to, f.granularity]);
}

function FilterBar({ value, onChange }: { value: Filter; onChange: (f: Filter) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <TextInput
        type="date"
        aria-label={t("analytics.from")}
        data-testid="filter-from"
        value={value.from}
        max={value.to}
        onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })}
      />
      <TextInput
        type="date"
        aria-label={t("analytics.to")}
        data-testid="filter-to"
        value={value.to}
        min={value.from}
        onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })}
      />
      <Segmented<Granularity>
        aria-label={t("analytics.granularity")}
        data-testid="filter-granularity"
        value={value.granularity}
        onChange={(g) => onChange({ ...value, granularity: g })}
        options={[
          { value: "day", label: t("analytics.day") },
          { value: "week", label: t("analytics.week") },
          { value: "month", label: t("analytics.month") },
        ]}
      />
    </Space>
  );
}

type MetricKey = keyof (typeof zhCN)["analytics"]["metric"];

function alertText(a: AnalyticsAlert, t: TFunction): string {
  const metric = t(`analytics.metric.${a.metric as MetricKey}`);
  if (a.kind === "target") return t("analytics.alertTarget", { metric });
  return t(a.direction === "up" ? "analytics.alertUp" : "analytics.alertDown", { metric, change: formatRate(Math.abs(a.changeBps)) });
}

export function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { program, promoters } = useConsole();
  const [filter, setFilter] = useState<Filter>(() => defaultFilter(Date.now(), program.timezone));
  const data = useAnalytics(program.id, filter);
  const cur = program.currency;
  const d = data.data;

  const option = useMemo<LineChartOption | null>(() => {
    if (!d) return null;
    return {
      color: ["#d4380d", "#1677ff", "#8c8c8c"],
      tooltip: { trigger: "axis", valueFormatter: (v) => money(typeof v === "number" ? v : 0, cur) },
      legend: { data: [t("dashboard.salesSeries"), t("dashboard.commissionSeries"), t("analytics.unattributed")], top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, data: d.buckets.map((b) => b.bucket.slice(5)) },
      yAxis: { type: "value", axisLabel: { formatter: (v: number) => moneyCompact(v, lang) } },
      series: [
        {
          name: t("dashboard.salesSeries"),
          type: "line",
          smooth: true,
          showSymbol: false,
          areaStyle: { opacity: 0.12 },
          data: d.buckets.map((b) => b.salesMinor),
        },
        {
          name: t("dashboard.commissionSeries"),
          type: "line",
          smooth: true,
          showSymbol: false,
          data: d.buckets.map((b) => b.commissionMinor),
        },
        {
          name: t("analytics.unattributed"),
          type: "line",
          smooth: true,
          showSymbol: false,
          data: d.buckets.map((b) => b.unattributedSalesMinor),
        },
      ],
    };
  }, [d, lang, t, cur]);

  if (data.error)
    return (
      <div data-testid="dashboard">
        <FilterBar value={filter} onChange={setFilter} />
        <ErrorBox error={data.error} onRetry={data.reload} />
      </div>
    );
  const s = d?.summary;
  const shown = s ? shownRoi(s) : null;
  const period = s ? t("analytics.period", { from: s.from, to: s.to }) : "";
  const kpis: { key: string; title: string; value: string; sub?: string }[] = s
    ? [
        {
          key: "promoters",
          title: t("dashboard.promoters"),
          value: String(s.activePromoters),
          sub: t("dashboard.activePromoters", { count: s.participatingPromoters }),
        },
        {
          key: "participation",
          title: t("analytics.participation"),
          value: rate(s.participationBps),
          sub: t("analytics.target", { target: "80%" }),
        },
        { key: "orders", title: t("analytics.orders"), value: String(s.orders), sub: period },
        { key: "sales", title: t("analytics.sales"), value: money(s.salesMinor, cur), sub: period },
        {
          key: "unattributed",
          title: t("analytics.unattributedSales"),
          value: money(s.unattributedSalesMinor, cur),
          sub: t("analytics.notInRoi"),
        },
        { key: "commission", title: t("dashboard.commission"), value: money(s.commissionMinor, cur), sub: period },
        { key: "ratio", title: t("dashboard.costRatio"), value: rate(s.costRatioBps), sub: period },
        {
          key: "roi",
          title: t("dashboard.roi"),
          value: roi(shown?.x100 ?? null),
          sub: shown?.incremental ? t("analytics.roiIncremental") : t("analytics.roiAttributed"),
        },
        {
          key: "referred",
          title: t("analytics.referred"),
          value: hundredths(s.referredPerPromoterMonthX100),
          sub: t("analytics.target", { target: "3" }),
        },
        {
          key: "pending",
          title: t("dashboard.pending"),
          value: money(
            promoters.reduce((a, p) => a + p.pendingMinor, 0),
            cur,
          ),
          sub: t("dashboard.allTime"),
        },
        {
          key: "available",
          title: t("dashboard.available"),
          value: money(
            promoters.reduce((a, p) => a + p.availableMinor, 0),
            cur,
          ),
          sub: t("dashboard.allTime"),
        },
      ]
    : [];
  const loading = !d;

  return (
    <div data-testid="dashboard">
      <h3 className="ui-title">{t("dashboard.title")}</h3>
      <FilterBar value={filter} onChange={setFilter} />
      {d && d.alerts.length > 0 && (
        <Alert
          data-testid="alerts"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("analytics.alerts")}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {d.alerts.map((a) => (
                <li key={`${a.kind}-${a.metric}`} data-testid={`alert-${a.kind}-${a.metric}`}>
                  {alertText(a, t)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        {(loading ? Array.from({ length: 8 }, (_, i) => ({ key: String(i), title: "", value: "", sub: "" })) : kpis).map((k) => (
          <Col key={k.key} xs={24} sm={12} md={8} xl={6}>
            <Panel loading={loading} testId={`kpi-${k.key}`}>
              <Statistic title={k.title} value={k.value} />
              <span className="ui-secondary">{k.sub}</span>
            </Panel>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={15}>
          <Panel title={t("analytics.trend")} loading={loading}>
            {option && <EChart option={option} height={340} testId="sales-chart" />}
          </Panel>
        </Col>
        <Col xs={24} xl={9}>
          <Panel title={t("analytics.topPromoters")} loading={loading}>
            <DataTable<TopPromoter>
              testId="top-promoters"
              rowKey={(r) => r.promoterId}
              rows={d?.top ?? []}
              empty={t("common.noData")}
              columns={[
                { key: "rank", title: t("dashboard.rank"), width: 48, render: (_r, i) => i + 1 },
                { key: "name", title: t("promoters.name"), render: (r) => r.name },
                { key: "orders", title: t("orders.title"), align: "right", render: (r) => r.orders },
                { key: "sales", title: t("promoters.netSales"), align: "right", render: (r) => money(r.salesMinor, cur) },
                { key: "commission", title: t("commissions.amount"), align: "right", render: (r) => money(r.commissionMinor, cur) },
              ]}
            />
          </Panel>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={12}>
          <Panel title={t("analytics.topProducts")} loading={loading}>
            <DataTable<TopProduct>
              testId="top-products"
              rowKey={(r) => r.productId}
              rows={d?.products ?? []}
              empty={t("common.noData")}
              columns={[
                { key: "rank", title: t("dashboard.rank"), width: 48, render: (_r, i) => i + 1 },
                { key: "name", title: t("analytics.product"), render: (r) => r.name ?? r.productId },
                { key: "quantity", title: t("analytics.quantity"), align: "right", render: (r) => r.quantity },
                { key: "sales", title: t("analytics.sales"), align: "right", render: (r) => money(r.salesMinor, cur) },
              ]}
            />
          </Panel>
        </Col>
        <Col xs={24} xl={12}>
          <Panel title={t("analytics.funnel")} loading={loading}>
            {d && (
              <p data-testid="funnel-summary">
                {t("analytics.funnelLine", {
                  clicks: d.funnel.clicks,
                  customers: d.funnel.clickCustomers,
                  ordered: d.funnel.clickCustomersOrdered,
                  orders: d.funnel.orders,
                })}
              </p>
            )}
            <DataTable<ChannelRow>
              testId="funnel-channels"
              rowKey={(r) => r.channel}
              rows={d?.funnel.byChannel ?? []}
              empty={t("common.noData")}
              columns={[
                { key: "channel", title: t("orders.channel"), render: (r) => r.channel },
                { key: "customers", title: t("analytics.customers"), align: "right", render: (r) => r.customers },
                { key: "orders", title: t("analytics.orders"), align: "right", render: (r) => r.orders },
                { key: "clickOrders", title: t("analytics.clickOrders"), align: "right", render: (r) => r.clickOrders },
                { key: "sales", title: t("analytics.sales"), align: "right", render: (r) => money(r.salesMinor, cur) },
              ]}
            />
          </Panel>
        </Col>
      </Row>
    </div>
  );
}
