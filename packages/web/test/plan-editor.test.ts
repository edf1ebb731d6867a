/**
 * Browser test of the plan editor against a real server (PGlite with the demo data, the built app, Debian's Chromium):
 * edit the plan in the form (a rate in percent, a new tier step) → the server's lint puts a Chinese message on the
 * field of a bad value → fix → what-if shows figures → publish; the published document equals what the form showed.
 */

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
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

const byId = (id: string) => `[id="${id}"]`;
const field = (path: string) => byId(`pf-${path}`);

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== "true")("plan editor (browser)", () => {
  let db: PgliteDb;
  let app: App;
  let base: string;
  let browser: Browser;

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
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it("form → lint on the field → fix → what-if → publish; the published document is the form's", async () => {
    const login = (await (
      await fetch(`${base}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: DEMO.merchantAdmin, password: DEMO.password }),
      })
    ).json()) as { token: string };
    const plans = async () =>
      (
        (await (
          await fetch(`${base}/v1/programs/${DEMO.programId}/plans`, { headers: { authorization: `Bearer ${login.token}` } })
        ).json()) as { items: { version: number; status: string; document: unknown }[] }
      ).items;
    const before = await plans();

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId("login-email").fill(DEMO.merchantAdmin);
    await page.getByTestId("login-password").fill(DEMO.password);
    await page.getByTestId("login-submit").click();
    await page.waitForURL(/\/console$/, { timeout: UI_WAIT_MS });
    await page.getByTestId("nav-plan-editor").click();
    await page.waitForURL(/\/console\/plan-editor$/);

    // The newest version is loaded into the form: the demo's 10 % default, in percent.
    const rate = page.locator(field("base.defaultRateBps"));
    await expect.poll(() => rate.inputValue(), { timeout: UI_WAIT_MS }).toBe("10");
    await page.getByTestId("pe-lint-ok").waitFor({ timeout: UI_WAIT_MS });

    // Invalid JSON says line and column; the form is untouched by it.
    await page.getByRole("tab", { name: "JSON", exact: true }).click();
    const json = page.getByTestId("pe-json");
    const original = await json.inputValue();
    await json.fill('{\n  "version": 1,\n  "name" "x"\n}');
    await expect.poll(() => page.getByTestId("pe-json-error").innerText()).toContain("第 3 行第 10 列");
    // A change in the JSON reaches the form; a rule the form does not know stays as written.
    const edited = JSON.parse(original) as Record<string, unknown>;
    edited.name = "母婴方案 2";
    edited.rounding = { mode: "down" };
    await json.fill(JSON.stringify(edited, null, 2));
    await page.getByRole("tab", { name: "表单", exact: true }).click();
    expect(await page.locator(field("name")).inputValue()).toBe("母婴方案 2");
    expect(await page.getByTestId("json-only").innerText()).toContain("rounding · 在 JSON 中编辑");

    // Every control of the editor has an accessible name.
    const unnamed =
      await page.evaluate(`[...document.querySelectorAll(".plan-editor :is(input, textarea, select, button, [role=switch], [role=combobox], [role=tab])")]
      .filter((e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && !(e.getAttribute("aria-label") || e.labels?.length || e.textContent.trim() || e.getAttribute("aria-labelledby")))
      .map((e) => e.outerHTML.slice(0, 120))`);
    expect(unnamed).toEqual([]);

    // A rate in percent, an exact decimal.
    await rate.fill("12.5");
    // Tiers on, a second step at ¥5,000 with a bad rate: 150 %.
    await page.getByTestId("pe-toggle-tiers").click();
    await page.getByRole("button", { name: "添加档位" }).click();
    await page.locator(field("tiers.steps[1].fromMinor")).fill("5000");
    const stepRate = page.locator(field("tiers.steps[1].rateBps"));
    await stepRate.fill("150");

    // The server's lint: the Chinese message sits on that very field, and the finding leads to it.
    const stepField = page.locator('[data-path="tiers.steps[1].rateBps"]');
    await expect.poll(() => stepField.innerText(), { timeout: UI_WAIT_MS }).toContain("不能大于 100%");
    expect(await stepRate.getAttribute("aria-invalid")).toBe("true");
    const schema = page.getByTestId("pe-lint-schema");
    expect(await schema.innerText()).toContain("阶梯提成 › 档位 › 第 2 项 › 比例");
    expect(await page.getByTestId("pe-lint").innerText()).not.toContain("Too big");
    await expect.poll(() => page.getByTestId("pe-publish").isDisabled()).toBe(true);
    await stepField.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shotsDir, "plan-editor-lint.png") });
    await rate.focus();
    await schema.getByRole("button").first().click();
    await expect.poll(() => page.evaluate("document.activeElement?.id")).toBe("pf-tiers.steps[1].rateBps");

    // Fix it: 12 %.
    await stepRate.fill("12");
    await page.getByTestId("pe-lint-ok").waitFor({ timeout: UI_WAIT_MS });
    expect(await stepField.innerText()).not.toContain("不能大于");

    // The diff against the version in force names the changes in Chinese, in percent.
    const diff = page.getByTestId("pe-diff-fields");
    await expect.poll(() => diff.innerText()).toContain("基础佣金 › 基础比例");
    expect(await diff.innerText()).toContain("12.5%");

    // What-if of the draft beside the editor.
    await page.getByTestId("pe-run-whatif").click();
    const draftCost = page.getByTestId("pe-sim-draft");
    await expect.poll(() => draftCost.innerText(), { timeout: UI_WAIT_MS }).toMatch(/¥[\d,]+\.\d{2}/);
    expect(await page.getByTestId("pe-sim-delta").innerText()).toMatch(/[+-]?¥[\d,]+\.\d{2}/);

    const shown = JSON.parse(await json.inputValue()) as {
      base: { defaultRateBps: number };
      tiers: { mode: string; steps: { fromMinor: number; rateBps: number }[] };
    };
    expect(shown.base.defaultRateBps).toBe(1250);
    expect(shown).toMatchObject({ name: "母婴方案 2", rounding: { mode: "down" } });
    expect(shown.tiers).toEqual({
      mode: "retroactive",
      steps: [
        { fromMinor: 0, rateBps: 800 },
        { fromMinor: 500000, rateBps: 1200 },
      ],
    });
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(shotsDir, "plan-editor.png") });

    // Publish; read it back through the API.
    await page.getByTestId("pe-publish").click();
    await page.getByTestId("pe-publish-ok").click();
    await page.getByText(/已发布 v\d+/).waitFor({ timeout: UI_WAIT_MS });
    const after = await plans();
    expect(after.length).toBe(before.length + 1);
    const newest = after.reduce((a, b) => (b.version > a.version ? b : a));
    expect(newest.status).toBe("published");
    expect(newest.document).toEqual(shown);
    await context.close();
  });
});
