/**
 * The database layer's interface, for both engines (client.ts): plain SQL through `Sql`, units of work through `Db`.
 * It knows nothing of what the server stores: modules bring their queries, and their named units of work (units.ts).
 */
export type Row = Record<string, unknown>;

export interface Sql {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * `COPY … FROM STDIN` with `data` (text chunks in the statement's format) as its input: PostgreSQL only (embedded
   * PGlite has no STDIN to copy from over this interface; callers check for it and write another way).
   */
  copyFrom?(statement: string, data: Iterable<string>): Promise<void>;
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
  /**
   * Run the named unit of work (registered with units.ts by the module that owns it) with `input`, on the database's
   * own thread: embedded PGlite runs on a thread of its own (pglite-thread.ts), and a unit of many queries runs there
   * whole instead of sending each query across. Input and result must survive a structured clone.
   */
  runUnit<T>(unit: string, input: unknown): Promise<T>;
  /** Refresh the planner statistics (ANALYZE). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}
