/**
 * Database access for both engines behind one small interface.
 *
 * - PostgreSQL (DATABASE_URL): a pg Pool; `tx` runs in a real transaction and retries serialization failures and deadlocks.
 * - PGlite (embedded, default): one connection whose locks never block, so every unit of work — read or write — runs
 *   under one in-process mutex. Embedded mode is therefore single-process; see docs/operations.md. `openDb` runs
 *   PgliteDb on a thread of its own (pglite-thread.ts); PgliteDb itself is the database side of that thread.
 */

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite, protocol } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { BatchQueue, isRetryable } from "./batch.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { bindMessage, concatBytes, DESCRIBE_PORTAL, EXECUTE, readMessages, SYNC, type WireResult } from "./pg-wire.ts";
import type { Db, Row, Sql } from "./sql.ts";
import { runUnitHere } from "./units.ts";

export type { Db, Row, Sql } from "./sql.ts";

/** Transaction retry limit for serialization failures and deadlocks on PostgreSQL. */
export const TX_RETRIES_MAX = 5;
/** Concurrent group-commit lanes per process on PostgreSQL (work is spread over them by merchant). */
export const BATCH_LANES = 4;

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * PGlite runs no autovacuum: without fresh planner statistics, plans made for a small table (a scan of the merchant's
 * rows) stay in use as it grows. The embedded database is analysed this often when it was written to since.
 */
export const PGLITE_ANALYZE_EVERY_MS = 60_000;

/** Prepared statements kept per embedded connection (least recently used are closed beyond this). */
export const PGLITE_PREPARED_MAX = 300;

interface Prepared {
  name: string;
  paramOids: number[];
}

export class PgliteDb implements Db {
  readonly kind = "pglite" as const;
  private readonly mutex = new Mutex();
  private readonly batches = new BatchQueue((fn) => this.tx(fn), 1);
  private writes = 0;
  private readonly maintenance: NodeJS.Timeout;
  private constructor(readonly pglite: PGlite) {
    this.maintenance = setInterval(() => {
      if (this.writes > 0) void this.analyze().catch(() => undefined);
    }, PGLITE_ANALYZE_EVERY_MS);
    this.maintenance.unref();
  }

  /**
   * Refresh the planner statistics of every table (ANALYZE), one table per unit of work: requests wait for one
   * table's sample at most, not for the whole database's.
   */
  async analyze(): Promise<void> {
    this.writes = 0;
    const tables = await this.read((q) =>
      q.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
      ),
    );
    for (const t of tables) await this.mutex.run(() => this.pglite.exec(`ANALYZE ${t.name}`));
  }

  batch<T>(key: string, fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.batches.submit(key, fn);
  }

  runUnit<T>(unit: string, input: unknown): Promise<T> {
    return runUnitHere(this, unit, input) as Promise<T>;
  }

  /**
   * Open PGlite on `dataDir`, or in memory when absent; an in-memory database may start from `image`, a data directory
   * as `dumpDataDir()` wrote it (the tests start from one migrated image instead of running initdb and every migration
   * per test database).
   */
  static async open(dataDir?: string, image?: Blob): Promise<PgliteDb> {
    if (dataDir && image) throw new Error("PGlite opens either a data directory or an image, not both");
    const db = dataDir ? new PGlite(dataDir) : new PGlite(image ? { loadDataDir: image } : {});
    await db.waitReady;
    return new PgliteDb(db);
  }

  private readonly prepared = new Map<string, Prepared>();
  private preparedSeq = 0;
  private inTx = false;

  /** One round trip: send the messages, read what came back (throws the database's error, if any). */
  private async roundTrip(message: Uint8Array): Promise<WireResult> {
    const chunks: Buffer[] = [];
    await this.pglite.execProtocolRawStream(message, {
      syncToFs: false,
      onRawData: (chunk: Uint8Array) => {
        chunks.push(Buffer.from(chunk)); // a view of the database's memory: copy it before it is reused
      },
    });
    const r = readMessages(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    if (r.error) throw r.error;
    return r;
  }

  /**
   * Every statement runs as a named prepared statement of the connection: parsed and described once, then one
   * round trip (Bind, Describe, Execute, Sync) per call. PGlite's query() parses, describes and binds on every call,
   * six calls into the database for one statement. Results are parsed by PGlite's own parsers, so rows are the same.
   */
  private async statement(text: string): Promise<Prepared> {
    const hit = this.prepared.get(text);
    if (hit) {
      this.prepared.delete(text);
      this.prepared.set(text, hit);
      return hit;
    }
    const name = `fx_${++this.preparedSeq}`;
    const described = await this.roundTrip(
      concatBytes([protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: "S", name }), SYNC]),
    );
    const p: Prepared = { name, paramOids: described.paramOids ?? [] };
    this.prepared.set(text, p);
    if (this.prepared.size > PGLITE_PREPARED_MAX) {
      const [oldText, old] = this.prepared.entries().next().value as [string, Prepared];
      this.prepared.delete(oldText);
      await this.roundTrip(concatBytes([protocol.serialize.close({ type: "S", name: old.name }), SYNC]));
    }
    return p;
  }

  private serialize(value: unknown, oid: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const f = oid === undefined ? undefined : this.pglite.serializers[oid];
    return f ? f(value) : value instanceof Date ? value.toISOString() : String(value);
  }

  private async run<T extends Row>(text: string, params: readonly unknown[] = [], retry = true): Promise<T[]> {
    const st = await this.statement(text);
    const values = params.map((v, i) => this.serialize(v, st.paramOids[i]));
    let r: WireResult;
    try {
      r = await this.roundTrip(concatBytes([bindMessage(st.name, values), DESCRIBE_PORTAL, EXECUTE, SYNC]));
    } catch (e) {
      // A table's columns changed under a prepared `SELECT *`: prepare the text again. Outside a transaction the
      // statement is retried once; inside one the transaction is aborted already, so the error stands and the next
      // unit of work prepares afresh.
      if ((e as { code?: string }).code === "0A000" && /cached plan must not change result type/.test(String(e))) {
        this.prepared.delete(text);
        if (retry && !this.inTx) return this.run<T>(text, params, false);
      }
      throw e;
    }
    const fields = r.fields;
    if (!fields) return [];
    // Values are parsed by PGlite's own type parsers, so rows are what its query() returns.
    const parsers = fields.map((f) => this.pglite.parsers[f.oid]);
    return r.rows.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) {
        const v = values[i] ?? null;
        const parse = parsers[i];
        row[(fields[i] as { name: string }).name] = v === null ? null : parse ? parse(v, (fields[i] as { oid: number }).oid) : v;
      }
      return row as T;
    });
  }

  private readonly sql: Sql = {
    query: <T extends Row>(text: string, params?: readonly unknown[]) => this.run<T>(text, params),
  };

  read<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(this.sql));
  }

  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      await this.run("BEGIN");
      this.inTx = true;
      this.writes++;
      try {
        const out = await fn(this.sql);
        await this.run("COMMIT");
        return out;
      } catch (e) {
        await this.run("ROLLBACK");
        throw e;
      } finally {
        this.inTx = false;
      }
    });
  }

  close(): Promise<void> {
    clearInterval(this.maintenance);
    return this.mutex.run(() => this.pglite.close());
  }
}

export class PostgresDb implements Db {
  readonly kind = "postgres" as const;
  private readonly batches: BatchQueue;
  constructor(
    readonly pool: pg.Pool,
    lanes = BATCH_LANES,
  ) {
    this.batches = new BatchQueue((fn) => this.tx(fn), lanes);
  }

  batch<T>(key: string, fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.batches.submit(key, fn);
  }

  runUnit<T>(unit: string, input: unknown): Promise<T> {
    return runUnitHere(this, unit, input) as Promise<T>;
  }

  /** Autovacuum analyses tables as they grow; this is for the moments it has not caught up yet (after the demo data is created). */
  async analyze(): Promise<void> {
    await this.pool.query("ANALYZE");
  }

  static open(url: string, max = 10): PostgresDb {
    const pool = new pg.Pool({ connectionString: url, max });
    pool.on("error", () => {
      /* idle client errors are reported by the next query */
    });
    return new PostgresDb(pool);
  }

  async read<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(wrap(client));
    } finally {
      client.release();
    }
  }

  async tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const out = await fn(wrap(client));
        await client.query("COMMIT");
        return out;
      } catch (e) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
        if (isRetryable(e) && attempt < TX_RETRIES_MAX) continue;
        throw e;
      } finally {
        client.release(broken);
      }
    }
  }

  private closing: Promise<void> | null = null;

  /** Close the pool; closing again waits for the same close. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

function wrap(client: pg.PoolClient): Sql {
  return {
    query: async <T extends Row>(text: string, params?: readonly unknown[]) => {
      const r = await client.query<T>(text, params as unknown[] | undefined);
      return r.rows;
    },
    copyFrom: async (statement: string, data: Iterable<string>) => {
      await pipeline(Readable.from(data), client.query(copyFromStdin(statement)));
    },
  };
}

// int8 and numeric come back as strings from pg; money columns are bigint. Parse int8 into numbers (all amounts are safe integers).
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
  return n;
});

/**
 * PostgreSQL when a URL is given, else embedded PGlite on its own thread — in `dataDir` (locked for this process until
 * the database is closed: one process per data directory, see data-dir-lock.ts), or in memory. `unitModules`: the
 * modules (URLs) whose units of work the database's thread loads (units.ts); units of others run on this thread.
 */
export async function openDb(opts: { databaseUrl?: string; dataDir?: string; unitModules?: readonly string[] }): Promise<Db> {
  if (opts.databaseUrl) return PostgresDb.open(opts.databaseUrl);
  const { PgliteThreadDb } = await import("./pglite-thread.ts");
  if (!opts.dataDir) return PgliteThreadDb.open(undefined, opts.unitModules);
  const release = lockDataDir(opts.dataDir);
  try {
    const db = await PgliteThreadDb.open(opts.dataDir, opts.unitModules);
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
    return db;
  } catch (e) {
    release();
    throw e;
  }
}
