/**
 * A promoter's monthly statement (对账单) from the merchant's ledger (pure: rows in, figures out). docs/payouts.md,
 * "Statements".
 *
 * The statement follows the promoter's **balance owed**: pending + available + held + locked with this merchant, what
 * the merchant still owes the promoter. Money comes in as earnings (accruals) and leaves as reversals, withdrawals paid
 * (promoter:<id>:paid), tax withheld (promoter:<id>:tax) and fees. Moves between the owed buckets (release,
 * withdraw_lock, withdraw_release) are lines with no change. By construction, for every month and currency:
 *
 *   closing = opening + earnings − reversals + adjustments − withdrawals − tax − fees
 *
 * where, for each ledger transaction touching the promoter, with `owed`, `paid`, `tax` the sums of its legs on those
 * accounts and `external = owed + paid + tax` (what crossed the promoter's boundary):
 *   withdrawals += paid; tax += tax;
 *   kind withdraw_*  → fees        −= external   (withdraw_withhold takes the fee; withdraw_fail returns it)
 *   kind accrue      → earnings    += external   (by source: order, period, event, other — the causeRef's first part)
 *   kind reverse     → reversals   −= external
 *   any other kind   → adjustments += external
 */
import { parseAccount } from "@fenxiao/core";

export const OWED_BUCKETS = ["pending", "available", "held", "locked"] as const;
export const BUCKETS = [...OWED_BUCKETS, "paid", "tax"] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Buckets = Record<Bucket, number>;

export type LineCategory = "earning" | "reversal" | "withdrawal" | "adjustment" | "internal";
export type EarningSource = "order" | "period" | "event" | "other";

/** One posting of a transaction on one of the promoter's accounts, with its transaction. */
export interface PostingRow {
  seq: number;
  kind: string;
  causeRef: string;
  memo: string;
  createdAt: Date;
  account: string;
  currency: string;
  amountMinor: number;
}

export interface StatementLine {
  seq: number;
  at: string;
  date: string;
  kind: string;
  causeRef: string;
  memo: string;
  category: LineCategory;
  /** Change of the balance owed (pending + available + held + locked). */
  changeMinor: number;
  earningMinor: number;
  reversalMinor: number;
  adjustmentMinor: number;
  withdrawalMinor: number;
  taxMinor: number;
  feeMinor: number;
  /** Balance owed after this line. */
  balanceMinor: number;
  /** Change of each bucket (zero ones left out). */
  moves: Partial<Buckets>;
}

export interface Figures {
  openingMinor: number;
  earningsMinor: number;
  earningsBySource: Record<EarningSource, number>;
  reversalsMinor: number;
  adjustmentsMinor: number;
  withdrawalsMinor: number;
  taxMinor: number;
  feesMinor: number;
  closingMinor: number;
}

export interface PromoterStatement extends Figures {
  promoterId: string;
  currency: string;
  opening: Buckets;
  closing: Buckets;
  lines: StatementLine[];
}

export function zeroBuckets(): Buckets {
  return { pending: 0, available: 0, held: 0, locked: 0, paid: 0, tax: 0 };
}

export function owedOf(b: Buckets): number {
  return b.pending + b.available + b.held + b.locked;
}

export function earningSource(causeRef: string): EarningSource {
  const head = causeRef.split(":")[0];
  return head === "order" || head === "period" || head === "event" ? head : "other";
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const dayCache = new Map<string, Map<number, string>>();
/** Every zone's offset is a multiple of 15 minutes: instants in one quarter hour share their calendar date. */
const QUARTER_HOUR_MS = 900_000;
/** The calendar date of an instant in a time zone, "YYYY-MM-DD" (cached per quarter hour: statements ask a lot). */
export function localDate(at: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  let cache = dayCache.get(timeZone);
  if (!f || !cache) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, f);
    cache = new Map();
    dayCache.set(timeZone, cache);
  }
  const k = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  let d = cache.get(k);
  if (d === undefined) {
    d = f.format(at);
    if (cache.size > 100_000) cache.clear();
    cache.set(k, d);
  }
  return d;
}

interface TxLegs {
  first: PostingRow;
  moves: Buckets;
}

/** Group the rows of one promoter and currency by transaction, in ledger order. */
function byTransaction(rows: readonly PostingRow[]): TxLegs[] {
  const txs = new Map<number, TxLegs>();
  for (const r of rows) {
    const bucket = parseAccount(r.account).type as Bucket;
    if (!(BUCKETS as readonly string[]).includes(bucket)) continue;
    let t = txs.get(r.seq);
    if (!t) {
      t = { first: r, moves: zeroBuckets() };
      txs.set(r.seq, t);
    }
    t.moves[bucket] += r.amountMinor;
  }
  return [...txs.values()].sort((a, b) => a.first.seq - b.first.seq);
}

/** Classify one transaction's effect on the promoter (see the module comment). */
export function classify(kind: string, m: Buckets) {
  const owed = owedOf(m);
  const external = owed + m.paid + m.tax;
  const out = { earning: 0, reversal: 0, adjustment: 0, fee: 0, withdrawal: m.paid, tax: m.tax, owed };
  if (kind.startsWith("withdraw_")) out.fee = -external;
  else if (kind === "accrue") out.earning = external;
  else if (kind === "reverse") out.reversal = -external;
  else out.adjustment = external;
  const category: LineCategory =
    out.earning !== 0
      ? "earning"
      : out.reversal !== 0
        ? "reversal"
        : out.withdrawal !== 0 || out.tax !== 0 || out.fee !== 0
          ? "withdrawal"
          : out.adjustment !== 0
            ? "adjustment"
            : "internal";
  return { ...out, category };
}

/** The statement of one promoter in one currency: opening buckets and the month's posting rows (any order). */
export function buildStatement(
  promoterId: string,
  currency: string,
  opening: Buckets,
  rows: readonly PostingRow[],
  timeZone: string,
): PromoterStatement {
  const closing = { ...opening };
  const f: Figures = {
    openingMinor: owedOf(opening),
    earningsMinor: 0,
    earningsBySource: { order: 0, period: 0, event: 0, other: 0 },
    reversalsMinor: 0,
    adjustmentsMinor: 0,
    withdrawalsMinor: 0,
    taxMinor: 0,
    feesMinor: 0,
    closingMinor: 0,
  };
  const lines: StatementLine[] = [];
  let balance = f.openingMinor;
  for (const t of byTransaction(rows)) {
    const c = classify(t.first.kind, t.moves);
    for (const b of BUCKETS) closing[b] += t.moves[b];
    balance += c.owed;
    f.earningsMinor += c.earning;
    f.earningsBySource[earningSource(t.first.causeRef)] += c.earning;
    f.reversalsMinor += c.reversal;
    f.adjustmentsMinor += c.adjustment;
    f.withdrawalsMinor += c.withdrawal;
    f.taxMinor += c.tax;
    f.feesMinor += c.fee;
    lines.push({
      seq: t.first.seq,
      at: t.first.createdAt.toISOString(),
      date: localDate(t.first.createdAt, timeZone),
      kind: t.first.kind,
      causeRef: t.first.causeRef,
      memo: t.first.memo,
      category: c.category,
      changeMinor: c.owed,
      earningMinor: c.earning,
      reversalMinor: c.reversal,
      adjustmentMinor: c.adjustment,
      withdrawalMinor: c.withdrawal,
      taxMinor: c.tax,
      feeMinor: c.fee,
      balanceMinor: balance,
      moves: Object.fromEntries(BUCKETS.filter((b) => t.moves[b] !== 0).map((b) => [b, t.moves[b]])),
    });
  }
  f.closingMinor = owedOf(closing);
  if (balance !== f.closingMinor) throw new Error(`statement of ${promoterId}: running balance ${balance} ≠ closing ${f.closingMinor}`);
  return { promoterId, currency, ...f, opening, closing, lines };
}

/** opening + earnings − reversals + adjustments − withdrawals − tax − fees (equals closingMinor for every statement). */
export function closingFromFigures(f: Figures): number {
  return f.openingMinor + f.earningsMinor - f.reversalsMinor + f.adjustmentsMinor - f.withdrawalsMinor - f.taxMinor - f.feesMinor;
}
