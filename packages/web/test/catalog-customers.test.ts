/**
 * The console's 商品与佣金 (products with their effective rates) and 客户 (customers) screens in Chromium against a real
 * server: the rate a product's row shows is the rate an order of that product, ingested afterwards, is paid; the
 * customers list shows phones masked, "显示" shows one customer's full phone and name, and the reveal is an audit row.
 * Skipped without /usr/bin/chromium, except on CI. Screenshots go to test-results/screenshots/.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type MerchantFixture, PASSWORD, promoterFixture, START, startHarness } from "../../server/test/helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const run = existsSync(CHROMIUM) || process.env.CI === "true";
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const shotsDir = join(webDir, "..", "..", "test-results", "screenshots");
const UI_WAIT_MS = 30_000;

const PLAN = {
  version: 1,
  base: { defaultRateBps: 1000, productRates: { "SKU-PRAM": 1250 } },
  team: { levels: [{ rateBps: 300 }, { rateBps: 100 }] },
};

describe.runIf(run)("console: products with their rates, customers masked and revealed (browser)", () => {
  let h: Harness;
  let m: MerchantFixture;
  let browser: Browser;
  let page: Page;
  let seller: Awaited<ReturnType<typeof promoterFixture>>;
  const email = `catalog-${randomBytes(3).toString("hex")}@test.local`;

  beforeAll(async () => {
    // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
    h = await startHarness();
    const mc = await h.call("POST", "/v1/merchants", {
      token: h.adminToken,
      body: { name: "宝贝母婴", adminEmail: email, adminPassword: PASSWORD, adminName: "admin" },
    });
    expect(mc.status).toBe(201);
    const apiKey = mc.body.apiKey.key as string;
    const p = await h.call("POST", "/v1/programs", { token: apiKey, body: { name: "主计划", landingUrl: "https://shop.example/" } });
    const d = await h.call("POST", `/v1/programs/${p.body.id}/plans`, { token: apiKey, body: { document: PLAN } });
    await h.call("POST", `/v1/programs/${p.body.id}/plans/${d.body.version}/publish`, {
      token: apiKey,
      body: { effectiveFrom: "2020-01-01T00:00:00Z" },
    });
    m = { merchantId: mc.body.merchantId, apiKey, adminToken: "", programId: p.body.id };
    await h.call("PUT", "/v1/categories", { token: apiKey, body: { items: [{ id: "strollers", name: "出行用品" }] } });
    await h.call("PUT", "/v1/products", {
      token: apiKey,
      body: {
        items: [
          { id: "SKU-PRAM", name: "轻便婴儿推车", categoryId: "strollers", priceMinor: 199_900 },
          { id: "SKU-SEAT", name: "安全座椅", categoryId: "strollers", priceMinor: 129_900 },
        ],
      },
    });
    const top = await promoterFixture(h, m, "Lily");
    seller = await promoterFixture(h, m, "Mia", top.code);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    page = await context.newPage();
    await page.goto(`${h.base}/login`);
    await page.getByTestId("login-email").fill(email);
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    mkdirSync(shotsDir, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("the products screen shows the rate that an order of the product is then paid", async () => {
    await page.getByTestId("nav-products").click();
    await page.waitForURL(/\/console\/products$/);
    const l0 = page.getByTestId("rate-l0-SKU-PRAM");
    await l0.waitFor({ timeout: UI_WAIT_MS });
    const shownSeller = (await l0.innerText()).trim();
    const shownL1 = (await page.getByTestId("rate-l1-SKU-PRAM").innerText()).trim();
    expect(shownSeller).toContain("商品佣金");
    await page.getByTestId("rate-row-SKU-PRAM").click();
    const details = page.getByTestId("rate-details");
    await details.waitFor({ timeout: UI_WAIT_MS });
    const detailText = await details.innerText();
    await page.waitForTimeout(600); // the drawer's opening animation, for the picture only
    await page.screenshot({ path: join(shotsDir, "console-products-rates.png") });
    await page.keyboard.press("Escape");

    const r = await h.call("POST", "/v1/orders", {
      token: m.apiKey,
      headers: { "idempotency-key": "ui-order-1" },
      body: {
        orderRef: "UI-1001",
        customer: { ref: "UI-CUST", phone: "13512345678", name: "王芳" },
        paidAt: START,
        promoCode: seller.code,
        lines: [{ productId: "SKU-PRAM", quantity: 1, netAmountMinor: 199_900 }],
      },
    });
    expect(r.status).toBe(201);
    const paid = await h.db.read((q) =>
      q.query<{ level: number; rate_bps: number; amount_minor: string }>(
        `SELECT cl.level, cl.rate_bps, cl.amount_minor FROM commission_lines cl JOIN orders o ON o.merchant_id = cl.merchant_id AND o.id = cl.order_id
         WHERE o.merchant_id = $1 AND o.order_ref = 'UI-1001' ORDER BY cl.level`,
        [m.merchantId],
      ),
    );
    const pct = (bps: number) => `${Number((bps / 100).toFixed(3))}%`;
    expect(shownSeller.startsWith(pct(paid[0]?.rate_bps ?? -1))).toBe(true);
    expect(shownL1.startsWith(pct(paid[1]?.rate_bps ?? -1))).toBe(true);
    // the drawer's amount for the seller is the amount paid (¥1,999.00 × 12.5% = ¥249.88)
    const yuan = (minor: number) => `¥${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
    expect(detailText).toContain(yuan(Number(paid[0]?.amount_minor)));
    // a time before the plan took effect: no plan in force, no rates
    await page.getByTestId("rates-at").fill("2019-06-01T10:00");
    await page.getByTestId("rates-no-plan").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByTestId("rates-no-plan").innerText()).toBe("该时间没有生效的方案");
    await expect.poll(() => page.getByTestId("rates-table").innerText(), { timeout: UI_WAIT_MS }).not.toContain("12.5%");
  }, 120_000);

  it("customers are masked; 显示 shows one in full and writes an audit row", async () => {
    await page.getByTestId("nav-customers").click();
    await page.waitForURL(/\/console\/customers$/);
    const phone = page.getByTestId("phone-UI-CUST");
    await phone.waitFor({ timeout: UI_WAIT_MS });
    expect(await phone.innerText()).toBe("135****5678");
    expect(await page.getByTestId("name-UI-CUST").innerText()).toBe("王*");
    expect(await page.getByTestId("customers-table").innerText()).not.toContain("13512345678");
    await page.screenshot({ path: join(shotsDir, "console-customers-masked.png") });
    const audits = () =>
      h.db.read((q) =>
        q.query<{ actor: string; subject: string }>(
          "SELECT actor, subject FROM audit_log WHERE merchant_id = $1 AND action = 'customer.reveal'",
          [m.merchantId],
        ),
      );
    expect(await audits()).toHaveLength(0);
    await page.getByRole("button", { name: "显示 UI-CUST 的完整手机号和姓名" }).click();
    await expect.poll(() => phone.innerText(), { timeout: UI_WAIT_MS }).toBe("13512345678");
    expect(await page.getByTestId("name-UI-CUST").innerText()).toBe("王芳");
    const rows = await audits();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.subject).toMatch(/^customer:cus_/);
    expect(rows[0]?.actor).toMatch(/^user:/);
    await page.screenshot({ path: join(shotsDir, "console-customers-revealed.png") });
    // the customer's page: the binding to the seller, the order, and the reveal just made
    await page.getByText("UI-CUST").first().click();
    const detail = page.getByTestId("customer-detail");
    await detail.waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => detail.innerText(), { timeout: UI_WAIT_MS }).toContain("UI-1001");
    const text = await detail.innerText();
    expect(text).toContain("Mia");
    expect(text).not.toContain("13512345678");
    await page.screenshot({ path: join(shotsDir, "console-customer-detail.png") });
  }, 120_000);
});
