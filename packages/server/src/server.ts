/**
 * Start the platform: check the port, open the database, migrate, create the demo data where asked (an empty
 * database, and the embedded one or FENXIAO_DEMO=1), listen, schedule jobs.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { type Clock, systemClock } from "./clock.ts";
import type { ServerConfig } from "./config.ts";
import { loadKeyRing } from "./crypto/key-file.ts";
import { type Db, openDb } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { DB_UNIT_MODULES } from "./db-units.ts";
import { DEMO } from "./demo/logins.ts";
import type { ServerModules } from "./server-modules.ts";

/** Seconds since `t0` (a `performance.now()`), for the start's log lines. */
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** How long in-flight requests get to finish on shutdown before their connections are closed. */
export const SHUTDOWN_GRACE_MS = 5_000;

const portInUse = (config: ServerConfig) =>
  new Error(`port ${config.port} on ${config.host} is already in use (another Fenxiao server?): stop it or set PORT to a free port`);

/**
 * Fail at once when the port is taken, before the slow part of a start (opening the database, migrations, demo data):
 * bind it and let it go. Listening at the end reports a port taken in between the same way.
 */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((ok, fail) => {
    probe.once("error", fail);
    probe.listen({ port, host, exclusive: true }, () => ok());
  });
  await new Promise((r) => probe.close(r));
}

/** What the banner says about the database: whether the demo exists and whether anyone can log in as platform admin. */
export interface StartState {
  demo: boolean;
  platformAdmin: boolean;
}

async function startState(db: Db, { demoExists }: ServerModules): Promise<StartState> {
  const [admin] = await db.read((q) => q.query("SELECT 1 FROM users WHERE role = 'platform_admin' LIMIT 1"));
  return { demo: await demoExists(db), platformAdmin: admin !== undefined };
}

export async function startServer(config: ServerConfig, opts: { clock?: Clock; demo?: boolean; log?: (s: string) => void } = {}) {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((s: string) => console.log(s));
  try {
    await checkPortFree(config.port, config.host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") throw portInUse(config);
    throw e;
  }
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const secrets = loadKeyRing(config);
  // A data directory without PG_VERSION is created on this open (PGlite's initdb, the slow part of a first start).
  const created = !config.databaseUrl && !existsSync(join(config.dataDir, "PG_VERSION"));
  const opening = performance.now();
  // The server's modules (the app, its routes and services, the jobs) load on this thread while the database opens
  // on its own (embedded PGlite) or connects: on a first start the two take seconds each, side by side instead of
  // one after the other where a core is free (on two cores beside the web build it is within the noise; see
  // docs/performance.md "Start-up"). What loads here registers its database routines too, so migrate waits for both.
  const loading = import("./server-modules.ts");
  loading.catch(() => undefined); // awaited below; a failed open must not leave it unhandled
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    unitModules: DB_UNIT_MODULES,
  });
  let app: Awaited<ReturnType<ServerModules["buildApp"]>>;
  let modules: ServerModules;
  let seeded = false;
  let state: StartState;
  if (created) log(`database created in ${seconds(opening)}`);
  try {
    modules = await loading;
    const { buildApp, sealClearContacts, seedDemoIfEmpty } = modules;
    const migrating = performance.now();
    const applied = await migrate(db);
    if (applied.length) log(`migrations applied in ${seconds(migrating)}: ${applied.join(", ")}`);
    for (const c of await sealClearContacts(db, secrets))
      if (c.found > 0) log(`${c.table}: ${c.resealed} rows of personal data sealed${c.unreadable ? `, ${c.unreadable} unreadable` : ""}`);
    if (opts.demo !== false && config.demo) {
      const seeding = performance.now();
      seeded = await seedDemoIfEmpty(db, clock, secrets, log);
      if (seeded) log(`demo data created in ${seconds(seeding)}`);
    }
    state = await startState(db, modules);
    // Start with planner statistics that describe the data: the embedded database has no autovacuum (see PgliteDb),
    // and on PostgreSQL autovacuum may not yet have looked at tables that were just filled.
    await db.analyze();
    app = await buildApp({
      db,
      clock,
      secrets,
      config: {
        publicUrl: config.publicUrl,
        sessionHours: config.sessionHours,
        trustProxy: config.trustProxy,
        limits: config.limits,
      },
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    // Nothing is listening: close the database (and release an embedded data directory) before giving up.
    await db.close().catch(() => undefined);
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") throw portInUse(config);
    // A database's or the network's error (a SQLSTATE, or a system code like ECONNREFUSED) names the database used;
    // anything else is a fault of its own and stays as it is.
    const code = (e as { code?: unknown }).code;
    if (config.databaseUrl && typeof code === "string" && /^([0-9A-Z]{5}|E[A-Z]+)$/.test(code))
      throw new Error(`PostgreSQL at ${redactUrl(config.databaseUrl)} (DATABASE_URL): ${(e as Error).message}`);
    throw e;
  }
  const { startScheduler, startSandboxDelivery, runnerDepsOf } = modules;
  const scheduler = startScheduler(db, clock, log, {
    secrets,
    idempotencyRetentionDays: config.idempotencyRetentionDays,
    loginLockoutMinutes: config.limits.loginLockoutMinutes,
    payouts: runnerDepsOf({ db, clock, secrets, config: { publicUrl: config.publicUrl, sessionHours: config.sessionHours } }, log),
  });
  // The sandbox payout provider's callbacks (modules/payouts/providers/sandbox.ts), posted as they fall due.
  const sandbox = startSandboxDelivery({ db, clock, ring: secrets }, log);
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  return {
    app,
    db,
    port,
    seeded,
    state,
    async close() {
      scheduler.stop();
      sandbox.stop();
      // Keep-alive clients must not hold the process open: close idle sockets now, and all of them after a grace period.
      app.server.closeIdleConnections();
      const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      await app.close();
      clearTimeout(force);
      await db.close();
    },
  };
}

/** What `fenxiao serve` prints once listening; the demo logins only when the demo data exists in this database. */
export function banner(config: ServerConfig, port: number, dbKind: string, state: StartState): string {
  const base = config.publicUrl.includes(`:${config.port}`) ? config.publicUrl.replace(`:${config.port}`, `:${port}`) : config.publicUrl;
  const lines = [
    "",
    "  Fenxiao 分销 is running",
    `  database       ${dbKind === "pglite" ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)"}`,
    `  web console    ${base}/   (merchant console and promoter portal${state.demo ? "; log in with a demo login below" : ""})`,
    `  API            ${base}/v1`,
    `  API reference  ${base}/docs   (OpenAPI 3.1: ${base}/openapi.json)`,
    `  health         ${base}/health`,
    "",
  ];
  if (state.demo)
    lines.push(
      `  Demo logins (password for all: ${DEMO.password})`,
      `    platform admin   ${DEMO.platformAdmin}`,
      `    merchant admin   ${DEMO.merchantAdmin}   (贝贝母婴)`,
      `    promoter         ${DEMO.promoterEmail(1)} … ${DEMO.promoterEmail(20)}`,
      `  Demo merchant API key   ${DEMO.apiKey}`,
      `    try: curl -H 'Authorization: Bearer ${DEMO.apiKey}' '${base}/v1/orders?limit=3'`,
      "",
    );
  else if (!state.platformAdmin)
    lines.push(
      "  No platform admin yet: create one with",
      "    fenxiao admin create --email you@example.com   (npm run fenxiao -- admin create …; docs/operations.md)",
      "",
    );
  return lines.join("\n");
}

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
