/** 对账单: a month's statement with each merchant, to download as CSV or PDF. */
import { DownloadOutlined, FilePdfOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Select, Skeleton, Typography } from "antd";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { download, get as getJson } from "../../api/client.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText } from "../../components/hooks.ts";
import { money } from "../../lib/format.ts";
import { recentMonths } from "../../money/labels.tsx";
import { useWallet } from "./WalletPage.tsx";

const MONTHS = 12;

/** A month's figures with one merchant (GET /v1/me/statements): what the promoter is owed at the start and the end, and the movements between. */
interface StatementFigures {
  currency: string;
  openingMinor: number;
  earningsMinor: number;
  reversalsMinor: number;
  withdrawalsMinor: number;
  taxMinor: number;
  feesMinor: number;
  closingMinor: number;
}
interface StatementDoc {
  merchant: { id: string; name: string };
  currencies: StatementFigures[];
}
interface StatementsJson {
  month: string;
  items: StatementDoc[];
}

function StatementSummary({ doc }: { doc: StatementDoc | undefined }) {
  const { t } = useTranslation();
  const c = doc?.currencies[0];
  if (!c) return null;
  const rows = [
    ["statements.opening", c.openingMinor],
    ["statements.earnings", c.earningsMinor],
    ["statements.reversals", -c.reversalsMinor],
    ["statements.withdrawals", -c.withdrawalsMinor],
    ["wallet.tax", -c.taxMinor],
    ["withdraw.fee", -c.feesMinor],
    ["statements.closing", c.closingMinor],
  ] as const;
  return (
    <dl className="preview-lines" data-testid="statement-summary">
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{t(k)}</dt>
          <dd>{money(v, c.currency)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function StatementsPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const wallet = useWallet();
  const months = recentMonths(MONTHS);
  const [month, setMonth] = useState(months[0] ?? "");
  const [merchantId, setMerchantId] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const summary = useAsync(() => (month ? getJson<StatementsJson>("/v1/me/statements", { month }) : Promise.resolve(null)), [month]);

  if (wallet.error) return <ErrorBox error={wallet.error} onRetry={wallet.reload} />;
  if (!wallet.data) return <Skeleton active />;
  const merchants = wallet.data.merchants;
  const merchant = merchants.find((m) => m.merchantId === merchantId) ?? merchants[0];

  async function get(format: "csv" | "pdf") {
    if (!merchant) return;
    setBusy(format);
    setError(null);
    try {
      await download(
        `/v1/me/statements/${month}.${format}?merchantId=${encodeURIComponent(merchant.merchantId)}`,
        `statement-${month}-${merchant.merchantId}.${format}`,
      );
      message.success(t("statements.downloaded"));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="portal-page">
      <Typography.Title level={4}>{t("statements.title")}</Typography.Title>
      <section className="m-card">
        <p className="m-hint">{t("statements.help")}</p>
        <Form layout="vertical">
          <Form.Item label={t("statements.month")} htmlFor="statement-month">
            <Select
              id="statement-month"
              size="large"
              aria-label={t("statements.month")}
              data-testid="statement-month"
              value={month}
              onChange={setMonth}
              options={months.map((m) => ({ value: m, label: m }))}
            />
          </Form.Item>
          {merchants.length > 1 ? (
            <Form.Item label={t("statements.merchant")} htmlFor="statement-merchant">
              <Select
                id="statement-merchant"
                size="large"
                aria-label={t("statements.merchant")}
                value={merchant?.merchantId}
                onChange={setMerchantId}
                options={merchants.map((m) => ({ value: m.merchantId, label: m.merchantName }))}
              />
            </Form.Item>
          ) : null}
        </Form>
        <StatementSummary doc={summary.data?.items.find((d) => d.merchant.id === merchant?.merchantId)} />
        {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
        <div className="m-buttons">
          <Button
            size="large"
            icon={<DownloadOutlined />}
            loading={busy === "csv"}
            disabled={!merchant}
            onClick={() => void get("csv")}
            data-testid="statement-csv"
          >
            {t("statements.csv")}
          </Button>
          <Button
            size="large"
            icon={<FilePdfOutlined />}
            loading={busy === "pdf"}
            disabled={!merchant}
            onClick={() => void get("pdf")}
            data-testid="statement-pdf"
          >
            {t("statements.pdf")}
          </Button>
        </div>
      </section>
    </div>
  );
}
