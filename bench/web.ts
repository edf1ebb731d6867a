/**
 * Web bundle benchmark: builds the web app (into a temporary directory, with a Vite manifest) and prints what a first
 * visit downloads, in KB gzip: the JS and CSS of the entry (index.html) and everything it imports statically, plus the
 * route's own chunks and their static imports. Lazy chunks (dynamic imports) are not counted: they arrive when opened,
 * except those the route's loader downloads beside it before its first screen (App.tsx: antd's theme and locale and the
 * consoles' strings for the console), which are listed with the route.
 * Usage: npm run bench -- web [--keep]   (--keep leaves the build directory and prints where it is)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const webDir = join(import.meta.dirname, "..", "packages", "web");

/** The routes measured, by the modules the app loads for them (App.tsx), and the budget for each. */
export const ROUTES = [
  { name: "portal", chunks: ["src/portal/PortalApp.tsx"], budgetKb: 150 },
  {
    name: "console",
    chunks: ["src/console/ConsoleApp.tsx", "src/components/AntdRoot.tsx", "src/i18n/console.ts"],
    budgetKb: 400,
  },
] as const;

type ManifestChunk = { file: string; imports?: string[]; css?: string[]; isEntry?: boolean };
export type Manifest = Record<string, ManifestChunk>;

/** The files (JS and CSS) a first visit loads for `keys`: each chunk, its CSS and its static imports, transitively. */
export function firstLoadFiles(manifest: Manifest, keys: string[]): string[] {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the Vite manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const k of keys) visit(k);
  return [...files];
}

export type RouteLoad = { name: string; files: { file: string; gzipBytes: number }[]; gzipBytes: number; budgetKb: number };

/** Sizes (gzip level 9, as the build's .gz files) of each route's first load in the build at `outDir`. */
export function measure(outDir: string): RouteLoad[] {
  const manifest = JSON.parse(readFileSync(join(outDir, ".vite", "manifest.json"), "utf8")) as Manifest;
  return ROUTES.map((r) => {
    const files = firstLoadFiles(manifest, ["index.html", ...r.chunks])
      .map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length }))
      .sort((a, b) => b.gzipBytes - a.gzipBytes);
    return { name: r.name, files, gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0), budgetKb: r.budgetKb };
  });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export async function run(args: string[]): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), "fenxiao-bench-web-"));
  const load = loadavg();
  const t0 = performance.now();
  try {
    await build({
      configFile: join(webDir, "vite.config.ts"),
      logLevel: "warn",
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    const buildS = (performance.now() - t0) / 1000;
    console.log(`built in ${buildS.toFixed(1)} s (load average before ${load.map((l) => l.toFixed(2)).join(" ")})`);
    let over = 0;
    for (const r of measure(outDir)) {
      const ok = r.gzipBytes <= r.budgetKb * 1024;
      if (!ok) over++;
      console.log(
        `${r.name} first load: ${kb(r.gzipBytes)} KB gzip in ${r.files.length} files (budget ${r.budgetKb} KB: ${ok ? "met" : "NOT met"})`,
      );
      for (const f of r.files.slice(0, 8)) console.log(`  ${kb(f.gzipBytes).padStart(7)} KB  ${f.file}`);
    }
    console.log(
      `load average after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    if (over) process.exitCode = 1;
  } finally {
    if (args.includes("--keep")) console.log(`build kept in ${outDir}`);
    else rmSync(outDir, { recursive: true, force: true });
  }
}
