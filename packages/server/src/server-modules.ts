/**
 * What startServer (server.ts) loads while its database opens: the app with its routes and services, the jobs, the
 * demo. Imported dynamically there, so that their loading runs beside PGlite's start instead of before it.
 */
export { buildApp } from "./app.ts";
export { demoExists, seedDemoIfEmpty } from "./demo/seed.ts";
export { startScheduler } from "./jobs/scheduler.ts";
export { startSandboxDelivery } from "./modules/payouts/providers/sandbox.ts";
export { runnerDepsOf } from "./modules/payouts/service.ts";
export { sealClearContacts } from "./sealed-targets.ts";

export type ServerModules = typeof import("./server-modules.ts");
