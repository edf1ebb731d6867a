/**
 * Browser test of the bank batch file (docs/payouts.md, "Bank batch file") against a real server (./money-server.ts):
 * three approved withdrawals to bank cards, the merchant starts a payout run through the bank file in the console,
 * downloads the batch file, the bank's result file is written from it (two lines paid, one failed), the merchant
 * uploads it in the console, and the withdrawals show paid and failed accordingly — in the run and in the review queue.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO } from "../../server/src/demo/seed.ts";
import { seedApprovedWithdrawals } from "../../server/test/payout-fixtures.ts";
import { browserSuite, type MoneyServer, shotsDir, startMoneyServer, UI_WAIT_MS, UNNAMED_CONTROLS } from "./money-server.ts";

browserSuite("bank batch file (browser)", () => {
  let m: MoneyServer;
  // Building the app and seeding the demo data take minutes on a loaded machine.
  beforeAll(async () => {
    m = await startMoneyServer();
  }, 600_000);
  afterAll(async () => m?.close());

  it("exports the run's batch file, uploads the bank's result in the console, and the withdrawals show paid and failed", async () => {
    const ids = await seedApprovedWithdrawals(m.db, DEMO.merchantId, DEMO.programId, {
      ring: m.ring,
      kind: "bank",
      count: 3,
      amountMinor: 12_345,
      at: new Date(Date.now() - 60_000),
    });
    const ctx = await m.desktop();
    const page = await ctx.newPage();
    await m.logIn(page, DEMO.merchantAdmin);
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("nav-payout-runs").click();
    await m.choose(page, "打款渠道", "银行批量文件");
    await page.getByTestId("run-start").click();
    // The scheduler drives the run to its settle step: the bank items are exported, waiting for the result.
    const exportButton = page.getByTestId("run-bank-file").first();
    await exportButton.waitFor({ timeout: UI_WAIT_MS * 2 });
    const csv = await m.downloadText(page, "run-bank-file");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe("batch_no,line_no,out_ref,holder_name,bank_name,branch,card_number,amount_yuan,remark");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.length).toBe(3);
    expect(rows.every((c) => c[7] === "123.45")).toBe(true);
    // The bank's answer: the second line failed, the others paid.
    const result = [
      "batch_no,line_no,out_ref,amount_yuan,status,reason",
      ...rows.map((c, i) => [c[0], c[1], c[2], c[7], i === 1 ? "failed" : "paid", i === 1 ? "ACCOUNT_CLOSED" : ""].join(",")),
    ].join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "fenxiao-bank-")), "result.csv");
    writeFileSync(file, result);

    await page.getByTestId("run-bank-result").first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("选择文件").setInputFiles(file);
    await expect.poll(() => dialog.getByLabel("回盘内容").inputValue(), { timeout: UI_WAIT_MS }).toContain("ACCOUNT_CLOSED");
    expect(await page.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    await page.screenshot({ path: join(shotsDir, "console-bank-result.png") });
    await dialog.getByRole("button", { name: /^上\s*传$/ }).click();
    await page.getByText("回盘已导入").waitFor({ timeout: UI_WAIT_MS });

    // The run shows two paid and one failed.
    const counts = page.getByTestId("run-counts").first();
    await expect
      .poll(async () => [await counts.getAttribute("data-paid"), await counts.getAttribute("data-failed")], { timeout: UI_WAIT_MS })
      .toEqual(["2", "1"]);

    // The review queue, all states: the three withdrawals as the bank reported them.
    await page.getByTestId("nav-withdrawals").click();
    await m.choose(page, "状态", "全部");
    await page.locator(".ant-select-dropdown:visible").waitFor({ state: "hidden", timeout: UI_WAIT_MS });
    const stateOf = (id: string) => page.locator(`tr[data-row-key="${id}"]`).getByTestId("withdrawal-state");
    const outRefLine = new Map(rows.map((c) => [c[2], Number(c[1])]));
    for (const id of ids) {
      const line = outRefLine.get(`P${id.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 32));
      expect(line).toBeDefined();
      const want = line === 2 ? "failed" : "paid";
      await expect.poll(() => stateOf(id).getAttribute("data-state"), { timeout: UI_WAIT_MS }).toBe(want);
    }
    await page.screenshot({ path: join(shotsDir, "console-bank-withdrawals.png"), fullPage: true });
    const api = await m.ok<{ items: { id: string; state: string; reason: string | null }[] }>(
      "GET",
      `/v1/withdrawals?programId=${DEMO.programId}&limit=100`,
      await m.login(DEMO.merchantAdmin),
    );
    const mine = api.items.filter((w) => ids.includes(w.id));
    expect(mine.map((w) => w.state).sort()).toEqual(["failed", "paid", "paid"]);
    expect(mine.find((w) => w.state === "failed")?.reason).toContain("ACCOUNT_CLOSED");
    await ctx.close();
  }, 300_000);
});
