import type { Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";

/** A customer's own fields as the lists read them (`CUSTOMER_COLS` of `customers c`). */
export interface CustomerFields {
  id: string;
  customerRef: string;
  phone: string | null;
  name: string | null;
  registeredAt: Date | null;
}
export const CUSTOMER_COLS = `c.id, c.customer_ref AS "customerRef", c.phone, c.name, c.registered_at AS "registeredAt"`;

/** The customer's binding in a program (`BINDING_COLS` of `bindings b`); all null without one. */
export interface CustomerBinding {
  programId: string | null;
  boundPromoterId: string | null;
  boundAt: Date | null;
  bindingExpiresAt: Date | null;
}
export const BINDING_COLS = `b.program_id AS "programId", b.promoter_id AS "boundPromoterId", b.bound_at AS "boundAt", b.expires_at AS "bindingExpiresAt"`;

/** Find or create the customer by the merchant's reference; fills in phone and name when given. */
export async function upsertCustomer(
  q: Sql,
  merchantId: string,
  c: { ref: string; phone?: string | null; name?: string | null; referrerCustomerId?: string | null; registeredAt?: Date | null },
  at: Date,
): Promise<{ id: string; created: boolean; referrerCustomerId: string | null }> {
  const [row] = await q.query<{ id: string; referrer_customer_id: string | null; inserted: boolean }>(
    `INSERT INTO customers (merchant_id, id, customer_ref, phone, name, referrer_customer_id, registered_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (merchant_id, customer_ref) DO UPDATE SET
       phone = coalesce(EXCLUDED.phone, customers.phone), name = coalesce(EXCLUDED.name, customers.name),
       referrer_customer_id = coalesce(customers.referrer_customer_id, EXCLUDED.referrer_customer_id),
       registered_at = coalesce(customers.registered_at, EXCLUDED.registered_at)
     RETURNING id, referrer_customer_id, (xmax = 0) AS inserted`,
    [merchantId, newId("cus"), c.ref, c.phone ?? null, c.name ?? null, c.referrerCustomerId ?? null, c.registeredAt ?? null, at],
  );
  if (!row) throw new Error("customer upsert returned nothing");
  return { id: row.id, created: row.inserted, referrerCustomerId: row.referrer_customer_id };
}

export async function customerIdByRef(q: Sql, merchantId: string, ref: string): Promise<string | null> {
  const [r] = await q.query<{ id: string }>("SELECT id FROM customers WHERE merchant_id = $1 AND customer_ref = $2", [merchantId, ref]);
  return r?.id ?? null;
}
