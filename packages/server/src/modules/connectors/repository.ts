/** The connectors' rows: connectors, their delivery log, and the platform line ids of the orders they ingested. */
import type { Sql } from "../../db/client.ts";
import type { Platform } from "./mapping.ts";

export interface ConnectorRow {
  merchant_id: string;
  id: string;
  program_id: string;
  platform: Platform;
  name: string;
  secret_sealed: string;
  secret_hint: string;
  order_ref_prefix: string;
  status: "active" | "disabled";
  created_at: Date;
  disabled_at: Date | null;
}

const COLUMNS =
  "merchant_id, id, program_id, platform, name, secret_sealed, secret_hint, order_ref_prefix, status, created_at, disabled_at";

export async function insertConnector(q: Sql, c: Omit<ConnectorRow, "status" | "disabled_at">): Promise<void> {
  await q.query(
    `INSERT INTO connectors (merchant_id, id, program_id, platform, name, secret_sealed, secret_hint, order_ref_prefix, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [c.merchant_id, c.id, c.program_id, c.platform, c.name, c.secret_sealed, c.secret_hint, c.order_ref_prefix, c.created_at],
  );
}

/** A connector by its id alone: the webhook route knows no merchant before it has the connector. */
export async function connectorById(q: Sql, id: string): Promise<ConnectorRow | undefined> {
  const [r] = await q.query<ConnectorRow & Record<string, unknown>>(`SELECT ${COLUMNS} FROM connectors WHERE id = $1`, [id]);
  return r;
}

export async function merchantConnector(q: Sql, merchantId: string, id: string, lock = false): Promise<ConnectorRow | undefined> {
  const [r] = await q.query<ConnectorRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM connectors WHERE merchant_id = $1 AND id = $2${lock ? " FOR UPDATE" : ""}`,
    [merchantId, id],
  );
  return r;
}

export async function listConnectors(q: Sql, merchantId: string): Promise<ConnectorRow[]> {
  return q.query<ConnectorRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM connectors WHERE merchant_id = $1 ORDER BY created_at DESC, id DESC`,
    [merchantId],
  );
}

export async function disableConnector(q: Sql, merchantId: string, id: string, at: Date): Promise<void> {
  await q.query("UPDATE connectors SET status = 'disabled', disabled_at = $3 WHERE merchant_id = $1 AND id = $2 AND status = 'active'", [
    merchantId,
    id,
    at,
  ]);
}

export type Outcome = "applied" | "ignored" | "duplicate" | "rejected" | "failed";

export interface DeliveryRecord {
  id: string;
  connectorId: string;
  deliveryRef: string;
  topic: string;
  outcome: Outcome;
  statusCode: number;
  errorCode: string | null;
  error: string | null;
  orderRef: string | null;
  receivedAt: Date;
}

export async function recordDelivery(q: Sql, merchantId: string, d: DeliveryRecord): Promise<void> {
  await q.query(
    `INSERT INTO connector_deliveries (merchant_id, id, connector_id, delivery_ref, topic, outcome, status_code, error_code, error, order_ref, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [merchantId, d.id, d.connectorId, d.deliveryRef, d.topic, d.outcome, d.statusCode, d.errorCode, d.error, d.orderRef, d.receivedAt],
  );
}

/** Whether a delivery with this ref was already applied or ignored (a retry or a duplicate of it). */
export async function deliveryDone(q: Sql, merchantId: string, connectorId: string, deliveryRef: string): Promise<boolean> {
  const rows = await q.query(
    "SELECT 1 FROM connector_deliveries WHERE merchant_id = $1 AND connector_id = $2 AND delivery_ref = $3 AND outcome IN ('applied', 'ignored') LIMIT 1",
    [merchantId, connectorId, deliveryRef],
  );
  return rows.length > 0;
}

export async function listDeliveries(
  q: Sql,
  merchantId: string,
  connectorId: string,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<(DeliveryRecord & Record<string, unknown>)[]> {
  return q.query<DeliveryRecord & Record<string, unknown>>(
    `SELECT id, connector_id AS "connectorId", delivery_ref AS "deliveryRef", topic, outcome, status_code AS "statusCode", error_code AS "errorCode",
            error, order_ref AS "orderRef", received_at AS "receivedAt"
     FROM connector_deliveries WHERE merchant_id = $1 AND connector_id = $2
       AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::text))
     ORDER BY received_at DESC, id DESC LIMIT $5`,
    [merchantId, connectorId, after?.at ?? null, after?.id ?? null, limit],
  );
}

/** Remember the platform's line ids of an ingested order (line_no = position + 1); the first mapping stays. */
export async function rememberOrder(
  q: Sql,
  merchantId: string,
  connectorId: string,
  platformOrderId: string,
  orderRef: string,
  lineIds: readonly string[],
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO connector_orders (merchant_id, connector_id, platform_order_id, order_ref, line_ids, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (merchant_id, connector_id, platform_order_id) DO NOTHING`,
    [merchantId, connectorId, platformOrderId, orderRef, JSON.stringify(lineIds), at],
  );
}

export async function knownOrder(
  q: Sql,
  merchantId: string,
  connectorId: string,
  platformOrderId: string,
): Promise<{ orderRef: string; lineIds: string[] } | undefined> {
  const [r] = await q.query<{ order_ref: string; line_ids: string[] | string }>(
    "SELECT order_ref, line_ids FROM connector_orders WHERE merchant_id = $1 AND connector_id = $2 AND platform_order_id = $3",
    [merchantId, connectorId, platformOrderId],
  );
  if (!r) return undefined;
  return { orderRef: r.order_ref, lineIds: typeof r.line_ids === "string" ? JSON.parse(r.line_ids) : r.line_ids };
}
