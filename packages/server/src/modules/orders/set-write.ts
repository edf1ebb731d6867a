/**
 * Step 5 of paid-order ingest (ingest.ts): write everything a set produced — customers, bindings, orders, lines, events,
 * period stats, commission lines, the ledger append and the idempotency keys — with one call of `fenxiao_ingest_write`
 * (routines.ts).
 */
import type { LedgerTxDraft } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import { type DomainEvent, emitEvents } from "../events/outbox.ts";
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

/** A set's ledger append as rows: its transactions chained after `head` (hash chain), their postings, the netted balances. */
export function ledgerRows(head: { seq: number; hash: string }, ledger: readonly LedgerTxDraft[], now: Date) {
  const { posted, head: next } = chainTxs(head, ledger, now);
  const createdAt = now.toISOString();
  const txs = posted.map((p) => ({
    created_at_text: createdAt,
    seq: p.seq,
    kind: p.draft.kind,
    cause_ref: p.draft.causeRef,
    memo: p.draft.memo,
    prev_hash: p.prevHash,
    hash: p.hash,
  }));
  const postings = posted.flatMap((p) =>
    p.draft.postings.map((x, idx) => ({ tx_seq: p.seq, idx, account: x.account, amount_minor: x.amountMinor, currency: x.currency })),
  );
  const balances = netPostings(ledger.flatMap((d) => d.postings)).map((b) => ({
    account: b.account,
    currency: b.currency,
    balance_minor: b.amount,
  }));
  return { txs, postings, balances, next: posted.length ? next : null };
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
  const { txs, postings, balances, next } = ledgerRows(head, w.ledger, now);
  await q.query("SELECT fenxiao_ingest_write($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)", [
    merchantId,
    now.toISOString(),
    scope,
    next?.seq ?? null,
    next?.hash ?? null,
    rowsJson("customers", w.customers),
    rowsJson("bindings", w.bindings),
    rowsJson("clickLinks", w.clickLinks),
    rowsJson("orders", w.orders),
    rowsJson("lines", w.lines),
    rowsJson("events", w.events),
    rowsJson("stats", w.stats),
    rowsJson("commissions", w.commissions),
    rowsJson("txs", txs),
    rowsJson("postings", postings),
    rowsJson("balances", balances),
    rowsJson("keys", keys),
  ]);
  await emitEvents(q, merchantId, w.domainEvents, now);
}
