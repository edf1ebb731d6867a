/** The server package's public entry: build the app, or start the whole platform. */
export { buildApp } from "./app.ts";
export { type Clock, ManualClock, systemClock } from "./clock.ts";
export { loadConfig, type ServerConfig } from "./config.ts";
export { type Db, openDb } from "./db/client.ts";
export { migrate } from "./db/migrate.ts";
export { banner, startServer } from "./server.ts";
