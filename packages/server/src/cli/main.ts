#!/usr/bin/env node
/**
 * The `fenxiao` command for operators.
 *   serve                     run the platform (migrations on start, demo data on the first run)
 *   migrate                   apply pending migrations and name them
 *   admin create              create a platform admin (password from a file descriptor, an env var or a prompt)
 *   demo                      create demo data in an empty database
 *   release                   release due commission (pending → available) now
 *   ledger verify             recompute every merchant's hash chain and balances; exit 1 on any difference
 *   keys generate | rotate    a new FENXIAO_SECRET_KEY; re-seal personal data under the current key
 * Database: DATABASE_URL (PostgreSQL) or embedded PGlite in FENXIAO_DATA_DIR (default ./.fenxiao/data).
 */
import { loadConfig } from "../config.ts";
import { banner, startServer } from "../server.ts";

/**
 * Wall clock since `npm start` began (FENXIAO_STARTED_AT, set by scripts/start.mjs: its install check and the web
 * build's start count too), or since this process started when it was run directly.
 */
function readyIn(): string {
  const startedAt = Number(process.env.FENXIAO_STARTED_AT);
  if (Number.isFinite(startedAt) && startedAt > 0) return `ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s since npm start`;
  return `ready in ${process.uptime().toFixed(1)} s`;
}

/** `fenxiao serve`: start, print the banner, run until a signal. */
async function serve(): Promise<number> {
  const config = loadConfig();
  const s = await startServer(config);
  console.log(banner(config, s.port, s.db.kind, s.state));
  console.log(`  ${readyIn()}\n`);
  const stop = async () => {
    await s.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return -1;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "serve") return serve();
  const { runCommand } = await import("./commands-main.ts");
  return runCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
