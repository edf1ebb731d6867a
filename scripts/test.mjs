#!/usr/bin/env node
// npm test: every test on embedded PGlite, then the database tests again on PostgreSQL when TEST_DATABASE_URL is set.
import { spawnSync } from "node:child_process";

const extra = process.argv.slice(2);
function run(label, env, args) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync("npx", ["vitest", "run", ...args, ...extra], { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let failed = 0;
failed |= run("all tests on PGlite", { FENXIAO_TEST_DB: "pglite" }, []);
if (process.env.TEST_DATABASE_URL) {
  failed |= run(
    `database tests on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ":***@")})`,
    { FENXIAO_TEST_DB: "postgres" },
    ["--project", "server"],
  );
} else {
  console.log("\nTEST_DATABASE_URL is not set: PostgreSQL run skipped.");
}
process.exit(failed ? 1 : 0);
