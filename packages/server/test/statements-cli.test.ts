/**
 * `fenxiao statements export` and `fenxiao tax report` as child processes against a database the test fills: the
 * embedded one in a data directory, or a fresh PostgreSQL database when FENXIAO_TEST_DB=postgres.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { accrue, merchantAccount, release, withdrawLock, withdrawPay, withdrawWithhold } from "@fenxiao/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKeyText } from "../src/crypto/sealed.ts";
import { type Db, PostgresDb } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { PgliteThreadDb } from "../src/db/pglite-thread.ts";
import { DB_UNIT_MODULES } from "../src/db-units.ts";
import { postTxs } from "../src/modules/ledger/repository.ts";
import { createTestDatabase, onPostgres, tempDirs } from "./helpers.ts";
import { pdfText } from "./pdf-text.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = join(ROOT, "packages/server/src/cli/main.ts");
const dirs = tempDirs("fenxiao-statements-");
let env: NodeJS.ProcessEnv;
let dropDb: (() => Promise<void>) | null = null;

function fenxiao(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout?.on("data", (b: Buffer) => {
      out += b.toString("utf8");
    });
    proc.stderr?.on("data", (b: Buffer) => {
      err += b.toString("utf8");
    });
    proc.once("error", fail);
    proc.once("exit", (code) => ok({ code, out, err }));
  });
}

async function fill(db: Db): Promise<void> {
  await db.tx(async (q) => {
    await q.query("INSERT INTO merchants (id, name) VALUES ('mcli', '命令行商户')");
    await q.query("INSERT INTO programs (merchant_id, id, name, landing_url) VALUES ('mcli', 'p1', 'p', 'https://x.example/')");
    for (const [id, name] of [
      ["pr_a", "甲"],
      ["pr_b", "乙"],
    ])
      await q.query("INSERT INTO promoters (id, name) VALUES ($1, $2)", [id, name]);
    await q.query(
      "INSERT INTO memberships (merchant_id, program_id, promoter_id, code, joined_at) VALUES ('mcli', 'p1', 'pr_a', 'CA', now()), ('mcli', 'p1', 'pr_b', 'CB', now())",
    );
  });
  const w = { promoterId: "pr_a", amountMinor: 5_000, taxMinor: 500, feeMinor: 100 };
  const at = (s: string) => new Date(s);
  const post = (d: Parameters<typeof postTxs>[2], when: string) => db.tx((q) => postTxs(q, "mcli", d, at(when)));
  await post(
    [
      accrue("mcli", "CNY", "order:1:paid", "订单佣金", [
        { promoterId: "pr_a", amountMinor: 10_000 },
        { promoterId: "pr_b", amountMinor: 2_000 },
      ]),
    ],
    "2026-11-02T01:00:00Z",
  );
  await post([release("CNY", "rel:1", "release", [{ promoterId: "pr_a", amountMinor: 10_000 }])], "2026-11-09T01:00:00Z");
  await post([withdrawLock("CNY", "wd:1:lock", "lock", w)], "2026-11-10T01:00:00Z");
  await post([withdrawWithhold("CNY", "wd:1:withhold", "withhold", w, merchantAccount("mcli", "fee_income"))], "2026-11-10T02:00:00Z");
  await post([withdrawPay("CNY", "wd:1:pay", "pay", w)], "2026-11-10T03:00:00Z");
}

beforeAll(async () => {
  const key = newSecretKeyText();
  if (onPostgres) {
    const t = await createTestDatabase();
    const db = PostgresDb.open(t.url, 4);
    await migrate(db);
    await fill(db);
    await db.close();
    dropDb = t.drop;
    env = { ...process.env, DATABASE_URL: t.url, FENXIAO_SECRET_KEY: key };
  } else {
    const dir = join(dirs.make(), "data");
    const db = await PgliteThreadDb.open(dir, DB_UNIT_MODULES);
    await migrate(db);
    await fill(db);
    await db.close();
    env = { ...process.env, FENXIAO_DATA_DIR: dir, FENXIAO_SECRET_KEY: key };
    delete env.DATABASE_URL;
  }
}, 120_000);
afterAll(async () => {
  await dropDb?.();
  dirs.cleanup();
});

describe("fenxiao statements export", () => {
  it("writes the merchant's statement and every promoter's summary and lines", async () => {
    const out = dirs.make();
    const r = await fenxiao(["statements", "export", "--period", "2026-11", "--out", out]);
    expect(r.err).toContain("1 merchant(s), 2 promoter statement(s)");
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "merchant-mcli-2026-11.csv",
      "promoters-mcli-2026-11.csv",
      "statement-lines-mcli-2026-11.csv",
    ]);
    const summary = readFileSync(join(out, "promoters-mcli-2026-11.csv"), "utf8");
    expect(summary.charCodeAt(0)).toBe(0xfeff);
    const rows = summary.slice(1).trim().split("\r\n");
    expect(rows).toHaveLength(3);
    // opening, earnings (order, period, event, other), reversals, adjustments, withdrawals, tax, fees, closing, lines
    expect(rows[1]).toBe("mcli,2026-11,pr_a,甲,CNY,0.00,100.00,100.00,0.00,0.00,0.00,0.00,0.00,44.00,5.00,1.00,50.00,5");
    expect(rows[2]).toBe("mcli,2026-11,pr_b,乙,CNY,0.00,20.00,20.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,20.00,1");
    const lines = readFileSync(join(out, "statement-lines-mcli-2026-11.csv"), "utf8").slice(1).trim().split("\r\n");
    expect(lines).toHaveLength(1 + (1 + 5 + 1) + (1 + 1 + 1));
    const merchant = readFileSync(join(out, "merchant-mcli-2026-11.csv"), "utf8");
    expect(merchant).toContain("commissions,佣金计提,,,120.00");
    expect(merchant).toContain("payouts,提现到账,,,44.00");
  }, 120_000);

  it("writes one promoter's statement as PDF, and refuses a bad period naming it", async () => {
    const out = dirs.make();
    const r = await fenxiao([
      "statements",
      "export",
      "--period",
      "2026-11",
      "--merchant",
      "mcli",
      "--promoter",
      "pr_a",
      "--format",
      "pdf",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const text = (await pdfText(readFileSync(join(out, "statement-mcli-pr_a-2026-11.pdf")))).join("\n");
    expect(text).toContain("推广员对账单");
    expect(text).toContain("¥50.00");
    expect(text).toContain("命令行商户");
    const bad = await fenxiao(["statements", "export", "--period", "2026-13"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--period");
    const unknown = await fenxiao(["statements", "export", "--period", "2026-11", "--merchant", "nope", "--out", out]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("No merchant nope");
  }, 120_000);
});

describe("fenxiao tax report", () => {
  it("prints the monthly detail and the quarterly report as CSV", async () => {
    const month = await fenxiao(["tax", "report", "--month", "2026-11", "--merchant", "mcli"]);
    expect(month.code).toBe(0);
    expect(month.out).toContain("证件号码 ID number (masked)");
    const file = join(dirs.make(), "q.csv");
    const quarter = await fenxiao(["tax", "report", "--quarter", "2026Q4", "--merchant", "mcli", "--out", file]);
    expect(quarter.code).toBe(0);
    const csv = readFileSync(file, "utf8").slice(1).trim().split("\r\n");
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain("pr_a");
    expect(csv[1]).toContain("missing");
    expect(csv[1]).toContain(",100.00,0.00,100.00,0.00,0.00");
    const both = await fenxiao(["tax", "report", "--month", "2026-11", "--quarter", "2026Q4"]);
    expect(both.code).toBe(1);
    expect(both.err).toContain("usage");
  }, 120_000);
});
