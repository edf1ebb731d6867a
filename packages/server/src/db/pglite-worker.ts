/**
 * The database thread of embedded mode (see pglite-thread.ts): one PgliteDb, units of work opened by the server's
 * thread, and the named units of work (units.ts) of the modules it was configured with, which run here whole.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PgliteDb } from "./client.ts";
import { type FromWorker, type Reply, type ToWorker, toWire, type WorkerConfig } from "./pglite-thread.ts";
import type { Sql } from "./sql.ts";
import { runUnitHere, unitNames } from "./units.ts";

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread");

const send = (m: FromWorker) => port.postMessage(m);
/** Replies ready in the same turn (the orders of one set) leave in one message. */
let outbox: Reply[] = [];
const flush = () => {
  const list = outbox;
  outbox = [];
  send({ op: "replies", list });
};
const answer = (r: Reply) => {
  if (outbox.length === 0) queueMicrotask(flush);
  outbox.push(r);
};
const reply = (id: number, work: Promise<unknown>) =>
  work.then(
    (value) => answer({ id, ok: true, value }),
    (error: unknown) => answer({ id, ok: false, error: toWire(error) }),
  );

/** Messages of one open unit, in order. */
class Inbox {
  private readonly queued: ToWorker[] = [];
  private waiting: ((m: ToWorker) => void) | null = null;
  push(m: ToWorker): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(m);
    } else this.queued.push(m);
  }
  next(): Promise<ToWorker> {
    const m = this.queued.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

/** Thrown inside a unit to roll it back when the server's thread asked for it. */
const ROLLBACK = Symbol("rollback");

async function main(): Promise<void> {
  const { dataDir, unitModules, image } = workerData as WorkerConfig;
  // Each module registers its units (and whatever else it registers) when it is loaded.
  for (const m of unitModules) await import(m);
  const db = await PgliteDb.open(dataDir ?? undefined, image ? new Blob([image]) : undefined);
  const units = new Map<number, Inbox>();

  const runUnit = (begin: Extract<ToWorker, { op: "begin" }>, inbox: Inbox) => {
    let end: Extract<ToWorker, { op: "end" }> | null = null;
    const body = async (q: Sql) => {
      answer({ id: begin.id, ok: true, value: null });
      for (;;) {
        const m = await inbox.next();
        if (m.op === "query") await reply(m.id, q.query(m.text, m.params));
        else if (m.op === "end") {
          end = m;
          if (!m.commit) throw ROLLBACK;
          return;
        }
      }
    };
    const work = begin.tx ? db.tx(body) : db.read(body);
    work.then(
      () => {
        if (end) answer({ id: end.id, ok: true, value: null });
      },
      (error: unknown) => {
        const e = end as Extract<ToWorker, { op: "end" }> | null;
        if (error === ROLLBACK && e) answer({ id: e.id, ok: true, value: null });
        else answer({ id: e ? e.id : begin.id, ok: false, error: toWire(error) });
      },
    );
    void work.finally(() => units.delete(begin.unit)).catch(() => undefined);
  };

  port?.on("message", (m: ToWorker) => {
    switch (m.op) {
      case "begin": {
        const inbox = new Inbox();
        units.set(m.unit, inbox);
        runUnit(m, inbox);
        return;
      }
      case "query":
      case "end": {
        const inbox = units.get(m.unit);
        if (inbox) inbox.push(m);
        else answer({ id: m.id, ok: false, error: toWire(new Error(`unit ${m.unit} is not open`)) });
        return;
      }
      case "run":
        void reply(m.id, runUnitHere(db, m.name, m.input));
        return;
      case "analyze":
        void reply(m.id, db.analyze());
        return;
      case "close":
        void reply(m.id, db.close());
        return;
    }
  });
  send({ op: "ready", units: unitNames() });
}

main().catch((e: unknown) => send({ op: "fatal", error: toWire(e) }));
