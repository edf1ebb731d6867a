/**
 * Group commit for paid orders: concurrent POST /v1/orders of one merchant are ingested as one set in one
 * transaction (orders/ingest.ts): their Idempotency-Keys are read with the set's state and stored, with the
 * responses, in the set's write. Responses go out only
 * after the COMMIT. If the set's transaction fails as a whole, each order is retried alone, so one bad order
 * cannot fail the others.
 */
import { BATCH_LANES, type Db, type Sql } from "../../db/client.ts";
import { ApiError } from "../../http/errors.ts";
import { decideClaims, type StoredResponse } from "../idempotency/service.ts";
import { type KeyRow, planSet, readSetState, writeSet } from "./ingest.ts";
import { replayedPaidViews, storedPaidView } from "./replay.ts";
import type { PaidOrderBody } from "./schema.ts";

export const PAID_SCOPE = "POST /v1/orders";

interface Item {
  merchantId: string;
  body: PaidOrderBody;
  key: string | null;
  /** When the order arrived: a set is ingested at its first order's time. */
  now: Date;
  /** The request's hash for its key, when already computed (embedded mode computes it on the server's thread). */
  hash?: string;
  resolve: (r: StoredResponse) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; response: StoredResponse } | { ok: false; error: unknown };

/** Paid orders per set at most (one state read and one write per set; bulk requests fill sets up to this). */
export const PAID_SET_MAX = 256;

/**
 * Embedded mode: when fewer orders are queued than half the last set held, wait up to this long for the rest of
 * that group (the clients just answered) before starting a set. A set costs ~1.5 ms however small it is (two calls,
 * a dozen tables and their indexes opened and locked) and ~0.5 ms per order, so at a steady load a group split by
 * chance into sets of 1 and 3 costs a whole set more; merged, it costs a wait of at most this.
 */
export const PAID_GATHER_MS = 1;

type Lane = { items: Item[]; running: boolean; lastSet: number; arrived: (() => void) | null };

export class PaidOrderQueue {
  private readonly lanes: Lane[];

  constructor(private readonly db: Db) {
    this.lanes = Array.from({ length: db.kind === "postgres" ? BATCH_LANES : 1 }, () => ({
      items: [],
      running: false,
      lastSet: 0,
      arrived: null,
    }));
  }

  submit(merchantId: string, body: PaidOrderBody, key: string | null, now: Date, hash?: string): Promise<StoredResponse> {
    let h = 2166136261;
    for (let i = 0; i < merchantId.length; i++) h = Math.imul(h ^ merchantId.charCodeAt(i), 16777619);
    const lane = this.lanes[(h >>> 0) % this.lanes.length] as Lane;
    return new Promise((resolve, reject) => {
      lane.items.push({ merchantId, body, key, now, hash, resolve, reject });
      lane.arrived?.();
      if (!lane.running) void this.drain(lane);
    });
  }

  /** Embedded mode: wait (briefly) while the queue holds less than half the last set; see PAID_GATHER_MS. */
  private async gather(lane: Lane): Promise<void> {
    if (this.db.kind !== "pglite" || lane.items.length * 2 >= lane.lastSet) return;
    const until = performance.now() + PAID_GATHER_MS;
    while (lane.items.length < lane.lastSet) {
      const left = until - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          lane.arrived = null;
          resolve();
        }, left);
        lane.arrived = () => {
          clearTimeout(timer);
          lane.arrived = null;
          resolve();
        };
      });
    }
  }

  private async drain(lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.items.length > 0) {
        // Let requests that already arrived reach the queue first: embedded PGlite runs its queries on this thread,
        // so without a turn of the event loop every set would hold a single order.
        await new Promise((r) => setImmediate(r));
        await this.gather(lane);
        const first = lane.items[0] as Item;
        // One merchant per set: take that merchant's queued items (up to the batch size), keep the others queued in order.
        const batch: Item[] = [];
        const rest: Item[] = [];
        for (const it of lane.items) (it.merchantId === first.merchantId && batch.length < PAID_SET_MAX ? batch : rest).push(it);
        lane.items = rest;
        lane.lastSet = batch.length;
        let outcomes: Outcome[];
        try {
          outcomes = await this.db.tx((q) => processSet(q, first.merchantId, batch, first.now));
        } catch {
          // The set failed as a whole: retry each order alone so that only the bad one fails.
          outcomes = [];
          for (const it of batch) {
            try {
              outcomes.push(...(await this.db.tx((q) => processSet(q, it.merchantId, [it], it.now))));
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        }
        batch.forEach((it, i) => {
          const o = outcomes[i] as Outcome;
          if (o.ok) it.resolve(o.response);
          else it.reject(o.error);
        });
      }
    } finally {
      lane.running = false;
    }
  }
}

async function processSet(q: Sql, merchantId: string, items: readonly Item[], now: Date): Promise<Outcome[]> {
  const keys = [...new Set(items.flatMap((it) => (it.key ? [it.key] : [])))];
  const st = await readSetState(
    q,
    merchantId,
    items.map((it) => it.body),
    PAID_SCOPE,
    keys,
  );
  const { claims, hashes } = decideClaims(
    items.map((it) => ({ key: it.key, request: it.body, hash: it.hash })),
    st.keys,
  );
  const fresh = items.flatMap((_it, i) => (claims[i]?.kind === "fresh" ? [i] : []));
  const { results, writes } = await planSet(
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
  await writeSet(q, merchantId, now, st.head, writes, PAID_SCOPE, stored);
  return outcomes;
}
