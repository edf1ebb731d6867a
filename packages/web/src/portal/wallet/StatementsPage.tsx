/** 对账单: a month's statement with each merchant, to download as CSV or PDF. */
import { DownloadOutlined, FilePdfOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Select, Skeleton, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { download, get as getJson } from "../../api/client.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText } from "../../components/hooks.ts";
import { money } from "../../lib/format.ts";
import { recentMonths } from "../../money/labels.tsx";
import { useWallet } from "./WalletPage.tsx";

const MONTHS = 12;

interface Buckets {
  pending: number;
  available: number;
  held: number;
  locked: number;
  paid: number;
  tax: number;
}
interface StatementDoc {
  merchant: { id: string; name: string };
  currencies: { currency: string; opening: Buckets; closing: Buckets; lines: unknown[] }[];
}
interface StatementsJson {
  month: string;
  items: StatementDoc[];
}

/** What the promoter is owed (pending + available + held + locked) at the month's start and end. */
const owed = (b: Buckets) => b.pending + b.available + b.held + b.locked;

function StatementSummary({ doc }: { doc: StatementDoc | undefined }) {
  const { t } = useTranslation();
  const c = doc?.currencies[0];
  if (!c) return null;
  return (
    <dl className="preview-lines" data-testid="statement-summary">
      <dt>{t("statements.opening")}</dt>
      <dd>{money(owed(c.opening), c.currency)}</dd>
      <dt>{t("statements.closing")}</dt>
      <dd>{money(owed(c.closing), c.currency)}</dd>
      <dt>{t("wallet.paid")}</dt>
      <dd>{money(c.closing.paid - c.opening.paid, c.currency)}</dd>
      <dt>{t("wallet.tax")}</dt>
      <dd>{money(c.closing.tax - c.opening.tax, c.currency)}</dd>
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
