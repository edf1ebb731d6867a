/**
 * Accessibility of the main console and portal screens in Chromium against a real server with the demo data: every
 * control has an accessible name, no icon is announced by its English file name in the Chinese UI, table rows open
 * their drawer from the keyboard, and the console header fits a 390 px phone. Skipped without /usr/bin/chromium,
 * except on CI.
 */

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../server/src/app.ts";
import { systemClock } from "../../server/src/clock.ts";
import type { PgliteDb } from "../../server/src/db/client.ts";
import { DEMO } from "../../server/src/demo/seed.ts";
import { demoDatabase } from "./money-server.ts";

const CHROMIUM = "/usr/bin/chromium";
const UI_WAIT_MS = 30_000;
const shotsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "test-results", "screenshots");

/**
 * The visible controls of the page without an accessible name, by the rules a screen reader applies in the order that
 * matters here: aria-labelledby, aria-label, a <label>, the text inside (with images' alt and labelled icons), title.
 * Also the icons that announce an English file name (antd's default aria-label) instead of being hidden.
 * Runs in the page, so it is plain JavaScript (this test's TypeScript has no DOM types).
 */
const AUDIT = `(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && !el.closest("[aria-hidden='true']");
    };
    const textOf = (el) => {
      if (el instanceof HTMLElement && el.getAttribute("aria-hidden") === "true") return "";
      if (el instanceof HTMLImageElement) return el.alt;
      const label = el.getAttribute("aria-label");
      if (el !== document.body && label && el.getAttribute("role") === "img") return label;
      let out = "";
      for (const n of el.childNodes) out += n.nodeType === Node.TEXT_NODE ? (n.textContent ?? "") : n instanceof Element ? textOf(n) : "";
      return out;
    };
    const nameOf = (el) => {
      const by = el.getAttribute("aria-labelledby");
      if (by)
        return by
          .split(/\\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" ")
          .trim();
      const aria = el.getAttribute("aria-label");
      if (aria?.trim()) return aria.trim();
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const labels = [...(el.labels ?? [])].map((l) => l.textContent ?? "").join(" ");
        if (labels.trim()) return labels.trim();
        if (el instanceof HTMLInputElement && ["button", "submit", "reset"].includes(el.type)) return el.value;
        return (el.getAttribute("title") ?? el.getAttribute("placeholder") ?? "").trim();
      }
      return (textOf(el).trim() || el.getAttribute("title") || "").trim();
    };
    const controls = document.querySelectorAll(
      "button, a[href], input:not([type='hidden']), select, textarea, [role='button'], [role='link'], [role='combobox'], [role='tab'], [role='menuitem'], [role='switch'], [role='checkbox'], [role='radio'], [role='option']",
    );
    const describe = (el) => el.outerHTML.replace(/\\s+/g, " ").slice(0, 160);
    const unnamed = [...controls].filter((el) => visible(el) && !nameOf(el)).map(describe);
    const iconNames = [...document.querySelectorAll("span.anticon[role='img'][aria-label]")]
      .filter((el) => {
        const name = el.getAttribute("aria-label") ?? "";
        return el.classList.contains("anticon-" + name) && el.getAttribute("aria-hidden") !== "true" && !el.closest("[aria-hidden='true']");
      })
      .map(describe);
    return { unnamed, iconNames };
  })()`;

async function audit(page: Page): Promise<{ unnamed: string[]; iconNames: string[] }> {
  return page.evaluate<{ unnamed: string[]; iconNames: string[] }>(AUDIT);
}

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== "true")("accessibility (browser)", () => {
  let db: PgliteDb;
  let app: App;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // packages/web/dist is built once per run, before any file starts (build-once.ts, the project's globalSetup).
    const demo = await demoDatabase();
    db = demo.db;
    const secrets = demo.ring;
    app = await buildApp({ db, clock: systemClock, secrets, config: { publicUrl: "http://127.0.0.1", sessionHours: 24 } });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  async function logIn(page: Page, email: string) {
    await page.goto(`${base}/login`);
    expect(await audit(page)).toEqual({ unnamed: [], iconNames: [] });
    await page.getByTestId("login-email").fill(email);
    await page.getByTestId("login-password").fill(DEMO.password);
    await page.getByTestId("login-submit").click();
  }

  it("console: every control named, no English icon names, rows open their drawer from the keyboard", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, DEMO.merchantAdmin);
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await expect.poll(() => page.getByTestId("top-promoters").locator("tbody tr").count(), { timeout: UI_WAIT_MS }).toBeGreaterThan(3);
    expect(await audit(page), "dashboard").toEqual({ unnamed: [], iconNames: [] });

    // Orders: Tab to a row, Enter opens its drawer; Escape closes it.
    await page.getByTestId("nav-orders").click();
    await page.waitForURL(/\/console\/orders$/);
    // A row of the orders table (the dashboard's rows are gone once its order links are drawn).
    const firstRow = page.locator("tr.ant-table-row", { has: page.getByTestId("order-link") }).first();
    await firstRow.waitFor({ timeout: UI_WAIT_MS });
    expect(await audit(page), "orders").toEqual({ unnamed: [], iconNames: [] });
    await firstRow.focus();
    expect(await page.evaluate<string>("document.activeElement?.tagName")).toBe("TR");
    await page.keyboard.press("Enter");
    await page.getByTestId("order-drawer").waitFor({ timeout: UI_WAIT_MS });
    await page.waitForLoadState("networkidle");
    expect(await audit(page), "order drawer").toEqual({ unnamed: [], iconNames: [] });
    await page.keyboard.press("Escape");
    await page.getByTestId("order-drawer").waitFor({ state: "detached", timeout: UI_WAIT_MS });

    // Promoters: Space on a focused row opens the team drawer.
    await page.getByTestId("nav-promoters").click();
    await page.waitForURL(/\/console\/promoters$/);
    const promoterRow = page.locator("tr.ant-table-row", { has: page.locator("[data-testid^='open-']") }).first();
    await promoterRow.waitFor({ timeout: UI_WAIT_MS });
    expect(await audit(page), "promoters").toEqual({ unnamed: [], iconNames: [] });
    await promoterRow.focus();
    await page.keyboard.press(" ");
    await page.getByRole("dialog").waitFor({ timeout: UI_WAIT_MS });
    expect(await audit(page), "team drawer").toEqual({ unnamed: [], iconNames: [] });
    await page.keyboard.press("Escape");

    // The other day-to-day screens, each once its table has drawn.
    for (const path of [
      "products",
      "customers",
      "withdrawals",
      "payout-runs",
      "payout-providers",
      "api-keys",
      "users",
      "settings",
      "webhooks",
    ]) {
      await page.goto(`${base}/console/${path}`);
      await page.locator(".ant-table, form, .ant-card").first().waitFor({ timeout: UI_WAIT_MS });
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).pathname, "still in the console, logged in").toBe(`/console/${path}`);
      await page.getByTestId("merchant-name").waitFor({ timeout: UI_WAIT_MS });
      expect(await audit(page), path).toEqual({ unnamed: [], iconNames: [] });
    }
    await context.close();
  });

  it("console header at 390 px: nothing wider than the screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, DEMO.merchantAdmin);
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("merchant-name").waitFor({ timeout: UI_WAIT_MS });
    await expect
      .poll(() => page.evaluate<number>("document.documentElement.scrollWidth"), { timeout: UI_WAIT_MS })
      .toBeLessThanOrEqual(390);
    await page.getByTestId("logout").waitFor();
    expect(await page.getByTestId("logout").isVisible()).toBe(true);
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: join(shotsDir, "console-390.png") });
    await context.close();
  });

  it("portal on a phone: every control named, no English icon names", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, DEMO.promoterEmail(1));
    await page.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("why").first().waitFor({ timeout: UI_WAIT_MS });
    expect(await audit(page), "portal home").toEqual({ unnamed: [], iconNames: [] });
    for (const tab of ["orders", "team"]) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForURL(new RegExp(`/portal/${tab}$`));
      await page.waitForLoadState("networkidle");
      expect(await audit(page), `portal ${tab}`).toEqual({ unnamed: [], iconNames: [] });
    }
    await context.close();
  });
});
