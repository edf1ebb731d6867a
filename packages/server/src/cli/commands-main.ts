/**
 * The `fenxiao` commands other than serve (cli/main.ts): loaded only when one of them is asked for, so that a start
 * does not wait for their modules before opening its database.
 */
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { loadKeyRing } from "../crypto/key-file.ts";
import { seedDemoIfEmpty } from "../demo/seed.ts";
import { runRelease } from "../jobs/release.ts";
import { verifyMerchantLedger } from "../modules/ledger/repository.ts";
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

/** Run a command other than serve; its exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  switch (cmd) {
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
