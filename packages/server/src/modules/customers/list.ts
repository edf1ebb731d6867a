/**
 * The merchant's customer list: search (reference, name, phone), filters and a total count, each row masked
 * (138****1234, 王*). The full phone and name of one customer come only from the audited reveal (reveal.ts).
 */
import { z } from "zod";
import type { Sql } from "../../db/client.ts";
import { offsetPageQuery } from "../../http/pagination.ts";
import { maskName, maskPhone } from "./mask.ts";
import { BINDING_COLS, CUSTOMER_COLS, type CustomerBinding, type CustomerFields } from "./repository.ts";

const id = z.string().min(1).max(64);

export const customerFilters = z.object({
  programId: id.optional().describe("bindings of this program only"),
  q: z.string().min(1).max(100).optional().describe("part of the customer reference or name, or the phone number (a part of it)"),
  promoterId: id.optional().describe("customers bound to this promoter"),
  bound: z.enum(["yes", "no"]).optional().describe("with or without a binding (in the program when given)"),
});
export const customerListQuery = offsetPageQuery.extend(customerFilters.shape);
export type CustomerFilters = z.infer<typeof customerFilters>;

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The phone as searched: digits only (a "138 1234 1234" typed with spaces finds 13812341234). */
const phoneLike = (s: string) => {
  const digits = s.replace(/[\s-]/g, "");
  return /^\+?\d{3,}$/.test(digits) ? like(digits) : null;
};

function where(merchantId: string, f: CustomerFilters) {
  return {
    sql: `c.merchant_id = $1
      AND ($3::text IS NULL OR c.customer_ref ILIKE $3 OR c.name ILIKE $3 OR ($4::text IS NOT NULL AND c.phone LIKE $4))
      AND ($5::text IS NULL OR b.promoter_id = $5)
      AND ($6::text IS NULL OR ($6 = 'yes') = (b.customer_id IS NOT NULL))`,
    params: [merchantId, f.programId ?? null, f.q ? like(f.q) : null, f.q ? phoneLike(f.q) : null, f.promoterId ?? null, f.bound ?? null],
  };
}

const FROM = `customers c LEFT JOIN bindings b ON b.merchant_id = c.merchant_id AND b.customer_id = c.id AND ($2::text IS NULL OR b.program_id = $2)`;

type Row = CustomerFields & CustomerBinding & { createdAt: Date; boundPromoterName: string | null; orders: number };

export async function listCustomers(q: Sql, merchantId: string, f: CustomerFilters, limit: number, offset: number) {
  const w = where(merchantId, f);
  const n = w.params.length;
  const rows = await q.query<Row & Record<string, unknown>>(
    `SELECT ${CUSTOMER_COLS}, c.created_at AS "createdAt", ${BINDING_COLS}, p.name AS "boundPromoterName",
            (SELECT count(*) FROM orders o WHERE o.merchant_id = c.merchant_id AND o.customer_id = c.id)::int AS orders
     FROM ${FROM} LEFT JOIN promoters p ON p.id = b.promoter_id
     WHERE ${w.sql} ORDER BY c.created_at DESC, c.id DESC, b.program_id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...w.params, limit, offset],
  );
  return rows.map((r) => ({ ...r, phone: maskPhone(r.phone), name: maskName(r.name) }));
}

export async function countCustomers(q: Sql, merchantId: string, f: CustomerFilters): Promise<number> {
  const w = where(merchantId, f);
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${w.sql}`, w.params);
  return r?.n ?? 0;
}
