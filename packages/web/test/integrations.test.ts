/**
 * The console's 店铺连接 (shop connectors) and 导入 (imports) screens in Chromium against a real server: connect a
 * WooCommerce shop, copy its webhook URL, see a refused and an ignored delivery in its log; upload a CSV, follow the
 * job to its end and read the refused row. Skipped without /usr/bin/chromium, except on CI.
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, PASSWORD, START, startHarness } from "../../server/test/helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const run = existsSync(CHROMIUM) || process.env.CI === "true";
const UI_WAIT_MS = 30_000;

describe.runIf(run)("console: shop connectors and imports (browser)", () => {
  let h: Harness;
  let browser: Browser;
  const email = `integrations-${randomBytes(3).toString("hex")}@test.local`;

  beforeAll(async () => {
    // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
    h = await startHarness();
    const m = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "集成测试商家", adminEmail: email, adminPassword: PASSWORD, adminName: "admin" },
    });
    expect(m.status).toBe(201);
    const key = m.body.apiKey.key as string;
    const p = await h.call("POST", "/v1/programs", { token: key, body: { name: "主计划", landingUrl: "https://shop.example/" } });
    const d = await h.call("POST", `/v1/programs/${p.body.id}/plans`, {
      token: key,
      body: { document: { version: 1, base: { defaultRateBps: 1000 } } },
    });
    await h.call("POST", `/v1/programs/${p.body.id}/plans/${d.body.version}/publish`, {
      token: key,
      body: { effectiveFrom: "2020-01-01T00:00:00Z" },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("connects a shop, shows its webhook URL and its deliveries; imports a CSV with its refused rows", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${h.base}/login`);
    await page.getByTestId("login-email").fill(email);
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });

    await page.getByTestId("nav-connectors").click();
    await page.waitForURL(/\/console\/connectors$/);
    await page.getByTestId("connector-platform").click();
    await page.getByTitle("WooCommerce").click();
    await page.getByTestId("connector-name").fill("我的 Woo 店");
    await page.getByTestId("connector-secret").fill("woo-secret-for-the-ui");
    await page.getByTestId("connector-create").click();
    const created = page.getByTestId("connector-created");
    await created.waitFor({ timeout: UI_WAIT_MS });
    const url = /http:\/\/localhost\/v1\/connectors\/(con_[a-z0-9]+)\/webhook/.exec(await created.innerText());
    expect(url).not.toBeNull();
    const id = url?.[1] as string;

    // the shop sends: a delivery with a wrong signature, then the ping of a new webhook
    const post = (body: string, signature: string) =>
      fetch(`${h.base}/v1/connectors/${id}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-wc-webhook-topic": "order.created", "x-wc-webhook-signature": signature },
        body,
      });
    expect((await post('{"id":1}', "bad")).status).toBe(401);
    const ping = "webhook_id=7";
    expect((await post(ping, createHmac("sha256", "woo-secret-for-the-ui").update(ping).digest("base64"))).status).toBe(200);

    await page.getByTestId("connectors-table").locator("button[aria-label]").first().click();
    const log = page.getByTestId("connector-deliveries");
    await expect.poll(() => log.innerText(), { timeout: UI_WAIT_MS }).toContain("已拒绝");
    expect(await log.innerText()).toContain("已忽略");
    expect(await log.innerText()).toContain("signature");

    await page.getByTestId("nav-imports").click();
    await page.waitForURL(/\/console\/imports$/);
    const paidAt = new Date(Date.parse(START) + 60_000).toISOString();
    const csv = [
      "order_ref,paid_at,customer_ref,product_id,quantity,line_amount",
      `UI-1,${paidAt},ui-c1,P1,1,100.00`,
      `UI-2,${paidAt},ui-c2,P1,1,12.345`,
    ].join("\n");
    await page.locator("input[type=file]").setInputFiles({ name: "orders.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByTestId("import-status").innerText(), { timeout: UI_WAIT_MS }).toBe("已完成");
    expect(await page.getByTestId("import-imported").innerText()).toBe("1");
    const rejections = await page.getByTestId("import-rejections").innerText();
    expect(rejections).toContain("3");
    expect(rejections).toContain("line_amount");
    await context.close();
  });
});
