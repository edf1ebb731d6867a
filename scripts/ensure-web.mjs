#!/usr/bin/env node
// npm start: build the web app (packages/web/dist) when it is missing or older than its sources, then return.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "packages", "web");
const built = join(web, "dist", "index.html");
/** Inputs of the build; a change in any of them makes dist stale. */
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json"];
/** Never walk more files than this looking for a newer one. */
const FILES_MAX = 5000;

function newestMtimeMs(path, budget) {
  if (!existsSync(path) || budget.left <= 0) return 0;
  budget.left -= 1;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name), budget));
  return newest;
}

function reason() {
  if (!existsSync(built)) return "packages/web/dist is missing";
  const builtAt = statSync(built).mtimeMs;
  const budget = { left: FILES_MAX };
  const newest = Math.max(...SOURCES.map((s) => newestMtimeMs(join(web, s), budget)));
  return newest > builtAt ? "packages/web has changed since the last build" : null;
}

const why = reason();
if (why) {
  console.log(`${why}: building the web app (npm run build:web)…`);
  const t0 = Date.now();
  const r = spawnSync("npm", ["run", "build:web"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  console.log(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) {
    console.error("The web app did not build; the API will still start, without the console at /.");
    // The API is still useful without the console: do not block the server.
  }
}
