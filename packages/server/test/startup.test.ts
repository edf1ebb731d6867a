/** What a server that cannot start says, and that it leaves nothing held behind. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { keyFilePath, loadKeyRing } from "../src/crypto/key-file.ts";
import { newSecretKeyText } from "../src/crypto/sealed.ts";
import { LOCK_FILE, lockDataDir } from "../src/db/data-dir-lock.ts";
import { redactUrl, startServer } from "../src/server.ts";
import { freePort } from "./child-server.ts";
import { createTestDatabase, onPostgres, tempDirs } from "./helpers.ts";

const dirs = tempDirs("fenxiao-start-");
const tempDir = dirs.make;
afterEach(dirs.cleanup);

describe("a busy port", () => {
  it("is reported before the database is opened, migrated or given demo data", { timeout: 60_000 }, async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as { port: number }).port;
    const pgDb = onPostgres ? await createTestDatabase() : null;
    const dir = tempDir();
    try {
      const env = pgDb ? { DATABASE_URL: pgDb.url } : { FENXIAO_DATA_DIR: join(dir, "data") };
      const config = loadConfig({ ...env, PORT: String(port), HOST: "127.0.0.1", FENXIAO_DEMO: "1" });
      await expect(startServer(config, { log: () => {} })).rejects.toThrow(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      if (pgDb) {
        // Not even the migrations table: nothing was started.
        const c = new pg.Client({ connectionString: pgDb.url });
        await c.connect();
        const { rows } = await c.query("SELECT to_regclass('schema_migrations') AS t, to_regclass('merchants') AS m");
        await c.end();
        expect(rows[0]).toEqual({ t: null, m: null });
      } else {
        // The data directory was not even created, let alone migrated or seeded.
        expect(readdirSync(dir)).toEqual([]);
      }
    } finally {
      await new Promise((r) => taken.close(r));
      await pgDb?.drop();
    }
  });
});

describe.skipIf(onPostgres)("start-up errors", () => {
  it("a server that cannot listen says which port is taken and releases the data directory", async () => {
    const dir = tempDir();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as { port: number }).port;
    try {
      const config = loadConfig({ PORT: String(port), HOST: "127.0.0.1", FENXIAO_DATA_DIR: dir });
      await expect(startServer(config, { demo: false, log: () => {} })).rejects.toThrow(
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*set PORT to a free port`),
      );
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      lockDataDir(dir)();
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it("a PostgreSQL that cannot be reached is named (without its password) and nothing is left open", async () => {
    const port = await freePort(); // nothing listens there
    const url = `postgres://fenxiao:s3cret-pw@127.0.0.1:${port}/fenxiao`;
    const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: url, FENXIAO_SECRET_KEY: newSecretKeyText() });
    const err = await startServer(config, { demo: false, log: () => {} }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      new RegExp(`^PostgreSQL at postgres://fenxiao:\\*\\*\\*@127\\.0\\.0\\.1:${port}/fenxiao \\(DATABASE_URL\\): .*ECONNREFUSED`),
    );
    expect(err?.message).not.toContain("s3cret-pw");
    expect(redactUrl("not a url")).toBe("(an unparsable URL)");
    expect(redactUrl("postgres://u@h/db")).toBe("postgres://u@h/db");
  });

  it("DATABASE_URL without FENXIAO_SECRET_KEY does not start, and says how to make a key", async () => {
    const port = await freePort();
    const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: `postgres://u@127.0.0.1:${port}/x` });
    await expect(startServer(config, { demo: false, log: () => {} })).rejects.toThrow(
      /^FENXIAO_SECRET_KEY is required with DATABASE_URL.*openssl rand -base64 32/,
    );
  });

  it("the embedded database keeps a generated key beside its data directory, and reuses it", () => {
    const dir = join(tempDir(), "data");
    const config = loadConfig({ FENXIAO_DATA_DIR: dir });
    const first = loadKeyRing(config);
    expect(existsSync(keyFilePath(dir))).toBe(true);
    expect((statSync(keyFilePath(dir)).mode & 0o777).toString(8)).toBe("600");
    expect(loadKeyRing(config).current.id).toBe(first.current.id);
    const given = newSecretKeyText();
    expect(loadKeyRing(loadConfig({ FENXIAO_DATA_DIR: dir, FENXIAO_SECRET_KEY: given })).current.id).not.toBe(first.current.id);
    expect(() => loadConfig({ FENXIAO_SECRET_KEY: "short" }) && loadKeyRing(loadConfig({ FENXIAO_SECRET_KEY: "short" }))).toThrow(
      /FENXIAO_SECRET_KEY must be 32 random bytes/,
    );
  });
});
