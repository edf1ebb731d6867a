/**
 * Multi-row INSERT with one array parameter per column (`SELECT … FROM unnest($1::text[], …)`): the statement
 * stays small whatever the number of rows, which is much cheaper to parse than thousands of placeholders.
 */
import type { Sql } from "./sql.ts";

/** Rows per statement; larger sets are split. */
export const BULK_ROWS_MAX = 5000;

/** A column: name, SQL element type, and how to read it from a row. */
export type Column<R> = readonly [name: string, type: string, get: (r: R) => unknown];

export async function bulkInsert<R>(
  q: Sql,
  table: string,
  constants: Readonly<Record<string, unknown>>,
  columns: readonly Column<R>[],
  rows: readonly R[],
  onConflict = "",
): Promise<void> {
  const constNames = Object.keys(constants);
  for (let i = 0; i < rows.length; i += BULK_ROWS_MAX) {
    const chunk = rows.slice(i, i + BULK_ROWS_MAX);
    const params: unknown[] = [...constNames.map((c) => constants[c]), ...columns.map(([, , get]) => chunk.map(get))];
    const n = constNames.length;
    await q.query(
      `INSERT INTO ${table} (${[...constNames, ...columns.map(([c]) => c)].join(", ")})
       SELECT ${[...constNames.map((_, k) => `$${k + 1}`), ...columns.map(([c]) => `u.${c}`)].join(", ")}
       FROM unnest(${columns.map(([, t], k) => `$${n + k + 1}::${t}[]`).join(", ")}) AS u(${columns.map(([c]) => c).join(", ")}) ${onConflict}`,
      params,
    );
  }
}
