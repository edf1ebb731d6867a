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
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { loadKeyRing } from "../crypto/key-file.ts";
import { seedDemoIfEmpty } from "../demo/seed.ts";
import { runRelease } from "../jobs/release.ts";
import { verifyMerchantLedger } from "../modules/ledger/repository.ts";
import { banner, startServer } from "../server.ts";
import { adminCommand } from "./admin.ts";
import { extraCommands, migrateCommand, withDb } from "./commands.ts";
import { importCommand } from "./import.ts";
import { keyCommands } from "./keys.ts";
import { statementCommands } from "./statements.ts";

const commands = [...extraCommands, ...keyCommands, ...statementCommands, adminCommand, importCommand];

const USAGE = `usage: fenxiao <command>
  serve                 run the platform
  migrate               apply pending migrations and say which
  demo                  create demo data in an empty database
  release               release due commission now
  ledger verify         verify every merchant's ledger hash chain and balances
${commands.map((c) => `  ${c.usage}\n                        ${c.summary}`).join("\n")}`;

/**
 * Wall clock since `npm start` began (FENXIAO_STARTED_AT, set by scripts/start.mjs: its install check and the web
 * build's start count too), or since this process started when it was run directly.
 */
function readyIn(): string {
  const startedAt = Number(process.env.FENXIAO_STARTED_AT);
  if (Number.isFinite(startedAt) && startedAt > 0) return `ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s since npm start`;
  return `ready in ${process.uptime().toFixed(1)} s`;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  switch (cmd) {
    case "serve": {
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
    case "migrate":
      return migrateCommand();
    case "demo":
      return withDb(async (db) => {
        if (!(await seedDemoIfEmpty(db, systemClock, loadKeyRing(loadConfig()), console.log))) {
          console.error("the database already has data; demo data is only created in an empty database");
          return 1;
        }
        return 0;
      });
    case "release":
      return withDb(async (db) => {
        console.log(`released ${await runRelease(db, systemClock)} commission lines`);
        return 0;
      });
    case "ledger":
      if (sub !== "verify") break;
      return withDb(async (db) => {
        const merchants = await db.read((q) => q.query<{ id: string }>("SELECT id FROM merchants ORDER BY id"));
        let ok = true;
        for (const m of merchants) {
          const r = await verifyMerchantLedger(db, m.id);
          ok &&= r.ok;
          console.log(JSON.stringify(r));
        }
        console.log(ok ? "ledger verify: OK" : "ledger verify: PROBLEMS FOUND");
        return ok ? 0 : 1;
      });
    default: {
      const extra = commands.find((c) => c.name === cmd && (!c.sub || c.sub === sub));
      if (extra) return extra.run(extra.sub ? rest : [sub, ...rest].filter((x): x is string => x !== undefined));
    }
  }
  console.error(USAGE);
  return 2;
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
