/**
 * Risk flags on a promoter (promoter_risk_flags, migration 0011). An open flag keeps the promoter's withdrawals at that
 * merchant from automatic approval. Opened and closed by hand for now; the risk rules will drive them.
 */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newId } from "../../ids.ts";

export const RISK_FLAG_REASON_LENGTH_MAX = 200;

export interface RiskFlag {
  id: string;
  promoterId: string;
  reason: string;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
}

const COLS = `id, promoter_id AS "promoterId", reason, opened_at AS "openedAt", opened_by AS "openedBy", closed_at AS "closedAt", closed_by AS "closedBy"`;

export async function hasOpenRiskFlag(q: Sql, merchantId: string, promoterId: string): Promise<boolean> {
  const rows = await q.query(
    "SELECT 1 FROM promoter_risk_flags WHERE merchant_id = $1 AND promoter_id = $2 AND closed_at IS NULL LIMIT 1",
    [merchantId, promoterId],
  );
  return rows.length > 0;
}

export async function openRiskFlag(
  q: Sql,
  merchantId: string,
  promoterId: string,
  reason: string,
  actor: string,
  at: Date,
): Promise<RiskFlag> {
  const member = await q.query("SELECT 1 FROM memberships WHERE merchant_id = $1 AND promoter_id = $2 LIMIT 1", [merchantId, promoterId]);
  if (member.length === 0) fail("NOT_FOUND", "No such promoter in your programs.", { promoterId });
  const [row] = await q.query<RiskFlag & Record<string, unknown>>(
    `INSERT INTO promoter_risk_flags (merchant_id, id, promoter_id, reason, opened_at, opened_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${COLS}`,
    [merchantId, newId("rfl"), promoterId, reason, at, actor],
  );
  if (!row) throw new Error("risk flag not inserted");
  return row;
}

export async function closeRiskFlag(
  q: Sql,
  merchantId: string,
  promoterId: string,
  flagId: string,
  actor: string,
  at: Date,
): Promise<RiskFlag> {
  const [cur] = await q.query<{ closed_at: Date | null }>(
    "SELECT closed_at FROM promoter_risk_flags WHERE merchant_id = $1 AND promoter_id = $2 AND id = $3 FOR UPDATE",
    [merchantId, promoterId, flagId],
  );
  if (!cur) fail("NOT_FOUND", "No such risk flag.", { flagId });
  if (cur.closed_at !== null) fail("RISK_FLAG_CLOSED", undefined, { flagId });
  const [row] = await q.query<RiskFlag & Record<string, unknown>>(
    `UPDATE promoter_risk_flags SET closed_at = $4, closed_by = $5 WHERE merchant_id = $1 AND promoter_id = $2 AND id = $3 RETURNING ${COLS}`,
    [merchantId, promoterId, flagId, at, actor],
  );
  if (!row) throw new Error("risk flag vanished");
  return row;
}
