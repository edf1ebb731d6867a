/**
 * The units of work of order ingest, registered with the database layer (db/units.ts) under their names: they run on
 * the database's thread (embedded PGlite's own thread loads this module, see src/db-units.ts), and are what the
 * routes call. Paid orders go through one group-commit queue per database (queue.ts); refunds, completions and
 * cancellations through the merchant's batch lane (events.ts).
 */
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Db } from "../../db/client.ts";
import { registerUnit } from "../../db/units.ts";
import type { HashedRequest, StoredResponse } from "../idempotency/service.ts";
import { type OrderEvent, runOrderEventHere } from "./events.ts";
import { PaidOrderQueue } from "./queue.ts";
import "./routines.ts";
import { type PaidOrderBody, paidRequest } from "./schema.ts";

/** This module, for the database thread to load (db/pglite-thread.ts `unitModules`). */
export const ORDER_UNITS_MODULE = import.meta.url;

export const PAID_ORDER_UNIT = "orders.paid";
export const ORDER_EVENT_UNIT = "orders.event";

interface PaidInput {
  /** The server's key ring (copied to the database's thread with each order: a few dozen bytes). */
  ring: KeyRing;
  merchantId: string;
  body: PaidOrderBody;
  key: string | null;
  now: Date;
  /** The request as its key compares it, computed off the database's thread (idempotency/service.ts HashedRequest). */
  hashed?: HashedRequest;
}

registerUnit(PAID_ORDER_UNIT, (db) => {
  const queue = new PaidOrderQueue(db);
  const rings = new Map<string, KeyRing>();
  return (input) => {
    const p = input as PaidInput;
    return queue.submit(sameRing(rings, p.ring), p.merchantId, p.body, p.key, p.now, p.hashed);
  };
});

/**
 * One ring object per set of keys: a ring copied to another thread arrives as a new object with each order, and the
 * derived keys of blind indexes are kept per key object (crypto/sealed.ts), so each copy is replaced by the first seen.
 */
function sameRing(rings: Map<string, KeyRing>, ring: KeyRing): KeyRing {
  const ids = [ring.current, ...ring.previous].map((k) => k.id).join(",");
  let r = rings.get(ids);
  if (!r) {
    r = ring;
    rings.set(ids, r);
  }
  return r;
}
registerUnit(ORDER_EVENT_UNIT, (db) => (input) => runOrderEventHere(db, input as OrderEvent));

/**
 * Ingest one paid order (in a set with the others that arrive meanwhile): resolves after its set committed. The key's
 * request hash is computed here, off the database's thread.
 */
export function submitPaidOrder(
  db: Db,
  ring: KeyRing,
  merchantId: string,
  body: PaidOrderBody,
  key: string | null,
  now: Date,
): Promise<StoredResponse> {
  const input: PaidInput = { ring, merchantId, body, key, now, hashed: key ? paidRequest(ring, body) : undefined };
  return db.runUnit(PAID_ORDER_UNIT, input);
}

/** Run a refund, completion or cancellation under its Idempotency-Key. */
export function runOrderEvent(db: Db, ev: OrderEvent): Promise<StoredResponse> {
  return db.runUnit(ORDER_EVENT_UNIT, ev);
}
