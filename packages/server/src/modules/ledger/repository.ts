/**
 * Ledger persistence. Appends balanced transactions to the merchant's hash chain and keeps
 * account_balances equal to the sum of postings, in the caller's database transaction.
 * Rows are only ever inserted (the tables refuse UPDATE and DELETE).
 */
import { assertBalanced, chainHash, GENESIS_HASH, type LedgerTxDraft, type Posting, verifyChain } from "@fenxiao/core";
import { bulkInsert } from "../../db/bulk.ts";
import type { Db, Sql } from "../../db/client.ts";

/** Postings or balance rows per INSERT statement: a transaction of any size stays under PostgreSQL's parameter limit. */
export const LEDGER_ROWS_PER_STATEMENT = 5000;

export interface PostedTx {
  seq: number;
  hash: string;
}

/**
 * Take the merchant's ledger head lock (creating the head when missing) until the surrounding transaction ends. The
 * head is the first lock of every unit of work that changes a merchant's money (docs/ledger.md, "Lock order"): paid
 * order sets, refunds, cancellations, completions and releases take it before any period-stats row or commission
 * line, so two of them never wait on each other in a circle; period close takes it to mark its cut
 * (docs/operations.md, "Period close and order events").
 */
export async function lockLedgerHead(q: Sql, merchantId: string): Promise<PostedTx> {
  const select = "SELECT seq, hash FROM ledger_heads WHERE merchant_id = $1 FOR UPDATE";
  let [head] = await q.query<{ seq: number; hash: string }>(select, [merchantId]);
  if (!head) {
    await q.query("INSERT INTO ledger_heads (merchant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (merchant_id) DO NOTHING", [
      merchantId,
      GENESIS_HASH,
    ]);
    [head] = await q.query<{ seq: number; hash: string }>(select, [merchantId]);
  }
  if (!head) throw new Error(`ledger head missing for ${merchantId}`);
  return { seq: Number(head.seq), hash: head.hash };
}

/** Append one transaction. Takes the merchant's chain head lock (FOR UPDATE) until the surrounding transaction ends. */
export async function postTx(q: Sql, merchantId: string, draft: LedgerTxDraft, at: Date): Promise<PostedTx> {
  const [posted] = await postTxs(q, merchantId, [draft], at);
  if (!posted) throw new Error("postTxs returned nothing");
  return posted;
}

/**
 * Append transactions in order, as one set: the head is locked and moved once, transactions, postings and netted
 * balances are written with a few multi-row statements. Nulls (recipes with nothing to move) are skipped.
 */
export async function postTxs(q: Sql, merchantId: string, drafts: readonly (LedgerTxDraft | null)[], at: Date): Promise<PostedTx[]> {
  const txs = drafts.filter((d): d is LedgerTxDraft => d !== null);
  if (txs.length === 0) return [];
  const head = await lockLedgerHead(q, merchantId);
  const { posted, head: next } = chainTxs(head, txs, at);
  const createdAt = at.toISOString();
  await bulkInsert(
    q,
    "ledger_transactions",
    { merchant_id: merchantId, created_at: at, created_at_text: createdAt },
    [
      ["seq", "bigint", (p: ChainedTx) => p.seq],
      ["kind", "text", (p: ChainedTx) => p.draft.kind],
      ["cause_ref", "text", (p: ChainedTx) => p.draft.causeRef],
      ["memo", "text", (p: ChainedTx) => p.draft.memo],
      ["prev_hash", "text", (p: ChainedTx) => p.prevHash],
      ["hash", "text", (p: ChainedTx) => p.hash],
    ],
    posted,
  );
  type Leg = { seq: number; idx: number; posting: Posting };
  const legs: Leg[] = posted.flatMap((p) => p.draft.postings.map((posting, idx) => ({ seq: p.seq, idx, posting })));
  await bulkInsert(
    q,
    "ledger_postings",
    { merchant_id: merchantId },
    [
      ["tx_seq", "bigint", (l: Leg) => l.seq],
      ["idx", "int", (l: Leg) => l.idx],
      ["account", "text", (l: Leg) => l.posting.account],
      ["amount_minor", "bigint", (l: Leg) => l.posting.amountMinor],
      ["currency", "text", (l: Leg) => l.posting.currency],
    ],
    legs,
  );
  await applyBalances(
    q,
    merchantId,
    txs.flatMap((d) => d.postings),
  );
  await q.query("UPDATE ledger_heads SET seq = $2, hash = $3 WHERE merchant_id = $1", [merchantId, next.seq, next.hash]);
  return posted.map((p) => ({ seq: p.seq, hash: p.hash }));
}

export type ChainedTx = PostedTx & { draft: LedgerTxDraft; prevHash: string };

/** Number and hash transactions after `head`, in order (pure). Returns them and the new head. */
export function chainTxs(head: PostedTx, drafts: readonly LedgerTxDraft[], at: Date): { posted: ChainedTx[]; head: PostedTx } {
  const createdAt = at.toISOString();
  let seq = Number(head.seq);
  let prev = head.hash;
  const posted: ChainedTx[] = [];
  for (const d of drafts) {
    assertBalanced(d);
    seq += 1;
    const hash = chainHash(prev, { seq, kind: d.kind, causeRef: d.causeRef, memo: d.memo, createdAt, postings: d.postings });
    posted.push({ seq, hash, draft: d, prevHash: prev });
    prev = hash;
  }
  return { posted, head: { seq, hash: prev } };
}

/** Net postings per account and currency (so a multi-row upsert never touches one row twice), sorted for a stable lock order. */
export function netPostings(postings: readonly Posting[]): { account: string; currency: string; amount: number }[] {
  const net = new Map<string, { account: string; currency: string; amount: number }>();
  for (const p of postings) {
    const k = `${p.account}|${p.currency}`;
    const cur = net.get(k);
    if (cur) cur.amount += p.amountMinor;
    else net.set(k, { account: p.account, currency: p.currency, amount: p.amountMinor });
  }
  return [...net.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

async function applyBalances(q: Sql, merchantId: string, postings: readonly Posting[]): Promise<void> {
  const items = netPostings(postings);
  for (let i = 0; i < items.length; i += LEDGER_ROWS_PER_STATEMENT) {
    const params: unknown[] = [merchantId];
    const rows = items.slice(i, i + LEDGER_ROWS_PER_STATEMENT).map((it, j) => {
      params.push(it.account, it.currency, it.amount);
      const b = 2 + j * 3;
      return `($1, $${b}, $${b + 1}, $${b + 2}::bigint)`;
    });
    await q.query(
      `INSERT INTO account_balances (merchant_id, account, currency, balance_minor) VALUES ${rows.join(", ")}
       ON CONFLICT (merchant_id, account, currency) DO UPDATE SET balance_minor = account_balances.balance_minor + EXCLUDED.balance_minor`,
      params,
    );
  }
}

export interface VerifyReport {
  merchantId: string;
  transactions: number;
  chainProblems: { seq: number; problem: string }[];
  balanceProblems: { account: string; currency: string; stored: number; fromPostings: number }[];
  headProblem: string | null;
  ok: boolean;
}

/** Transactions per page of `verifyMerchantLedger`: each page is its own short unit of database work. */
export const VERIFY_PAGE = 2000;
/** Accounts per range when `verifyMerchantLedger` compares balances with their postings (one unit of work each). */
export const VERIFY_BALANCE_PAGE = 1000;

/**
 * Recompute the chain and every balance from the postings; report any difference. Safe beside live traffic: the head
 * read first bounds the chain (rows up to it never change: the ledger is append-only, and the head moves in the same
 * transaction as the rows it covers), each page is its own unit of work (on embedded PGlite, order ingest runs between
 * pages instead of waiting for the whole check), and balances are compared with their postings a range of accounts at a
 * time, each range in one statement, which sees one snapshot.
 */
export async function verifyMerchantLedger(db: Db, merchantId: string, balancePage = VERIFY_BALANCE_PAGE): Promise<VerifyReport> {
  const chainProblems: VerifyReport["chainProblems"] = [];
  const [head] = await db.read((q) =>
    q.query<{ seq: number; hash: string }>("SELECT seq, hash FROM ledger_heads WHERE merchant_id = $1", [merchantId]),
  );
  const headSeq = head ? Number(head.seq) : 0;
  let after = 0;
  let count = 0;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  for (;;) {
    const page = await db.read(async (q) => {
      const txs = await q.query<{
        seq: number;
        kind: string;
        cause_ref: string;
        memo: string;
        created_at_text: string;
        prev_hash: string;
        hash: string;
      }>(
        `SELECT seq, kind, cause_ref, memo, created_at_text, prev_hash, hash FROM ledger_transactions
         WHERE merchant_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT ${VERIFY_PAGE}`,
        [merchantId, after, headSeq],
      );
      if (txs.length === 0) return null;
      const last = Number((txs[txs.length - 1] as { seq: number }).seq);
      const posts = await q.query<{ tx_seq: number; account: string; amount_minor: number; currency: string }>(
        `SELECT tx_seq, account, amount_minor, currency FROM ledger_postings
         WHERE merchant_id = $1 AND tx_seq > $2 AND tx_seq <= $3 ORDER BY tx_seq, idx`,
        [merchantId, after, last],
      );
      return { txs, posts, last };
    });
    if (!page) break;
    const bySeq = new Map<number, Posting[]>();
    for (const p of page.posts) {
      const s = Number(p.tx_seq);
      const arr = bySeq.get(s) ?? [];
      bySeq.set(s, arr);
      arr.push({ account: p.account, amountMinor: Number(p.amount_minor), currency: p.currency });
    }
    const rows = page.txs.map((t) => ({
      seq: Number(t.seq),
      kind: t.kind,
      causeRef: t.cause_ref,
      memo: t.memo,
      createdAt: t.created_at_text,
      postings: bySeq.get(Number(t.seq)) ?? [],
      prevHash: t.prev_hash,
      hash: t.hash,
    }));
    chainProblems.push(...verifyChain(rows, { hash: prevHash, seq: prevSeq }));
    const lastRow = rows[rows.length - 1] as (typeof rows)[number];
    prevHash = lastRow.hash;
    prevSeq = lastRow.seq;
    after = page.last;
    count += rows.length;
  }
  let headProblem: string | null = null;
  if (head && (headSeq !== prevSeq || head.hash !== prevHash)) headProblem = `head is at ${head.seq}, chain ends at ${prevSeq}`;
  // Rows the head does not cover (never written by the server: the head moves with its rows): head and last row read
  // in one statement, so a transaction committed meanwhile moves both.
  const [now] = await db.read((q) =>
    q.query<{ head: number | null; last: number | null }>(
      `SELECT (SELECT seq FROM ledger_heads WHERE merchant_id = $1) AS head,
              (SELECT max(seq) FROM ledger_transactions WHERE merchant_id = $1) AS last`,
      [merchantId],
    ),
  );
  if (!head && now?.last != null) headProblem = "head missing";
  else if (headProblem === null && now?.last != null && Number(now.last) > Number(now.head ?? 0))
    headProblem = `transactions up to ${now.last} lie beyond the head at ${now.head}`;

  const balanceProblems: VerifyReport["balanceProblems"] = [];
  // Balances against their postings, a range of accounts at a time (each range its own unit of work, one statement:
  // an account's stored balance and its postings are read in one snapshot, and move together in every transaction).
  let from: string | null = null;
  for (;;) {
    const range = await db.read(async (q) => {
      // The range ends at the balancePage-th account after `from`; the last range is open-ended, so that postings of
      // accounts without a balance row are compared too.
      const [edge] = await q.query<{ upto: string | null; more: boolean }>(
        `WITH r AS (SELECT max(account) AS upto FROM (SELECT account FROM account_balances
                      WHERE merchant_id = $1 AND ($2::text IS NULL OR account > $2) ORDER BY account LIMIT $3) a)
         SELECT r.upto, EXISTS (SELECT 1 FROM account_balances WHERE merchant_id = $1 AND account > r.upto) AS more FROM r`,
        [merchantId, from, balancePage],
      );
      const to = edge?.more ? (edge.upto ?? null) : null;
      const rows = await q.query<{ account: string; currency: string; stored: number | null; computed: number | null }>(
        `SELECT coalesce(b.account, p.account) AS account, coalesce(b.currency, p.currency) AS currency,
              b.balance_minor AS stored, p.total AS computed
       FROM (SELECT account, currency, balance_minor FROM account_balances
             WHERE merchant_id = $1 AND ($2::text IS NULL OR account > $2) AND ($3::text IS NULL OR account <= $3)) b
       FULL OUTER JOIN (SELECT account, currency, sum(amount_minor)::bigint AS total FROM ledger_postings
             WHERE merchant_id = $1 AND ($2::text IS NULL OR account > $2) AND ($3::text IS NULL OR account <= $3)
             GROUP BY account, currency) p
         ON b.account = p.account AND b.currency = p.currency
       WHERE b.balance_minor IS DISTINCT FROM p.total`,
        [merchantId, from, to],
      );
      return { rows, to };
    });
    for (const r of range.rows)
      balanceProblems.push({
        account: r.account,
        currency: r.currency,
        stored: Number(r.stored ?? 0),
        fromPostings: Number(r.computed ?? 0),
      });
    if (range.to === null) break;
    from = range.to;
  }
  const realBalanceProblems = balanceProblems.filter((b) => b.stored !== b.fromPostings);
  return {
    merchantId,
    transactions: count,
    chainProblems,
    balanceProblems: realBalanceProblems,
    headProblem,
    ok: chainProblems.length === 0 && realBalanceProblems.length === 0 && headProblem === null,
  };
}
