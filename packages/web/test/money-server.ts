/**
 * The harness of the money-out browser tests: a real server (PGlite with the demo data, the built app served by the
 * server, the scheduler that drives payout runs and the sandbox's callbacks, as server.ts runs them), Debian's
 * Chromium, and the small helpers the tests share (API calls, logging in, contexts at 390 and 1280 px, downloads, the
 * check that every control has an accessible name).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { type App, buildApp } from "../../server/src/app.ts";
import { systemClock } from "../../server/src/clock.ts";
import { type KeyRing, keyRing, newSecretKeyText } from "../../server/src/crypto/sealed.ts";
import { PgliteDb } from "../../server/src/db/client.ts";
import { migrate } from "../../server/src/db/migrate.ts";
import { DEMO, seedDemo } from "../../server/src/demo/seed.ts";
import { startScheduler } from "../../server/src/jobs/scheduler.ts";
import { startSandboxDelivery } from "../../server/src/modules/payouts/providers/sandbox.ts";
import { runnerDepsOf } from "../../server/src/modules/payouts/service.ts";
import { migratedPglite } from "../../server/test/helpers.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
export const onCi = process.env.CI === "true";

/**
 * A browser suite: it runs when Chromium is here; on CI without it, one failing test says so (the browser tests must
 * not pass by being skipped there); elsewhere it is skipped with the reason and the command that installs it.
 */
export function browserSuite(title: string, body: () => void): void {
  if (haveChromium) describe(title, body);
  else if (onCi)
    describe(title, () => {
      it("needs Chromium", () => {
        throw new Error(`${CHROMIUM} is missing: the browser tests cannot run on CI. Install it with: apt-get install -y chromium`);
      });
    });
  else describe.skip(`${title} — skipped: ${CHROMIUM} not found (apt-get install -y chromium)`, body);
}
const webDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(webDir, "..", "..");
export const shotsDir =
  process.env.FENXIAO_SCREENSHOTS === "docs" ? join(repoDir, "docs", "screenshots") : join(repoDir, "test-results", "screenshots");
export const UI_WAIT_MS = 30_000;

/**
 * The controls of the page without an accessible name (aria-label, aria-labelledby, a <label>, their text, a title or a
 * placeholder), as "tag#id.class" strings. A script as text: the tests are type-checked without the DOM.
 */
export const UNNAMED_CONTROLS = `(() => {
  const named = (el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return true;
    const by = el.getAttribute("aria-labelledby");
    if (by && by.split(/\\s+/).some((id) => (document.getElementById(id)?.textContent || "").trim())) return true;
    if (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')?.textContent?.trim()) return true;
    if (el.closest("label")?.textContent?.trim()) return true;
    if ((el.textContent || "").trim() || (el.getAttribute("title") || "").trim()) return true;
    if ((el.getAttribute("placeholder") || "").trim()) return true;
    return false;
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const all = [...document.querySelectorAll('button, a[href], input:not([type=hidden]), textarea, select, [role=combobox], [role=switch], [role=radio], [role=tab]')];
  return all.filter((el) => visible(el) && !named(el)).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + String(el.className).split(" ")[0]);
})()`;

/** A TCP port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Json {
  [k: string]: unknown;
}

export interface MoneyServer {
  db: PgliteDb;
  base: string;
  ring: KeyRing;
  browser: Browser;
  call<T = Json>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }>;
  ok<T = Json>(method: string, path: string, token?: string, body?: unknown): Promise<T>;
  /** A session token of a demo user. */
  login(email: string): Promise<string>;
  /** Log in through the login page. */
  logIn(page: Page, email: string): Promise<void>;
  phone(): Promise<BrowserContext>;
  desktop(): Promise<BrowserContext>;
  /** Pick an option of an antd Select by its accessible name. */
  choose(page: Page, selectName: string, option: string): Promise<void>;
  /** Click a download button and read the file the browser saved. */
  downloadText(page: Page, testId: string): Promise<string>;
  close(): Promise<void>;
}

/** How long a browser file waits for the run's demo image before it seeds its own (demo-image.ts). */
const DEMO_IMAGE_WAIT_MS = 180_000;

/** The run's demo image (demo-image.ts) once it is ready, or null when there is none or it failed. */
async function runDemoImage(): Promise<{ tarball: Uint8Array; key: string } | null> {
  let dir = "";
  try {
    dir = inject("fenxiaoDemoImageDir") ?? "";
  } catch {
    dir = "";
  }
  if (!dir) return null;
  const deadline = Date.now() + DEMO_IMAGE_WAIT_MS;
  while (Date.now() < deadline) {
    if (existsSync(join(dir, "failed"))) return null;
    if (existsSync(join(dir, "ready")))
      return { tarball: new Uint8Array(readFileSync(join(dir, "demo.tar.gz"))), key: readFileSync(join(dir, "key"), "utf8") };
    await sleep(200);
  }
  return null;
}

/**
 * A migrated embedded database holding the demo data, and the key it was sealed under: a copy of the run's demo image
 * when there is one (made once per run), else a database seeded here.
 */
export async function demoDatabase(): Promise<{ db: PgliteDb; ring: KeyRing }> {
  const image = await runDemoImage();
  if (image) {
    const db = await PgliteDb.open(undefined, new Blob([image.tarball]));
    await migrate(db);
    return { db, ring: keyRing(image.key) };
  }
  const db = await migratedPglite();
  const ring = keyRing(newSecretKeyText());
  await seedDemo(db, systemClock, ring);
  return { db, ring };
}

export async function startMoneyServer(): Promise<MoneyServer> {
  // packages/web/dist is built once per run, before any file starts (build-once.ts, the project\'s globalSetup).
  const { db, ring } = await demoDatabase();
  // The server's public address is known before it starts (the sandbox's callbacks are posted to it): a free port.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = { publicUrl: base, sessionHours: 24 };
  const ctx = { db, clock: systemClock, secrets: ring, config };
  const app: App = await buildApp(ctx);
  await app.listen({ port, host: "127.0.0.1" });
  // What a server runs in the background (server.ts): the scheduler, which drives due payout runs, and the sandbox's callbacks.
  const quiet = () => {};
  const background = [
    startScheduler(db, systemClock, quiet, { payouts: runnerDepsOf(ctx, quiet), payoutEveryMs: 1_000 }),
    startSandboxDelivery({ db, clock: systemClock, ring }, quiet),
  ];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  mkdirSync(shotsDir, { recursive: true });

  async function call<T = Json>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  async function ok<T = Json>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const r = await call<T>(method, path, token, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  }
  return {
    db,
    base,
    ring,
    browser,
    call,
    ok,
    login: async (email) => (await ok<{ token: string }>("POST", "/v1/auth/login", undefined, { email, password: DEMO.password })).token,
    async logIn(page, email) {
      await page.goto(`${base}/login`);
      await page.getByTestId("login-email").fill(email);
      await page.getByTestId("login-password").fill(DEMO.password);
      await page.getByTestId("login-submit").click();
    },
    phone: () =>
      browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" }),
    desktop: () => browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "zh-CN", acceptDownloads: true }),
    async choose(page, selectName, option) {
      await page.getByRole("combobox", { name: selectName }).click();
      await page.locator(".ant-select-dropdown:visible").getByText(option, { exact: true }).click();
    },
    async downloadText(page, testId) {
      const [d] = await Promise.all([page.waitForEvent("download", { timeout: UI_WAIT_MS }), page.getByTestId(testId).click()]);
      return readFileSync(await d.path(), "utf8");
    },
    async close() {
      for (const b of background) b.stop();
      await browser.close();
      await app.close();
      await db.close();
    },
  };
}
