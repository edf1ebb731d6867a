/**
 * The console's API keys and admins pages and the platform console in Chromium against a real server: create an API
 * key (the secret shown once), use it, revoke it; invite an admin, who must choose a password at the first login;
 * the platform admin suspends the merchant (its admin's login and open console say so) and reactivates it. The
 * console header is checked at 390 px. Skipped without /usr/bin/chromium, except on CI.
 *
 * Screenshots go to test-results/screenshots/; with FENXIAO_SCREENSHOTS=docs they replace docs/screenshots/*.png.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, PASSWORD, startHarness } from "../../server/test/helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const run = existsSync(CHROMIUM) || process.env.CI === "true";
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(webDir, "..", "..");
const shotsDir =
  process.env.FENXIAO_SCREENSHOTS === "docs" ? join(repoDir, "docs", "screenshots") : join(repoDir, "test-results", "screenshots");
const UI_WAIT_MS = 30_000;
const DESKTOP = { width: 1440, height: 900 };

describe.runIf(run)("console: API keys, admins, and the platform console (browser)", () => {
  let h: Harness;
  let browser: Browser;
  let merchantId: string;
  const email = `admin-console-${randomBytes(3).toString("hex")}@test.local`;

  async function logIn(page: Page, who: string, password: string) {
    await page.goto(`${h.base}/login`);
    await page.getByTestId("login-email").fill(who);
    await page.getByTestId("login-password").fill(password);
    await page.getByTestId("login-submit").click();
  }

  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
    h = await startHarness();
    const m = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "管理测试商家", slug: "admin-console", adminEmail: email, adminPassword: PASSWORD, adminName: "店长" },
    });
    expect(m.status).toBe(201);
    merchantId = m.body.merchantId;
    const key = m.body.apiKey.key as string;
    const p = await h.call("POST", "/v1/programs", { token: key, body: { name: "主计划", landingUrl: "https://shop.example/" } });
    expect(p.status).toBe(201);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("creates an API key shown once, uses it, revokes it; invites an admin who sets a password at the first login", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, email, PASSWORD);
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });

    await page.getByRole("menuitem", { name: "开发者" }).click();
    await page.getByTestId("nav-api-keys").click();
    await page.waitForURL(/\/console\/api-keys$/);
    await page.getByTestId("api-key-create").click();
    await page.getByTestId("api-key-name").fill("ERP 同步");
    await page.getByTestId("api-key-create-submit").click();
    const secretEl = page.getByTestId("api-key-secret");
    await secretEl.waitFor({ timeout: UI_WAIT_MS });
    const secret = (await secretEl.innerText()).trim();
    expect(secret).toMatch(/^fxk_[A-Za-z0-9_-]{20,}$/);
    await page.screenshot({ path: join(shotsDir, "console-api-key-secret.png") });
    await page.getByTestId("api-key-secret-done").click();
    await secretEl.waitFor({ state: "detached" });
    const table = page.getByTestId("api-keys-table");
    await expect.poll(() => table.innerText(), { timeout: UI_WAIT_MS }).toContain("ERP 同步");
    // Once closed, the secret is nowhere on the page: the list shows only its prefix.
    expect(await page.content()).not.toContain(secret);
    expect(await table.innerText()).toContain(secret.slice(0, 10));

    const use = () => fetch(`${h.base}/v1/merchant`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await use()).status).toBe(200);
    await page.reload();
    const row = page.getByRole("row", { name: /ERP 同步/ });
    await expect.poll(() => row.innerText(), { timeout: UI_WAIT_MS }).not.toContain("从未使用");
    await page.screenshot({ path: join(shotsDir, "console-api-keys.png") });
    await row.getByRole("button", { name: /吊销/ }).click();
    await page.getByTestId("api-key-revoke-ok").click();
    await expect.poll(() => row.innerText(), { timeout: UI_WAIT_MS }).toContain("已吊销");
    expect((await use()).status).toBe(401);

    // Invite a second admin: the one-time password is shown once; their first login asks for a new password.
    await page.getByTestId("nav-users").click();
    await page.waitForURL(/\/console\/users$/);
    await page.getByTestId("user-invite").click();
    const invitee = `second-${randomBytes(3).toString("hex")}@test.local`;
    await page.getByTestId("user-invite-email").fill(invitee);
    await page.getByTestId("user-invite-name").fill("第二位店长");
    await page.getByTestId("user-invite-submit").click();
    const passwordEl = page.getByTestId("user-initial-password");
    await passwordEl.waitFor({ timeout: UI_WAIT_MS });
    const initial = (await passwordEl.innerText()).trim();
    expect(initial).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await page.getByTestId("user-secret-done").click();
    const users = page.getByTestId("users-table");
    await expect.poll(() => users.innerText(), { timeout: UI_WAIT_MS }).toContain(invitee);
    expect(await users.innerText()).toContain("待首次登录改密");
    await page.screenshot({ path: join(shotsDir, "console-users.png") });

    const second = await (await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" })).newPage();
    await logIn(second, invitee, initial);
    await second.getByTestId("first-password").waitFor({ timeout: UI_WAIT_MS });
    await second.getByTestId("password-current").fill(initial);
    await second.getByTestId("password-new").fill("second-admin-pass-1");
    await second.getByTestId("password-confirm").fill("second-admin-pass-1");
    await second.getByTestId("change-password-submit").click();
    await second.getByTestId("merchant-name").waitFor({ timeout: UI_WAIT_MS });
    await second.context().close();
    const afterReload = async () => {
      await page.reload();
      return users.innerText();
    };
    await expect.poll(afterReload, { timeout: UI_WAIT_MS }).not.toContain("待首次登录改密");

    // The console header at 390 px: every control of the header is on screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${h.base}/console/users`);
    const header = page.locator(".console-header");
    await header.waitFor();
    for (const id of ["merchant-name", "lang-switch", "change-password", "logout"]) {
      const box = await page.getByTestId(id).first().boundingBox();
      expect(box, id).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), id).toBeLessThanOrEqual(390);
      expect(box?.x ?? -1, id).toBeGreaterThanOrEqual(0);
    }
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(shotsDir, "console-header-390.png") });
    await context.close();
  });

  it("the platform admin suspends the merchant (its admin sees why) and reactivates it", async () => {
    const merchantContext = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" });
    const merchant = await merchantContext.newPage();
    await logIn(merchant, email, PASSWORD);
    await merchant.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });

    const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, "root@test.local", PASSWORD);
    await page.waitForURL(/\/platform$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("platform-kpi-merchants").waitFor({ timeout: UI_WAIT_MS });
    const search = page.getByPlaceholder("搜索商家名称、标识或 ID");
    await search.fill("admin-console");
    await search.press("Enter");
    const table = page.getByTestId("merchants-table");
    await expect.poll(() => table.innerText(), { timeout: UI_WAIT_MS }).toContain("管理测试商家");
    await page.getByTestId(`merchant-suspend-${merchantId}`).click();
    await page.getByTestId("merchant-status-reason").fill("合同到期未续签");
    await page.getByTestId("merchant-status-submit").click();
    await page.getByTestId(`merchant-suspended-${merchantId}`).waitFor({ timeout: UI_WAIT_MS });
    expect(await table.innerText()).toContain("合同到期未续签");
    await page.screenshot({ path: join(shotsDir, "platform-console.png"), fullPage: true });

    // The merchant's open console says so, and so does a new login.
    await merchant.reload();
    await merchant.getByTestId("merchant-suspended").waitFor({ timeout: UI_WAIT_MS });
    expect(await merchant.getByTestId("merchant-suspended").innerText()).toContain("商家已暂停");
    await merchant.getByTestId("logout").click();
    await merchant.waitForURL(/\/login$/);
    await logIn(merchant, email, PASSWORD);
    const refused = merchant.getByTestId("login-error");
    await refused.waitFor({ timeout: UI_WAIT_MS });
    expect(await refused.innerText()).toContain("该商家已被平台暂停服务");
    await merchant.screenshot({ path: join(shotsDir, "login-merchant-suspended.png") });

    await page.getByTestId(`merchant-reactivate-${merchantId}`).click();
    await page.getByTestId("merchant-status-reason").fill("已续签");
    await page.getByTestId("merchant-status-submit").click();
    await page.getByTestId(`merchant-suspend-${merchantId}`).waitFor({ timeout: UI_WAIT_MS });
    await logIn(merchant, email, PASSWORD);
    await merchant.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await merchant.getByTestId("merchant-name").waitFor({ timeout: UI_WAIT_MS });
    await merchantContext.close();
    await context.close();
  });
});
