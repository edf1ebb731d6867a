/** The platform's figures of this month, as GET /v1/platform/kpis computes them (docs/analytics.md). */
import { Card, Col, Row, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { money } from "../lib/format.ts";
import type { PlatformKpis } from "./types.ts";

export function KpiCards({ reloadKey }: { reloadKey: number }) {
  const { t } = useTranslation();
  const kpis = useAsync(() => get<PlatformKpis>("/v1/platform/kpis"), [reloadKey]);
  if (kpis.error) return <ErrorBox error={kpis.error} onRetry={kpis.reload} />;
  const k = kpis.data;
  const figures = [
    {
      key: "merchants",
      title: t("admin.platform.activeMerchants"),
      value: k?.activeMerchants ?? 0,
      note: t("admin.platform.merchantsTotal", { count: k?.merchants ?? 0 }),
    },
    { key: "promoters", title: t("admin.platform.promoters"), value: k?.promoters ?? 0 },
    { key: "sales", title: t("admin.platform.sales"), value: money(k?.salesMinor) },
    { key: "commission", title: t("admin.platform.commission"), value: money(k?.commissionMinor) },
    {
      key: "payouts",
      title: t("admin.platform.payouts"),
      value: money(k?.payoutsMinor),
      note: t("admin.platform.payoutsCount", { count: k?.payouts ?? 0 }),
    },
  ];
  return (
    <Card title={t("admin.platform.kpis", { month: k?.month ?? "" })} style={{ marginBottom: 16 }} loading={kpis.loading && !k}>
      <Row gutter={[16, 16]}>
        {figures.map((f) => (
          <Col key={f.key} xs={12} md={8} lg={4}>
            <Statistic title={f.title} value={f.value} data-testid={`platform-kpi-${f.key}`} />
            {f.note ? <Typography.Text type="secondary">{f.note}</Typography.Text> : null}
          </Col>
        ))}
      </Row>
    </Card>
  );
}
