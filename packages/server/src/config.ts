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
  };
}
