/**
 * Where the server's key ring comes from: FENXIAO_SECRET_KEY when set; otherwise, for the embedded database only, a key
 * generated on the first start and kept in `<data dir>.secret-key` (mode 0600) beside the data it protects. A server on
 * DATABASE_URL without FENXIAO_SECRET_KEY does not start: a generated key on one machine would leave the others unable
 * to read what it sealed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ServerConfig } from "../config.ts";
import { type KeyRing, keyRing, newSecretKeyText } from "./sealed.ts";

export function keyFilePath(dataDir: string): string {
  return `${dataDir.replace(/[/\\]+$/, "")}.secret-key`;
}

export function loadKeyRing(config: Pick<ServerConfig, "secretKey" | "secretKeysPrevious" | "databaseUrl" | "dataDir">): KeyRing {
  if (config.secretKey) return keyRing(config.secretKey, config.secretKeysPrevious);
  if (config.databaseUrl)
    throw new Error(
      "FENXIAO_SECRET_KEY is required with DATABASE_URL: 32 random bytes as base64, e.g. `openssl rand -base64 32` (docs/operations.md)",
    );
  const path = keyFilePath(config.dataDir);
  if (!existsSync(path)) writeFileSync(path, `${newSecretKeyText()}\n`, { mode: 0o600, flag: "wx" });
  return keyRing(readFileSync(path, "utf8"), config.secretKeysPrevious);
}
