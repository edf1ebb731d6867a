/**
 * Step 5 of paid-order ingest (ingest.ts): write everything a set produced — customers, bindings, orders, lines, events,
 * period stats, commission lines, the ledger append and the idempotency keys — with one call of `fenxiao_ingest_write`
 * (routines.ts).
 */
import type { LedgerTxDraft } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { type DomainEvent, eventsInsert } from "../events/outbox.ts";
import { chainTxs, netPostings } from "../ledger/repository.ts";
import { rowsJson } from "./routines.ts";

/** Everything a set produced, as rows keyed by column name, for fenxiao_ingest_write. */
export interface SetWrites {
  customers: Record<string, unknown>[];
  bindings: Record<string, unknown>[];
  clickLinks: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  lines: Record<string, unknown>[];
  events: Record<string, unknown>[];
  stats: Record<string, unknown>[];
  commissions: Record<string, unknown>[];
  ledger: LedgerTxDraft[];
  /** Order attributed, commission created, customer rewarded: to the outbox with one insert, in the set's transaction. */
  domainEvents: DomainEvent[];
}

/** A stored idempotency key with the response it returns. */
export interface KeyRow {
  key: string;
  request_hash: string;
  status_code: number;
  response: unknown;
}

/** One merchant's part of a set's write: what it produced, after which head, and the keys it stores. */
export interface SetWritePart {
  merchantId: string;
  now: Date;
  head: { seq: number; hash: string };
  writes: SetWrites;
  scope: string;
  keys: readonly KeyRow[];
}

/** Write everything a set produced, append its ledger transactions after `head`, and store its idempotency keys: one call. */
export async function writeSet(
  q: Sql,
  merchantId: string,
  now: Date,
  head: { seq: number; hash: string },
  w: SetWrites,
  scope: string,
  keys: readonly KeyRow[],
): Promise<void> {
  await writeSets(q, [{ merchantId, now, head, writes: w, scope, keys }]);
}

/** Parameters of fenxiao_ingest_write per part. */
const WRITE_PARAMS = 17;

/**
 * The writes of several merchants' parts of one set in one statement: the parts' calls one after another (rows of a
 * VALUES list, in the order given) and, in the same statement, their domain events (a data-modifying WITH) — one round
 * trip for the whole write.
 */
export async function writeSets(q: Sql, parts: readonly SetWritePart[]): Promise<void> {
  if (parts.length === 0) return;
  const call = (k: number) =>
    `fenxiao_ingest_write(${Array.from({ length: WRITE_PARAMS }, (_, i) => `$${k * WRITE_PARAMS + i + 1}`).join(", ")})`;
  const events = eventsInsert(
    parts.map((p) => ({ merchantId: p.merchantId, events: p.writes.domainEvents, at: p.now })),
    parts.length * WRITE_PARAMS + 1,
  );
  const withEvents = events.text ? `WITH emitted AS (${events.text}) ` : "";
  const text =
    parts.length === 1 && !withEvents
      ? `SELECT ${call(0)}`
      : `${withEvents}SELECT s.n FROM (VALUES ${parts.map((_, k) => `(${k}, ${call(k)})`).join(", ")}) AS s(n, done) ORDER BY s.n`;
  await q.query(text, [...parts.flatMap(writeParams), ...events.params]);
}

/** A set's ledger append as rows: its transactions chained after `head` (hash chain), their postings, the netted balances. */
export function ledgerRows(head: { seq: number; hash: string }, ledger: readonly LedgerTxDraft[], now: Date) {
  const { posted, head: next } = chainTxs(head, ledger, now);
  const createdAt = now.toISOString();
  const txs = posted.map((x) => ({
    created_at_text: createdAt,
    seq: x.seq,
    kind: x.draft.kind,
    cause_ref: x.draft.causeRef,
    memo: x.draft.memo,
    prev_hash: x.prevHash,
    hash: x.hash,
  }));
  const postings = posted.flatMap((x) =>
    x.draft.postings.map((y, idx) => ({ tx_seq: x.seq, idx, account: y.account, amount_minor: y.amountMinor, currency: y.currency })),
  );
  const balances = netPostings(ledger.flatMap((d) => d.postings)).map((b) => ({
    account: b.account,
    currency: b.currency,
    balance_minor: b.amount,
  }));
  return { txs, postings, balances, next: posted.length ? next : null };
}

function writeParams(p: SetWritePart): unknown[] {
  return ingestWriteParams(p, ledgerRows(p.head, p.writes.ledger, p.now), "all");
}

/** The rows that only ever get appended (orders, lines, events, commission lines, ledger transactions and postings). */
type AppendOnly = "orders" | "lines" | "events" | "commissions" | "txs" | "postings";

/**
 * fenxiao_ingest_write's parameters for one part, its ledger as rows (ledgerRows). `merged-only` leaves the append-only
 * rows out (a caller that appends them itself, with COPY: imports/set-import.ts) and writes the rest — customers,
 * bindings, click links, period stats, balances, the ledger head — as the routine merges them.
 */
export function ingestWriteParams(p: SetWritePart, ledger: ReturnType<typeof ledgerRows>, rows: "all" | "merged-only"): unknown[] {
  const w = p.writes;
  const append = (table: AppendOnly, r: readonly object[]) => rowsJson(table, rows === "all" ? r : []);
  return [
    p.merchantId,
    p.now.toISOString(),
    p.scope,
    ledger.next?.seq ?? null,
    ledger.next?.hash ?? null,
    rowsJson("customers", w.customers),
    rowsJson("bindings", w.bindings),
    rowsJson("clickLinks", w.clickLinks),
    append("orders", w.orders),
    append("lines", w.lines),
    append("events", w.events),
    rowsJson("stats", w.stats),
    append("commissions", w.commissions),
    append("txs", ledger.txs),
    append("postings", ledger.postings),
    rowsJson("balances", ledger.balances),
    rowsJson("keys", p.keys),
  ];
}

/** One part's fenxiao_ingest_write call on its own. */
export const INGEST_WRITE_CALL = `SELECT fenxiao_ingest_write(${Array.from({ length: WRITE_PARAMS }, (_, i) => `$${i + 1}`).join(", ")})`;
