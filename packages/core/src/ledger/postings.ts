import { createHash } from "node:crypto";

/** One leg of a ledger transaction. Positive amounts increase the account's balance. */
export interface Posting {
  account: string;
  amountMinor: number;
  currency: string;
}

export interface LedgerTxDraft {
  /** accrue | release | reverse | withdraw_lock | withdraw_pay | withdraw_fail | adjust | ... */
  kind: string;
  /** What caused it, e.g. "order:<id>:paid" or "commission:<id>:release". Unique per merchant: a cause posts once. */
  causeRef: string;
  memo: string;
  postings: Posting[];
}

/** Postings of every transaction sum to zero per currency; zero-amount legs are not allowed. Broken → throws. */
export function assertBalanced(tx: LedgerTxDraft): void {
  if (tx.postings.length < 2) throw new Error(`ledger tx ${tx.causeRef}: needs at least two postings`);
  const sums = new Map<string, number>();
  for (const p of tx.postings) {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor === 0) {
      throw new Error(`ledger tx ${tx.causeRef}: posting to ${p.account} must be a non-zero integer, got ${p.amountMinor}`);
    }
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amountMinor);
  }
  for (const [cur, s] of sums) {
    if (s !== 0) throw new Error(`ledger tx ${tx.causeRef}: postings in ${cur} sum to ${s}, not 0`);
  }
}

/** Move `amountMinor` from one account to another (one balanced transaction with two legs). */
export function transfer(
  kind: string,
  causeRef: string,
  memo: string,
  from: string,
  to: string,
  amountMinor: number,
  currency: string,
): LedgerTxDraft {
  const tx = {
    kind,
    causeRef,
    memo,
    postings: [
      { account: from, amountMinor: -amountMinor, currency },
      { account: to, amountMinor, currency },
    ],
  };
  assertBalanced(tx);
  return tx;
}

/** Merge several legs into one transaction, netting legs to the same account; drops legs that net to zero. */
export function compound(kind: string, causeRef: string, memo: string, legs: Posting[]): LedgerTxDraft | null {
  const net = new Map<string, Posting>();
  for (const l of legs) {
    const key = `${l.currency}|${l.account}`;
    const cur = net.get(key);
    if (cur) cur.amountMinor += l.amountMinor;
    else net.set(key, { ...l });
  }
  const postings = [...net.values()].filter((p) => p.amountMinor !== 0);
  if (postings.length === 0) return null;
  const tx = { kind, causeRef, memo, postings };
  assertBalanced(tx);
  return tx;
}

export const GENESIS_HASH = "0".repeat(64);

/** Content that the hash covers: everything that gives the transaction its meaning, in a fixed order. */
export interface HashedTx {
  seq: number;
  kind: string;
  causeRef: string;
  memo: string;
  createdAt: string;
  postings: Posting[];
}

/** sha256(prevHash | canonical content). Postings are hashed in the order stored. */
export function chainHash(prevHash: string, tx: HashedTx): string {
  const h = createHash("sha256");
  h.update(prevHash);
  h.update("\n");
  h.update(
    JSON.stringify([tx.seq, tx.kind, tx.causeRef, tx.memo, tx.createdAt, tx.postings.map((p) => [p.account, p.amountMinor, p.currency])]),
  );
  return h.digest("hex");
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/** Recompute a chain from its stored rows (in seq order), continuing from `start`. Returns every problem found; empty means intact. */
export function verifyChain(
  rows: readonly (HashedTx & { prevHash: string; hash: string })[],
  start: { hash: string; seq: number } = { hash: GENESIS_HASH, seq: 0 },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = start.hash;
  let expectSeq = start.seq + 1;
  for (const r of rows) {
    if (r.seq !== expectSeq) problems.push({ seq: r.seq, problem: `sequence gap: expected ${expectSeq}` });
    if (r.prevHash !== prev) problems.push({ seq: r.seq, problem: "prev_hash does not match the previous transaction" });
    const h = chainHash(r.prevHash, r);
    if (h !== r.hash) problems.push({ seq: r.seq, problem: "hash does not match content" });
    const sums = new Map<string, number>();
    for (const p of r.postings) sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amountMinor);
    for (const [cur, s] of sums) if (s !== 0) problems.push({ seq: r.seq, problem: `unbalanced in ${cur}: ${s}` });
    prev = r.hash;
    expectSeq = r.seq + 1;
  }
  return problems;
}
