/**
 * `npm run bench [-- <benchmark> [options]]`
 *   ingest   order ingest over HTTP on PGlite and PostgreSQL (bench/ingest.ts)
 *   engine   the commission engine in memory (bench/engine.ts)
 *   close    period close of a large program on PostgreSQL (bench/close.ts)
 *   ceiling  PostgreSQL alone writing paid orders' rows: the ceiling of the ingest ratio on this machine (bench/ceiling.ts)
 *   noisy    fairness: one merchant's p50/p99 with and without another merchant flooding ingest (bench/noisy.ts)
 *   statements  a month's statements of 100,000 promoters on PostgreSQL (bench/statements.ts)
 *   set-profile  where one merchant's paid-order set spends its time on PostgreSQL, in process (bench/set-profile.ts)
 *   import   CSV import of paid orders beside PostgreSQL COPY of the same rows (bench/import.ts)
 *   payouts  a payout run of 100,000 approved withdrawals through the sandbox on PostgreSQL (bench/payouts.ts)
 *   analytics  every analytics endpoint's p50/p95 over 1,000,000 orders on PostgreSQL (bench/analytics.ts)
 *   web      the web app's first-load size per route (portal, console) in KB gzip against the budgets (bench/web.ts)
 * Without a benchmark name, runs ingest (with the given options) and then engine.
 * Benchmarks print their figures; record them in docs/performance.md with the machine they ran on.
 */
import { existsSync } from "node:fs";

type Bench = { run(args: string[]): Promise<unknown> };

const BENCHES = [
  "ingest",
  "engine",
  "close",
  "ceiling",
  "noisy",
  "statements",
  "import",
  "payouts",
  "analytics",
  "set-profile",
  "web",
] as const;

async function load(name: (typeof BENCHES)[number]): Promise<Bench | null> {
  const url = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(url)) return null;
  // A computed specifier: a benchmark file that does not exist yet must not break the others.
  const mod = (await import(url.href)) as Partial<Bench>;
  if (typeof mod.run !== "function") throw new Error(`bench/${name}.ts does not export run(args)`);
  return mod as Bench;
}

async function runOne(name: (typeof BENCHES)[number], args: string[]): Promise<void> {
  const b = await load(name);
  if (!b) {
    console.log(`bench/${name}.ts is not there yet: skipped`);
    return;
  }
  console.log(`\n=== bench: ${name} ===`);
  await b.run(args);
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const named = BENCHES.find((b) => b === first);
  if (named) {
    await runOne(named, rest);
    return 0;
  }
  if (first === undefined || first.startsWith("--")) {
    await runOne("ingest", argv);
    await runOne("engine", []);
    return 0;
  }
  console.error(`usage: npm run bench [-- ${BENCHES.join("|")} [options]]\n  unknown benchmark: ${first}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
