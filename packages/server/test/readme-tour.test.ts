/**
 * The README's API tour, run as it is written: the `sh` block of "A five-minute tour" is taken from README.md and run by
 * bash (and by zsh when it is installed, `apt-get install -y zsh`) against a real server with the demo data, with only
 * the address changed to the test server's. So the tour cannot rot: a renamed route, a field the API now refuses, an
 * unquoted URL that zsh would glob, or a write without an Idempotency-Key fails here.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, seedDemo } from "../src/demo/seed.ts";
import { type Harness, startHarness, TEST_KEY_RING } from "./helpers.ts";

const README = join(import.meta.dirname, "..", "..", "..", "README.md");

/** The first ```sh block after the "A five-minute tour" heading. */
export function tourBlock(readme: string): string {
  const section = readme.slice(readme.indexOf("## A five-minute tour"));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m?.[1]) throw new Error("README.md: no ```sh block under '## A five-minute tour'");
  return m[1];
}

/** The block's commands, a multi-line command (an open single quote at the end of a line) joined into one. */
export function commands(block: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of block.split("\n")) {
    if (!current && line.trim().startsWith("#")) continue; // a comment line (its apostrophes are not quotes)
    current = current ? `${current}\n${line}` : line;
    const quotes = (current.match(/'/g) ?? []).length;
    if (quotes % 2 === 0) {
      if (current.trim()) out.push(current);
      current = "";
    }
  }
  return out;
}

const isWrite = (cmd: string) => /\s(-d|--data\S*|-X\s*(POST|PUT|PATCH|DELETE))\s/.test(cmd);

/** Runs the block with `shell`: stop at the first failing command; curl fails on an HTTP error and says why. */
function runTour(shell: string, block: string, base: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const script = [
    "set -e",
    // The tour's own curl lines, as written, with the HTTP status checked: a 4xx or 5xx stops the run.
    'curl() { command curl --fail-with-body -S "$@"; echo; }',
    block.replaceAll("http://localhost:3000", base),
  ].join("\n");
  // Asynchronous: the server answering the tour runs in this process.
  return new Promise((resolve) => {
    execFile(shell, ["-c", script], { encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const ZSH = ["/usr/bin/zsh", "/bin/zsh"].find((p) => existsSync(p));

describe("README tour", () => {
  const block = tourBlock(readFileSync(README, "utf8"));
  let h: Harness;

  beforeAll(async () => {
    // The tour's order is paid on 2026-11-23: the server's clock is later, as a reader's is.
    h = await startHarness("2026-11-30T02:00:00.000Z");
    await seedDemo(h.db, h.clock, TEST_KEY_RING);
  }, 300_000);
  afterAll(async () => h?.close());

  it("quotes every URL and sends every write with an Idempotency-Key", () => {
    const cmds = commands(block).filter((c) => /\bcurl\b/.test(c));
    expect(cmds.length).toBeGreaterThan(3);
    for (const cmd of cmds) {
      for (const url of cmd.match(/\S*localhost:3000\S*/g) ?? []) {
        expect(url, `unquoted URL in: ${cmd}`).toMatch(/^'http:\/\/localhost:3000[^'\s]*'$/);
      }
      if (isWrite(cmd)) expect(cmd, `a write without an Idempotency-Key: ${cmd}`).toMatch(/-H '?Idempotency-Key: [^']+'/);
    }
    expect(cmds.filter(isWrite).length).toBeGreaterThanOrEqual(2);
  });

  it("runs in bash against a real server: the order is attributed, the refund reverses, the ledger verifies", async () => {
    const r = await runTour("bash", block, h.base);
    expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
    checkOutput(r.stdout);
  });

  it.skipIf(!ZSH)(
    `runs in zsh as well, again (the writes replay)${ZSH ? "" : " — skipped: zsh is not installed (apt-get install -y zsh)"}`,
    async () => {
      // The same database as the bash run: the writes carry the same Idempotency-Keys, so they answer as the first time.
      const r = await runTour(ZSH as string, block, h.base);
      expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
      checkOutput(r.stdout);
    },
  );

  function checkOutput(stdout: string) {
    const docs = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const order = docs.find((d) => d.orderRef === "TOUR-1" && d.attributionPath === "code");
    expect(order, stdout).toBeDefined();
    expect(order?.programId).toBe(DEMO.programId);
    // The refund's answer: a quarter of ¥1,999.00 refunded, each line reversed in proportion.
    const refunded = docs.find((d) => d.orderRef === "TOUR-1" && d.refundedMinor === 50_000) as
      | { commissions: { amountMinor: number; reversedMinor: number }[] }
      | undefined;
    expect(refunded, stdout).toBeDefined();
    for (const c of refunded?.commissions ?? []) expect(c.reversedMinor).toBe(Math.round((c.amountMinor * 50_000) / 199_900));
    const verify = docs.at(-1);
    expect(verify, stdout).toMatchObject({ ok: true });
  }
});
