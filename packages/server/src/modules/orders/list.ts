/** The merchant's order list: filters shared by the page, the total count and the CSV export. */
import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import type { CsvColumn } from "../../http/csv.ts";
import { invalid } from "../../http/errors.ts";
import { decodeCursor, page, pageQuery } from "../../http/pagination.ts";

export const orderFilters = z.object({
  programId: z.string().min(1).max(64).optional(),
  promoterId: z.string().min(1).max(64).optional(),
  status: z.enum(["paid", "completed", "refunded", "cancelled"]).optional(),
  channel: z.string().min(1).max(32).optional(),
  orderRef: z.string().min(1).max(128).optional().describe("orders whose reference starts with this text"),
  from: z.iso.datetime({ offset: true }).optional().describe("paid at or after this instant"),
  to: z.iso.datetime({ offset: true }).optional().describe("paid before this instant"),
});
export const orderListQuery = pageQuery.extend(orderFilters.shape);
export type OrderFilters = z.infer<typeof orderFilters>;

export interface OrderListRow {
  id: string;
  orderRef: string;
  programId: string;
  customerRef: string;
  channel: string;
  status: string;
  amountMinor: number;
  refundedMinor: number;
  promoterId: string | null;
  attributionPath: string | null;
  isFirstOrder: boolean | null;
  planVersion: number | null;
  periodKey: string;
  paidAt: Date;
  completedAt: Date | null;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(merchantId: string, f: OrderFilters): { sql: string; params: unknown[] } {
  if (f.from && f.to && Date.parse(f.from) >= Date.parse(f.to)) invalid("to", "must be after from");
  const params: unknown[] = [
    merchantId,
    f.programId ?? null,
    f.promoterId ?? null,
    f.status ?? null,
    f.channel ?? null,
    f.orderRef ? likePrefix(f.orderRef) : null,
    f.from ?? null,
    f.to ?? null,
  ];
  const sql = `o.merchant_id = $1 AND ($2::text IS NULL OR o.program_id = $2) AND ($3::text IS NULL OR o.promoter_id = $3)
    AND ($4::text IS NULL OR o.status = $4) AND ($5::text IS NULL OR o.channel = $5) AND ($6::text IS NULL OR o.order_ref LIKE $6)
    AND ($7::timestamptz IS NULL OR o.paid_at >= $7) AND ($8::timestamptz IS NULL OR o.paid_at < $8)`;
  return { sql, params };
}

export async function listOrders(q: Sql, merchantId: string, f: OrderFilters, limit: number, cursor: string | null | undefined) {
  const cur = decodeCursor(cursor ?? undefined);
  const w = where(merchantId, f);
  const n = w.params.length;
  const rows = await q.query<OrderListRow & Record<string, unknown>>(
    `SELECT o.id, o.order_ref AS "orderRef", o.program_id AS "programId", c.customer_ref AS "customerRef", o.channel, o.status, o.amount_minor AS "amountMinor",
            o.refunded_minor AS "refundedMinor", o.promoter_id AS "promoterId", o.attribution_path AS "attributionPath", o.attribution,
            o.is_first_order AS "isFirstOrder", o.plan_version AS "planVersion", o.period_key AS "periodKey", o.paid_at AS "paidAt", o.completed_at AS "completedAt"
     FROM orders o JOIN customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
     WHERE ${w.sql} AND ($${n + 1}::timestamptz IS NULL OR (o.paid_at, o.id) < ($${n + 1}::timestamptz, $${n + 2}::text))
     ORDER BY o.paid_at DESC, o.id DESC LIMIT $${n + 3}`,
    [...w.params, cur?.at ?? null, cur?.id ?? null, limit + 1],
  );
  return page(rows, limit, (r) => ({ at: r.paidAt, id: r.id }));
}

export async function countOrders(q: Sql, merchantId: string, f: OrderFilters): Promise<number> {
  const w = where(merchantId, f);
  const [r] = await q.query<{ n: string | number }>(`SELECT count(*) AS n FROM orders o WHERE ${w.sql}`, w.params);
  return Number(r?.n ?? 0);
}

export const ORDER_CSV: CsvColumn<OrderListRow>[] = [
  { header: "orderRef", value: (r) => r.orderRef },
  { header: "programId", value: (r) => r.programId },
  { header: "customerRef", value: (r) => r.customerRef },
  { header: "channel", value: (r) => r.channel },
  { header: "status", value: (r) => r.status },
  { header: "amountMinor", value: (r) => Number(r.amountMinor) },
  { header: "refundedMinor", value: (r) => Number(r.refundedMinor) },
  { header: "promoterId", value: (r) => r.promoterId },
  { header: "attributionPath", value: (r) => r.attributionPath },
  { header: "isFirstOrder", value: (r) => r.isFirstOrder },
  { header: "planVersion", value: (r) => r.planVersion },
  { header: "periodKey", value: (r) => r.periodKey },
  { header: "paidAt", value: (r) => r.paidAt },
  { header: "completedAt", value: (r) => r.completedAt },
];
