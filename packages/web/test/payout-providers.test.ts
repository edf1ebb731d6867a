/**
 * Browser test of the 付款渠道 screen (console/money/PayoutProvidersPage.tsx) against a real server (./money-server.ts):
 * the merchant configures WeChat Pay — a field the server refuses is shown on that field — the keys are then shown
 * only as fingerprints with "replace", enabling asks first, a later edit that leaves the keys alone keeps them, and no
 * key ever appears on the page.
 */
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO } from "../../server/src/demo/seed.ts";
import { browserSuite, type MoneyServer, shotsDir, startMoneyServer, UI_WAIT_MS, UNNAMED_CONTROLS } from "./money-server.ts";

interface ProviderItem {
  provider: string;
  configured: boolean;
  enabled: boolean;
  masked: Record<string, unknown> | null;
}

browserSuite("payout providers (browser)", () => {
  let m: MoneyServer;
  // Building the app and seeding the demo data take minutes on a loaded machine.
  beforeAll(async () => {
    m = await startMoneyServer();
  }, 600_000);
  afterAll(async () => m?.close());

  it("configures WeChat Pay: field errors on the field, keys write-only and kept, enabling confirmed", async () => {
    const pem = () =>
      generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      });
    const merchantKey = pem();
    const platformKey = pem();
    const apiV3Key = "0123456789abcdef0123456789ABCDEF";
    const token = await m.login(DEMO.merchantAdmin);
    const wechat = async () =>
      (await m.ok<{ items: ProviderItem[] }>("GET", "/v1/payout-providers", token)).items.find((i) => i.provider === "wechat");

    const ctx = await m.desktop();
    const page = await ctx.newPage();
    await m.logIn(page, DEMO.merchantAdmin);
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("nav-payout-providers").click();
    await page.getByTestId("payout-providers").waitFor({ timeout: UI_WAIT_MS });
    for (const p of ["wechat", "alipay", "sandbox", "bank_file"]) await page.getByTestId(`provider-${p}`).waitFor({ timeout: UI_WAIT_MS });
    // not configured yet: it cannot be switched on
    expect(await page.getByTestId("provider-wechat-switch").isDisabled()).toBe(true);

    await page.getByTestId("provider-wechat-edit").click();
    const card = page.getByTestId("provider-wechat");
    await page.getByTestId("provider-wechat-mchId").fill("12ab");
    await page.getByTestId("provider-wechat-appId").fill("wx0123456789abcdef");
    await page.getByTestId("provider-wechat-serialNo").fill("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
    await page.getByTestId("provider-wechat-privateKeyPem").fill(merchantKey.privateKey);
    await page.getByTestId("provider-wechat-apiV3Key").fill(apiV3Key);
    await page.getByTestId("provider-wechat-platformPublicKeyPem").fill(platformKey.publicKey);
    await page.getByTestId("provider-wechat-platformSerial").fill("PUB_KEY_ID_0114232134912410000000000000");
    expect(await page.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);
    await page.screenshot({ path: join(shotsDir, "console-payout-providers-form.png"), fullPage: true });
    await page.getByTestId("provider-wechat-save").click();
    // The server refuses the 商户号; the message is on that field, and nothing was stored.
    const mchItem = card.locator(".ant-form-item").filter({ has: page.getByTestId("provider-wechat-mchId") });
    await mchItem.locator(".ant-form-item-explain-error").waitFor({ timeout: UI_WAIT_MS });
    expect(await mchItem.locator(".ant-form-item-explain-error").innerText()).toContain("8–12");
    expect((await wechat())?.configured).toBe(false);

    await page.getByTestId("provider-wechat-mchId").fill("1900000109");
    await page.getByTestId("provider-wechat-save").click();
    await page.getByTestId("provider-wechat-masked").waitFor({ timeout: UI_WAIT_MS });
    const stored = await wechat();
    expect(stored).toMatchObject({ configured: true, enabled: false });
    const fingerprint = String(stored?.masked?.merchantKey);
    expect(fingerprint).toMatch(/^rsa2048:[0-9a-f]{16}$/);
    expect(await card.innerText()).toContain(fingerprint);

    // Enabling asks first.
    await page.getByTestId("provider-wechat-switch").click();
    await page.getByTestId("provider-confirm").click();
    await expect
      .poll(async () => (await wechat())?.enabled, { timeout: UI_WAIT_MS })
      .toBe(true)
      .catch(async (e: Error) => {
        // Say what the page showed (an error message, a dialog still open) when the provider did not become enabled.
        const shown = await page.locator(".ant-message, .ant-modal-root").allInnerTexts();
        throw new Error(`${e.message}\nthe page showed: ${JSON.stringify(shown)}`);
      });
    await expect.poll(() => page.getByTestId("provider-wechat-switch").getAttribute("aria-checked"), { timeout: UI_WAIT_MS }).toBe("true");

    // A later edit: the keys are shown as fingerprints with "replace"; left alone, they are kept.
    await page.getByTestId("provider-wechat-edit").click();
    await page.getByTestId("provider-wechat-privateKeyPem-replace").waitFor({ timeout: UI_WAIT_MS });
    expect(await page.getByTestId("provider-wechat-privateKeyPem-masked").innerText()).toBe(fingerprint);
    expect(await page.getByTestId("provider-wechat-mchId").inputValue()).toBe("1900000109");
    await page.getByTestId("provider-wechat-postType").fill("分享推广");
    await page.getByTestId("provider-wechat-save").click();
    await expect.poll(async () => (await wechat())?.masked?.postType, { timeout: UI_WAIT_MS }).toBe("分享推广");
    expect(await wechat()).toMatchObject({ enabled: true, masked: { merchantKey: fingerprint, mchId: "1900000109" } });
    await page.getByTestId("provider-wechat-masked").waitFor({ timeout: UI_WAIT_MS });
    await page.screenshot({ path: join(shotsDir, "console-payout-providers.png"), fullPage: true });
    expect(await page.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

    // No key is ever on the page.
    const html = await page.content();
    expect(html).not.toContain(apiV3Key);
    expect(html).not.toContain(merchantKey.privateKey.split("\n")[1]);

    // Disabling asks too.
    await page.getByTestId("provider-wechat-switch").click();
    await page.getByTestId("provider-confirm").click();
    await expect.poll(async () => (await wechat())?.enabled, { timeout: UI_WAIT_MS }).toBe(false);
    await ctx.close();
  }, 300_000);
});
