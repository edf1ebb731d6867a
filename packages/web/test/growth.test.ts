/**
 * Browser test of the growth tools at 390 px (a phone): join through an invite link (the new promoter lands under the
 * inviter), the Team tab's invite QR code (decoded: the invite link), and a poster downloaded from the portal whose
 * QR code decodes to the promoter's own link for the product. Real server, demo data, Debian's Chromium; no mocks.
 *
 * Screenshots go to test-results/screenshots/; with FENXIAO_SCREENSHOTS=docs they replace docs/screenshots/*.png.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMoney } from "@fenxiao/core/money/money.ts";
import jsQRModule from "jsqr";
import { type Browser, chromium } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../server/src/app.ts";
import { systemClock } from "../../server/src/clock.ts";
import type { PgliteDb } from "../../server/src/db/client.ts";
import { DEMO } from "../../server/src/demo/seed.ts";
import { demoDatabase } from "./money-server.ts";

const CHROMIUM = "/usr/bin/chromium";
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(webDir, "..", "..");
const shotsDir =
  process.env.FENXIAO_SCREENSHOTS === "docs" ? join(repoDir, "docs", "screenshots") : join(repoDir, "test-results", "screenshots");
const UI_WAIT_MS = 30_000;
const PHONE = { width: 390, height: 844 };

// jsqr is a CommonJS bundle: its function is the module itself or its `default`, depending on the loader.
const jsQR: typeof jsQRModule.default =
  (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? (jsQRModule as unknown as typeof jsQRModule.default);

function decodeQr(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}

const dataUrlBytes = (url: string) => Buffer.from(url.slice(url.indexOf(",") + 1), "base64");

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== "true")("growth tools (browser, 390 px)", () => {
  let db: PgliteDb;
  let app: App;
  let base: string;
  let browser: Browser;

  async function api<T>(path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(base + path, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
    return (await res.json()) as T;
  }
  const tokenOf = async (email: string, password: string = DEMO.password) =>
    (await api<{ token: string }>("/v1/auth/login", undefined, { email, password })).token;
  type Membership = { promoterId?: string; code: string; inviterId: string | null; programId: string };
  const membershipOf = async (token: string) =>
    (await api<{ items: Membership[] }>("/v1/me/memberships", token)).items.find((m) => m.programId === DEMO.programId) as Membership;

  beforeAll(async () => {
    // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
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
    mkdirSync(shotsDir, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it("joins through an invite link in one step, under the inviter, then logs in to the portal", async () => {
    const inviterToken = await tokenOf(DEMO.promoterEmail(1));
    const inviter = await membershipOf(inviterToken);
    const teamPath = `/v1/me/team?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}&level=1`;
    type Team = { items: { name: string; phone: string | null; joinedAt: string }[]; counts: { level1: number } };
    const before = await api<Team>(teamPath, inviterToken);

    const context = await browser.newContext({ viewport: PHONE, locale: "zh-CN", isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${base}/join?code=${inviter.code}`);
    await expect.poll(() => page.getByTestId("join-code").inputValue(), { timeout: UI_WAIT_MS }).toBe(inviter.code);
    await page.getByTestId("join-name").fill("赵新人");
    await page.getByTestId("join-email").fill("newbie@beibei.demo");
    await page.getByTestId("join-password").fill("newbie-pass-2026");
    await page.getByTestId("join-phone").fill("13800001234");
    await page.screenshot({ path: join(shotsDir, "join-390.png"), fullPage: true });
    await page.getByTestId("join-submit").click();
    await page.getByTestId("join-result").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByTestId("join-result").textContent()).toContain("请用邮箱和刚才的密码登录");
    await page.getByTestId("join-login").click();
    await page.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("promo-code").waitFor({ timeout: UI_WAIT_MS });

    const joined = await membershipOf(await tokenOf("newbie@beibei.demo", "newbie-pass-2026"));
    const after = await api<Team>(teamPath, inviterToken);
    expect(joined.inviterId).not.toBeNull();
    // the inviter's level-1 team has one member more: the newest, with the name and phone given on the page (masked)
    expect(after.counts.level1).toBe(before.counts.level1 + 1);
    expect(after.items.at(-1)).toMatchObject({ name: "赵**", phone: "138****1234" });
    await context.close();
  }, 120_000);

  it("shows my invite QR on the Team tab and downloads a poster whose QR is my link for the product", async () => {
    const token = await tokenOf(DEMO.promoterEmail(2));
    const m = await membershipOf(token);
    const context = await browser.newContext({ viewport: PHONE, locale: "zh-CN", isMobile: true, hasTouch: true, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId("login-email").fill(DEMO.promoterEmail(2));
    await page.getByTestId("login-password").fill(DEMO.password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });
    // the earnings summary shows what the API gives: today, this month, total
    const earned = await api<{ todayMinor: number; monthMinor: number; totalMinor: number }>(
      `/v1/me/earnings?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}`,
      token,
    );
    await page.getByTestId("earn-total").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByTestId("earn-total").textContent()).toBe(formatMoney(earned.totalMinor));
    expect(await page.getByTestId("earn-month").textContent()).toBe(formatMoney(earned.monthMinor));
    expect(await page.getByTestId("earn-today").textContent()).toBe(formatMoney(earned.todayMinor));
    // orders show their products and my commission
    await page.getByTestId("tab-orders").click();
    await page.getByTestId("order-my-commission").first().waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByTestId("order-products").first().textContent()).toMatch(/×/);
    await page.screenshot({ path: join(shotsDir, "portal-orders-390.png") });
    await page.getByTestId("tab-team").click();
    const qr = page.getByTestId("invite-qr");
    await qr.waitFor({ timeout: UI_WAIT_MS });
    const inviteUrl = `${base}/join?code=${m.code}`;
    expect(await page.getByTestId("invite-link").textContent()).toBe(inviteUrl);
    expect(decodeQr(dataUrlBytes((await qr.getAttribute("src")) as string))).toBe(inviteUrl);
    await page.screenshot({ path: join(shotsDir, "portal-team-invite-390.png") });

    await page.getByTestId("poster-product").click();
    await page.locator(".ant-select-item-option").filter({ hasText: "超薄纸尿裤" }).click();
    await page.getByTestId("poster-make").click();
    const img = page.getByTestId("poster-image");
    await img.waitFor({ timeout: UI_WAIT_MS });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("poster-download").click()]);
    expect(download.suggestedFilename()).toBe("poster-SKU-2001.png");
    const file = readFileSync((await download.path()) as string);
    const img2 = PNG.sync.read(file);
    expect([img2.width, img2.height]).toEqual([750, 1200]);
    const links = await api<{ items: { productId: string | null; url: string }[] }>(
      `/v1/me/links?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}`,
      token,
    );
    const link = links.items.find((l) => l.productId === "SKU-2001");
    expect(link).toBeDefined();
    expect(decodeQr(file)).toBe(link?.url);
    writeFileSync(join(shotsDir, "poster.png"), file);
    // the poster card below the sticky header
    await page.getByTestId("posters").evaluate((el) => {
      el.scrollIntoView({ block: "start" });
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -64);
    });
    await page.screenshot({ path: join(shotsDir, "portal-poster-390.png") });
    await context.close();
  }, 120_000);
});
