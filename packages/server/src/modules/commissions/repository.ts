/** The one place commission lines are written. Multi-row inserts in chunks, so a period close of any size is a few statements. */
import type { Sql } from "../../db/client.ts";

/** Rows per INSERT statement (23 parameters each stays far below PostgreSQL's 65,535-parameter limit). */
export const COMMISSION_INSERT_CHUNK = 1000;

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

const COLS = 23;

export async function insertCommissionLines(
  q: Sql,
  merchantId: string,
  programId: string,
  currency: string,
  createdAt: Date,
  rows: readonly NewCommissionLine[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += COMMISSION_INSERT_CHUNK) {
    const chunk = rows.slice(i, i + COMMISSION_INSERT_CHUNK);
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      const b = params.length;
      params.push(
        merchantId,
        r.id,
        programId,
        r.orderId,
        r.lineNo,
        r.beneficiaryId,
        r.level,
        r.kind,
        r.baseMinor,
        r.rateBps,
        r.amountMinor,
        currency,
        r.attributionPath,
        r.planVersion,
        r.periodKey,
        JSON.stringify(r.trace),
        r.explanationZh,
        r.explanationEn,
        r.availableAt,
        createdAt,
        r.adjustmentKey,
        r.refundBaseMinor,
        "pending",
      );
      return `(${Array.from({ length: COLS }, (_, k) => `$${b + k + 1}`).join(", ")})`;
    });
    await q.query(
      `INSERT INTO commission_lines (merchant_id, id, program_id, order_id, line_no, beneficiary_id, level, kind, base_minor, rate_bps, amount_minor, currency,
         attribution_path, plan_version, period_key, trace, explanation_zh, explanation_en, available_at, created_at, adjustment_key, refund_base_minor, state)
       VALUES ${values.join(", ")}`,
      params,
    );
  }
}
