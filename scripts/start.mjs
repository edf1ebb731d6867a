#!/usr/bin/env node
// npm start: the server and, when packages/web/dist is missing or older than its sources, the web app's build — side
// by side, so that a first start builds the console while the database is created and the demo data written (each
// takes a core; one after the other they took their sum). Until the build is there, the server answers the console's
// pages with a short "being built" page that reloads itself (packages/server/src/http/web.ts).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** When `npm start` began (this process's start, before Node loaded it): the server's "ready in" counts from here. */
const startedAt = Date.now() - process.uptime() * 1000;
const sinceStart = () => ((Date.now() - startedAt) / 1000).toFixed(1);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "packages", "web");
const built = join(web, "dist", "index.html");
/** Inputs of the build; a change in any of them makes dist stale. */
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json"];
/** Never walk more files than this looking for a newer one. */
const FILES_MAX = 5000;
const win = process.platform === "win32";

function newestMtimeMs(path, budget) {
  if (!existsSync(path) || budget.left <= 0) return 0;
  budget.left -= 1;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name), budget));
  return newest;
}

/** Why the web app must be built, or null when dist is up to date. */
function buildReason() {
  if (!existsSync(built)) return "packages/web/dist is missing";
  const builtAt = statSync(built).mtimeMs;
  const budget = { left: FILES_MAX };
  const newest = Math.max(...SOURCES.map((s) => newestMtimeMs(join(web, s), budget)));
  return newest > builtAt ? "packages/web has changed since the last build" : null;
}

function buildWeb(why) {
  console.log(`${why}: building the web app (npm run build:web) while the server starts…`);
  const t0 = Date.now();
  // The build's own output is kept back (it would interleave with the server's); shown only when it fails.
  // A process group of its own (detached), so that stopping it stops npm's children (vite) too.
  const build = spawn("npm", ["run", "build:web"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], shell: win, detached: !win });
  let out = "";
  build.stdout.on("data", (b) => {
    out += b;
  });
  build.stderr.on("data", (b) => {
    out += b;
  });
  build.on("exit", (code) => {
    if (code === 0) {
      console.log(
        `web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s: the console and portal are served now (${sinceStart()} s after npm start)`,
      );
      return;
    }
    if (code === null) return; // stopped with the server
    console.error(`${out}\nThe web app did not build (above); the API keeps running, without the console at /.`);
  });
  return build;
}

/** Stop the build and everything it started (its process group; on Windows the process itself). */
function stopBuild(build) {
  try {
    if (win) build.kill("SIGTERM");
    else process.kill(-build.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
}

const why = buildReason();
const build = why ? buildWeb(why) : null;
const server = spawn(
  join(root, "node_modules", ".bin", win ? "tsx.cmd" : "tsx"),
  ["--max-semi-space-size=64", "packages/server/src/cli/main.ts", "serve", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", shell: win, env: { ...process.env, FENXIAO_STARTED_AT: String(Math.round(startedAt)) } },
);
// Ctrl-C reaches both children (one process group); a signal sent to this script alone is passed on.
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => {
  if (build && build.exitCode === null) stopBuild(build);
  // A server stopped by a signal exits as a shell reports it: 128 + the signal's number (130 for Ctrl-C).
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
