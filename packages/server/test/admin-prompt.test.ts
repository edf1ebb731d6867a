/**
 * `fenxiao admin create` at a terminal: the password is asked twice and never echoed. A pseudo-terminal comes from
 * util-linux `script`; without it the test is skipped.
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { PgliteDb } from "../src/db/client.ts";
import { onPostgres, tempDirs } from "./helpers.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = join(ROOT, "packages/server/src/cli/main.ts");
const haveScript = spawnSync("script", ["--version"]).status === 0;
const dirs = tempDirs("fenxiao-prompt-");
afterEach(dirs.cleanup);

/** Run the command in a pseudo-terminal, typing `answers` one at a time, each after `prompt` appears again. */
function atTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  prompt: string,
  answers: string[],
): Promise<{ code: number | null; out: string }> {
  const command = [process.execPath, "--import", "tsx", CLI, ...args].map((a) => `'${a}'`).join(" ");
  return new Promise((ok, fail) => {
    const proc = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let asked = 0;
    proc.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      const prompts = out.split(prompt).length - 1;
      while (asked < prompts && asked < answers.length) proc.stdin.write(`${answers[asked++]}\r`);
      if (asked === answers.length) proc.stdin.end();
    });
    proc.once("error", fail);
    proc.once("exit", (code) => ok({ code, out }));
  });
}

describe.skipIf(onPostgres || !haveScript)("fenxiao admin create at a terminal", () => {
  it("asks twice without echo; two different answers create nothing", { timeout: 120_000 }, async () => {
    const dir = dirs.make();
    const env: NodeJS.ProcessEnv = { ...process.env, FENXIAO_DATA_DIR: dir };
    delete env.DATABASE_URL;
    delete env.FENXIAO_ADMIN_PASSWORD;
    const differ = await atTerminal(["admin", "create", "--email", "tty@example.com"], env, "assword", [
      "tty-pass-phrase-1",
      "tty-pass-phrase-2",
    ]);
    expect(differ.code).toBe(1);
    expect(differ.out).toContain("the two passwords differ");
    const made = await atTerminal(["admin", "create", "--email", "tty@example.com"], env, "assword", [
      "tty-pass-phrase-1",
      "tty-pass-phrase-1",
    ]);
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain("Password: ");
    expect(made.out).toContain("Password again: ");
    expect(made.out).toContain("platform admin created: tty@example.com");
    expect(made.out).not.toContain("tty-pass-phrase");
    const db = await PgliteDb.open(dir);
    try {
      const rows = await db.read((q) => q.query<{ role: string }>("SELECT role FROM users WHERE email = 'tty@example.com'"));
      expect(rows).toEqual([{ role: "platform_admin" }]);
    } finally {
      await db.close();
    }
  });
});
