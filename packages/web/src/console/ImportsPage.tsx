/** 导入: upload a CSV of orders, follow the job's progress, read the refused rows. */
import { UploadOutlined } from "@ant-design/icons";
import { Button, Card, Descriptions, Progress, Table, Tag, Typography, Upload } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get, getSession, withQuery } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { dateTime } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

type Status = "receiving" | "running" | "succeeded" | "failed" | "interrupted";

interface Rejection {
  rowNo: number;
  orderRef: string | null;
  field: string | null;
  reason: string;
}

interface Job {
  id: string;
  source: string;
  status: Status;
  bytesTotal: number | null;
  bytesRead: number;
  rowsRead: number;
  ordersImported: number;
  ordersSkipped: number;
  rowsRejected: number;
  error: string | null;
  createdAt: string;
  rejections?: Rejection[];
}

const STATUS_COLOR: Record<Status, string> = {
  receiving: "blue",
  running: "blue",
  succeeded: "green",
  failed: "red",
  interrupted: "orange",
};
/** How often a running job is polled. */
const POLL_MS = 1000;

/** The file itself as the body (the browser streams it), not JSON. */
async function uploadCsv(file: File, programId: string): Promise<Job> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "text/csv" };
  const s = getSession();
  if (s) headers.authorization = `Bearer ${s.token}`;
  const res = await fetch(withQuery("/v1/imports/orders", { programId, source: file.name.slice(0, 200) }), {
    method: "POST",
    headers,
    body: file,
  });
  const json = (await res.json().catch(() => null)) as
    | { error?: { code: string; message: string; details?: Record<string, unknown> } }
    | Job
    | null;
  if (!res.ok) {
    const err = (json as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details ?? {});
  }
  return json as Job;
}

function JobView({ job }: { job: Job }) {
  const { t } = useTranslation();
  const percent = job.bytesTotal ? Math.floor((job.bytesRead / job.bytesTotal) * 100) : job.status === "succeeded" ? 100 : 0;
  return (
    <div data-testid="import-job">
      <Progress
        percent={job.status === "succeeded" ? 100 : percent}
        status={job.status === "failed" ? "exception" : job.status === "running" ? "active" : undefined}
      />
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t("imports.status")}>
          <Tag color={STATUS_COLOR[job.status]} data-testid="import-status">
            {t(`imports.statuses.${job.status}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t("imports.rows")}>{job.rowsRead}</Descriptions.Item>
        <Descriptions.Item label={t("imports.imported")}>
          <span data-testid="import-imported">{job.ordersImported}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("imports.skipped")}>{job.ordersSkipped}</Descriptions.Item>
        <Descriptions.Item label={t("imports.rejected")}>{job.rowsRejected}</Descriptions.Item>
        <Descriptions.Item label={t("imports.source")}>{job.source}</Descriptions.Item>
      </Descriptions>
      {job.error && <Typography.Text type="danger">{job.error}</Typography.Text>}
      {(job.rejections?.length ?? 0) > 0 && (
        <Table<Rejection>
          size="small"
          rowKey="rowNo"
          dataSource={job.rejections}
          pagination={{ pageSize: 20 }}
          data-testid="import-rejections"
          columns={[
            { title: t("imports.rowNo"), dataIndex: "rowNo", width: 90 },
            { title: t("connectors.orderRef"), dataIndex: "orderRef", render: (v: string | null) => v ?? "—" },
            { title: t("imports.reason"), dataIndex: "reason" },
          ]}
        />
      )}
    </div>
  );
}

export function ImportsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { program } = useConsole();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const recent = useAsync(() => get<{ items: Job[] }>("/v1/imports"), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: poll while the shown job runs; reload the list when it ends
  useEffect(() => {
    if (job?.status !== "running") {
      if (job) recent.reload();
      return;
    }
    const timer = setTimeout(async () => {
      try {
        setJob(await get<Job>(`/v1/imports/${job.id}`));
      } catch (e) {
        setError(e);
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  return (
    <div>
      <Typography.Title level={3}>{t("imports.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("imports.help")}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Upload
          accept=".csv,text/csv"
          maxCount={1}
          showUploadList={false}
          beforeUpload={async (file) => {
            setBusy(true);
            setError(null);
            try {
              setJob(await uploadCsv(file, program.id));
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
            return false;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} loading={busy} data-testid="import-upload">
            {t("imports.upload")}
          </Button>
        </Upload>
        {error !== null && (
          <div style={{ marginTop: 16 }}>
            <ErrorBox error={error} />
          </div>
        )}
        {job && (
          <div style={{ marginTop: 16 }}>
            <JobView job={job} />
          </div>
        )}
      </Card>
      <Card title={t("imports.recent")}>
        {recent.error ? (
          <ErrorBox error={recent.error} onRetry={recent.reload} />
        ) : (
          <Table<Job>
            size="small"
            rowKey="id"
            loading={recent.loading}
            dataSource={recent.data?.items ?? []}
            pagination={false}
            onRow={(r) => ({ onClick: async () => setJob(await get<Job>(`/v1/imports/${r.id}`)), style: { cursor: "pointer" } })}
            columns={[
              { title: t("imports.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang), width: 170 },
              { title: t("imports.source"), dataIndex: "source" },
              {
                title: t("imports.status"),
                dataIndex: "status",
                render: (v: Status) => <Tag color={STATUS_COLOR[v]}>{t(`imports.statuses.${v}`)}</Tag>,
              },
              { title: t("imports.imported"), dataIndex: "ordersImported" },
              { title: t("imports.skipped"), dataIndex: "ordersSkipped" },
              { title: t("imports.rejected"), dataIndex: "rowsRejected" },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
