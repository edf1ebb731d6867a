/** Further CLI commands: replay, simulate, period close, statements of the ledger. */
import { readFileSync } from "node:fs";
import { runScenario } from "@fenxiao/core";
import { systemClock } from "../clock.ts";
import { loadConfig } from "../config.ts";
import { type Db, openDb } from "../db/client.ts";
import { loadMigrations, migrate } from "../db/migrate.ts";
import { DB_UNIT_MODULES } from "../db-units.ts";
import { runDueCloses } from "../jobs/close.ts";
import { closeProgramPeriod, snapshotReader } from "../modules/periods/service.ts";
import { simulateDraft } from "../modules/periods/simulate.ts";
import { getProgram } from "../modules/programs/repository.ts";

export interface CliCommand {
  name: string;
  sub?: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Open the configured database, run `fn`, and close it (the embedded database's thread with it). */
async function withOpenDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    unitModules: DB_UNIT_MODULES,
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Open the configured database, migrate it, run `fn`, and close it. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return withOpenDb(async (db) => {
    await migrate(db);
    return fn(db);
  });
}

/** `fenxiao migrate`: apply what is pending and name it, or say that nothing was. */
export async function migrateCommand(): Promise<number> {
  return withOpenDb(async (db) => {
    const applied = await migrate(db);
    const latest = loadMigrations().at(-1)?.id ?? "(none)";
    if (applied.length === 0) console.log(`no pending migrations: the database is at ${latest}`);
    else {
      console.log(`applied ${applied.length} migration${applied.length === 1 ? "" : "s"}:`);
      for (const id of applied) console.log(`  ${id}`);
      console.log(`the database is at ${latest}`);
    }
    return 0;
  });
}

function readJson(path: string | undefined, what: string): unknown {
  if (!path) throw new Error(`give the path of ${what}`);
  return JSON.parse(readFileSync(path === "-" ? 0 : path, "utf8"));
}

export const extraCommands: CliCommand[] = [
  {
    name: "replay",
    usage: "replay <scenario.json>",
    summary: "replay a scenario in memory and print every line and balance as JSON",
    async run([file]) {
      const result = runScenario(readJson(file, "a scenario file") as Parameters<typeof runScenario>[0]);
      // written out before the process exits: a large result on a pipe is written asynchronously, and exit cuts it short
      await new Promise<void>((ok, fail) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, (e) => (e ? fail(e) : ok())));
      return 0;
    },
  },
  {
    name: "simulate",
    usage: "simulate <merchantId> <programId> <draft-plan.json>",
    summary: "what-if: replay the program's history under a draft plan",
    async run([merchantId, programId, file]) {
      if (!merchantId || !programId) throw new Error("usage: fenxiao simulate <merchantId> <programId> <draft-plan.json>");
      const doc = readJson(file, "a draft plan");
      return withDb(async (db) => {
        const out = await db.read(async (q) => simulateDraft(q, await getProgram(q, merchantId, programId), doc, systemClock.now(), {}));
        console.log(JSON.stringify(out, null, 2));
        return 0;
      });
    },
  },
  {
    name: "period",
    sub: "close",
    usage: "period close <merchantId> <programId> <periodKey> | --due",
    summary: "close a period (or every period that is due) and print the summary",
    async run([merchantId, programId, periodKey]) {
      return withDb(async (db) => {
        if (merchantId === "--due") {
          console.log(JSON.stringify({ closed: await runDueCloses(db, systemClock) }));
          return 0;
        }
        if (!merchantId || !programId || !periodKey) throw new Error("usage: fenxiao period close <merchantId> <programId> <periodKey>");
        const out = await db.tx(async (q) =>
          closeProgramPeriod(q, await getProgram(q, merchantId, programId), periodKey, systemClock.now(), snapshotReader(db)),
        );
        console.log(JSON.stringify(out, null, 2));
        return 0;
      });
    },
  },
];
