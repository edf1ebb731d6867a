/**
 * The merchant's customer list as CSV: phone and name masked as in the list (138****1234, 王*) — an export is a file that
 * travels, so it never carries the sealed values; the full data of a customer comes only from the audited reveal.
 * Every export is an audit entry naming the filters, written before the first row leaves.
 */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { actorOf, authenticate, merchantOf } from "../../http/auth.ts";
import { type CsvColumn, sendCsv } from "../../http/csv.ts";
import { EXPORT_PAGE } from "../../http/pagination.ts";
import type { Api } from "../../http/types.ts";
import { audit } from "../audit/repository.ts";
import { BINDING_COLS, CUSTOMER_COLS, type CustomerBinding, type CustomerFields } from "./repository.ts";

const exportQuery = z.object({ programId: z.string().min(1).max(64).optional() });

type CustomerRow = CustomerFields & CustomerBinding;

const COLUMNS: CsvColumn<CustomerRow>[] = (
  ["customerRef", "name", "phone", "registeredAt", "programId", "boundPromoterId", "boundAt", "bindingExpiresAt"] as const
).map((k) => ({ header: k, value: (r: CustomerRow) => r[k] }));

function pageOf(q: Sql, merchantId: string, programId: string | null, offset: number) {
  return q.query<CustomerRow & Record<string, unknown>>(
    `SELECT ${CUSTOMER_COLS}, ${BINDING_COLS}
     FROM customers c LEFT JOIN bindings b ON b.merchant_id = c.merchant_id AND b.customer_id = c.id AND ($2::text IS NULL OR b.program_id = $2)
     WHERE c.merchant_id = $1 ORDER BY c.created_at, c.id, b.program_id LIMIT $3 OFFSET $4`,
    [merchantId, programId, EXPORT_PAGE, offset],
  );
}

export function registerCustomerExportRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/customers/export.csv",
    {
      schema: {
        tags: ["customers"],
        summary: "Customers with their binding as CSV (UTF-8 with BOM), phone and name masked as in the list; each export is audited",
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const p = await authenticate(ctx, req);
      const merchantId = merchantOf(p);
      const programId = req.query.programId ?? null;
      await ctx.db.tx((q) => audit(q, merchantId, actorOf(p), "customer.export", "customers", { programId }, ctx.clock.now()));
      await sendCsv(reply, "customers.csv", COLUMNS, async (cursor) => {
        const offset = cursor ? Number(cursor) : 0;
        const items = await ctx.db.read((q) => pageOf(q, merchantId, programId, offset));
        return { items, nextCursor: items.length === EXPORT_PAGE ? String(offset + EXPORT_PAGE) : null };
      });
    },
  );
}
