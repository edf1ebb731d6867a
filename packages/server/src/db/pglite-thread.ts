/**
 * Embedded PGlite on its own thread. PGlite runs PostgreSQL (compiled to WebAssembly) synchronously on the thread
 * that calls it; on the server's thread every query stops HTTP for as long as it runs. Here the database lives in a
 * worker thread (db/pglite-worker.ts) and the server's thread keeps HTTP, validation and everything else:
 *
 * - read/tx: a unit of work is opened on the worker (it waits for the worker's mutex, so units never interleave),
 *   each query of the unit is one message, and the unit ends with COMMIT or ROLLBACK. Semantics are those of
 *   PgliteDb, which the worker uses.
 * - named units of work (`runUnit`, units.ts): the worker loads the modules it is given (`unitModules`), and a unit they
 *   register runs there whole — its queries do not cross threads (the paid-order ingest of modules/orders runs its
 *   sets there: state, evaluation and write). A unit the worker did not load runs on this thread, query by query.
 *
 * Still one process, one connection: embedded mode stays single-process (docs/operations.md).
 */
import { Worker } from "node:worker_threads";
import { ApiError, type ErrorCode } from "../http/errors.ts";
import { BatchQueue } from "./batch.ts";
import type { Db, Row, Sql } from "./sql.ts";
import { runUnitHere } from "./units.ts";

/** What the worker receives. */
export type ToWorker =
  | { op: "begin"; id: number; unit: number; tx: boolean }
  | { op: "query"; id: number; unit: number; text: string; params: readonly unknown[] | undefined }
  | { op: "end"; id: number; unit: number; commit: boolean }
  | { op: "run"; id: number; name: string; input: unknown }
  | { op: "analyze"; id: number }
  | { op: "close"; id: number };

/**
 * How the worker is started: its data directory, the modules whose units of work it loads, and for an in-memory
 * database the image (a `dumpDataDir()` tarball) it starts from, if any.
 */
export interface WorkerConfig {
  dataDir: string | null;
  unitModules: readonly string[];
  image: Uint8Array | null;
}

/** An error as it crosses threads: an API error keeps its code and details, a database error its fields. */
export type WireError =
  | { api: { code: string; message: string; details: Record<string, unknown> } }
  | { name: string; message: string; fields: Record<string, unknown> };

/** One reply per message (except `ready` and `fatal`). */
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** What the worker sends back: replies go together, those ready at once (a set's orders) in one message. */
export type FromWorker = { op: "ready"; units: string[] } | { op: "fatal"; error: WireError } | { op: "replies"; list: Reply[] };

/** The fields of a database error worth keeping (pg and PGlite name them alike). */
const ERROR_FIELDS = ["code", "detail", "hint", "severity", "constraint", "table", "column", "schema", "where", "position", "routine"];

export function toWire(e: unknown): WireError {
  if (e instanceof ApiError) return { api: { code: e.code, message: e.message, details: e.details } };
  const err = e instanceof Error ? e : new Error(String(e));
  const fields: Record<string, unknown> = {};
  for (const f of ERROR_FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[f];
    if (v !== undefined && (typeof v === "string" || typeof v === "number")) fields[f] = v;
  }
  return { name: err.name, message: err.message, fields };
}

export function fromWire(w: WireError): Error {
  if ("api" in w) return new ApiError(w.api.code as ErrorCode, w.api.message, w.api.details);
  const e = new Error(w.message);
  e.name = w.name;
  return Object.assign(e, w.fields);
}

/** The worker's entry: a plain module that registers the TypeScript loader and imports pglite-worker.ts. */
const ENTRY = new URL("./pglite-worker-entry.mjs", import.meta.url);

export class PgliteThreadDb implements Db {
  readonly kind = "pglite" as const;
  private seq = 0;
  private units = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly batches = new BatchQueue((fn) => this.tx(fn), 1);
  private failure: Error | null = null;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    /** The units of work the worker loaded. */
    private readonly workerUnits: ReadonlySet<string>,
  ) {
    worker.on("message", (m: FromWorker) => {
      if (m.op !== "replies") return;
      for (const r of m.list) {
        const p = this.pending.get(r.id);
        if (!p) continue;
        this.pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(fromWire(r.error));
      }
    });
    const fail = (e: Error) => {
      // Every later call fails fast with this error (and GET /health with it): restart the server.
      if (!this.closing && !this.failure) console.error(`embedded database thread failed: ${e.message}`);
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on("error", (e) => fail(e instanceof Error ? e : new Error(String(e))));
    worker.on("exit", (code) => fail(new Error(`the database thread exited (code ${code})`)));
  }

  /**
   * Start the database thread on `dataDir` (in memory when absent), loading the units of work of `unitModules`
   * (module URLs), and wait until PGlite is ready. An in-memory database may start from `image` (PgliteDb.open).
   */
  static async open(dataDir?: string, unitModules: readonly string[] = [], image?: Uint8Array): Promise<PgliteThreadDb> {
    const workerData: WorkerConfig = { dataDir: dataDir ?? null, unitModules: [...unitModules], image: image ?? null };
    const worker = new Worker(ENTRY, { workerData });
    let units: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.op === "ready") {
          units = m.units;
          done(null);
        } else if (m.op === "fatal") done(fromWire(m.error));
      };
      const onError = (e: unknown) => done(e instanceof Error ? e : new Error(String(e)));
      const onExit = (code: number) => done(new Error(`the database thread exited before it was ready (code ${code})`));
      function done(e: Error | null) {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (e) reject(e);
        else resolve();
      }
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
    });
    return new PgliteThreadDb(worker, new Set(units));
  }

  private call<T>(msg: ToWorker): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(msg.id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(msg);
    });
  }

  private async unit<T>(tx: boolean, fn: (q: Sql) => Promise<T>): Promise<T> {
    const unit = ++this.units;
    await this.call({ op: "begin", id: ++this.seq, unit, tx });
    const q: Sql = {
      query: <R extends Row>(text: string, params?: readonly unknown[]) =>
        this.call<R[]>({ op: "query", id: ++this.seq, unit, text, params }),
    };
    let out: T;
    try {
      out = await fn(q);
    } catch (e) {
      await this.call({ op: "end", id: ++this.seq, unit, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.call({ op: "end", id: ++this.seq, unit, commit: true });
    return out;
  }

  read<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.unit(false, fn);
  }

  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.unit(true, fn);
  }

  batch<T>(key: string, fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.batches.submit(key, fn);
  }

  /** A unit the worker loaded runs there whole; any other runs here, its queries sent one by one. */
  runUnit<T>(unit: string, input: unknown): Promise<T> {
    if (this.workerUnits.has(unit)) return this.call<T>({ op: "run", id: ++this.seq, name: unit, input });
    return runUnitHere(this, unit, input) as Promise<T>;
  }

  analyze(): Promise<void> {
    return this.call({ op: "analyze", id: ++this.seq });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.failure) await this.call({ op: "close", id: ++this.seq });
    await this.worker.terminate();
  }
}
