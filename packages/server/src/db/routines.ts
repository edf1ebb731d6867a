/**
 * Database routines (PL/pgSQL functions) the server calls on its hot paths. They are code, not schema: `migrate`
 * installs each with CREATE OR REPLACE when its text differs from what the database has (by checksum), in the same
 * transaction and under the same lock as the migrations. The modules that own routines register them here when they
 * are loaded; `migrate` installs those registered (or the list it is given).
 */

export interface Routine {
  name: string;
  sql: string;
}

const registered = new Map<string, Routine>();

export function registerRoutines(routines: readonly Routine[]): void {
  for (const r of routines) registered.set(r.name, r);
}

/** The routines registered in this thread, in the order they were registered. */
export function registeredRoutines(): Routine[] {
  return [...registered.values()];
}
