/**
 * The shape of the server's import graph (docs/ARCHITECTURE.md house rules): the database layer (src/db) knows
 * nothing of the modules that use it, and no file of src imports itself through a circle of other files. Imports
 * are read from the source text: every static `import … from` and `export … from` with a relative path, type-only
 * imports included (a circle of types is still a circle of files that cannot change apart).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|mjs)$/.test(f) ? [p] : [];
  });
}

/** The relative imports of a file, resolved to absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?\bfrom\s+["']([^"']+)["']/gm)].map((m) => m[1] as string);
  const bare = [...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)].map((m) => m[1] as string);
  return [...specifiers, ...bare].filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => files.includes(i))]));
const rel = (f: string) => relative(SRC, f);

/** Every circle of the graph found by a depth-first search (each as the files on it, in import order). */
function circles(): string[][] {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const found: string[][] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    path.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next].map(rel));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe("import graph of packages/server/src", () => {
  it("reads the imports it checks (the scanner sees the server's real edges)", () => {
    expect(graph.get(join(SRC, "app.ts"))?.length).toBeGreaterThan(3);
    expect(importsOf(join(SRC, "db/batch.ts")).some((i) => i.startsWith(join(SRC, "db") + sep))).toBe(true);
  });

  it("db/ imports nothing from modules/", () => {
    const offending = files
      .filter((f) => f.startsWith(join(SRC, "db") + sep))
      .flatMap((f) => importsOf(f).flatMap((i) => (i.startsWith(join(SRC, "modules") + sep) ? [`${rel(f)} → ${rel(i)}`] : [])));
    expect(offending).toEqual([]);
  });

  it("has no circle of imports", () => {
    expect(circles()).toEqual([]);
  });
});
