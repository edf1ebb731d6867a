/**
 * The OpenAPI document and what is made from it, without a running server: the app is built on an in-memory
 * embedded database and asked for its document (`app.swagger()`).
 *   tsx scripts/openapi.ts dump [file]   the document as JSON (stdout, or the file)
 *   tsx scripts/openapi.ts generate      regenerate packages/client/src/schema.d.ts (npm run generate:client)
 *   tsx scripts/openapi.ts check         fail when the committed client types are stale
 *   tsx scripts/openapi.ts lint          redocly lint (recommended rules, redocly.yaml) of the document
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { buildApp } from "../packages/server/src/app.ts";
import { ManualClock } from "../packages/server/src/clock.ts";
import { PgliteDb } from "../packages/server/src/db/client.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CLIENT_SCHEMA_FILE = join(ROOT, "packages/client/src/schema.d.ts");

const HEADER = `/**
 * Generated from the Fenxiao OpenAPI document by openapi-typescript: do not edit.
 * Regenerate with \`npm run generate:client\` after changing a route.
 */

`;

/** The document the server serves at /openapi.json (the app built on an in-memory database, never listening). */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const db = await PgliteDb.open();
  try {
    const app = await buildApp({
      db,
      clock: new ManualClock("2026-01-01T00:00:00.000Z"),
      config: { publicUrl: "http://localhost:3000", sessionHours: 24 },
    });
    await app.ready();
    const doc = structuredClone(app.swagger()) as Record<string, unknown>;
    await app.close();
    return doc;
  } finally {
    await db.close();
  }
}

/** The client's types as openapi-typescript writes them for the document. */
export async function clientSchemaText(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as unknown as OpenAPI3);
  return HEADER + astToString(ast);
}

/** null when the committed types are what the document generates; otherwise what to do. */
export async function staleClientMessage(doc: Record<string, unknown>): Promise<string | null> {
  const want = await clientSchemaText(doc);
  let have = "";
  try {
    have = readFileSync(CLIENT_SCHEMA_FILE, "utf8");
  } catch {
    /* missing: stale */
  }
  return have === want ? null : "packages/client/src/schema.d.ts is stale: run npm run generate:client";
}

function lint(doc: Record<string, unknown>): number {
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-openapi-"));
  try {
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const bin = join(ROOT, "node_modules/.bin/redocly");
    const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
    const r = spawnSync(bin, ["lint", file, "--config", join(ROOT, "redocly.yaml")], { stdio: "inherit", env });
    return r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(command: string | undefined, arg: string | undefined): Promise<number> {
  const doc = await openApiDocument();
  if (command === "dump") {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (arg) writeFileSync(arg, text);
    else process.stdout.write(text);
    return 0;
  }
  if (command === "generate") {
    writeFileSync(CLIENT_SCHEMA_FILE, await clientSchemaText(doc));
    console.log(`wrote ${CLIENT_SCHEMA_FILE}`);
    return 0;
  }
  if (command === "check") {
    const stale = await staleClientMessage(doc);
    if (stale) console.error(stale);
    return stale ? 1 : 0;
  }
  if (command === "lint") return lint(doc);
  console.error("usage: tsx scripts/openapi.ts dump [file] | generate | check | lint");
  return 2;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv[2], process.argv[3]);
}
