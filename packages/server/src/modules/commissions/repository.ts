/** The one place commission lines are written: one multi-row statement per set, however large. */
import { BULK_ROWS_MAX, bulkInsert, type Column } from "../../db/bulk.ts";
import type { Sql } from "../../db/client.ts";

/** Rows per INSERT statement (callers that stream large sets write chunks of this size). */
export const COMMISSION_INSERT_CHUNK = BULK_ROWS_MAX;

export interface NewCommissionLine {
  id: string;
  orderId: string | null;
  lineNo: number | null;
  beneficiaryId: string;
  level: number;
  kind: string;
  baseMinor: number;
  rateBps: number | null;
  amountMinor: number;
  attributionPath: string | null;
  planVersion: number | null;
  periodKey: string;
  trace: unknown;
  explanationZh: string;
  explanationEn: string;
  availableAt: Date | null;
  adjustmentKey: string | null;
  refundBaseMinor: number | null;
}

const COLUMNS: readonly Column<NewCommissionLine>[] = [
  ["id", "text", (r) => r.id],
  ["order_id", "text", (r) => r.orderId],
  ["line_no", "int", (r) => r.lineNo],
  ["beneficiary_id", "text", (r) => r.beneficiaryId],
  ["level", "smallint", (r) => r.level],
  ["kind", "text", (r) => r.kind],
  ["base_minor", "bigint", (r) => r.baseMinor],
  ["rate_bps", "int", (r) => r.rateBps],
  ["amount_minor", "bigint", (r) => r.amountMinor],
  ["attribution_path", "text", (r) => r.attributionPath],
  ["plan_version", "int", (r) => r.planVersion],
  ["period_key", "text", (r) => r.periodKey],
  ["trace", "jsonb", (r) => JSON.stringify(r.trace)],
  ["explanation_zh", "text", (r) => r.explanationZh],
  ["explanation_en", "text", (r) => r.explanationEn],
  ["available_at", "timestamptz", (r) => r.availableAt?.toISOString() ?? null],
  ["adjustment_key", "text", (r) => r.adjustmentKey],
  ["refund_base_minor", "bigint", (r) => r.refundBaseMinor],
];

export async function insertCommissionLines(
  q: Sql,
  merchantId: string,
  programId: string,
  currency: string,
  createdAt: Date,
  rows: readonly NewCommissionLine[],
): Promise<void> {
  if (rows.length === 0) return;
  await bulkInsert(
    q,
    "commission_lines",
    { merchant_id: merchantId, program_id: programId, currency, created_at: createdAt, state: "pending" },
    COLUMNS,
    rows,
  );
}
