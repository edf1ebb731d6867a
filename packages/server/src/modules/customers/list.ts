/**
 * The merchant's customer list: search (reference, name, phone), filters and a total count, each row masked as stored
 * (138****1234, 王*: nothing is decrypted for a list). The full phone and name of one customer come only from the
 * audited reveal (detail.ts). Phones and names are sealed (sealing.ts), so they are found by their exact full value
 * through the blind index — the whole phone number (spaces and dashes ignored), the whole name — and a name also by its
 * first character, the one its masked form shows (王 finds 王*); the reference by any part.
 */
import { z } from "zod";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { offsetPageQuery } from "../../http/pagination.ts";
import { BINDING_COLS, CUSTOMER_COLS, type CustomerBinding, type CustomerFields } from "./repository.ts";
import { customerIndexes } from "./sealing.ts";

const id = z.string().min(1).max(64);

export const customerFilters = z.object({
  programId: id.optional().describe("bindings of this program only"),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "part of the customer reference, the customer's whole name or its first character (the surname), or the whole phone number (sealed: found by exact value)",
    ),
  promoterId: id.optional().describe("customers bound to this promoter"),
  bound: z.enum(["yes", "no"]).optional().describe("with or without a binding (in the program when given)"),
});
export const customerListQuery = offsetPageQuery.extend(customerFilters.shape);
export type CustomerFilters = z.infer<typeof customerFilters>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const like = (s: string) => `%${escapeLike(s)}%`;

/** A search term as a full phone number: digits (spaces and dashes ignored), at least 5, an optional leading +. */
const asPhone = (s: string) => /^\+?\d{5,}$/.test(s.replace(/[\s-]/g, ""));

/** The term's blind indexes under every key of the ring: as a phone when it reads as one, as a name. */
function searchIndexes(ring: KeyRing | undefined, merchantId: string, term: string | undefined) {
  if (!ring || !term) return { phone: null, name: null };
  return {
    phone: asPhone(term) ? customerIndexes(ring, "phone", merchantId, term) : null,
    name: customerIndexes(ring, "name", merchantId, term),
  };
}

function where(ring: KeyRing | undefined, merchantId: string, f: CustomerFilters) {
  const ix = searchIndexes(ring, merchantId, f.q);
  return {
    sql: `c.merchant_id = $1
      AND ($3::text IS NULL OR c.customer_ref ILIKE $3 OR c.phone_index = ANY($4::text[]) OR c.name_index = ANY($7::text[])
           OR c.name_masked LIKE $8)
      AND ($5::text IS NULL OR b.promoter_id = $5)
      AND ($6::text IS NULL OR ($6 = 'yes') = (b.customer_id IS NOT NULL))`,
    params: [
      merchantId,
      f.programId ?? null,
      f.q ? like(f.q) : null,
      ix.phone,
      f.promoterId ?? null,
      f.bound ?? null,
      ix.name,
      f.q && [...f.q].length === 1 ? `${escapeLike(f.q)}%` : null,
    ],
  };
}

const FROM = `customers c LEFT JOIN bindings b ON b.merchant_id = c.merchant_id AND b.customer_id = c.id AND ($2::text IS NULL OR b.program_id = $2)`;

type Row = CustomerFields & CustomerBinding & { createdAt: Date; boundPromoterName: string | null; orders: number };

export async function listCustomers(
  q: Sql,
  ring: KeyRing | undefined,
  merchantId: string,
  f: CustomerFilters,
  limit: number,
  offset: number,
): Promise<Row[]> {
  const w = where(ring, merchantId, f);
  const n = w.params.length;
  const rows = await q.query<Row & Record<string, unknown>>(
    `SELECT ${CUSTOMER_COLS}, c.created_at AS "createdAt", ${BINDING_COLS}, p.name AS "boundPromoterName",
            (SELECT count(*) FROM orders o WHERE o.merchant_id = c.merchant_id AND o.customer_id = c.id)::int AS orders
     FROM ${FROM} LEFT JOIN promoters p ON p.id = b.promoter_id
     WHERE ${w.sql} ORDER BY c.created_at DESC, c.id DESC, b.program_id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...w.params, limit, offset],
  );
  return rows;
}

export async function countCustomers(q: Sql, ring: KeyRing | undefined, merchantId: string, f: CustomerFilters): Promise<number> {
  const w = where(ring, merchantId, f);
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${w.sql}`, w.params);
  return r?.n ?? 0;
}
