/** 概览: KPI cards, daily sales and commission for the last 60 days, top promoters. */
import { Alert, Card, Col, Row, Statistic, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { collectPages } from "../api/paging.ts";
import type { CommissionLine, Order } from "../api/types.ts";
import { EChart, type LineChartOption } from "../components/EChart.tsx";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { formatRate, money, moneyCompact, roi } from "../lib/format.ts";
import { useConsole } from "./context.tsx";
import { computeDashboard, DASHBOARD_DAYS, type TopPromoter, windowStart } from "./dashboard.ts";

export function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { program, promoters } = useConsole();

  const data = useAsync(async () => {
    const nowMs = Date.now();
    const since = windowStart(nowMs);
    const [orders, lines] = await Promise.all([
      collectPages<Order>("/v1/orders", { programId: program.id }, (o) => Date.parse(o.paidAt) < since),
      collectPages<CommissionLine>("/v1/commissions", { programId: program.id }, (l) => Date.parse(l.createdAt) < since),
    ]);
    return { orders, lines, nowMs };
  }, [program.id]);

  const figures = useMemo(
    () =>
      data.data
        ? computeDashboard({
            orders: data.data.orders.items,
            lines: data.data.lines.items,
            promoters,
            nowMs: data.data.nowMs,
            timeZone: program.timezone,
          })
        : null,
    [data.data, promoters, program.timezone],
  );

  const option = useMemo<LineChartOption | null>(() => {
    if (!figures) return null;
    return {
      color: ["#d4380d", "#1677ff"],
      tooltip: {
        trigger: "axis",
        valueFormatter: (v) => money(typeof v === "number" ? v : 0, program.currency),
      },
      legend: { data: [t("dashboard.salesSeries"), t("dashboard.commissionSeries")], top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, data: figures.days.map((d) => d.slice(5)) },
      yAxis: { type: "value", axisLabel: { formatter: (v: number) => moneyCompact(v, lang) } },
      series: [
        {
          name: t("dashboard.salesSeries"),
          type: "line",
          smooth: true,
          showSymbol: false,
          areaStyle: { opacity: 0.12 },
          data: figures.dailySalesMinor,
        },
        { name: t("dashboard.commissionSeries"), type: "line", smooth: true, showSymbol: false, data: figures.dailyCommissionMinor },
      ],
    };
  }, [figures, lang, t, program.currency]);

  if (data.error) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const loading = !figures;
  const cur = program.currency;
  const truncated = data.data && (data.data.orders.truncated || data.data.lines.truncated);

  const kpis: { key: string; title: string; value: string; sub?: string }[] = figures
    ? [
        {
          key: "promoters",
          title: t("dashboard.promoters"),
          value: String(figures.promoters),
          sub: t("dashboard.activePromoters", { count: figures.activePromoters }),
        },
        {
          key: "orders",
          title: t("dashboard.orders"),
          value: String(figures.orders),
          sub: t("dashboard.window", { days: DASHBOARD_DAYS }),
        },
        {
          key: "sales",
          title: t("dashboard.sales"),
          value: money(figures.salesMinor, cur),
          sub: t("dashboard.window", { days: DASHBOARD_DAYS }),
        },
        {
          key: "commission",
          title: t("dashboard.commission"),
          value: money(figures.commissionMinor, cur),
          sub: t("dashboard.window", { days: DASHBOARD_DAYS }),
        },
        {
          key: "ratio",
          title: t("dashboard.costRatio"),
          value: formatRate(figures.costRatioBps),
          sub: t("dashboard.window", { days: DASHBOARD_DAYS }),
        },
        { key: "roi", title: t("dashboard.roi"), value: roi(figures.roiX100), sub: t("dashboard.roiHelp", { days: DASHBOARD_DAYS }) },
        { key: "pending", title: t("dashboard.pending"), value: money(figures.pendingMinor, cur), sub: t("dashboard.allTime") },
        { key: "available", title: t("dashboard.available"), value: money(figures.availableMinor, cur), sub: t("dashboard.allTime") },
      ]
    : [];

  return (
    <div data-testid="dashboard">
      <Typography.Title level={3}>{t("dashboard.title")}</Typography.Title>
      {truncated && <Alert type="info" showIcon title={t("dashboard.truncated", { count: 10_000 })} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        {(loading ? Array.from({ length: 8 }, (_, i) => ({ key: String(i), title: "", value: "", sub: "" })) : kpis).map((k) => (
          <Col key={k.key} xs={24} sm={12} md={8} xl={6}>
            <Card loading={loading} data-testid={`kpi-${k.key}`}>
              <Statistic title={k.title} value={k.value} />
              <Typography.Text type="secondary">{k.sub}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={15}>
          <Card title={t("dashboard.chart", { days: DASHBOARD_DAYS })} loading={loading}>
            {option && <EChart option={option} height={340} testId="sales-chart" />}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t("dashboard.top", { days: DASHBOARD_DAYS })} loading={loading}>
            <Table<TopPromoter>
              data-testid="top-promoters"
              size="small"
              rowKey="promoterId"
              pagination={false}
              dataSource={figures?.top ?? []}
              columns={[
                { title: t("dashboard.rank"), key: "rank", width: 48, render: (_v, _r, i) => i + 1 },
                { title: t("promoters.name"), dataIndex: "name" },
                { title: t("orders.title"), dataIndex: "orders", align: "right" },
                { title: t("promoters.netSales"), dataIndex: "salesMinor", align: "right", render: (v: number) => money(v, cur) },
                { title: t("commissions.amount"), dataIndex: "commissionMinor", align: "right", render: (v: number) => money(v, cur) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
