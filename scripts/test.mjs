#!/usr/bin/env node
// npm test: every test on embedded PGlite, then the database tests again on PostgreSQL when TEST_DATABASE_URL is set.
// Each phase's wall time is printed at the end (docs/performance.md, "Test suite time").
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const extra = process.argv.slice(2);
const times = [];

function run(label, env, args) {
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const r = spawnSync("npx", ["vitest", "run", ...args, ...extra], { stdio: "inherit", env: { ...process.env, ...env } });
  const status = r.status ?? 1;
  times.push({ label, seconds: (Date.now() - started) / 1000, status });
  return status;
}

/**
 * The server test files that reach a database: those that use the test harness (helpers.ts and the fixtures built on
 * it), start server processes, or read the database settings themselves. The others (pure functions, the payout
 * providers against their fakes, the architecture rules) do the same on either database: they run once, on PGlite.
 */
const REACHES_DB = /helpers\.ts|fixtures|child-server|FENXIAO_TEST_DB|TEST_DATABASE_URL|src\/db\/client|src\/app|src\/server/;
function databaseTestFiles() {
  const dir = join(root, "packages/server/test");
  const all = readdirSync(dir).filter((f) => f.endsWith(".test.ts"));
  const db = all.filter((f) => REACHES_DB.test(readFileSync(join(dir, f), "utf8")));
  const once = all.filter((f) => !db.includes(f));
  return { files: db.map((f) => relative(root, join(dir, f))), once };
}

let failed = 0;
failed |= run("all tests on PGlite", { FENXIAO_TEST_DB: "pglite" }, []);
if (process.env.TEST_DATABASE_URL) {
  // A file named on the command line (npm test -- <file>) is run as asked; otherwise the database test files.
  const named = extra.some((a) => a.endsWith(".test.ts"));
  const { files, once } = databaseTestFiles();
  if (!named && once.length) console.log(`\nOn PGlite only (they use no database): ${once.join(", ")}`);
  failed |= run(
    `database tests on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ":***@")})`,
    { FENXIAO_TEST_DB: "postgres" },
    ["--project", "server", ...(named ? [] : files)],
  );
} else {
  console.log("\nTEST_DATABASE_URL is not set: PostgreSQL run skipped.");
}
console.log("\n=== wall time per phase ===");
for (const t of times) console.log(`${t.status === 0 ? "passed" : "FAILED"}  ${t.seconds.toFixed(0).padStart(5)} s  ${t.label}`);
const total = times.reduce((s, t) => s + t.seconds, 0);
console.log(`        ${total.toFixed(0).padStart(5)} s  in all`);
process.exit(failed ? 1 : 0);
