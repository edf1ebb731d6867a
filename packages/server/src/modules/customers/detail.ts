/**
 * One customer for the merchant's console: masked profile, the binding per program and its history, orders, the
 * customers it referred and the rewards it earned for them, and who revealed its personal data when. Phone and name
 * are read masked as stored; they are opened only in `revealCustomer`, and each call is an audit entry (who, when,
 * which customer).
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { CUSTOMER_COLS, type CustomerFields } from "./repository.ts";
import { openCustomerField } from "./sealing.ts";

/** Orders shown on a customer's page at most (newest first); the orders list filters by customer for more. */
export const CUSTOMER_ORDERS_MAX = 100;
/** Binding history entries and reveals shown at most (newest first). */
export const CUSTOMER_HISTORY_MAX = 100;

type CustomerRow = CustomerFields & { createdAt: Date; referrerCustomerId: string | null };

async function customerRow(q: Sql, merchantId: string, customerId: string): Promise<CustomerRow> {
  const [c] = await q.query<CustomerRow & Record<string, unknown>>(
    `SELECT ${CUSTOMER_COLS}, c.created_at AS "createdAt", c.referrer_customer_id AS "referrerCustomerId"
     FROM customers c WHERE c.merchant_id = $1 AND c.id = $2`,
    [merchantId, customerId],
  );
  if (!c) fail("NOT_FOUND", "No such customer.", { customerId });
  return c;
}

/** Bindings now, and how they came about: orders that bound the customer and registrations or joins that did. */
async function bindings(q: Sql, merchantId: string, customerId: string) {
  const current = await q.query(
    `SELECT b.program_id AS "programId", b.promoter_id AS "promoterId", p.name AS "promoterName", b.source, b.bound_at AS "boundAt",
            b.expires_at AS "expiresAt"
     FROM bindings b LEFT JOIN promoters p ON p.id = b.promoter_id WHERE b.merchant_id = $1 AND b.customer_id = $2 ORDER BY b.program_id`,
    [merchantId, customerId],
  );
  const history = await q.query(
    `SELECT * FROM (
       SELECT o.program_id AS "programId", o.attribution->'bound'->>'promoterId' AS "promoterId", 'order' AS via, o.order_ref AS "orderRef",
              (o.attribution->'bound'->>'boundAt')::timestamptz AS "boundAt", (o.attribution->'bound'->>'expiresAt')::timestamptz AS "expiresAt"
       FROM orders o WHERE o.merchant_id = $1 AND o.customer_id = $2 AND jsonb_typeof(o.attribution->'bound') = 'object'
       UNION ALL
       SELECT a.details->'attribution'->>'programId', a.details->'attribution'->'bind'->>'promoterId',
              CASE a.action WHEN 'customer.register' THEN 'registration' ELSE 'community' END, NULL,
              (a.details->'attribution'->'bind'->>'boundAt')::timestamptz, (a.details->'attribution'->'bind'->>'expiresAt')::timestamptz
       FROM audit_log a WHERE a.merchant_id = $1 AND a.subject = $3 AND a.action IN ('customer.register', 'customer.community_join')
         AND jsonb_typeof(a.details->'attribution'->'bind') = 'object'
     ) h ORDER BY "boundAt" DESC LIMIT $4`,
    [merchantId, customerId, `customer:${customerId}`, CUSTOMER_HISTORY_MAX],
  );
  return { current, history };
}

async function ordersOf(q: Sql, merchantId: string, customerId: string) {
  const rows = await q.query<{ amountMinor: string | number; refundedMinor: string | number } & Record<string, unknown>>(
    `SELECT o.order_ref AS "orderRef", o.program_id AS "programId", o.status, o.channel, o.paid_at AS "paidAt", o.amount_minor AS "amountMinor",
            o.refunded_minor AS "refundedMinor", o.promoter_id AS "promoterId", o.attribution_path AS "attributionPath"
     FROM orders o WHERE o.merchant_id = $1 AND o.customer_id = $2 ORDER BY o.paid_at DESC, o.id DESC LIMIT $3`,
    [merchantId, customerId, CUSTOMER_ORDERS_MAX],
  );
  return rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor), refundedMinor: Number(r.refundedMinor) }));
}

/** Customers this one referred (customer-to-customer, P15) and the rewards the plan gave it for their orders. */
async function referrals(q: Sql, merchantId: string, c: CustomerRow) {
  const [n] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND referrer_customer_id = $2",
    [merchantId, c.id],
  );
  const rewards = await q.query<{ payload: { kind: string; valueMinor: number; orderId: string }; occurredAt: Date; orderRef: string }>(
    `SELECT e.payload, e.occurred_at AS "occurredAt", o.order_ref AS "orderRef" FROM order_events e
     JOIN orders o ON o.merchant_id = e.merchant_id AND o.id = e.order_id
     WHERE e.merchant_id = $1 AND e.type = 'customer_reward' AND e.payload->>'customerRef' = $2 ORDER BY e.occurred_at DESC LIMIT $3`,
    [merchantId, c.customerRef, CUSTOMER_HISTORY_MAX],
  );
  return {
    referredCustomers: n?.n ?? 0,
    rewards: rewards.map((r) => ({ kind: r.payload.kind, valueMinor: r.payload.valueMinor, orderRef: r.orderRef, at: r.occurredAt })),
  };
}

export async function customerDetail(q: Sql, merchantId: string, customerId: string) {
  const c = await customerRow(q, merchantId, customerId);
  const [referrer] = c.referrerCustomerId
    ? await q.query<{ id: string; customerRef: string }>(
        `SELECT id, customer_ref AS "customerRef" FROM customers WHERE merchant_id = $1 AND id = $2`,
        [merchantId, c.referrerCustomerId],
      )
    : [];
  const reveals = await q.query(
    `SELECT actor, created_at AS "at" FROM audit_log WHERE merchant_id = $1 AND subject = $2 AND action = 'customer.reveal'
     ORDER BY created_at DESC LIMIT $3`,
    [merchantId, `customer:${customerId}`, CUSTOMER_HISTORY_MAX],
  );
  return {
    id: c.id,
    customerRef: c.customerRef,
    phone: c.phone,
    name: c.name,
    registeredAt: c.registeredAt,
    createdAt: c.createdAt,
    referrer: referrer ?? null,
    bindings: await bindings(q, merchantId, c.id),
    orders: await ordersOf(q, merchantId, c.id),
    referrals: await referrals(q, merchantId, c),
    reveals,
  };
}

/** The full phone and name of one customer, opened; the view is an audit entry in the same transaction (no entry, no data). */
export async function revealCustomer(q: Sql, ring: KeyRing, merchantId: string, actor: string, customerId: string, at: Date) {
  const c = await customerRow(q, merchantId, customerId);
  const [s] = await q.query<{ phone_sealed: string | null; name_sealed: string | null }>(
    "SELECT phone_sealed, name_sealed FROM customers WHERE merchant_id = $1 AND id = $2",
    [merchantId, c.id],
  );
  await audit(q, merchantId, actor, "customer.reveal", `customer:${c.id}`, { fields: ["phone", "name"] }, at);
  return {
    id: c.id,
    customerRef: c.customerRef,
    phone: openCustomerField(ring, "phone", merchantId, c.customerRef, s?.phone_sealed ?? null),
    name: openCustomerField(ring, "name", merchantId, c.customerRef, s?.name_sealed ?? null),
    revealedAt: at,
  };
}
