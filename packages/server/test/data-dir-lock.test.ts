/** One process per embedded data directory: the lock file, its holder, stale files, and openDb using it. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../src/db/client.ts";
import { DataDirInUseError, LOCK_FILE, lockDataDir, processStartTime } from "../src/db/data-dir-lock.ts";
import { onPostgres, tempDirs } from "./helpers.ts";

const dirs = tempDirs("fenxiao-lock-");
const tempDir = dirs.make;
afterEach(dirs.cleanup);

const holder = (dir: string) => readFileSync(join(dir, LOCK_FILE), "utf8").split("\n")[0];

// Embedded mode only (the PostgreSQL run has nothing to add here).
describe.skipIf(onPostgres)("data directory lock", () => {
  it("is held by this process until released; a second lock in the same process is refused", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(holder(dir)).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(join(dir, "."))).toThrow(/in use by process \d+ \(this process\)/);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    release(); // releasing twice is harmless
    const again = lockDataDir(dir);
    expect(holder(dir)).toBe(String(process.pid));
    again();
  });

  it("refuses while another live process holds it, naming the process and the file; takes it over once that process is gone", async () => {
    const dir = tempDir();
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    const pid = other.pid as number;
    try {
      writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
      let err: unknown;
      try {
        lockDataDir(dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataDirInUseError);
      expect((err as DataDirInUseError).pid).toBe(pid);
      expect((err as Error).message).toContain(`in use by process ${pid}`);
      expect((err as Error).message).toContain(join(dir, LOCK_FILE));
      expect(holder(dir)).toBe(String(pid)); // the holder's file is left alone
    } finally {
      const exited = new Promise((r) => other.once("exit", r));
      other.kill("SIGKILL");
      await exited;
    }
    // The holder was killed without releasing: its file is stale and is taken over.
    const release = lockDataDir(dir);
    expect(holder(dir)).toBe(String(process.pid));
    release();
  });

  it.skipIf(processStartTime(process.pid) === null)(
    "takes over a file whose process id now belongs to another process (the start time differs), refuses the same process",
    async () => {
      const dir = tempDir();
      const other = spawn("sleep", ["30"], { stdio: "ignore" });
      const pid = other.pid as number;
      try {
        const started = processStartTime(pid) as string;
        writeFileSync(join(dir, LOCK_FILE), `${pid}\n${started}\n`);
        expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${pid}`));
        // The same id written by an earlier process (another start time): that process is gone.
        writeFileSync(join(dir, LOCK_FILE), `${pid}\n${Number(started) - 1}\n`);
        const release = lockDataDir(dir);
        expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n${processStartTime(process.pid)}\n`);
        release();
      } finally {
        const exited = new Promise((r) => other.once("exit", r));
        other.kill("SIGKILL");
        await exited;
      }
    },
  );

  it("takes over a file left by an earlier process with this process id, or one that holds no process id", () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    lockDataDir(dir)();
    writeFileSync(join(dir, LOCK_FILE), "not a pid\n");
    const release = lockDataDir(dir);
    expect(holder(dir)).toBe(String(process.pid));
    release();
  });

  it("processes that start at once: exactly one takes the lock", async () => {
    const dir = tempDir();
    const lockModule = new URL("../src/db/data-dir-lock.ts", import.meta.url).href;
    const script = `import { lockDataDir } from ${JSON.stringify(lockModule)};
      try { lockDataDir(process.argv[1]); console.log("won"); setTimeout(() => {}, 4000); }
      catch (e) { console.log(e.name === "DataDirInUseError" ? "refused" : "error " + e.message); }`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<string>((resolve, reject) => {
          const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], {
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          p.stdout.on("data", (b: Buffer) => {
            out += b.toString();
            if (out.includes("\n")) resolve(out.trim());
          });
          p.once("error", reject);
          p.once("exit", () => resolve(out.trim()));
        }),
    );
    const outcomes = (await Promise.all(runs)).sort();
    expect(outcomes).toEqual(["refused", "refused", "refused", "won"]);
  }, 60_000);

  it("openDb locks the data directory until the database is closed; the data stays", async () => {
    const dir = tempDir();
    const db = await openDb({ dataDir: dir });
    try {
      await expect(openDb({ dataDir: dir })).rejects.toThrow(DataDirInUseError);
      await db.tx(async (q) => {
        await q.query("CREATE TABLE kept (v int)");
        await q.query("INSERT INTO kept VALUES (42)");
      });
    } finally {
      await db.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const reopened = await openDb({ dataDir: dir });
    try {
      expect(await reopened.read((q) => q.query<{ v: number }>("SELECT v FROM kept"))).toEqual([{ v: 42 }]);
    } finally {
      await reopened.close();
    }
  });
});
