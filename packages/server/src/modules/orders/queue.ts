/**
 * Group commit for paid orders: concurrent POST /v1/orders of one merchant are ingested as one set in one
 * transaction (orders/ingest.ts): their Idempotency-Keys are read with the set's state and stored, with the
 * responses, in the set's write. Responses go out only after the COMMIT. If the set's transaction fails as a whole,
 * each order is retried alone, so one bad order cannot fail the others.
 *
 * Fair between merchants: each merchant has a queue of its own (at most PAID_BACKLOG_MAX orders waiting; beyond it
 * an order is refused with 429 and nothing is written), one set of a merchant runs at a time (its ledger head
 * serialises them anyway), and the sets of different merchants take turns round-robin for the database's slots
 * (BATCH_LANES connections on PostgreSQL, the one connection of PGlite). While other merchants are sending orders,
 * a set holds at most PAID_SET_SHARED_MAX orders, so a merchant that floods ingest delays another by one short set at
 * most, not by its whole backlog (nor by the evaluation of a long set on the server's thread).
 *
 * Sets span merchants: when a slot frees while other merchants wait, the set it starts takes the waiting merchants'
 * orders too (each merchant's part as short as above), so that merchants share one transaction and one COMMIT
 * instead of one each — with eight merchants at eight requests at once each merchant has about one order waiting, and
 * sets of one merchant had no group commit at all. Each merchant's part still runs under its own ledger head, and the
 * parts run in merchant-id order, so the heads are always taken in that order and two sets never wait for each other
 * in a circle (docs/ledger.md, lock order). If such a set fails as a whole, each merchant's part is retried as a set
 * of its own (and then each order alone), so that one merchant's bad order never fails another merchant's orders.
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import { compareKeys } from "../../db/batch.ts";
import { BATCH_LANES, type Db, type Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { decideClaims, type HashedRequest, type StoredResponse } from "../idempotency/service.ts";
import { type KeyRow, planSet, readSetStates, type SetState, type SetWritePart, writeSets } from "./ingest.ts";
import { replayedPaidViews, storedPaidView } from "./replay.ts";
import { type PaidOrderBody, paidRequest } from "./schema.ts";

export const PAID_SCOPE = "POST /v1/orders";

interface Item {
  merchantId: string;
  /** The key ring that seals the customer's phone and name (the server's one: the same for every item). */
  ring: KeyRing;
  body: PaidOrderBody;
  key: string | null;
  /** When the order arrived: a set is ingested at its first order's time. */
  now: Date;
  /** The request as its key compares it, when already computed (embedded mode computes it on the server's thread). */
  hashed?: HashedRequest;
  resolve: (r: StoredResponse) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; response: StoredResponse } | { ok: false; error: unknown };

/** Paid orders per set at most (one state read and one write per set; bulk requests fill sets up to this). */
export const PAID_SET_MAX = 256;
/** Paid orders per set at most while other merchants are sending orders too (see PAID_SHARED_WINDOW_MS). */
export const PAID_SET_SHARED_MAX = 16;
/** Merchants in one set at most (each with its own part; see "Sets span merchants" above). */
export const PAID_SET_MERCHANTS_MAX = 16;
/** A merchant counts as sending orders for this long after its last one arrived. */
export const PAID_SHARED_WINDOW_MS = 250;
/** Paid orders waiting per merchant (in this process) at most; more are refused with 429 RATE_LIMITED. */
export const PAID_BACKLOG_MAX = 2_000;

/**
 * Embedded mode: when fewer orders are queued than half the last set held, wait up to this long for the rest of
 * that group (the clients just answered) before starting a set. A set costs ~1.5 ms however small it is (two calls,
 * a dozen tables and their indexes opened and locked) and ~0.5 ms per order, so at a steady load a group split by
 * chance into sets of 1 and 3 costs a whole set more; merged, it costs a wait of at most this. Only when no other
 * merchant's orders are waiting.
 */
export const PAID_GATHER_MS = 1;

interface MerchantQueue {
  id: string;
  items: Item[];
  running: boolean;
  queued: boolean;
  lastSet: number;
  lastSeenMs: number;
  arrived: (() => void) | null;
}

export class PaidOrderQueue {
  private readonly merchants = new Map<string, MerchantQueue>();
  /** Merchants with orders waiting and no set running, in turn order. */
  private readonly ready: MerchantQueue[] = [];
  private readonly slots: number;
  private running = 0;

  constructor(private readonly db: Db) {
    this.slots = db.kind === "postgres" ? BATCH_LANES : 1;
  }

  submit(
    ring: KeyRing,
    merchantId: string,
    body: PaidOrderBody,
    key: string | null,
    now: Date,
    hashed?: HashedRequest,
  ): Promise<StoredResponse> {
    let m = this.merchants.get(merchantId);
    if (!m) {
      m = { id: merchantId, items: [], running: false, queued: false, lastSet: 0, lastSeenMs: 0, arrived: null };
      this.merchants.set(merchantId, m);
    }
    if (m.items.length >= PAID_BACKLOG_MAX)
      return Promise.reject(
        new ApiError("RATE_LIMITED", `More than ${PAID_BACKLOG_MAX} of this merchant's orders are waiting to be ingested: retry later.`, {
          backlogMax: PAID_BACKLOG_MAX,
        }),
      );
    m.lastSeenMs = performance.now();
    const queue = m;
    return new Promise((resolve, reject) => {
      queue.items.push({ merchantId, ring, body, key, now, hashed, resolve, reject });
      queue.arrived?.();
      this.enqueue(queue);
      this.pump();
    });
  }

  private enqueue(m: MerchantQueue): void {
    if (m.running || m.queued || m.items.length === 0) return;
    m.queued = true;
    this.ready.push(m);
  }

  /** Start the next merchants' sets while a slot is free, in turn. */
  private pump(): void {
    while (this.running < this.slots && this.ready.length > 0) {
      const m = this.ready.shift() as MerchantQueue;
      m.queued = false;
      m.running = true;
      this.running++;
      const joined: MerchantQueue[] = [m];
      void this.runSet(m, joined).finally(() => {
        this.running--;
        for (const j of joined) this.finish(j);
        this.pump();
      });
    }
  }

  /** A merchant's part of a set is done: queue it again if more of its orders arrived, or forget it when idle. */
  private finish(m: MerchantQueue): void {
    m.running = false;
    if (m.items.length > 0) this.enqueue(m);
    else if (performance.now() - m.lastSeenMs > PAID_SHARED_WINDOW_MS) this.merchants.delete(m.id);
  }

  /**
   * Whether sets must stay short: another merchant sent orders within the shared window. A set's orders are also
   * evaluated on this thread in one go, so a long set delays every other request, not only the next set.
   */
  private shared(m: MerchantQueue): boolean {
    const t = performance.now();
    for (const o of this.merchants.values()) {
      if (o === m) continue;
      if (o.items.length > 0 || o.running || t - o.lastSeenMs < PAID_SHARED_WINDOW_MS) return true;
      this.merchants.delete(o.id); // idle: forget it
    }
    return false;
  }

  /** Embedded mode: wait (briefly) while the queue holds less than half the last set; see PAID_GATHER_MS. */
  private async gather(m: MerchantQueue): Promise<void> {
    if (this.db.kind !== "pglite" || this.ready.length > 0 || m.items.length * 2 >= m.lastSet) return;
    const until = performance.now() + PAID_GATHER_MS;
    while (m.items.length < m.lastSet && this.ready.length === 0) {
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          m.arrived = null;
          resolve();
        }, left);
        m.arrived = () => {
          clearTimeout(timer);
          m.arrived = null;
          resolve();
        };
      });
    }
  }

  /**
   * One set: the lead merchant's waiting orders and those of the merchants waiting for a slot meanwhile (added to
   * `joined`), in one transaction.
   */
  private async runSet(lead: MerchantQueue, joined: MerchantQueue[]): Promise<void> {
    // Let requests that already arrived reach the queue first: embedded PGlite runs its queries on this thread,
    // so without a turn of the event loop every set would hold a single order.
    await new Promise((r) => setImmediate(r));
    await this.gather(lead);
    joined.push(...this.takeWaiting(PAID_SET_MERCHANTS_MAX - 1));
    const parts: Part[] = [];
    for (const m of joined) {
      const items = m.items.splice(0, joined.length > 1 || this.shared(m) ? PAID_SET_SHARED_MAX : PAID_SET_MAX);
      if (items.length === 0) continue;
      m.lastSet = items.length;
      parts.push({ merchantId: m.id, items });
    }
    if (parts.length === 0) return;
    const outcomes = await ingestParts(this.db, parts);
    parts.forEach((p, k) => {
      p.items.forEach((it, i) => {
        const o = (outcomes[k] as Outcome[])[i] as Outcome;
        if (o.ok) it.resolve(o.response);
        else it.reject(o.error);
      });
    });
  }

  /** Up to `n` merchants waiting for a slot, in turn order, taken out of the turn to join the set being formed. */
  private takeWaiting(n: number): MerchantQueue[] {
    const taken = this.ready.splice(0, Math.max(0, n));
    for (const m of taken) {
      m.queued = false;
      m.running = true;
    }
    return taken;
  }
}

/** One merchant's orders in a set. */
interface Part {
  merchantId: string;
  items: readonly Item[];
}

/**
 * Ingest the parts of a set in one transaction, in merchant-id order (the order in which their ledger heads are
 * taken). If it fails as a whole, each part is retried in a transaction of its own, and a part that fails alone is
 * retried order by order, so that only the bad order fails. Outcomes are in the order of `parts`.
 */
async function ingestParts(db: Db, parts: readonly Part[]): Promise<Outcome[][]> {
  const order = parts.map((_, k) => k).sort((a, b) => compareKeys((parts[a] as Part).merchantId, (parts[b] as Part).merchantId));
  try {
    const inOrder = order.map((k) => parts[k] as Part);
    const sorted = await db.tx((q) =>
      processParts(
        q,
        inOrder,
        inOrder.map((p) => (p.items[0] as Item).now),
      ),
    );
    const outcomes: Outcome[][] = new Array(parts.length);
    order.forEach((k, i) => {
      outcomes[k] = sorted[i] as Outcome[];
    });
    return outcomes;
  } catch {
    if (parts.length === 1) return [await ingestOneByOne(db, (parts[0] as Part).items)];
    const outcomes: Outcome[][] = [];
    for (const p of parts) outcomes.push(...(await ingestParts(db, [p])));
    return outcomes;
  }
}

/** The set of one merchant failed as a whole: each order alone, so that only the bad one fails. */
async function ingestOneByOne(db: Db, items: readonly Item[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const it of items) {
    try {
      outcomes.push(...(await db.tx((q) => processSet(q, it.merchantId, [it], it.now))));
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** One merchant's set alone (the fallbacks of ingestParts). */
async function processSet(q: Sql, merchantId: string, items: readonly Item[], now: Date): Promise<Outcome[]> {
  const [outcomes] = await processParts(q, [{ merchantId, items }], [now]);
  return outcomes as Outcome[];
}

/**
 * The parts of a set, in the order given (merchant-id order): their states in one statement (which takes their ledger
 * heads in that order), each part decided and evaluated in memory, then their writes in one statement.
 */
async function processParts(q: Sql, parts: readonly Part[], nows: readonly Date[]): Promise<Outcome[][]> {
  const states = await readSetStates(
    q,
    parts.map((p) => ({ merchantId: p.merchantId, bodies: p.items.map((it) => it.body), scope: PAID_SCOPE, keys: keysOf(p.items) })),
  );
  const decided: { outcomes: Outcome[]; write: SetWritePart }[] = [];
  for (const [k, p] of parts.entries()) decided.push(await decidePart(q, p, states[k] as SetState, nows[k] as Date));
  await writeSets(
    q,
    decided.map((d) => d.write),
  );
  return decided.map((d) => d.outcomes);
}

function keysOf(items: readonly Item[]): string[] {
  return [...new Set(items.flatMap((it) => (it.key ? [it.key] : [])))];
}

/** One merchant's part: claim its keys, evaluate its fresh orders, answer its replays; what it will write. */
async function decidePart(q: Sql, part: Part, st: SetState, now: Date): Promise<{ outcomes: Outcome[]; write: SetWritePart }> {
  const { merchantId, items } = part;
  const { claims, hashes } = decideClaims(
    items.map((it) => {
      const h = it.key ? (it.hashed ?? paidRequest(it.ring, it.body)) : undefined;
      return { key: it.key, request: it.body, hash: h?.hash, alternates: h?.alternates };
    }),
    st.keys,
  );
  const fresh = items.flatMap((_it, i) => (claims[i]?.kind === "fresh" ? [i] : []));
  const { results, writes } = await planSet(
    (items[0] as Item).ring,
    merchantId,
    fresh.map((i) => (items[i] as Item).body),
    st,
    now,
  );
  const outcomes: Outcome[] = new Array(items.length);
  const stored: KeyRow[] = [];
  fresh.forEach((i, j) => {
    const r = results[j];
    const key = (items[i] as Item).key;
    if (r?.ok) {
      outcomes[i] = { ok: true, response: { statusCode: 201, body: r.view, replayed: false } };
      if (key) stored.push({ key, request_hash: hashes[i] as string, status_code: 201, response: storedPaidView(r.view) });
    } else outcomes[i] = { ok: false, error: r?.error };
  });
  const replays = claims.flatMap((c, i) => (c.kind === "replay" ? [{ i, response: c.response }] : []));
  const bodies = await replayedPaidViews(
    q,
    merchantId,
    replays.map((r) => r.response.body),
  );
  replays.forEach((r, k) => {
    outcomes[r.i] = { ok: true, response: { ...r.response, body: bodies[k] } };
  });
  items.forEach((_, i) => {
    const c = claims[i];
    if (c?.kind === "reused")
      outcomes[i] = { ok: false, error: new ApiError("IDEMPOTENCY_KEY_REUSED", undefined, { key: (items[i] as Item).key }) };
    else if (c?.kind === "same-as") {
      const o = outcomes[c.index] as Outcome;
      outcomes[i] = o.ok ? { ok: true, response: { ...o.response, replayed: true } } : o;
    }
  });
  return { outcomes, write: { merchantId, now, head: st.head, writes, scope: PAID_SCOPE, keys: stored } };
}
