// Every page in a real Chromium (Debian's, driven by playwright-core) against the real server and a
// seeded PGlite database marked as the demo network: charts drawn with data, the demo banner, chain
// text that tries to inject script shown as text, a phone-width overview, and no console errors.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { openTestDb, type TestDb } from "./helpers/db";
import { EVIL_URI, FORMULA_URI, JS_URI, ORCH, seedNetwork } from "./helpers/seed";

const exe = chromiumPath();
const missing = !fs.existsSync(exe);
const skip = missing && process.env.REQUIRE_BROWSER !== "1";
if (skip) console.warn(`[browser.test] SKIPPED: no Chromium at ${exe}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure.`);

const BANNER = "Demo network: synthetic data generated locally, not the Livepeer network";

describe.skipIf(skip)("pages in Chromium", () => {
  let db: TestDb;
  let server: StartedServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    if (missing) throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${exe}`);
    [db, browser] = await Promise.all([
      openTestDb("pglite"),
      chromium.launch({
        executablePath: exe,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      }),
    ]);
    await seedNetwork(db, { demo: true });
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  interface Visit {
    page: Page;
    problems: string[];
    dialogs: string[];
  }

  async function open(path: string, ctx: BrowserContext = context): Promise<Visit> {
    const page = await ctx.newPage();
    const problems: string[] = [];
    const dialogs: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    const res = await page.goto(server.url + path, { waitUntil: "load" });
    expect(res?.status(), path).toBe(200);
    return { page, problems, dialogs };
  }

  /** Waits for `n` recharts surfaces and checks each one drew data marks (bars or areas). */
  async function expectCharts(page: Page, n: number) {
    await page.locator(".chart .recharts-wrapper > svg.recharts-surface").nth(n - 1).waitFor({ state: "visible", timeout: 15_000 });
    const marks = await page.$$eval(".chart", (figs) =>
      figs.map((f) => {
        const svg = f.querySelector(".recharts-wrapper > svg.recharts-surface"); // not a legend icon
        if (!svg) return -1;
        const box = svg.getBoundingClientRect();
        const drawn = [...svg.querySelectorAll("path.recharts-rectangle, .recharts-area-area")].filter((p) => (p.getAttribute("d") ?? "").length > 4);
        return box.width > 100 && box.height > 100 ? drawn.length : -2;
      }),
    );
    expect(marks).toHaveLength(n);
    for (const m of marks) expect(m).toBeGreaterThan(0);
  }

  async function expectCommon(v: Visit) {
    await expect.poll(() => v.page.locator(".demo-banner").textContent()).toBe(BANNER);
    expect(await v.page.locator(".freshness").count()).toBe(1);
    expect(await v.page.locator("meta[property='og:title']").count()).toBe(1);
  }

  it("overview: KPI cards, stacked fee chart with the subsidy window, growth multiple", async () => {
    const v = await open("/");
    await expectCharts(v.page, 1);
    await expectCommon(v);
    expect(await v.page.locator(".kpi").count()).toBe(4);
    expect(await v.page.locator(".kpi-value").first().textContent()).toBe("28.0000 ETH");
    expect(await v.page.getByTestId("growth-multiple").textContent()).toBe("× 4.26");
    expect(await v.page.locator(".recharts-reference-area").count()).toBe(1);
    expect(await v.page.locator(".chart svg text", { hasText: "Subsidy window" }).count()).toBe(1);
    // Tooltip text comes from the exact strings.
    const bar = v.page.locator("path.recharts-rectangle").last();
    await bar.hover();
    await expect.poll(() => v.page.locator(".chart-tooltip").count()).toBeGreaterThan(0);
    expect(await v.page.locator(".chart-tooltip").first().textContent()).toMatch(/2025-03-31: 4\.0000 ETH/);
    // Download links carry the chart's parameters.
    expect(await v.page.locator("a", { hasText: "Download CSV" }).first().getAttribute("href")).toBe(
      "/api/fees?interval=day&from=2025-01-01&to=2025-03-31&format=csv",
    );
    expect(v.problems).toEqual([]);
    expect(v.dialogs).toEqual([]);
    await v.page.close();
  });

  it("overview with week / usd / cumulative params draws stacked areas", async () => {
    const v = await open("/?interval=week&unit=usd&view=cumulative&baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31");
    await expectCharts(v.page, 1);
    await expectCommon(v);
    expect(await v.page.locator(".recharts-area").count()).toBe(2);
    expect(await v.page.getByTestId("growth-multiple").textContent()).toBe("× 4.00");
    expect(await v.page.getByTestId("organic-multiple").textContent()).toBe("× 2.00");
    const week = v.page.locator("[aria-current='true']", { hasText: "Week" });
    expect(await week.count()).toBe(1);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("client-side navigation: controls and nav links keep charts and data consistent", async () => {
    const v = await open("/");
    await expectCharts(v.page, 1);
    await v.page.locator(".segmented a", { hasText: "Month" }).click();
    await v.page.waitForURL(/interval=month/);
    await expect.poll(() => v.page.locator("path.recharts-rectangle").count()).toBeGreaterThan(0);
    await v.page.locator(".site-header nav a", { hasText: "Fees" }).click();
    await v.page.waitForURL(/\/fees$/);
    await expectCharts(v.page, 2);
    await v.page.locator(".site-header nav a", { hasText: "Orchestrators" }).click();
    await v.page.waitForURL(/\/orchestrators$/);
    await v.page.locator("th a", { hasText: "Total stake" }).click();
    await v.page.waitForURL(/sort=totalStake/);
    await expect.poll(() => v.page.locator("tbody tr td:first-child a").first().getAttribute("title")).toBe(ORCH.o1);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("fees page: a chart and a table for gateways and for orchestrators", async () => {
    const v = await open("/fees?from=2025-02-01&to=2025-03-31");
    await expectCharts(v.page, 2);
    await expectCommon(v);
    expect(await v.page.locator("table").count()).toBe(2);
    expect(await v.page.getByText("Free tier (Livepeer Inc)").count()).toBeGreaterThan(0);
    expect(await v.page.locator("a", { hasText: "Download CSV" }).first().getAttribute("href")).toBe("/api/fees/gateways?from=2025-02-01&to=2025-03-31&format=csv");
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("orchestrators page: hostile service URIs are text, never script or javascript: links", async () => {
    const v = await open("/orchestrators");
    await expectCommon(v);
    expect(await v.page.locator("tbody tr").count()).toBe(5);
    const evil = v.page.getByText(EVIL_URI, { exact: true });
    expect(await evil.count()).toBe(1);
    expect(await v.page.locator("main script").count()).toBe(0);
    expect(await v.page.getByText(JS_URI, { exact: true }).count()).toBe(1);
    expect(await v.page.locator("a[href^='javascript:']").count()).toBe(0);
    expect(await v.page.getByText(FORMULA_URI, { exact: true }).count()).toBe(1);
    // Give an injected script every chance to run.
    await v.page.waitForTimeout(300);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("orchestrator page: details and a zero-filled daily chart", async () => {
    const v = await open(`/orchestrators/${ORCH.o2}?from=2025-01-10&to=2025-03-31`);
    await expectCharts(v.page, 1);
    await expectCommon(v);
    expect(await v.page.getByText(EVIL_URI, { exact: true }).count()).toBe(1);
    expect(await v.page.locator("main").textContent()).toContain("Days with fees");
    await v.page.waitForTimeout(200);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("status page: sources, runs and a live progress view", async () => {
    await db.query(`update source_state set progress = $1::jsonb where name = 'subgraph'`, [
      JSON.stringify({ phase: "tickets", done: 1200, total: 4800, ratePerSec: 300, etaSeconds: 12 }),
    ]);
    try {
      const v = await open("/status");
      await expectCommon(v);
      expect(await v.page.getByTestId("status-subgraph").textContent()).toBe("degraded");
      expect(await v.page.getByTestId("progress").textContent()).toMatch(/1,200 rows of 4,800 · 300 rows\/s · ETA 12 s/);
      expect(await v.page.locator("table tbody tr").count()).toBe(3);
      expect(await v.page.locator(".freshness").textContent()).toContain("indexing");
      expect(v.problems).toEqual([]);
      await v.page.close();
    } finally {
      await db.query(`update source_state set progress = null`);
    }
  });

  it("bad links show a friendly error page, not a crash", async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const res = await page.goto(`${server.url}/fees?from=2025-02-30`);
    expect(res?.status()).toBe(400);
    expect(await page.locator(".error-panel h1").textContent()).toBe("This link has a problem");
    expect(await page.locator(".error-reason").textContent()).toMatch(/impossible date/);
    const res404 = await page.goto(`${server.url}/orchestrators/0x${"99".repeat(20)}`);
    expect(res404?.status()).toBe(404);
    expect(await page.locator(".error-panel h1").textContent()).toBe("Not found");
    // The same through a client-side form submission (single-fetch data request).
    await page.goto(`${server.url}/fees`);
    await page.locator("form.range input[name='from']").fill("2025-03-10");
    await page.locator("form.range input[name='to']").fill("2025-03-01");
    await page.locator("form.range button").click();
    await page.waitForURL(/from=2025-03-10/);
    await expect.poll(() => page.locator(".error-reason").textContent()).toMatch(/reversed range/);
    expect(await page.locator(".site-header nav").count()).toBe(1);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("a 375px-wide phone shows the overview without horizontal page overflow", async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      for (const path of ["/", "/orchestrators", "/fees", "/status"]) {
        const v = await open(path, phone);
        if (path !== "/orchestrators" && path !== "/status") await expectCharts(v.page, path === "/" ? 1 : 2);
        const { scroll, width } = await v.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
        expect(width, path).toBe(375);
        expect(scroll, path).toBeLessThanOrEqual(375);
        expect(v.problems).toEqual([]);
        await v.page.close();
      }
    } finally {
      await phone.close();
    }
  });
});
