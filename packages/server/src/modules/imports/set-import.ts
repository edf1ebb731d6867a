/**
 * The set-based import of paid orders: thousands of orders per transaction instead of the order API's sets of at
 * most 256. It is the speed boundary of the CSV import (service.ts) and buys ~two orders of magnitude on PostgreSQL
 * (docs/performance.md, "CSV import"): the per-set costs of the API ingest — a state read by keyed lookups made for
 * a few orders, a write of every row as JSON through a routine — are paid once per few thousand orders, and the
 * append-only rows go in with COPY.
 *
 * The decisions are the order API's own, not a copy of them: the chunk is attributed, evaluated and posted by the
 * ingest's `planSet` (orders/set-plan.ts: the attribution rules, the commission engine of core, the ledger accrual,
 * the domain events), over a `SetState` of the same shape that the ingest reads, only read here with statements
 * suited to thousands of keys (`= ANY(array)` over the unique indexes, one probe per customer where a customer has
 * many rows). Steps, in one transaction:
 *
 *   1. lock     the merchant's ledger head, before anything is read (the lock order of docs/ledger.md)
 *   2. read     the chunk's state (`readImportState`)
 *   3. plan     `planSet`: one result per order (an order already there is ORDER_EXISTS: skipped by the caller)
 *   4. write    the rows that merge with existing ones (customers, bindings, click links, period stats, balances,
 *               the head) through the ingest's own write routine; the append-only rows (orders, lines, order events,
 *               commission lines, ledger transactions and postings, the outbox) with COPY FROM STDIN on PostgreSQL.
 *               Embedded PGlite has no COPY FROM STDIN over the database interface: there every row goes through the
 *               ingest's write routine (`writeSet`), as the API writes it.
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db, Sql } from "../../db/client.ts";
import { newId } from "../../ids.ts";
import type { DomainEvent } from "../events/outbox.ts";
import { lockLedgerHead } from "../ledger/repository.ts";
import {
  INGEST_WRITE_CALL,
  ingestWriteParams,
  ledgerRows,
  loadPlans,
  planSet,
  type SetState,
  type SetWrites,
  statsFromYear,
  type UnitResult,
  writeSet,
} from "../orders/ingest.ts";
import { CUSTOMER_CLICKS_MAX, WRITE_COLUMNS, type WriteTable } from "../orders/routines.ts";
import type { PaidOrderBody } from "../orders/schema.ts";
import { PROGRAM_COLS } from "../programs/repository.ts";

/**
 * Orders per set (one transaction, one state read, one write) at most. A set holds the merchant's ledger head while it
 * is read, decided and written, so the merchant's live orders (POST /v1/orders, connectors) wait for one set at most:
 * the size bounds that wait. Embedded PGlite runs every unit of work under one lock, so there a set is as short as
 * one of the API's group commits.
 */
export const IMPORT_SET_ORDERS = { postgres: 2000, pglite: 256 } as const;

/** Import a chunk of paid orders as one set; one result per order, in order. */
export function importOrderSet(
  db: Db,
  ring: KeyRing,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  now: Date,
): Promise<UnitResult[]> {
  return db.tx(async (q) => {
    const head = await lockLedgerHead(q, merchantId);
    const st = await readImportState(q, merchantId, bodies, head);
    const { results, writes } = await planSet(ring, merchantId, bodies, st, now);
    if (q.copyFrom) await copyWrites(q, merchantId, now, head, writes);
    else await writeSet(q, merchantId, now, head, writes, "", []);
    return results;
  });
}

// ---- read: the ingest's SetState for thousands of orders

/** Customers of the chunk (and its referrers) by reference: one scan of the unique index over the whole array. */
const CUSTOMERS_SQL = `SELECT coalesce(json_agg(c), '[]') AS customers FROM (
  SELECT id, customer_ref, referrer_customer_id, phone_index, name_index FROM customers WHERE merchant_id = $1 AND customer_ref = ANY($2::text[])) c`;

/**
 * Everything else a set reads ($1 merchant, $2 order refs, $3 customer ids found, $4 promo codes, $5 click tokens,
 * $6 product ids, $7 lowest period key), as fenxiao_ingest_state (orders/routines.ts) returns it. A customer's last
 * clicks and whether the customer ordered before are one probe per customer (LATERAL … LIMIT: never a scan of the
 * merchant's orders); the rest are arrays matched on unique indexes.
 */
const STATE_SQL = `WITH prg AS (SELECT id FROM programs WHERE merchant_id = $1),
  coded AS (SELECT promoter_id FROM memberships WHERE merchant_id = $1 AND code = ANY($4::text[])),
  tok AS (SELECT id, token, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND token = ANY($5::text[])),
  cclk AS (SELECT k.* FROM unnest($3::text[]) AS c(id), LATERAL (
             SELECT id, token, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND customer_id = c.id
             ORDER BY clicked_at DESC, id LIMIT ${CUSTOMER_CLICKS_MAX}) k),
  bnd AS (SELECT program_id, customer_id, promoter_id, bound_at, expires_at FROM bindings
          WHERE merchant_id = $1 AND program_id = ANY(ARRAY(SELECT id FROM prg)) AND customer_id = ANY($3::text[])),
  wanted AS (SELECT promoter_id FROM coded UNION SELECT promoter_id FROM tok UNION SELECT promoter_id FROM cclk UNION SELECT promoter_id FROM bnd),
  mem AS (SELECT program_id, promoter_id, code, inviter_id, inviter2_id, rank, status, joined_at FROM memberships
          WHERE merchant_id = $1 AND program_id = ANY(ARRAY(SELECT id FROM prg)) AND promoter_id = ANY(ARRAY(SELECT promoter_id FROM wanted))),
  ups AS (SELECT program_id, inviter_id AS promoter_id FROM mem WHERE inviter_id IS NOT NULL
          UNION SELECT program_id, inviter2_id FROM mem WHERE inviter2_id IS NOT NULL),
  allmem AS (
    SELECT * FROM mem
    UNION
    SELECT m.program_id, m.promoter_id, m.code, m.inviter_id, m.inviter2_id, m.rank, m.status, m.joined_at FROM ups, LATERAL (
      SELECT * FROM memberships WHERE merchant_id = $1 AND program_id = ups.program_id AND promoter_id = ups.promoter_id OFFSET 0) m
  )
  SELECT json_build_object(
    'programs', (SELECT coalesce(json_agg(p ORDER BY p."createdAt"), '[]') FROM (SELECT ${PROGRAM_COLS} FROM programs WHERE merchant_id = $1) p),
    'existing', (SELECT coalesce(json_agg(order_ref), '[]') FROM orders WHERE merchant_id = $1 AND order_ref = ANY($2::text[])),
    'members', (SELECT coalesce(json_agg(allmem), '[]') FROM allmem),
    'token_clicks', (SELECT coalesce(json_agg(tok), '[]') FROM tok),
    'customer_clicks', (SELECT coalesce(json_agg(cclk ORDER BY cclk.clicked_at DESC, cclk.id), '[]') FROM cclk),
    'bindings', (SELECT coalesce(json_agg(bnd), '[]') FROM bnd),
    'prior', (SELECT coalesce(json_agg(c.id), '[]') FROM unnest($3::text[]) AS c(id), LATERAL (
                SELECT 1 FROM orders o WHERE o.merchant_id = $1 AND o.customer_id = c.id AND o.status IN ('paid', 'completed') LIMIT 1) x),
    'products', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'category_id', p.category_id)), '[]')
                 FROM products p WHERE p.merchant_id = $1 AND p.id = ANY($6::text[])),
    'plans', (SELECT coalesce(json_agg(v ORDER BY v.program_id, v.effective_from DESC, v.version DESC), '[]')
              FROM (SELECT program_id, version, effective_from FROM plan_versions WHERE merchant_id = $1 AND status = 'published') v),
    'closed', (SELECT coalesce(json_agg(json_build_object('program_id', program_id, 'period_key', period_key)), '[]') FROM period_closes WHERE merchant_id = $1),
    'stats', (SELECT coalesce(json_agg(json_build_object('program_id', s.program_id, 'promoter_id', s.promoter_id, 'period_key', s.period_key,
                                                         'net', s.sales_minor - s.refunded_minor)), '[]')
              FROM mem, LATERAL (SELECT program_id, promoter_id, period_key, sales_minor, refunded_minor FROM promoter_period_stats
                                 WHERE merchant_id = $1 AND program_id = mem.program_id AND promoter_id = mem.promoter_id
                                   AND period_key >= $7 OFFSET 0) s)
  ) AS state`;

/** The state planSet needs for `bodies`, read after the ledger head was locked (`head`). */
export async function readImportState(
  q: Sql,
  merchantId: string,
  bodies: readonly PaidOrderBody[],
  head: { seq: number; hash: string },
): Promise<SetState> {
  const customerRefs = [...new Set(bodies.flatMap((b) => [b.customer.ref, ...(b.referrerCustomerRef ? [b.referrerCustomerRef] : [])]))];
  const codes = [...new Set(bodies.flatMap((b) => (b.promoCode ? [b.promoCode.toUpperCase()] : [])))];
  const tokens = [...new Set(bodies.flatMap((b) => (b.clickToken ? [b.clickToken] : [])))];
  const productIds = [...new Set(bodies.flatMap((b) => b.lines.map((l) => l.productId)))];
  const [c] = await q.query<{ customers: SetState["customers"] }>(CUSTOMERS_SQL, [merchantId, customerRefs]);
  const customers = c?.customers ?? [];
  const [row] = await q.query<{ state: Omit<SetState, "head" | "keys" | "customers"> }>(STATE_SQL, [
    merchantId,
    bodies.map((b) => b.orderRef),
    customers.map((x) => x.id),
    codes,
    tokens,
    productIds,
    statsFromYear(bodies),
  ]);
  if (!row) throw new Error("import state returned nothing");
  const st: SetState = { ...row.state, head, keys: [], customers };
  await loadPlans(q, merchantId, st.plans);
  return st;
}

// ---- write: merged rows through the ingest's routine, append-only rows with COPY

/** The columns of the append-only tables beyond WRITE_COLUMNS, set once per set. */
function appendTables(merchantId: string, now: Date, w: SetWrites, ledger: ReturnType<typeof ledgerRows>) {
  const at = now.toISOString();
  const m = { merchant_id: merchantId };
  return [
    { table: "orders", from: "orders", constants: { ...m, created_at: at, status: "paid" }, rows: w.orders },
    { table: "order_lines", from: "lines", constants: m, rows: w.lines },
    { table: "order_events", from: "events", constants: { ...m, created_at: at }, rows: w.events },
    { table: "commission_lines", from: "commissions", constants: { ...m, created_at: at, state: "pending" }, rows: w.commissions },
    { table: "ledger_transactions", from: "txs", constants: { ...m, created_at: at }, rows: ledger.txs },
    { table: "ledger_postings", from: "postings", constants: m, rows: ledger.postings },
  ] as const satisfies readonly { table: string; from: WriteTable; constants: Record<string, string>; rows: readonly object[] }[];
}

async function copyWrites(q: Sql, merchantId: string, now: Date, head: { seq: number; hash: string }, w: SetWrites): Promise<void> {
  const copy = q.copyFrom as NonNullable<Sql["copyFrom"]>;
  const ledger = ledgerRows(head, w.ledger, now);
  await q.query(INGEST_WRITE_CALL, ingestWriteParams({ merchantId, now, head, writes: w, scope: "", keys: [] }, ledger, "merged-only"));
  for (const t of appendTables(merchantId, now, w, ledger)) {
    if (t.rows.length === 0) continue;
    const constNames = Object.keys(t.constants);
    const cols = WRITE_COLUMNS[t.from].map(([name]) => name);
    const prefix = Object.values(t.constants).map(copyText).join("\t");
    await copy(
      `COPY ${t.table} (${[...constNames, ...cols].join(", ")}) FROM STDIN`,
      copyLines(t.rows, (r) => `${prefix}\t${cols.map((c) => copyText((r as Record<string, unknown>)[c])).join("\t")}`),
    );
  }
  await copyOutbox(copy, merchantId, now, w.domainEvents);
}

/** The set's domain events into the outbox, in order (their `pos` follows the order of the rows). */
async function copyOutbox(copy: NonNullable<Sql["copyFrom"]>, merchantId: string, now: Date, events: readonly DomainEvent[]) {
  if (events.length === 0) return;
  const prefix = `${copyText(merchantId)}\t`;
  const at = copyText(now.toISOString());
  await copy(
    "COPY events (merchant_id, id, type, subject, data, occurred_at) FROM STDIN",
    copyLines(events, (e) => `${prefix}${newId("evt")}\t${copyText(e.type)}\t${copyText(e.subject)}\t${copyText(e.data)}\t${at}`),
  );
}

/** COPY's text format of one value: \N for null, JSON for objects, backslash escapes for the delimiters. */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  const s = v instanceof Date ? v.toISOString() : typeof v === "string" ? v : JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch] as string) : s;
}
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Rows as COPY input, in chunks of ~64 KiB (one write per chunk, not per row). */
function* copyLines<R>(rows: readonly R[], line: (r: R) => string): Generator<string> {
  let buf = "";
  for (const r of rows) {
    buf += `${line(r)}\n`;
    if (buf.length >= 65_536) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}
