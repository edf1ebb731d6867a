import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";
import { customerContactColumns } from "./sealing.ts";

/** A customer's own fields as the lists read them (`CUSTOMER_COLS` of `customers c`): phone and name masked as stored. */
export interface CustomerFields {
  id: string;
  customerRef: string;
  phone: string | null;
  name: string | null;
  registeredAt: Date | null;
}
export const CUSTOMER_COLS = `c.id, c.customer_ref AS "customerRef", c.phone_masked AS phone, c.name_masked AS name, c.registered_at AS "registeredAt"`;

/** The customer's binding in a program (`BINDING_COLS` of `bindings b`); all null without one. */
export interface CustomerBinding {
  programId: string | null;
  boundPromoterId: string | null;
  boundAt: Date | null;
  bindingExpiresAt: Date | null;
}
export const BINDING_COLS = `b.program_id AS "programId", b.promoter_id AS "boundPromoterId", b.bound_at AS "boundAt", b.expires_at AS "bindingExpiresAt"`;

/** Find or create the customer by the merchant's reference; fills in phone and name (sealed) when given. */
export async function upsertCustomer(
  q: Sql,
  ring: KeyRing,
  merchantId: string,
  c: { ref: string; phone?: string | null; name?: string | null; referrerCustomerId?: string | null; registeredAt?: Date | null },
  at: Date,
): Promise<{ id: string; created: boolean; referrerCustomerId: string | null }> {
  const s = customerContactColumns(ring, merchantId, c.ref, c);
  const [row] = await q.query<{ id: string; referrer_customer_id: string | null; inserted: boolean }>(
    `INSERT INTO customers (merchant_id, id, customer_ref, phone_sealed, phone_index, phone_masked, name_sealed, name_index, name_masked,
                            referrer_customer_id, registered_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (merchant_id, customer_ref) DO UPDATE SET
       ${contactMerge("customers")},
       referrer_customer_id = coalesce(customers.referrer_customer_id, EXCLUDED.referrer_customer_id),
       registered_at = coalesce(customers.registered_at, EXCLUDED.registered_at)
     RETURNING id, referrer_customer_id, (xmax = 0) AS inserted`,
    [
      merchantId,
      newId("cus"),
      c.ref,
      s.phone_sealed,
      s.phone_index,
      s.phone_masked,
      s.name_sealed,
      s.name_index,
      s.name_masked,
      c.referrerCustomerId ?? null,
      c.registeredAt ?? null,
      at,
    ],
  );
  if (!row) throw new Error("customer upsert returned nothing");
  return { id: row.id, created: row.inserted, referrerCustomerId: row.referrer_customer_id };
}

/**
 * An upsert's SET for the sealed phone and name (ON CONFLICT of `customers`, by its name or alias): a value given replaces the stored
 * one, ciphertext, index and masked form together; one not given keeps it. The order ingest's write routine uses it too.
 */
export function contactMerge(table: string): string {
  return (["phone", "name"] as const)
    .flatMap((f) => [`${f}_sealed`, `${f}_index`, `${f}_masked`].map((c) => `${c} = coalesce(EXCLUDED.${c}, ${table}.${c})`))
    .join(", ");
}

export async function customerIdByRef(q: Sql, merchantId: string, ref: string): Promise<string | null> {
  const [r] = await q.query<{ id: string }>("SELECT id FROM customers WHERE merchant_id = $1 AND customer_ref = $2", [merchantId, ref]);
  return r?.id ?? null;
}
