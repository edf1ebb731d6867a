import { resolve } from "node:path";
import { parseRetentionDays } from "./jobs/idempotency.ts";

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl: string;
  sessionHours: number;
  /** Days a stored Idempotency-Key is kept (IDEMPOTENCY_RETENTION_DAYS; 0 keeps keys forever). */
  idempotencyRetentionDays: number;
  /**
   * Create the demo data in an empty database on start (FENXIAO_DEMO=1 or 0). Default: yes for the embedded database
   * (`npm start` is a one-step demo), no on DATABASE_URL (a production database never gets the public demo logins and key).
   */
  demo: boolean;
}

/** FENXIAO_DEMO: 1/true/yes or 0/false/no; unset follows the database (embedded: on, DATABASE_URL: off). */
export function parseDemo(value: string | undefined, databaseUrl: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "") return !databaseUrl;
  if (["1", "true", "yes"].includes(v)) return true;
  if (["0", "false", "no"].includes(v)) return false;
  throw new Error(`FENXIAO_DEMO must be 1 or 0, got ${value}`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const host = env.HOST ?? "0.0.0.0";
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.FENXIAO_DATA_DIR ?? "./.fenxiao/data"),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    sessionHours: Number(env.SESSION_HOURS ?? 24 * 7),
    idempotencyRetentionDays: parseRetentionDays(env.IDEMPOTENCY_RETENTION_DAYS),
    demo: parseDemo(env.FENXIAO_DEMO, env.DATABASE_URL || undefined),
  };
}
