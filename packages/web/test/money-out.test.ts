/**
 * Browser test of the money-out screens against a real server (PGlite with the demo data, the built app served by the
 * server, Debian's Chromium): the merchant sets the withdrawal fee and tax in the settings form, a promoter records an
 * identity and a bank card, previews a withdrawal (the figures shown are the API's) and requests it, the merchant
 * approves it in the review queue, a payout run through the sandbox pays it, and the promoter sees it paid and
 * downloads the month's statement. Screenshots at 390 px (portal) and 1280 px (console).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatMoney } from "@fenxiao/core/money/money.ts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO } from "../../server/src/demo/seed.ts";
import { browserSuite, type Json, type MoneyServer, shotsDir, startMoneyServer, UI_WAIT_MS, UNNAMED_CONTROLS } from "./money-server.ts";

/** 10925 → "109.25", as the statement's CSV writes amounts. */
function yuan(minor: number): string {
  return `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

browserSuite("money out (browser)", () => {
  let m: MoneyServer;
  let merchantToken: string;
  const ok = <T = Json>(method: string, path: string, token?: string, body?: unknown) => m.ok<T>(method, path, token, body);
  const login = (email: string) => m.login(email);

  beforeAll(async () => {
    m = await startMoneyServer();
    merchantToken = await login(DEMO.merchantAdmin);
  });

  afterAll(async () => m?.close());

  it("settings form → identity and bank card → preview equal to the API's → withdraw → approve → sandbox pays → paid, statement downloaded", async () => {
    // The promoter with the most available money.
    let email = "";
    let best = -1;
    for (let i = 1; i <= 12; i++) {
      const token = await login(DEMO.promoterEmail(i));
      const w = await ok<{ totals: { availableMinor: number }[] }>("GET", "/v1/me/wallet", token);
      const a = w.totals[0]?.availableMinor ?? 0;
      if (a > best) {
        best = a;
        email = DEMO.promoterEmail(i);
      }
    }
    expect(best).toBeGreaterThan(20_000);
    const promoterToken = await login(email);

    // 1. The merchant sets the withdrawal rules and the tax in the form: yuan and percent, stored as fen and bps.
    const console_ = await m.desktop();
    const mp = await console_.newPage();
    await m.logIn(mp, DEMO.merchantAdmin);
    await mp.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await mp.getByTestId("nav-money-settings").click();
    await mp.getByTestId("money-settings").waitFor({ timeout: UI_WAIT_MS });
    await mp.getByTestId("settings-minimum").fill("10.5");
    await mp.getByTestId("settings-autoApprove").fill("0");
    await mp.getByText("按比例", { exact: true }).click();
    await mp.getByTestId("settings-feeRate").fill("1.5");
    await mp.getByTestId("settings-feeFloor").fill("1");
    await m.choose(mp, "计税方式", "固定税率");
    await mp.getByTestId("settings-taxRate").fill("10");
    await mp.screenshot({ path: join(shotsDir, "console-money-settings.png"), fullPage: true });
    expect(await mp.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    await mp.getByTestId("settings-save").click();
    await mp.getByText("设置已保存").waitFor({ timeout: UI_WAIT_MS });
    const settings = await ok<{ withdrawal: Json; tax: Json }>("GET", `/v1/programs/${DEMO.programId}/money-settings`, merchantToken);
    expect(settings.withdrawal.minimumMinor).toBe(1050);
    expect(settings.withdrawal.autoApproveMaxMinor).toBe(0);
    expect(settings.withdrawal.fee).toEqual({ kind: "percent", rateBps: 150, floorMinor: 100, ceilingMinor: null });
    expect(settings.tax).toMatchObject({ method: "flat", rateBps: 1000 });

    // 2. The promoter, on a phone: wallet, identity, bank card.
    const portal = await m.phone();
    const pp = await portal.newPage();
    await m.logIn(pp, email);
    await pp.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });
    await pp.getByTestId("tab-wallet").click();
    const totalAvailable = pp.getByTestId("wallet-total-available");
    await totalAvailable.waitFor({ timeout: UI_WAIT_MS });
    expect(await totalAvailable.innerText()).toBe(formatMoney(best));
    expect(await pp.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await pp.screenshot({ path: join(shotsDir, "portal-wallet.png") });

    await pp.getByTestId("wallet-withdraw").click();
    await pp.getByTestId("go-setup").first().waitFor({ timeout: UI_WAIT_MS }); // no identity, no account yet
    await pp.getByTestId("go-setup").first().click();
    await pp.getByTestId("identity-legal-name").fill("王小明");
    await pp.getByTestId("identity-id-number").fill("110105199003071239");
    await pp.getByTestId("identity-phone").fill("13812345678");
    await pp.getByTestId("identity-save").click();
    const idNumber = pp.getByTestId("identity-number");
    await idNumber.waitFor({ timeout: UI_WAIT_MS });
    expect(await idNumber.innerText()).toMatch(/^110\*+1239$/);
    expect(await pp.getByTestId("identity-name").innerText()).not.toContain("小明");
    await pp.getByTestId("account-add").click();
    await pp.getByTestId("bank-holder").fill("王小明");
    await pp.getByTestId("bank-name").fill("招商银行");
    await pp.getByTestId("bank-card").fill("6222 0212 3456 7890 128");
    await pp.getByTestId("account-save").click();
    const display = pp.getByTestId("payout-account-display").first();
    await display.waitFor({ timeout: UI_WAIT_MS });
    expect(await display.innerText()).toMatch(/0128/);
    expect(await display.innerText()).not.toContain("6222021234567890128");
    await pp.screenshot({ path: join(shotsDir, "portal-accounts.png"), fullPage: true });
    expect(await pp.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    const accounts = await ok<{ items: { id: string }[] }>("GET", "/v1/me/payout-accounts", promoterToken);
    const accountId = accounts.items[0]?.id ?? "";

    // 3. Withdraw: a refusal shows its figures; then the preview shows the API's figures before confirming.
    await pp.getByTestId("tab-wallet").click();
    await pp.getByTestId("wallet-withdraw").click();
    const amountBox = pp.getByTestId("withdraw-amount");
    await amountBox.waitFor({ timeout: UI_WAIT_MS });
    await amountBox.fill(`${Math.trunc(best / 100) + 1}`);
    await expect
      .poll(
        () =>
          pp
            .getByTestId("withdraw-refusal")
            .innerText()
            .catch(() => ""),
        { timeout: UI_WAIT_MS },
      )
      .toContain(`可提现余额不足，当前可提现 ${formatMoney(best)}`);
    await amountBox.fill("123.45");
    const apiPreview = await ok<{ amountMinor: number; taxMinor: number; feeMinor: number; netMinor: number }>(
      "POST",
      "/v1/me/withdrawals/preview",
      promoterToken,
      { programId: DEMO.programId, amountMinor: 12_345, payoutAccountId: accountId },
    );
    expect(apiPreview.amountMinor).toBe(12_345);
    expect(apiPreview.taxMinor).toBe(1235); // 10 %, half-up
    expect(apiPreview.feeMinor).toBe(185); // 1.5 % = 185.175 → 185
    await expect
      .poll(
        () =>
          pp
            .getByTestId("preview-net")
            .innerText()
            .catch(() => ""),
        { timeout: UI_WAIT_MS },
      )
      .toBe(formatMoney(apiPreview.netMinor));
    expect(await pp.getByTestId("preview-amount").innerText()).toBe(formatMoney(apiPreview.amountMinor));
    expect(await pp.getByTestId("preview-tax").innerText()).toBe(`−${formatMoney(apiPreview.taxMinor)}`);
    expect(await pp.getByTestId("preview-fee").innerText()).toBe(`−${formatMoney(apiPreview.feeMinor)}`);
    await pp.screenshot({ path: join(shotsDir, "portal-withdraw.png"), fullPage: true });
    expect(await pp.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    await pp.getByTestId("withdraw-submit").click();
    await pp.getByTestId("withdraw-confirm-ok").click();
    const detail = pp.getByTestId("withdrawal-detail");
    await detail.waitFor({ timeout: UI_WAIT_MS });
    expect(await detail.getAttribute("data-state")).toBe("requested");
    expect(await pp.getByTestId("detail-net").innerText()).toBe(formatMoney(apiPreview.netMinor));
    const mine = await ok<{ items: { id: string; state: string; netMinor: number }[] }>("GET", "/v1/me/withdrawals", promoterToken);
    expect(mine.items).toHaveLength(1);
    const withdrawalId = mine.items[0]?.id ?? "";
    expect(mine.items[0]?.netMinor).toBe(apiPreview.netMinor);

    // 4. The merchant approves it in the review queue.
    await mp.getByTestId("nav-withdrawals").click();
    const table = mp.getByTestId("review-table");
    await table.locator("tbody tr.ant-table-row").first().waitFor({ timeout: UI_WAIT_MS });
    expect(await table.locator("tbody tr.ant-table-row").count()).toBe(1);
    expect(await table.innerText()).toContain(formatMoney(apiPreview.netMinor));
    await mp.screenshot({ path: join(shotsDir, "console-withdrawals.png") });
    expect(await mp.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    await table.getByTestId("approve").click();
    await mp.getByText("已通过", { exact: true }).first().waitFor({ timeout: UI_WAIT_MS });
    const approved = await ok<{ state: string }>("GET", `/v1/withdrawals/${withdrawalId}`, merchantToken);
    expect(approved.state).toBe("approved");

    // 4b. This month's statement already has the withdrawal's lock (a line that moves nothing out of what is owed).
    await pp.getByTestId("tab-wallet").click();
    await pp.getByTestId("wallet-statements").click();
    await pp.getByTestId("statement-summary").waitFor({ timeout: UI_WAIT_MS });
    const lockedCsv = await m.downloadText(pp, "statement-csv");
    expect(
      lockedCsv
        .split(/\r?\n/)
        .filter((l) => l.includes(`withdrawal:${withdrawalId}:`))
        .join("\n"),
      lockedCsv,
    ).toContain("withdraw_lock");
    expect(lockedCsv.split(/\r?\n/).some((l) => l.includes(`withdrawal:${withdrawalId}:`))).toBe(true);

    await finishThroughPayout({ mp, pp, promoterToken, withdrawalId, net: apiPreview.netMinor });
    // 7. The merchant's statements and reports page: the month's merchant statement as CSV.
    await mp.getByTestId("nav-reports").click();
    expect((await m.downloadText(mp, "merchant-statement-csv")).charCodeAt(0)).toBe(0xfeff);
    await mp.screenshot({ path: join(shotsDir, "console-reports.png") });
    expect(await mp.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

    // 8. The platform admin makes the program prepaid and records a top-up; the merchant sees the budget.
    const platform = await m.desktop();
    const ap = await platform.newPage();
    await m.logIn(ap, DEMO.platformAdmin);
    await ap.waitForURL(/\/platform$/, { timeout: UI_WAIT_MS });
    await ap.getByTestId("platform-program").fill(DEMO.programId);
    await ap.getByTestId("platform-program-open").click();
    await ap.getByTestId("funding-mode").getByText("预付（预算账户）").click();
    await ap.getByTestId("topup-amount").fill("5,000.5");
    await ap.getByTestId("topup-reference").fill("BANK-20261201-001");
    await ap.getByTestId("topup-submit").click();
    await ap.getByText("充值已记录").waitFor({ timeout: UI_WAIT_MS });
    const funding = await ok<{ mode: string; budgetMinor: number; topups: { amountMinor: number }[] }>(
      "GET",
      `/v1/programs/${DEMO.programId}/funding`,
      merchantToken,
    );
    expect(funding.mode).toBe("prepaid");
    expect(funding.topups.map((t) => t.amountMinor)).toEqual([500_050]);
    await expect.poll(() => ap.getByTestId("funding-budget").innerText(), { timeout: UI_WAIT_MS }).toBe(formatMoney(funding.budgetMinor));
    await ap.screenshot({ path: join(shotsDir, "platform-funding.png"), fullPage: true });
    await mp.getByTestId("nav-funding").click();
    await expect.poll(() => mp.getByTestId("funding-budget").innerText(), { timeout: UI_WAIT_MS }).toBe(formatMoney(funding.budgetMinor));
    await mp.screenshot({ path: join(shotsDir, "console-funding.png") });
    await platform.close();
    await portal.close();
    await console_.close();
  });

  /** 5. A payout run through the sandbox pays it; 6. the promoter sees it paid and downloads the statement. */
  async function finishThroughPayout(x: { mp: Page; pp: Page; promoterToken: string; withdrawalId: string; net: number }) {
    const { mp, pp, withdrawalId, net } = x;
    // The sandbox decides quickly and never declines here (its defaults decline one transfer in ten).
    await ok("PUT", "/v1/payout-providers/sandbox", merchantToken, {
      enabled: true,
      config: { delayMs: 300, failureRate: 0, duplicateRate: 0, lateRate: 0 },
    });
    await mp.getByTestId("nav-payout-runs").click();
    await mp.getByTestId("run-start").click();
    const counts = mp.getByTestId("run-counts").first();
    await counts.waitFor({ timeout: UI_WAIT_MS });
    expect(await counts.getAttribute("data-total")).toBe("1");
    await expect.poll(() => counts.getAttribute("data-paid"), { timeout: 90_000, interval: 1000 }).toBe("1");
    await expect.poll(() => mp.getByTestId("run-state").first().getAttribute("data-state"), { timeout: 60_000 }).toBe("finished");
    expect(await counts.getAttribute("data-failed")).toBe("0");
    await mp.screenshot({ path: join(shotsDir, "console-payout-runs.png") });
    const paid = await ok<{ state: string; transitions: { to: string }[] }>("GET", `/v1/withdrawals/${withdrawalId}`, merchantToken);
    expect(paid.state).toBe("paid");

    // The promoter: 已到账 with its transitions.
    await pp.goto(`${m.base}/portal/wallet/history/${withdrawalId}`);
    const detail = pp.getByTestId("withdrawal-detail");
    await detail.waitFor({ timeout: UI_WAIT_MS });
    expect(await detail.getAttribute("data-state")).toBe("paid");
    expect(await pp.getByTestId("withdrawal-state").first().innerText()).toBe("已到账");
    await expect.poll(() => pp.getByTestId("withdrawal-transition").count(), { timeout: UI_WAIT_MS }).toBe(paid.transitions.length);
    expect(await pp.getByTestId("withdrawal-transitions").innerText()).toContain("打款成功");
    await pp.screenshot({ path: join(shotsDir, "portal-withdrawal.png"), fullPage: true });

    // The statement of this month, as CSV (checked line by line) and as PDF.
    await pp.getByTestId("tab-wallet").click();
    await pp.getByTestId("wallet-statements").click();
    await pp.getByTestId("statement-summary").waitFor({ timeout: UI_WAIT_MS });
    await pp.screenshot({ path: join(shotsDir, "portal-statements.png") });
    const [csvDownload] = await Promise.all([
      pp.waitForEvent("download", { timeout: UI_WAIT_MS }),
      pp.getByTestId("statement-csv").click(),
    ]);
    const csvPath = await csvDownload.path();
    const csv = readFileSync(csvPath, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM, for Excel
    expect(csv).toContain("提现到账");
    const payLine = csv.split(/\r?\n/).find((l) => l.includes("withdraw_pay"));
    expect(payLine, csv).toBeDefined();
    expect(payLine).toContain(yuan(net));
    const [pdfDownload] = await Promise.all([
      pp.waitForEvent("download", { timeout: UI_WAIT_MS }),
      pp.getByTestId("statement-pdf").click(),
    ]);
    expect(
      readFileSync(await pdfDownload.path())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");

    // The same withdrawal in English.
    await pp.goto(`${m.base}/portal/wallet/history/${withdrawalId}`);
    await pp.getByTestId("withdrawal-detail").waitFor({ timeout: UI_WAIT_MS });
    await pp.getByTestId("lang-switch").getByText("English").click();
    await expect.poll(() => pp.getByTestId("withdrawal-state").first().innerText()).toBe("Paid");
    expect(await pp.getByTestId("withdrawal-transitions").innerText()).toContain("Requested");
    await pp.screenshot({ path: join(shotsDir, "portal-withdrawal-en.png"), fullPage: true });
    await pp.getByTestId("lang-switch").getByText("中文").click();
  }
});
