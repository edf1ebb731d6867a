/**
 * One process per embedded data directory. PGlite runs PostgreSQL in single-user mode inside the process: there is no
 * postmaster to refuse a second opener, and two processes writing one data directory would each keep their own buffers
 * and WAL position and damage it. The server and every CLI command therefore take this lock before opening a data
 * directory: a file holding the process id (and, on Linux, the process's start time), created exclusively. A second
 * opener is refused with the holder's process id; a file left by a process that no longer runs (killed, machine or
 * container restarted) is taken over — also when its process id now belongs to another process, which the start time
 * tells (in a container the same small ids come back on every start).
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const LOCK_FILE = "fenxiao.pid";

/** Data directories this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the data directory ${dir} is in use by process ${pid}${pid === process.pid ? " (this process)" : ""}. ` +
        "Embedded mode allows one process per data directory: stop that process first (while the server runs, use its HTTP API), " +
        `or use PostgreSQL (DATABASE_URL) to run several processes. If process ${pid} is not Fenxiao, delete ${join(dir, LOCK_FILE)}.`,
    );
    this.name = "DataDirInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or null where there is no /proc. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function readHolder(file: string): { pid: number | null; started: string | null } | null {
  try {
    const [first, second] = readFileSync(file, "utf8").split("\n");
    const pid = Number.parseInt(first ?? "", 10);
    return { pid: Number.isSafeInteger(pid) && pid > 0 ? pid : null, started: second?.trim() || null };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

function holderOf(file: string): number | null {
  return readHolder(file)?.pid ?? null;
}

/** Whether the process that wrote the lock file still runs: same id, alive, and (where known) the same start time. */
function holderRuns(h: { pid: number | null; started: string | null }): boolean {
  if (h.pid === null || !alive(h.pid)) return false;
  if (h.started === null) return true;
  const now = processStartTime(h.pid);
  return now === null || now === h.started;
}

/** Take the lock of `dir` (created if missing); returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const abs = resolve(dir);
  if (held.has(abs)) throw new DataDirInUseError(abs, process.pid);
  mkdirSync(abs, { recursive: true });
  const file = join(abs, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // Written whole under a private name, then linked into place: the link fails if the file exists, and no
      // other opener can ever read a half-written (empty) file and take it for a stale one.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${process.pid}\n${processStartTime(process.pid) ?? ""}\n`);
      try {
        linkSync(tmp, file);
      } finally {
        unlinkSync(tmp);
      }
      held.add(abs);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(abs);
        if (holderOf(file) === process.pid) unlinkSync(file);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const h = readHolder(file);
      const pid = h?.pid ?? null;
      // A running process other than this one holds it. Our own pid in the file (not in `held`) is a previous
      // incarnation of this process id — in a container the server is often pid 1 on every start.
      if (h && pid !== null && pid !== process.pid && holderRuns(h)) throw new DataDirInUseError(abs, pid);
      try {
        // Stale: its process is gone. Read it once more right before removing it, so that a file another opener
        // has just written in its place is not the one removed.
        if (holderOf(file) === pid) unlinkSync(file);
      } catch (u) {
        if ((u as NodeJS.ErrnoException).code !== "ENOENT") throw u;
      }
    }
  }
  // Another opener took it between our unlink and our create.
  throw new DataDirInUseError(abs, holderOf(file) ?? 0);
}
