/**
 * Named units of work: the mechanism by which a module runs its work beside the database (Db.runUnit), without the
 * database layer knowing what the work is. A module registers a unit under a name when it is loaded; each database
 * makes its own instance of the unit the first time it runs it (a unit may keep state per database, such as a
 * group-commit queue). Embedded PGlite's thread loads the modules it is configured with (`unitModules`), so that their
 * units run there.
 */
import type { Db } from "./sql.ts";

/** A unit as a module registers it: given the database it runs on, the function that runs one input. */
export type UnitFactory = (db: Db) => (input: unknown) => Promise<unknown>;

const factories = new Map<string, UnitFactory>();
const instances = new WeakMap<Db, Map<string, (input: unknown) => Promise<unknown>>>();

export function registerUnit(name: string, make: UnitFactory): void {
  factories.set(name, make);
}

/** The names of the units registered in this thread. */
export function unitNames(): string[] {
  return [...factories.keys()];
}

/** Run a unit in this thread on `db`. */
export function runUnitHere(db: Db, name: string, input: unknown): Promise<unknown> {
  let mine = instances.get(db);
  if (!mine) {
    mine = new Map();
    instances.set(db, mine);
  }
  let fn = mine.get(name);
  if (!fn) {
    const make = factories.get(name);
    if (!make) return Promise.reject(new Error(`no unit of work named ${name} is registered (is its module loaded?)`));
    fn = make(db);
    mine.set(name, fn);
  }
  return fn(input);
}
