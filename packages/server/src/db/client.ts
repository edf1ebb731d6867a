/**
 * Database access for both engines behind one small interface.
 *
 * - PostgreSQL (DATABASE_URL): a pg Pool; `tx` runs in a real transaction and retries serialization failures and deadlocks.
 * - PGlite (embedded, default): one connection whose locks never block, so every unit of work — read or write — runs
 *   under one in-process mutex. Embedded mode is therefore single-process; see docs/operations.md.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { BatchQueue, isRetryable } from "./batch.ts";

export type Row = Record<string, unknown>;

export interface Sql {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db {
  readonly kind: "pglite" | "postgres";
  /** Run read-only work (may see committed data only). */
  read<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Run work in one transaction: all of it commits or none of it does. */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /**
   * Like tx, but concurrent work with the same key may share one transaction and one COMMIT (group commit),
   * each unit isolated by a savepoint. Resolves only after the commit. Use it for hot, small writes (order events).
   */
  batch<T>(key: string, fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Refresh the planner statistics (ANALYZE). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

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

/** String parameters at least this long are sent to PGlite as UTF-8 bytes (binary format); see BINARY_TEXT_SERIALIZERS. */
export const PGLITE_BINARY_PARAM_MIN = 256;

/** A long string parameter, marked by PgliteDb's query for the serializers below (anything else sees the string). */
class LongText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
const OID = { text: 25, varchar: 1043, json: 114, jsonb: 3802 } as const;
const asText = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const asJson = (v: unknown): string =>
  typeof v === "string" ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
const utf8 = (v: LongText, prefix: number[]): Buffer => {
  const b = Buffer.allocUnsafe(prefix.length + Buffer.byteLength(v.text, "utf8"));
  b.set(prefix);
  b.write(v.text, prefix.length, "utf8");
  return b;
};
/**
 * PGlite's wire-protocol layer measures and copies every text parameter character by character in JavaScript
 * (~25 ns per byte: 0.5 ms for the 20 KB of a set's commission lines). A long string parameter is therefore encoded
 * by Buffer (native) and sent in binary format, which for text, varchar and json is the same UTF-8 text and for
 * jsonb a version byte (1) before it; PostgreSQL checks the encoding exactly as for text format. Only top-level
 * parameters are marked (LongText), so array elements and short strings keep PGlite's own serializers.
 */
export const BINARY_TEXT_SERIALIZERS: Record<number, (v: unknown) => string | Buffer> = {
  [OID.text]: (v) => (v instanceof LongText ? utf8(v, []) : asText(v)),
  [OID.varchar]: (v) => (v instanceof LongText ? utf8(v, []) : asText(v)),
  [OID.json]: (v) => (v instanceof LongText ? utf8(v, []) : asJson(v)),
  [OID.jsonb]: (v) => (v instanceof LongText ? utf8(v, [1]) : asJson(v)),
};
const markLong = (params: readonly unknown[] | undefined): unknown[] | undefined =>
  params?.map((p) => (typeof p === "string" && p.length >= PGLITE_BINARY_PARAM_MIN ? new LongText(p) : p));

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

  static async open(dataDir?: string): Promise<PgliteDb> {
    // PGlite types a serializer as returning a string; its Bind serializer sends an ArrayBuffer view in binary format.
    const options = { serializers: BINARY_TEXT_SERIALIZERS as unknown as Record<number, (v: unknown) => string> };
    const db = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
    await db.waitReady;
    return new PgliteDb(db);
  }

  private readonly sql: Sql = {
    query: async <T extends Row>(text: string, params?: readonly unknown[]) => {
      const r = await this.pglite.query<T>(text, markLong(params));
      return r.rows;
    },
  };

  read<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(this.sql));
  }

  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      await this.pglite.exec("BEGIN");
      this.writes++;
      try {
        const out = await fn(this.sql);
        await this.pglite.exec("COMMIT");
        return out;
      } catch (e) {
        await this.pglite.exec("ROLLBACK");
        throw e;
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

  close(): Promise<void> {
    return this.pool.end();
  }
}

function wrap(client: pg.PoolClient): Sql {
  return {
    query: async <T extends Row>(text: string, params?: readonly unknown[]) => {
      const r = await client.query<T>(text, params as unknown[] | undefined);
      return r.rows;
    },
  };
}

// int8 and numeric come back as strings from pg; money columns are bigint. Parse int8 into numbers (all amounts are safe integers).
pg.types.setTypeParser(20, (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
  return n;
});

export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  if (opts.databaseUrl) return PostgresDb.open(opts.databaseUrl);
  return PgliteDb.open(opts.dataDir);
}
