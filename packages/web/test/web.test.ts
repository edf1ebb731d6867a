/**
 * Browser test of the web app against a real server: a fresh in-memory PGlite with the demo data, the built app
 * served by the server itself, and Debian's Chromium driven by playwright-core. No mocks.
 *
 * Screenshots go to test-results/screenshots/; with FENXIAO_SCREENSHOTS=docs they replace docs/screenshots/*.png.
 * Without /usr/bin/chromium the browser tests are skipped, unless CI=true, where that is a failure.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatMoney, formatRate } from "@fenxiao/core/money/money.ts";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../server/src/app.ts";
import { systemClock } from "../../server/src/clock.ts";
import type { KeyRing } from "../../server/src/crypto/sealed.ts";
import type { PgliteDb } from "../../server/src/db/client.ts";
import { DEMO } from "../../server/src/demo/seed.ts";
import { runWebhooks } from "../../server/src/jobs/webhooks.ts";
import { type AnalyticsSummary, defaultFilter, hundredths, shownRoi } from "../src/console/dashboard.ts";
import { roi } from "../src/lib/format.ts";
import { demoDatabase } from "./money-server.ts";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === "true";
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(webDir, "..", "..");
const shotsDir =
  process.env.FENXIAO_SCREENSHOTS === "docs" ? join(repoDir, "docs", "screenshots") : join(repoDir, "test-results", "screenshots");

/** How long to wait for a page to show its data (the runner is shared and slow at times). */
const UI_WAIT_MS = 30_000;

if (!haveChromium && onCi) {
  describe("web (browser)", () => {
    it("needs Chromium", () => {
      throw new Error(`${CHROMIUM} is missing: the browser tests cannot run on CI. Install it with: apt-get install -y chromium`);
    });
  });
} else if (!haveChromium) {
  describe.skip(`web (browser) — skipped: ${CHROMIUM} not found (apt-get install -y chromium)`, () => {
    it("logs in and shows the console and the portal", () => {});
  });
} else {
  describe("web (browser)", () => {
    let db: PgliteDb;
    let app: App;
    let base: string;
    let browser: Browser;
    let secrets: KeyRing;

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

    async function logIn(page: Page, email: string) {
      await page.goto(`${base}/login`);
      await page.getByTestId("login-email").fill(email);
      await page.getByTestId("login-password").fill(DEMO.password);
      await page.getByTestId("login-submit").click();
    }

    beforeAll(async () => {
      // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
      const demo = await demoDatabase();
      db = demo.db;
      secrets = demo.ring;
      app = await buildApp({ db, clock: systemClock, secrets, config: { publicUrl: "http://127.0.0.1", sessionHours: 24 } });
      await app.listen({ port: 0, host: "127.0.0.1" });
      const addr = app.server.address();
      base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      mkdirSync(shotsDir, { recursive: true });
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await db?.close();
    });

    it("serves the app at / with an SPA fallback and leaves the API alone", async () => {
      for (const path of ["/", "/console/orders", "/portal/team", "/login"]) {
        const res = await fetch(base + path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("content-type"), path).toContain("text/html");
        expect(await res.text(), path).toContain('<div id="root">');
      }
      for (const path of ["/v1/no-such-endpoint", "/assets/no-such-file.js"]) {
        const res = await fetch(base + path);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ROUTE_NOT_FOUND");
      }
      expect((await fetch(`${base}/health`)).headers.get("content-type")).toContain("application/json");
      expect(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi).toBe("3.1.0");
    });

    it("merchant admin: dashboard with real numbers, an order's commission explanation, English", async () => {
      const login = await api<{ token: string }>("/v1/auth/login", undefined, { email: DEMO.merchantAdmin, password: DEMO.password });
      const promoters = await api<{ items: { pendingMinor: number; availableMinor: number }[] }>(
        `/v1/promoters?programId=${DEMO.programId}&limit=200`,
        login.token,
      );
      const pendingTotal = formatMoney(promoters.items.reduce((a, p) => a + p.pendingMinor, 0));
      const availableTotal = formatMoney(promoters.items.reduce((a, p) => a + p.availableMinor, 0));

      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });

      // KPI cards show the figures the API gives.
      const pending = page.getByTestId("kpi-pending");
      await expect.poll(() => pending.innerText(), { timeout: UI_WAIT_MS }).toContain(pendingTotal);
      expect(await page.getByTestId("kpi-available").innerText()).toContain(availableTotal);
      expect(await page.getByTestId("kpi-promoters").innerText()).toContain(String(promoters.items.length));
      const sales = await page.getByTestId("kpi-sales").innerText();
      expect(sales).toMatch(/¥[1-9][\d,]*\.\d{2}/);
      expect(await page.getByTestId("kpi-ratio").innerText()).toMatch(/\d+(\.\d+)?%/);
      expect(await page.getByTestId("merchant-name").innerText()).toBe("贝贝母婴");
      // The program picker (a native select) is named and shows the program the figures are for.
      expect(await page.getByRole("combobox", { name: "分销计划" }).inputValue()).toBe(DEMO.programId);
      await expect.poll(() => page.getByTestId("top-promoters").locator("tbody tr.ui-table-row").count()).toBeGreaterThan(3);
      // The chart's code is a lazy chunk: it may arrive after the figures.
      await expect.poll(() => page.getByTestId("sales-chart").locator("canvas").count()).toBeGreaterThan(0);
      await page.waitForTimeout(1200); // let the chart finish its animation before the picture
      await page.screenshot({ path: join(shotsDir, "console.png") });

      // Orders → the first order's commission lines, each explained.
      await page.getByTestId("nav-orders").click();
      await page.waitForURL(/\/console\/orders$/);
      const first = page.getByTestId("order-link").first();
      await first.waitFor({ timeout: UI_WAIT_MS });
      const orderRef = (await first.innerText()).trim();
      await first.click();
      const explanation = page.getByTestId("commission-explanation").first();
      await explanation.waitFor({ timeout: UI_WAIT_MS });
      const zh = await explanation.innerText();
      expect(zh).toContain(`订单 #${orderRef}`);
      expect(zh).toMatch(/¥[\d,]+\.\d{2} × [\d.]+%.*= ¥[\d,]+\.\d{2}/);

      // Switch to English: the menu and the explanation follow.
      await page.keyboard.press("Escape");
      await page.getByTestId("order-drawer").waitFor({ state: "detached", timeout: UI_WAIT_MS });
      await page.getByTestId("lang-switch").getByText("English").click();
      await expect.poll(() => page.getByTestId("nav-orders").innerText()).toContain("Orders");
      await page.getByTestId("order-link").getByText(orderRef, { exact: true }).click();
      await expect
        .poll(() => page.getByTestId("commission-explanation").first().innerText(), { timeout: UI_WAIT_MS })
        .toContain(`Order #${orderRef}`);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");

      // Promoters → a promoter with a team: the drawer shows each level with the whole team's counts.
      const all = await api<{ items: { promoterId: string; code: string }[] }>(
        `/v1/promoters?programId=${DEMO.programId}&limit=200`,
        login.token,
      );
      let leader: { code: string; counts: { level1: number; level2: number } } | null = null;
      for (const p of all.items) {
        const tm = await api<{ counts: { level1: number; level2: number } }>(
          `/v1/promoters/${p.promoterId}/team?programId=${DEMO.programId}&limit=1`,
          login.token,
        );
        if (tm.counts.level1 > 0 && tm.counts.level2 > 0) {
          leader = { code: p.code, counts: tm.counts };
          break;
        }
      }
      expect(leader).not.toBeNull();
      const lead = leader as { code: string; counts: { level1: number; level2: number } };
      await page.keyboard.press("Escape");
      await page.getByTestId("nav-promoters").click();
      await page.waitForURL(/\/console\/promoters$/);
      await page.getByPlaceholder(/Code/).fill(lead.code);
      await page.getByTestId("promoters-table").getByText(lead.code, { exact: true }).click();
      const drawer = page.getByTestId("team-drawer");
      await drawer.waitFor({ timeout: UI_WAIT_MS });
      const l1 = page.getByTestId("team-drawer-level-1");
      const l2 = page.getByTestId("team-drawer-level-2");
      await expect.poll(() => l1.locator("tbody tr.ant-table-row").count(), { timeout: UI_WAIT_MS }).toBe(lead.counts.level1);
      await expect.poll(() => l2.locator("tbody tr.ant-table-row").count(), { timeout: UI_WAIT_MS }).toBe(lead.counts.level2);
      expect(await l1.locator("h5").innerText()).toContain(`· ${lead.counts.level1}`);
      expect(await l2.locator("h5").innerText()).toContain(`· ${lead.counts.level2}`);
      await context.close();
    });

    it("the dashboard's figures equal the analytics API's for the same filter; the portal home shows the promoter's own", async () => {
      const login = await api<{ token: string }>("/v1/auth/login", undefined, { email: DEMO.merchantAdmin, password: DEMO.password });
      const program = await api<{ timezone: string }>(`/v1/programs/${DEMO.programId}`, login.token);
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
      const value = (key: string) => page.getByTestId(`kpi-${key}`).locator(".ant-statistic-content-value").innerText();

      async function sameAsApi(from: string, to: string) {
        const q = `programId=${DEMO.programId}&from=${from}&to=${to}`;
        const s = await api<AnalyticsSummary>(`/v1/analytics/summary?${q}`, login.token);
        const top = await api<{ items: { name: string }[] }>(`/v1/analytics/top-promoters?${q}&limit=10`, login.token);
        const trends = await api<{ buckets: unknown[] }>(`/v1/analytics/trends?${q}&granularity=day`, login.token);
        expect(trends.buckets.length).toBeGreaterThan(0);
        await expect.poll(() => value("sales"), { timeout: UI_WAIT_MS }).toBe(formatMoney(s.salesMinor));
        await expect.poll(() => page.getByTestId("kpi-sales").innerText()).toContain(`${from} 至 ${to}`);
        expect(await value("orders")).toBe(String(s.orders));
        expect(await value("commission")).toBe(formatMoney(s.commissionMinor));
        expect(await value("unattributed")).toBe(formatMoney(s.unattributedSalesMinor));
        expect(await value("ratio")).toBe(s.costRatioBps === null ? "—" : formatRate(s.costRatioBps));
        expect(await value("participation")).toBe(s.participationBps === null ? "—" : formatRate(s.participationBps));
        expect(await value("promoters")).toBe(String(s.activePromoters));
        const shown = shownRoi(s);
        expect(await value("roi")).toBe(roi(shown.x100));
        // 返利ROI counts attributed sales only: the unattributed ones are not in it.
        if (!shown.incremental && s.commissionMinor > 0) expect(shown.x100).toBe(Math.floor((s.salesMinor * 100) / s.commissionMinor));
        expect(await value("referred")).toBe(hundredths(s.referredPerPromoterMonthX100));
        const names = await page.getByTestId("top-promoters").locator("tbody tr.ui-table-row td:nth-child(2)").allInnerTexts();
        expect(names).toEqual(top.items.map((p) => p.name));
        return s;
      }

      const f = defaultFilter(Date.now(), program.timezone);
      const first = await sameAsApi(f.from, f.to);
      expect(first.orders).toBeGreaterThan(0);
      // Another period: the screen asks the API again and shows what it answers.
      const from = defaultFilter(Date.now(), program.timezone, 7).from;
      await page.getByTestId("filter-from").fill(from);
      await sameAsApi(from, f.to);
      await page.getByTestId("filter-granularity").getByText("按周").click();
      await expect.poll(() => page.getByTestId("sales-chart").locator("canvas").count()).toBeGreaterThan(0);
      await context.close();

      // The portal home: the promoter's own figures as GET /v1/me/analytics gives them.
      const email = DEMO.promoterEmail(1);
      const me = await api<{ token: string }>("/v1/auth/login", undefined, { email, password: DEMO.password });
      const mine = await api<{ earnings: { todayMinor: number; monthMinor: number; totalMinor: number }; orders: { total: number } }>(
        `/v1/me/analytics?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}`,
        me.token,
      );
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const p = await phone.newPage();
      await logIn(p, email);
      await p.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });
      await p.getByTestId("me-earn-total").waitFor({ timeout: UI_WAIT_MS });
      expect(await p.getByTestId("me-earn-total").innerText()).toBe(formatMoney(mine.earnings.totalMinor));
      expect(await p.getByTestId("me-earn-month").innerText()).toBe(formatMoney(mine.earnings.monthMinor));
      expect(await p.getByTestId("me-orders-total").innerText()).toBe(String(mine.orders.total));
      await phone.close();
    });

    it("program settings: change the attribution precedence and a window, save, read them back after a reload", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
      await page.getByTestId("nav-settings").click();
      await page.waitForURL(/\/console\/settings$/);
      const form = page.getByTestId("settings-form");
      await form.waitFor({ timeout: UI_WAIT_MS });
      const writes: { method: string; key: string | undefined }[] = [];
      page.on("request", (r) => {
        if (r.method() !== "GET" && new URL(r.url()).pathname.startsWith("/v1/programs/")) {
          writes.push({ method: r.method(), key: r.headers()["idempotency-key"] });
        }
      });
      await page.getByTestId("precedence-binding-first").click();
      const windowDays = page.getByTestId("setting-clickWindowDays");
      await windowDays.fill("9");
      await page.getByTestId("settings-save").click();
      await page.getByText("设置已保存").waitFor({ timeout: UI_WAIT_MS });
      // The save is a write like every other in the console: it carries an Idempotency-Key of its own.
      expect(writes.length).toBeGreaterThan(0);
      for (const w of writes) expect(w.key, `${w.method} without an Idempotency-Key`).toMatch(/^[\w-]{8,}$/);
      await page.reload();
      await form.waitFor({ timeout: UI_WAIT_MS });
      const checked = () =>
        page.locator('[data-testid="precedence-binding-first"] input, input[data-testid="precedence-binding-first"]').isChecked();
      await expect.poll(checked, { timeout: UI_WAIT_MS }).toBe(true);
      expect(await page.getByTestId("setting-clickWindowDays").inputValue()).toBe("9");
      const login = await api<{ token: string }>("/v1/auth/login", undefined, { email: DEMO.merchantAdmin, password: DEMO.password });
      const prog = await api<{ attributionPrecedence: string; clickWindowDays: number }>(`/v1/programs/${DEMO.programId}`, login.token);
      expect([prog.attributionPrecedence, prog.clickWindowDays]).toEqual(["binding-first", 9]);
      await page.screenshot({ path: join(shotsDir, "console-settings.png"), fullPage: true });
      const back = await fetch(`${base}/v1/programs/${DEMO.programId}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${login.token}`, "content-type": "application/json" },
        body: JSON.stringify({ attributionPrecedence: "code-first", clickWindowDays: 7 }),
      });
      expect(back.status).toBe(200);
      await context.close();
    });

    it("a promoter with a team of 1,000: the page opens, the tree shows a page and loads more, a click on the root folds it", async () => {
      const lead = await api<{ promoterId: string; code: string }>("/v1/promoters", DEMO.apiKey, {
        programId: DEMO.programId,
        name: "大团队长",
      });
      await db.tx(async (q) => {
        await q.query("INSERT INTO promoters (id, name) SELECT 'pmt_bulk_' || i, '队员' || i FROM generate_series(1, 1000) i");
        await q.query(
          `INSERT INTO memberships (merchant_id, program_id, promoter_id, code, inviter_id, joined_at)
           SELECT $1, $2, 'pmt_bulk_' || i, 'BULK' || lpad(i::text, 4, '0'), $3, now() - (1000 - i) * interval '1 minute' FROM generate_series(1, 1000) i`,
          [DEMO.merchantId, DEMO.programId, lead.promoterId],
        );
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
      await page.getByTestId("nav-promoters").click();
      await page.getByTestId("promoters-search").locator("input").fill(lead.code);
      await page.getByTestId(`open-${lead.code}`).click();
      await page.waitForURL(/\/console\/promoters\/pmt_/);
      const tree = page.getByTestId("team-tree");
      await expect.poll(() => tree.getAttribute("data-nodes"), { timeout: UI_WAIT_MS }).toBe("50");
      expect(await tree.locator("canvas").count()).toBeGreaterThan(0);
      const more = page.getByTestId("team-tree-more");
      expect(await more.innerText()).toMatch(/\d+/);
      const t0 = Date.now();
      await more.click();
      await expect.poll(() => tree.getAttribute("data-nodes"), { timeout: UI_WAIT_MS }).toBe("100");
      expect(Date.now() - t0).toBeLessThan(10_000);
      // the root sits at the left edge, half-way down: a click folds the tree to one node, another unfolds it
      const scroller = page.getByTestId("team-tree-scroll");
      await scroller.evaluate((el) => {
        el.scrollIntoView({ block: "center" });
        el.scrollTo(0, (el.scrollHeight - el.clientHeight) / 2);
      });
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(shotsDir, "console-promoter.png") });
      const box = await tree.boundingBox();
      if (!box) throw new Error("no tree box");
      const box2 = (await tree.boundingBox()) ?? box;
      await page.mouse.click(box2.x + 80, box2.y + box2.height / 2);
      await expect.poll(() => tree.getAttribute("data-leaves"), { timeout: UI_WAIT_MS }).toBe("1");
      await context.close();
      // the other tests see the demo data as it was
      await db.tx(async (q) => {
        await q.query("DELETE FROM memberships WHERE merchant_id = $1 AND promoter_id LIKE 'pmt_bulk_%'", [DEMO.merchantId]);
        await q.query("DELETE FROM promoters WHERE id LIKE 'pmt_bulk_%'");
      });
    });

    it("exports the promoter list as CSV: BOM, header, a row, with the filter", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", acceptDownloads: true });
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
      await page.getByTestId("nav-promoters").click();
      await page.waitForURL(/\/console\/promoters$/);
      const login = await api<{ token: string }>("/v1/auth/login", undefined, { email: DEMO.merchantAdmin, password: DEMO.password });
      const { total } = await api<{ total: number }>(
        `/v1/promoters?programId=${DEMO.programId}&q=${encodeURIComponent("王芳")}`,
        login.token,
      );
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(20);
      await page.getByTestId("promoters-search").locator("input").fill("王芳");
      await expect
        .poll(() => page.getByTestId("promoters-table").locator("tbody tr.ant-table-row").count(), { timeout: UI_WAIT_MS })
        .toBe(total);
      await page.screenshot({ path: join(shotsDir, "console-promoters.png") });
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("promoters-export").click()]);
      const file = await download.path();
      const bytes = readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString("utf8").trim().split("\n");
      expect(lines[0]).toMatch(/^programId,promoterId,name,code/);
      expect(lines).toHaveLength(total + 1);
      expect(lines.slice(1).every((l) => l.includes("王芳"))).toBe(true);
      await context.close();
    });

    it("promoter on a phone: balances, promo code and link, a 'why' sentence, English", async () => {
      const email = DEMO.promoterEmail(1);
      const login = await api<{ token: string }>("/v1/auth/login", undefined, { email, password: DEMO.password });
      const bal = await api<{ balances: { availableMinor: number; pendingMinor: number }[] }>(
        `/v1/me/balances?merchantId=${DEMO.merchantId}`,
        login.token,
      );
      const b = bal.balances[0];
      expect(b).toBeDefined();

      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: "zh-CN",
      });
      const page = await context.newPage();
      await logIn(page, email);
      await page.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });

      const available = page.getByTestId("balance-available");
      await available.waitFor({ timeout: UI_WAIT_MS });
      expect(await available.innerText()).toBe(formatMoney(b?.availableMinor ?? 0));
      expect(await page.getByTestId("balance-pending").innerText()).toBe(formatMoney(b?.pendingMinor ?? 0));
      const code = (await page.getByTestId("promo-code").innerText()).trim();
      expect(code).toMatch(/^[0-9A-Z]{4,16}$/);
      await page.getByTestId("promo-link").waitFor({ timeout: UI_WAIT_MS });
      expect(await page.getByTestId("promo-link").innerText()).toMatch(/\/r\/[0-9A-Z]+/);

      const why = page.getByTestId("why").first();
      await why.waitFor({ timeout: UI_WAIT_MS });
      expect(await why.innerText()).toMatch(/订单 #\S+ .*= ¥[\d,]+\.\d{2}/);

      // Large touch targets: the bottom tabs are at least 48 px high and fit the narrow screen.
      const tab = await page.getByTestId("tab-team").boundingBox();
      expect(tab?.height ?? 0).toBeGreaterThanOrEqual(48);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(shotsDir, "portal.png") });

      // The team tab lists masked members; the customers tab masks phones.
      await page.getByTestId("tab-team").click();
      await page.getByTestId("team-level-1").waitFor({ timeout: UI_WAIT_MS });
      const teamApi = await api<{ counts: { level1: number; level2: number } }>(
        `/v1/me/team?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}&limit=1`,
        login.token,
      );
      expect(teamApi.counts.level1).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByTestId("team-member").count(), { timeout: UI_WAIT_MS })
        .toBe(teamApi.counts.level1 + teamApi.counts.level2);
      expect((await page.getByTestId("team-level-1").innerText()).includes(String(teamApi.counts.level1))).toBe(true);
      expect(await page.getByTestId("team-member").first().innerText()).toMatch(/\d{3}\*{4}\d{4}/);
      // Enough bound customers for more than one page (50), then the customers tab: masked phones, "load more".
      for (let i = 0; i < 55; i++) {
        await api("/v1/customers", DEMO.apiKey, { customerRef: `web-page-${i}`, phone: "13900001111", promoCode: code });
      }
      const bound = await api<{ items: unknown[] }>(
        `/v1/me/customers?merchantId=${DEMO.merchantId}&programId=${DEMO.programId}&limit=500`,
        login.token,
      );
      expect(bound.items.length).toBeGreaterThan(55);
      await page.getByTestId("tab-customers").click();
      const customer = page.getByTestId("my-customer").first();
      await customer.waitFor({ timeout: UI_WAIT_MS });
      expect(await customer.innerText()).toMatch(/\d{3}\*{4}\d{4}/);
      expect(await page.getByTestId("my-customer").count()).toBe(50);
      while (await page.getByText("加载更多").count()) {
        await page.getByText("加载更多").click();
        await page.waitForTimeout(200);
      }
      await expect.poll(() => page.getByTestId("my-customer").count(), { timeout: UI_WAIT_MS }).toBe(bound.items.length);

      // English, remembered across a reload.
      await page.getByTestId("tab-home").click();
      await page.getByTestId("lang-switch").getByText("English").click();
      await expect.poll(() => page.getByTestId("why").first().innerText()).toMatch(/^Order #\S+ /);
      await page.reload();
      await page.getByTestId("why").first().waitFor({ timeout: UI_WAIT_MS });
      expect(await page.getByText("Why this amount").count()).toBeGreaterThan(0);
      expect(await page.getByTestId("tab-team").innerText()).toContain("Team");
      await context.close();
    });

    it("any user changes their password in a dialog: wrong current, a common new one, then done; the old one stops working", async () => {
      const email = "web-password@beibei.demo";
      const first = "first-pass-phrase";
      await api("/v1/promoters", DEMO.apiKey, { programId: DEMO.programId, name: "改密码", email, password: first });
      const other = await api<{ token: string }>("/v1/auth/login", undefined, { email, password: first });
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByTestId("login-email").fill(email);
      await page.getByTestId("login-password").fill(first);
      await page.getByTestId("login-submit").click();
      await page.waitForURL(/\/portal$/, { timeout: UI_WAIT_MS });

      await page.getByTestId("change-password").click();
      const dialog = page.getByRole("dialog");
      await page.getByTestId("password-current").fill("not-the-password");
      await page.getByTestId("password-new").fill("1234567890");
      await page.getByTestId("password-confirm").fill("1234567890");
      await dialog
        .getByRole("button", { name: "修 改" })
        .or(dialog.getByRole("button", { name: "修改" }))
        .click();
      // The server's rule, in Chinese, under the new password (checked before the current one).
      await dialog.getByText("密码过于常见或容易猜到，请换一个").waitFor({ timeout: UI_WAIT_MS });
      await page.getByTestId("password-new").fill("second-pass-phrase");
      await page.getByTestId("password-confirm").fill("second-pass-phrase");
      await dialog
        .getByRole("button", { name: "修 改" })
        .or(dialog.getByRole("button", { name: "修改" }))
        .click();
      await dialog.getByText("当前密码不正确。").waitFor({ timeout: UI_WAIT_MS });
      await page.getByTestId("password-current").fill(first);
      await dialog
        .getByRole("button", { name: "修 改" })
        .or(dialog.getByRole("button", { name: "修改" }))
        .click();
      await page.getByText("密码已修改").waitFor({ timeout: UI_WAIT_MS });
      await expect.poll(() => dialog.count(), { timeout: UI_WAIT_MS }).toBe(0);

      // This session stays; the other one ended; only the new password logs in.
      expect((await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(401);
      await page.getByTestId("tab-team").click();
      await page.waitForURL(/\/portal\/team$/, { timeout: UI_WAIT_MS });
      const old = await fetch(`${base}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: first }),
      });
      expect(old.status).toBe(401);
      await api("/v1/auth/login", undefined, { email, password: "second-pass-phrase" });
      await context.close();
    });

    it("merchant admin: 开发者/Webhooks — an endpoint with its secret shown once, the delivery log and a resend", async () => {
      process.env.WEBHOOKS_ALLOW_PRIVATE = "1"; // the receiver is on this machine
      let received = 0;
      const rx = createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          received++;
          res.writeHead(200).end("thanks");
        });
      });
      await new Promise<void>((ok) => rx.listen(0, "127.0.0.1", () => ok()));
      const a = rx.address();
      const url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/hooks`;
      try {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
        const page = await context.newPage();
        await logIn(page, DEMO.merchantAdmin);
        await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
        await page.getByText("开发者").click();
        await page.getByTestId("nav-webhooks").click();
        await page.getByTestId("webhook-create").click();
        await page.getByTestId("webhook-url").fill(url);
        await page.getByRole("checkbox", { name: "全部事件（含以后新增的）" }).uncheck();
        await page.getByRole("checkbox", { name: /\(order\.attributed\)/ }).check();
        await page.getByTestId("webhook-create-submit").click();
        const secretBox = page.getByTestId("webhook-secret");
        await secretBox.waitFor({ timeout: UI_WAIT_MS });
        const secret = await secretBox.innerText();
        expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
        await page.waitForTimeout(500); // the dialog's opening animation
        await page.screenshot({ path: join(shotsDir, "console-webhook-secret.png") });
        await page.getByTestId("webhook-secret-done").click();
        await secretBox.waitFor({ state: "detached", timeout: UI_WAIT_MS });
        await expect.poll(() => page.getByTestId("webhooks-table").innerText(), { timeout: UI_WAIT_MS }).toContain(url);
        expect(await page.getByTestId("webhooks-table").innerText()).toContain("订单归因");
        expect(await page.content()).not.toContain(secret.slice(6)); // shown once: not in the list

        // An attributed order: one delivery, which the log shows; then a resend.
        const promoters = await api<{ items: { code: string; status: string }[] }>(
          `/v1/promoters?programId=${DEMO.programId}&limit=5`,
          DEMO.apiKey,
        );
        const code = promoters.items.find((p) => p.status === "active")?.code;
        await api("/v1/orders", DEMO.apiKey, {
          orderRef: "WEB-HOOK-1",
          customer: { ref: "WEB-HOOK-C1" },
          paidAt: new Date(Date.now() - 60_000).toISOString(),
          promoCode: code,
          lines: [{ productId: "SKU-1001", quantity: 1, netAmountMinor: 32_800 }],
        });
        await runWebhooks(db, systemClock, secrets);
        expect(received).toBe(1);
        const endpoints = await api<{ items: { id: string; url: string }[] }>("/v1/webhook-endpoints", DEMO.apiKey);
        const id = endpoints.items.find((e) => e.url === url)?.id as string;
        await page.getByTestId(`webhook-log-${id}`).click();
        const log = page.getByTestId("webhook-deliveries");
        await expect.poll(() => log.innerText(), { timeout: UI_WAIT_MS }).toContain("成功");
        expect(await log.innerText()).toContain("订单归因");
        await page.screenshot({ path: join(shotsDir, "console-webhooks.png") });
        await log.getByRole("button", { name: "重新推送" }).click();
        await expect.poll(() => log.innerText(), { timeout: UI_WAIT_MS }).toContain("等待中");
        await runWebhooks(db, systemClock, secrets);
        expect(received).toBe(2);
        await context.close();
      } finally {
        delete process.env.WEBHOOKS_ALLOW_PRIVATE;
        await new Promise((ok) => rx.close(ok));
      }
    });

    it("the console and the API reference work under the Content-Security-Policy, with no violation", async () => {
      const res = await fetch(`${base}/login`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
      // (A script as text: the tests are type-checked without the DOM.)
      await context.addInitScript({
        content:
          "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
      });
      const violations = (p: Page) => p.evaluate<string[]>("window.cspViolations");
      const page = await context.newPage();
      await logIn(page, DEMO.merchantAdmin);
      await page.getByTestId("kpi-pending").waitFor({ timeout: UI_WAIT_MS });
      await page.getByTestId("nav-commissions").click();
      await page.waitForLoadState("networkidle");
      expect(await violations(page)).toEqual([]);
      await page.goto(`${base}/docs`);
      await page.locator(".swagger-ui .opblock").first().waitFor({ timeout: UI_WAIT_MS });
      // the reference is drawn (its first tags' operations), and it is the whole document: every operation is in it
      await expect.poll(() => page.locator(".swagger-ui .opblock").count(), { timeout: UI_WAIT_MS }).toBeGreaterThan(5);
      const served = await page.evaluate(async () => {
        const doc = (await (await fetch("/docs/json")).json()) as { paths: Record<string, Record<string, unknown>> };
        return Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
      });
      expect(served).toBeGreaterThan(100);
      expect(await violations(page)).toEqual([]);
      await context.close();
    });
  });
}
