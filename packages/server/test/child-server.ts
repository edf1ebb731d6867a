/**
 * A real server process for the tests that need more than one (two processes on one PostgreSQL) or need to kill one:
 * `node --import tsx …/cli/main.ts serve` directly (no npx wrapper), so that a signal hits the server itself.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const CLI = join(ROOT, "packages/server/src/cli/main.ts");
/**
 * How long a child may take to answer /health: a guard against a hang, not a speed check. A first start on an empty
 * database migrates and may create the demo data, which on a slow or shared runner takes well over the half minute it
 * takes on a quiet one (docs/performance.md, "Test suite time").
 */
export const CHILD_START_TIMEOUT_MS = 150_000;
/** How much of a child's output is kept for the error message of a failed start. */
const OUTPUT_KEPT_CHARS = 8_000;

export interface ServerChild {
  proc: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

/** Start `fenxiao serve` with `env` on a free port and wait until /health answers. */
export async function startServerChild(env: NodeJS.ProcessEnv, startTimeoutMs = CHILD_START_TIMEOUT_MS): Promise<ServerChild> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: base };
  const proc = spawn(process.execPath, ["--import", "tsx", CLI, "serve"], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString("utf8")).slice(-OUTPUT_KEPT_CHARS);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    proc.once("exit", (code, signal) => ok({ code, signal })),
  );
  const child: ServerChild = { proc, base, exited, output: () => out };
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited during start:\n${out}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill("SIGKILL");
  throw new Error(`server not healthy within ${startTimeoutMs} ms:\n${out}`);
}
