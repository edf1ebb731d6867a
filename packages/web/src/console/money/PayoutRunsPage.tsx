/** 打款批次: start a run for the program, watch its progress (counts per outcome), retry its failures, and the bank batch file (download, upload the bank's result). */
import { DownloadOutlined, PlayCircleOutlined, ReloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Input, Modal, Progress, Select, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { download, get, postText, write } from "../../api/client.ts";
import type { MoneySettings, PayoutProviderName, PayoutRun, PayoutRunItem } from "../../api/money.ts";
import type { Page } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { dateTime, money } from "../../lib/format.ts";
import { useMoneyLabel } from "../../money/labels.tsx";
import { useConsole } from "../context.tsx";

const PROVIDERS: readonly PayoutProviderName[] = ["sandbox", "bank_file", "wechat", "alipay"];
/** While a run is moving, read it again this often. */
const POLL_MS = 2_000;

export function runFinished(r: Pick<PayoutRun, "state" | "finishedAt">): boolean {
  return r.finishedAt !== null || r.state === "finished";
}

export function PayoutRunsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useMoneyLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program } = useConsole();
  const [provider, setProvider] = useState<PayoutProviderName>("sandbox");
  const [busy, setBusy] = useState(false);
  const [uploadFor, setUploadFor] = useState<PayoutRun | null>(null);
  const [csv, setCsv] = useState("");
  const runs = useAsync(() => get<Page<PayoutRun>>("/v1/payout-runs", { limit: 50 }), [program.id]);
  const settings = useAsync(
    () => get<MoneySettings>(`/v1/programs/${encodeURIComponent(program.id)}/money-settings`).catch(() => null),
    [program.id],
  );
  const items = runs.data?.items ?? [];
  const moving = items.some((r) => !runFinished(r));

  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(runs.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [moving, runs.reload]);

  async function act(f: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await f();
      message.success(done);
      runs.reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const circuit = settings.data?.circuit;
  return (
    <div>
      <Typography.Title level={3}>{t("runs.title")}</Typography.Title>
      {circuit?.open ? (
        <Alert type="error" showIcon title={t("runs.circuitOpen", { reason: circuit.reason ?? "" })} style={{ marginBottom: 12 }} />
      ) : null}
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Select<PayoutProviderName>
            aria-label={t("runs.provider")}
            data-testid="run-provider"
            value={provider}
            onChange={setProvider}
            style={{ width: 220 }}
            options={PROVIDERS.map((p) => ({ value: p, label: label("provider", p) }))}
          />
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={busy}
            onClick={() => void act(() => write("POST", "/v1/payout-runs", { programId: program.id, provider }), t("runs.started"))}
            data-testid="run-start"
          >
            {t("runs.start")}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={runs.reload} aria-label={t("runs.refresh")}>
            {t("runs.refresh")}
          </Button>
        </Space>
      </Card>
      <Card>
        {runs.error ? <ErrorBox error={runs.error} onRetry={runs.reload} /> : null}
        <Table<PayoutRun>
          data-testid="runs-table"
          rowKey="id"
          size="middle"
          loading={runs.loading && items.length === 0}
          dataSource={items}
          pagination={false}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: t("runs.none") }}
          expandable={{ expandedRowRender: (r) => <RunItems runId={r.id} currency={program.currency} /> }}
          columns={[
            { title: t("runs.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
            { title: t("runs.provider"), dataIndex: "provider", render: (v: string) => label("provider", v) },
            {
              title: t("runs.state"),
              dataIndex: "state",
              render: (v: string, r) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={runFinished(r) ? "green" : "processing"} data-testid="run-state" data-state={v}>
                    {label("runState", v)}
                  </Tag>
                  <Typography.Text type="secondary">{label("runStep", r.step)}</Typography.Text>
                  {r.lastError ? <Typography.Text type="danger">{r.lastError}</Typography.Text> : null}
                </Space>
              ),
            },
            {
              title: t("runs.progress"),
              key: "progress",
              width: 240,
              render: (_: unknown, r) => {
                const c = r.counts;
                const done = c.paid + c.failed + c.skipped;
                return (
                  <div data-testid="run-counts" data-paid={c.paid} data-failed={c.failed} data-total={c.total}>
                    <Progress
                      percent={c.total === 0 ? 100 : Math.floor((done * 100) / c.total)}
                      success={{ percent: c.total === 0 ? 0 : Math.floor((c.paid * 100) / c.total) }}
                      size="small"
                      aria-label={t("runs.progress")}
                    />
                    <Typography.Text type="secondary">
                      {t("runs.total")} {c.total} · {t("runs.paid")} {c.paid} · {t("runs.paying")} {c.paying} · {t("runs.failed")}{" "}
                      {c.failed} · {t("runs.skipped")} {c.skipped} · {t("runs.awaitingFunds")} {c.awaitingFunds}
                    </Typography.Text>
                  </div>
                );
              },
            },
            { title: t("runs.finishedAt"), dataIndex: "finishedAt", render: (v: string | null) => dateTime(v, lang) },
            {
              title: t("review.actions"),
              key: "actions",
              render: (_: unknown, r) => (
                <Space wrap>
                  {r.counts.failed > 0 ? (
                    <Button
                      size="small"
                      disabled={busy}
                      onClick={() =>
                        void act(() => write("POST", `/v1/payout-runs/${encodeURIComponent(r.id)}/retry`, {}), t("runs.retried"))
                      }
                      data-testid="run-retry"
                    >
                      {t("runs.retry")}
                    </Button>
                  ) : null}
                  {r.provider === "bank_file" ? (
                    <>
                      <Button
                        size="small"
                        icon={<DownloadOutlined />}
                        onClick={() =>
                          void download(`/v1/payout-runs/${encodeURIComponent(r.id)}/bank-file`, `bank-${r.id}.csv`).catch((e: unknown) =>
                            message.error(errorText(e)),
                          )
                        }
                        data-testid="run-bank-file"
                      >
                        {t("runs.bankFile")}
                      </Button>
                      <Button size="small" icon={<UploadOutlined />} onClick={() => setUploadFor(r)} data-testid="run-bank-result">
                        {t("runs.bankResult")}
                      </Button>
                    </>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={uploadFor !== null}
        title={t("runs.bankResult")}
        okText={t("runs.upload")}
        cancelText={t("common.cancel")}
        okButtonProps={{ disabled: csv.trim() === "", loading: busy }}
        onCancel={() => setUploadFor(null)}
        onOk={() =>
          uploadFor &&
          void act(() => postText(`/v1/payout-runs/${encodeURIComponent(uploadFor.id)}/bank-result`, csv), t("runs.uploaded")).then(() => {
            setUploadFor(null);
            setCsv("");
          })
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t("runs.bankResultHelp")}</Typography.Paragraph>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={t("runs.bankResultFile")}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void f.text().then(setCsv);
          }}
          style={{ marginBottom: 8 }}
        />
        <Input.TextArea aria-label={t("runs.bankResultText")} rows={8} value={csv} onChange={(e) => setCsv(e.target.value)} />
      </Modal>
    </div>
  );
}

const ITEM_COLORS: Record<string, string> = { paid: "green", failed: "red", skipped: "default", awaiting_funds: "orange" };

function RunItems({ runId, currency }: { runId: string; currency: string }) {
  const { t } = useTranslation();
  const label = useMoneyLabel();
  const run = useAsync(() => get<PayoutRun>(`/v1/payout-runs/${encodeURIComponent(runId)}`), [runId]);
  if (run.error) return <ErrorBox error={run.error} onRetry={run.reload} />;
  return (
    <Table<PayoutRunItem>
      size="small"
      rowKey="withdrawalId"
      loading={run.loading}
      dataSource={run.data?.items ?? []}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      columns={[
        { title: t("runs.withdrawal"), dataIndex: "withdrawalId", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        {
          title: t("review.net"),
          dataIndex: "netMinor",
          align: "right",
          render: (v: number | undefined) => (v === undefined ? "—" : money(v, currency)),
        },
        {
          title: t("runs.state"),
          dataIndex: "state",
          render: (v: string) => (
            <Tag color={ITEM_COLORS[v]} data-testid="run-item-state" data-state={v}>
              {label("itemState", v)}
            </Tag>
          ),
        },
        { title: t("runs.reason"), dataIndex: "reason", render: (v: string | null | undefined) => v ?? "—" },
      ]}
    />
  );
}
