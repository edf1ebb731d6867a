/** Command-line options shared by the benchmarks. */

/** `--name` as an integer from min to max (`1_000_000` and `1,000,000` read as 1000000), or `dflt` when not given. */
export function intOption(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${v}`);
  return n;
}

const ADMIN_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres";

/** The PostgreSQL to create benchmark databases on: --admin-url, else BENCH_DATABASE_URL, else local. Only 127.0.0.1. */
export function benchAdminUrl(v: string | undefined): string {
  const adminUrl = v ?? process.env.BENCH_DATABASE_URL ?? ADMIN_URL_DEFAULT;
  const host = new URL(adminUrl).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`the benchmark only talks to 127.0.0.1, not ${host}`);
  return adminUrl;
}
