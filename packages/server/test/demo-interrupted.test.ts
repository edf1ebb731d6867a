/**
 * A first start killed while it creates the demo data leaves no half demo behind: the demo is one transaction, so
 * the database is empty again and the next start creates the whole demo. Real server process, SIGKILL, real database.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../src/db/client.ts";
import { isSeeded } from "../src/demo/seed.ts";
import { CLI, freePort, ROOT } from "./child-server.ts";
import { createTestDatabase, onPostgres, tempDirs } from "./helpers.ts";

const dirs = tempDirs("fenxiao-demo-kill-");
afterEach(dirs.cleanup);

/** What the seeding prints once the merchant and promoters exist, well before its transaction ends. */
const MIDWAY = "demo: merchant, program, plan and 20 promoters created";
const MIDWAY_TIMEOUT_MS = 90_000;

describe("an interrupted first start", () => {
  it("is killed halfway through the demo and leaves the database empty for the next start", { timeout: 150_000 }, async () => {
    const pgDb = onPostgres ? await createTestDatabase() : null;
    const dataDir = join(dirs.make(), "data");
    try {
      const port = await freePort();
      const env = {
        ...process.env,
        ...(pgDb ? { DATABASE_URL: pgDb.url, FENXIAO_DEMO: "1" } : { FENXIAO_DATA_DIR: dataDir }),
        PORT: String(port),
        HOST: "127.0.0.1",
      };
      const proc = spawn(process.execPath, ["--import", "tsx", CLI, "serve"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      const midway = new Promise<boolean>((ok) => {
        const timer = setTimeout(() => ok(false), MIDWAY_TIMEOUT_MS);
        const watch = (b: Buffer) => {
          out += b.toString("utf8");
          if (out.includes(MIDWAY)) {
            clearTimeout(timer);
            ok(true);
          }
        };
        proc.stdout.on("data", watch);
        proc.stderr.on("data", watch);
        proc.once("exit", () => ok(false));
      });
      const exited = new Promise((ok) => proc.once("exit", ok));
      const reached = await midway;
      proc.kill("SIGKILL");
      await exited;
      expect(reached, out).toBe(true);
      expect(out).not.toContain("demo data created in");

      const db = await openDb(pgDb ? { databaseUrl: pgDb.url } : { dataDir });
      try {
        expect(await isSeeded(db)).toBe(false);
        const [counts] = await db.read((q) =>
          q.query<{ merchants: number; users: number; promoters: number }>(
            "SELECT (SELECT count(*) FROM merchants)::int AS merchants, (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM promoters)::int AS promoters",
          ),
        );
        expect(counts).toEqual({ merchants: 0, users: 0, promoters: 0 });
      } finally {
        await db.close();
      }
    } finally {
      await pgDb?.drop();
    }
  });
});
