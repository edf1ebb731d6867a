/**
 * Vitest globalSetup of the web project: builds the web app into packages/web/dist once per run, before any test file
 * starts, instead of once in every browser test file (what it buys: one Vite build per run, about half a minute each on
 * the shared runner; docs/performance.md). Test files run in parallel workers after this has returned, so no file ever
 * serves a half-written dist.
 *
 * The build is keyed by a hash of its inputs (the web app's sources and config, and the core and client sources it
 * bundles), written to dist/.build-hash: when dist was built from exactly these inputs, the build is skipped.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(webDir, "..");
const INPUTS = [
  join(webDir, "src"),
  join(webDir, "public"),
  join(webDir, "index.html"),
  join(webDir, "vite.config.ts"),
  join(webDir, "package.json"),
  join(packagesDir, "core", "src"),
  join(packagesDir, "client", "src"),
  join(webDir, "..", "..", "package-lock.json"),
];
const HASH_FILE = join(webDir, "dist", ".build-hash");

function addTree(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) addTree(hash, join(path, name));
    return;
  }
  hash.update(relative(packagesDir, path)).update("\0").update(readFileSync(path)).update("\0");
}

/** A hash of everything the build reads from the repository. */
export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) addTree(hash, input);
  return hash.digest("hex");
}

export default async function setup(): Promise<void> {
  const hash = sourceHash();
  const built = existsSync(HASH_FILE) && existsSync(join(webDir, "dist", "index.html")) ? readFileSync(HASH_FILE, "utf8") : "";
  if (built === hash) return;
  await build({ configFile: join(webDir, "vite.config.ts"), logLevel: "warn" });
  writeFileSync(HASH_FILE, hash);
}
