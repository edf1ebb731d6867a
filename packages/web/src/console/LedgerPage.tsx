/** 账本: verify the hash chain and the balances; show OK or every problem. */
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Button, Card, Result, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { LedgerVerify } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { money } from "../lib/format.ts";

export function LedgerPage() {
  const { t } = useTranslation();
  const [report, setReport] = useState<LedgerVerify | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(null);
    try {
      setReport(await get<LedgerVerify>("/v1/ledger/verify"));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: verify once when the page opens
  useEffect(() => {
    void verify();
  }, []);

  return (
    <div>
      <Typography.Title level={3}>{t("ledger.title")}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("ledger.help")}</Typography.Paragraph>
        <Button type="primary" icon={<SafetyCertificateOutlined />} onClick={verify} loading={busy} data-testid="ledger-verify">
          {t("ledger.verify")}
        </Button>
        {error !== null && (
          <div style={{ marginTop: 16 }}>
            <ErrorBox error={error} onRetry={verify} />
          </div>
        )}
        {report && (
          <div data-testid="ledger-result">
            {report.ok ? (
              <Result status="success" title={t("ledger.ok")} subTitle={t("ledger.okDetail", { count: report.transactions })} />
            ) : (
              <>
                <Result status="error" title={t("ledger.failed")} subTitle={t("ledger.failedDetail", { count: report.transactions })} />
                {report.headProblem && (
                  <Typography.Paragraph>
                    <Typography.Text strong>{t("ledger.head")}: </Typography.Text>
                    {report.headProblem}
                  </Typography.Paragraph>
                )}
                {report.chainProblems.length > 0 && (
                  <Table
                    title={() => t("ledger.chain")}
                    size="small"
                    rowKey={(r) => `${r.seq}:${r.problem}`}
                    pagination={{ pageSize: 20 }}
                    dataSource={report.chainProblems}
                    columns={[
                      { title: t("ledger.seq"), dataIndex: "seq", width: 100 },
                      { title: t("ledger.problem"), dataIndex: "problem" },
                    ]}
                  />
                )}
                {report.balanceProblems.length > 0 && (
                  <Table
                    title={() => t("ledger.balances")}
                    size="small"
                    rowKey={(r) => `${r.account}:${r.currency}`}
                    pagination={{ pageSize: 20 }}
                    dataSource={report.balanceProblems}
                    columns={[
                      { title: t("ledger.account"), dataIndex: "account" },
                      { title: t("ledger.stored"), dataIndex: "stored", align: "right", render: (v: number, r) => money(v, r.currency) },
                      {
                        title: t("ledger.fromPostings"),
                        dataIndex: "fromPostings",
                        align: "right",
                        render: (v: number, r) => money(v, r.currency),
                      },
                    ]}
                  />
                )}
              </>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
