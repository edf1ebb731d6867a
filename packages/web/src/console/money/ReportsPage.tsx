/** 对账单与税务报表: the merchant's and a promoter's monthly statement, the monthly withholding detail and the quarterly tax-information report, each to download. */
import { DownloadOutlined, FilePdfOutlined } from "@ant-design/icons";
import { App, Button, Card, Col, DatePicker, Row, Select, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { download, withQuery } from "../../api/client.ts";
import { useErrorText } from "../../components/hooks.ts";
import { useConsole } from "../context.tsx";

/** 2026-11 → "2026-11"; a quarter from any day in it: "2026Q4". */
export function quarterKey(d: Dayjs): string {
  return `${d.year()}Q${Math.floor(d.month() / 3) + 1}`;
}

function useDownload() {
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<string | null>(null);
  return {
    busy,
    get: async (id: string, path: string, filename: string) => {
      setBusy(id);
      try {
        await download(path, filename);
      } catch (e) {
        message.error(errorText(e));
      } finally {
        setBusy(null);
      }
    },
  };
}

export function ReportsPage() {
  const { t } = useTranslation();
  const { promoters } = useConsole();
  const lastMonth = dayjs().subtract(1, "month");
  const [merchantMonth, setMerchantMonth] = useState<Dayjs>(lastMonth);
  const [promoterMonth, setPromoterMonth] = useState<Dayjs>(lastMonth);
  const [taxMonth, setTaxMonth] = useState<Dayjs>(lastMonth);
  const [quarter, setQuarter] = useState<Dayjs>(dayjs().subtract(3, "month"));
  const [promoterId, setPromoterId] = useState<string | undefined>(undefined);
  const dl = useDownload();
  const m = (d: Dayjs) => d.format("YYYY-MM");

  const buttons = (
    id: string,
    path: (format: string) => string,
    name: (format: string) => string,
    formats: ("csv" | "pdf")[],
    disabled = false,
  ) => (
    <Space>
      {formats.map((f) => (
        <Button
          key={f}
          icon={f === "pdf" ? <FilePdfOutlined /> : <DownloadOutlined />}
          loading={dl.busy === `${id}-${f}`}
          disabled={disabled}
          onClick={() => void dl.get(`${id}-${f}`, path(f), name(f))}
          data-testid={`${id}-${f}`}
        >
          {f === "pdf" ? t("reports.pdf") : t("reports.csv")}
        </Button>
      ))}
    </Space>
  );

  return (
    <div>
      <Typography.Title level={3}>{t("reports.title")}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t("reports.merchantStatement")}>
            <Space wrap>
              <DatePicker
                picker="month"
                aria-label={t("reports.month")}
                allowClear={false}
                value={merchantMonth}
                onChange={(d) => d && setMerchantMonth(d)}
              />
              {buttons(
                "merchant-statement",
                (f) => withQuery("/v1/statements/merchant", { month: m(merchantMonth), format: f }),
                (f) => `merchant-statement-${m(merchantMonth)}.${f}`,
                ["csv", "pdf"],
              )}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("reports.promoterStatement")}>
            <Space wrap>
              <Select
                aria-label={t("reports.promoter")}
                showSearch={{ optionFilterProp: "label" }}
                placeholder={t("reports.choosePromoter")}
                value={promoterId}
                onChange={setPromoterId}
                style={{ width: 200 }}
                options={promoters.map((p) => ({ value: p.promoterId, label: p.name }))}
              />
              <DatePicker
                picker="month"
                aria-label={t("reports.month")}
                allowClear={false}
                value={promoterMonth}
                onChange={(d) => d && setPromoterMonth(d)}
              />
              {buttons(
                "promoter-statement",
                (f) =>
                  withQuery(`/v1/statements/promoters/${encodeURIComponent(promoterId ?? "")}`, { month: m(promoterMonth), format: f }),
                (f) => `statement-${promoterId}-${m(promoterMonth)}.${f}`,
                ["csv", "pdf"],
                !promoterId,
              )}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("reports.withholding")}>
            <Space wrap>
              <DatePicker
                picker="month"
                aria-label={t("reports.month")}
                allowClear={false}
                value={taxMonth}
                onChange={(d) => d && setTaxMonth(d)}
              />
              {buttons(
                "withholding",
                (f) => withQuery("/v1/tax-reports/withholding", { month: m(taxMonth), format: f }),
                (f) => `withholding-${m(taxMonth)}.${f}`,
                ["csv"],
              )}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("reports.quarterly")}>
            <Typography.Paragraph type="secondary">{t("reports.quarterlyHelp")}</Typography.Paragraph>
            <Space wrap>
              <DatePicker
                picker="quarter"
                aria-label={t("reports.quarter")}
                allowClear={false}
                value={quarter}
                onChange={(d) => d && setQuarter(d)}
              />
              {buttons(
                "quarterly",
                (f) => withQuery("/v1/tax-reports/quarterly", { quarter: quarterKey(quarter), format: f }),
                (f) => `tax-quarterly-${quarterKey(quarter)}.${f}`,
                ["csv"],
              )}
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
