/**
 * Vitest globalSetup of the web project: the demo data, made once per run, which every browser test file's server
 * starts from (money-server.ts), instead of each file running `seedDemo` again (what it buys: about 13 s of a worker
 * per browser file on a quiet runner, ten files; docs/performance.md, "Test suite time").
 *
 * The demo is seeded in this (vitest's main) process while the first test files already run: setup returns at once,
 * and a browser file waits for the image (`demoImage`). The image is a PGlite `dumpDataDir` tarball of a migrated
 * database holding the demo, written to a temporary directory of this run with its key (the demo seals personal data
 * under it) beside it; `ready` is written last, or `failed` with the error, so a file never reads half an image. A
 * file whose image failed seeds its own demo, as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { systemClock } from "../../server/src/clock.ts";
import { keyRing, newSecretKeyText } from "../../server/src/crypto/sealed.ts";
import { PgliteDb } from "../../server/src/db/client.ts";
import { migrate } from "../../server/src/db/migrate.ts";
import { seedDemo } from "../../server/src/demo/seed.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The directory of this run's demo image (demo.tar.gz, key, then ready or failed). */
    fenxiaoDemoImageDir: string;
  }
}

async function makeImage(dir: string): Promise<void> {
  const key = newSecretKeyText();
  const db = await PgliteDb.open();
  try {
    await migrate(db);
    await seedDemo(db, systemClock, keyRing(key));
    const image = await db.pglite.dumpDataDir("gzip");
    writeFileSync(join(dir, "demo.tar.gz"), new Uint8Array(await image.arrayBuffer()));
    writeFileSync(join(dir, "key"), key);
  } finally {
    await db.close();
  }
  writeFileSync(join(dir, "ready"), "");
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fenxiao-demo-image-"));
  const made = makeImage(dir).catch((e: unknown) => {
    writeFileSync(join(dir, "failed"), e instanceof Error ? (e.stack ?? e.message) : String(e));
  });
  project.provide("fenxiaoDemoImageDir", dir);
  return async () => {
    await made;
    rmSync(dir, { recursive: true, force: true });
  };
}
