// The database thread's entry (see pglite-thread.ts): worker threads do not inherit the TypeScript loader the server
// runs under, so register it here, then load the worker itself.
import { register } from "tsx/esm/api";

register();
await import("./pglite-worker.ts");
