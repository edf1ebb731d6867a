/**
 * Database routines (PL/pgSQL functions) the server calls on its hot paths. They are code, not schema: `migrate`
 * installs each with CREATE OR REPLACE when its text differs from what the database has (by checksum), in the same
 * transaction and under the same lock as the migrations.
 */
import { INGEST_ROUTINES } from "../modules/orders/routines.ts";

export interface Routine {
  name: string;
  sql: string;
}

export const ROUTINES: readonly Routine[] = [...INGEST_ROUTINES];
