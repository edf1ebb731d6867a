/**
 * /fx.js in a real browser (Debian's Chromium through playwright-core): a shop's page on its own origin loads the
 * script from Fenxiao; landing with ?fx_click= keeps the token in a first-party cookie (for the click window) and in
 * localStorage, the helpers return it and put it on the checkout (a hidden form field, a Shopify cart attribute, an
 * H5 order URL). Skipped without /usr/bin/chromium, except on CI.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const run = existsSync(CHROMIUM) || process.env.CI === "true";

describe.runIf(run)("fx.js in Chromium", () => {
  let h: Harness;
  let shop: Server;
  let shopBase: string;
  let browser: Browser;
  const cartUpdates: unknown[] = [];

  beforeAll(async () => {
    h = await startHarness();
    shop = createServer((req, res) => {
      if (req.url === "/cart/update.js" && req.method === "POST") {
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          cartUpdates.push(JSON.parse(body));
          res.writeHead(200, { "content-type": "application/json" }).end("{}");
        });
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
        `<!doctype html><html><body><form id="checkout" action="/checkout"></form>
         <script src="${h.base}/fx.js?days=3" data-form="#checkout"></script></body></html>`,
      );
    });
    await new Promise<void>((ok) => shop.listen(0, "127.0.0.1", ok));
    const addr = shop.address();
    // another origin than Fenxiao's (127.0.0.1:<port> vs localhost:<port>): the cookie is the shop's own
    shopBase = `http://localhost:${typeof addr === "object" && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => shop?.close(ok));
    await h?.close();
  });

  it("is small and cacheable", async () => {
    const r = await fetch(`${h.base}/fx.js`, { headers: { "accept-encoding": "identity" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("javascript");
    expect(r.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const body = await r.text();
    expect(body.length).toBeLessThan(5000);
    const again = await fetch(`${h.base}/fx.js`, { headers: { "if-none-match": r.headers.get("etag") as string } });
    expect(again.status).toBe(304);
    expect((await fetch(`${h.base}/fx.js?days=9999`)).status).toBe(400);
  });

  it("keeps fx_click from the landing URL for the click window and puts it on the checkout", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopBase}/product?utm=x&fx_click=clk_test0123456789abcdefgh`);
    await page.waitForFunction(() => "fenxiao" in globalThis);
    expect(await page.evaluate(() => (globalThis as unknown as { fenxiao: { clickToken(): string } }).fenxiao.clickToken())).toBe(
      "clk_test0123456789abcdefgh",
    );
    const [cookie] = (await context.cookies(shopBase)).filter((c) => c.name === "fx_click");
    expect(cookie?.value).toBe("clk_test0123456789abcdefgh");
    const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThan(3.1);

    // a later page without the parameter: still there, and on the checkout
    await page.goto(`${shopBase}/checkout-page`);
    await page.waitForFunction(() => "fenxiao" in globalThis);
    expect(await page.inputValue("#checkout input[name=fx_click]")).toBe("clk_test0123456789abcdefgh");
    const out = await page.evaluate(async () => {
      const fx = (globalThis as unknown as { fenxiao: { withClick(u: string): string; shopifyCart(): Promise<string | null> } }).fenxiao;
      return {
        url: fx.withClick("/h5/pay?order=1#top"),
        cart: await fx.shopifyCart(),
        stored: (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem("fx_click"),
      };
    });
    expect(out.url).toBe("/h5/pay?order=1&fx_click=clk_test0123456789abcdefgh#top");
    expect(out.cart).toBe("clk_test0123456789abcdefgh");
    expect(cartUpdates.at(-1)).toEqual({ attributes: { fx_click: "clk_test0123456789abcdefgh" } });
    expect(JSON.parse(out.stored as string).t).toBe("clk_test0123456789abcdefgh");

    // without the cookie the localStorage copy still answers, until the window ends
    await context.clearCookies();
    expect(await page.evaluate(() => (globalThis as unknown as { fenxiao: { clickToken(): string } }).fenxiao.clickToken())).toBe(
      "clk_test0123456789abcdefgh",
    );
    await context.close();
  });

  it("keeps nothing from a landing URL without a valid token", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopBase}/product?fx_click=%3Cscript%3E`);
    await page.waitForFunction(() => "fenxiao" in globalThis);
    expect(
      await page.evaluate(() => (globalThis as unknown as { fenxiao: { clickToken(): string | null } }).fenxiao.clickToken()),
    ).toBeNull();
    expect((await context.cookies(shopBase)).some((c) => c.name === "fx_click")).toBe(false);
    await context.close();
  });
});
