/**
 * What runs beside the database: the modules whose named units of work (db/units.ts) embedded PGlite's thread loads,
 * so that they run there whole instead of query by query across threads. The server, the CLI and the tests give this
 * list to openDb / PgliteThreadDb.open. Importing it here also registers the units (and routines) on this thread.
 */
import { ORDER_UNITS_MODULE } from "./modules/orders/units.ts";

export const DB_UNIT_MODULES: readonly string[] = [ORDER_UNITS_MODULE];
