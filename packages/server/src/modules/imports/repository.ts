/** Import jobs and their refused rows. */

import { bulkInsert } from "../../db/bulk.ts";
import type { Sql } from "../../db/client.ts";

export type JobStatus = "receiving" | "running" | "succeeded" | "failed" | "interrupted";

export interface JobProgress {
  bytesRead: number;
  rowsRead: number;
  ordersImported: number;
  ordersSkipped: number;
  rowsRejected: number;
}

export interface Rejection {
  rowNo: number;
  orderRef: string | null;
  field: string | null;
  reason: string;
}

export async function insertJob(
  q: Sql,
  j: { merchantId: string; id: string; source: string; status: JobStatus; bytesTotal: number | null; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO import_jobs (merchant_id, id, kind, source, status, bytes_total, created_at, updated_at) VALUES ($1, $2, 'orders', $3, $4, $5, $6, $6)`,
    [j.merchantId, j.id, j.source.slice(0, 200), j.status, j.bytesTotal, j.at],
  );
}

export async function setJobStatus(
  q: Sql,
  merchantId: string,
  id: string,
  status: JobStatus,
  at: Date,
  extra: { error?: string; bytesTotal?: number } = {},
): Promise<void> {
  const done = status === "succeeded" || status === "failed" || status === "interrupted";
  await q.query(
    `UPDATE import_jobs SET status = $3, updated_at = $4, finished_at = CASE WHEN $5 THEN $4 ELSE finished_at END,
            error = coalesce($6, error), bytes_total = coalesce($7, bytes_total) WHERE merchant_id = $1 AND id = $2`,
    [merchantId, id, status, at, done, extra.error?.slice(0, 1000) ?? null, extra.bytesTotal ?? null],
  );
}

/** Progress after a chunk, and the chunk's refused rows, in one transaction. */
export async function saveProgress(
  q: Sql,
  merchantId: string,
  id: string,
  p: JobProgress,
  rejected: readonly Rejection[],
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE import_jobs SET bytes_read = $3, rows_read = $4, orders_imported = $5, orders_skipped = $6, rows_rejected = $7, updated_at = $8
     WHERE merchant_id = $1 AND id = $2`,
    [merchantId, id, p.bytesRead, p.rowsRead, p.ordersImported, p.ordersSkipped, p.rowsRejected, at],
  );
  if (rejected.length > 0)
    await bulkInsert(
      q,
      "import_rejections",
      { merchant_id: merchantId, job_id: id },
      [
        ["row_no", "bigint", (r: Rejection) => r.rowNo],
        ["order_ref", "text", (r: Rejection) => r.orderRef],
        ["field", "text", (r: Rejection) => r.field],
        ["reason", "text", (r: Rejection) => r.reason.slice(0, 1000)],
      ],
      rejected,
      "ON CONFLICT (merchant_id, job_id, row_no) DO NOTHING",
    );
}

export interface JobView extends JobProgress {
  id: string;
  kind: string;
  source: string;
  status: JobStatus;
  bytesTotal: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const JOB_COLS = `id, kind, source, status, bytes_total AS "bytesTotal", bytes_read AS "bytesRead", rows_read AS "rowsRead",
  orders_imported AS "ordersImported", orders_skipped AS "ordersSkipped", rows_rejected AS "rowsRejected", error,
  created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt"`;

function jobView(r: Record<string, unknown>): JobView {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const t = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id as string,
    kind: r.kind as string,
    source: r.source as string,
    status: r.status as JobStatus,
    bytesTotal: n(r.bytesTotal),
    bytesRead: Number(r.bytesRead),
    rowsRead: Number(r.rowsRead),
    ordersImported: Number(r.ordersImported),
    ordersSkipped: Number(r.ordersSkipped),
    rowsRejected: Number(r.rowsRejected),
    error: (r.error as string | null) ?? null,
    createdAt: t(r.createdAt) as string,
    updatedAt: t(r.updatedAt) as string,
    finishedAt: t(r.finishedAt),
  };
}

export async function getJob(q: Sql, merchantId: string, id: string): Promise<JobView | undefined> {
  const [r] = await q.query(`SELECT ${JOB_COLS} FROM import_jobs WHERE merchant_id = $1 AND id = $2`, [merchantId, id]);
  return r ? jobView(r) : undefined;
}

export async function listJobs(q: Sql, merchantId: string, limit: number): Promise<JobView[]> {
  const rows = await q.query(`SELECT ${JOB_COLS} FROM import_jobs WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [
    merchantId,
    limit,
  ]);
  return rows.map(jobView);
}

export async function listRejections(q: Sql, merchantId: string, id: string, afterRow: number, limit: number): Promise<Rejection[]> {
  const rows = await q.query<{ row_no: string | number; order_ref: string | null; field: string | null; reason: string }>(
    "SELECT row_no, order_ref, field, reason FROM import_rejections WHERE merchant_id = $1 AND job_id = $2 AND row_no > $3 ORDER BY row_no LIMIT $4",
    [merchantId, id, afterRow, limit],
  );
  return rows.map((r) => ({ rowNo: Number(r.row_no), orderRef: r.order_ref, field: r.field, reason: r.reason }));
}
