// Every page in a real Chromium (Debian's, driven by playwright-core) against the real server and a
// seeded PGlite database marked as the demo network (tickets, and gateway job logs through the real
// ingest, and what two orchestrators advertise through the capabilities store): charts drawn with
// data, the demo banner, chain and log text that tries to inject script shown as text, the
// orchestrators table within a 1280 px window (with the public-probe columns: o5 is probed by the
// stand-in leaderboard API), whole category names on the pipelines chart, a phone-width overview,
// an orchestrator's probe panel, and no console errors.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { openTestDb, type TestDb } from "./helpers/db";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { runPrices } from "../indexer/sources/prices/load";
import { formatUsdPrecise } from "../app/lib/cost-format";
import { parseNetworkCapabilities } from "../core/gateway/capabilities";
import { applyCapabilities } from "../indexer/sources/capabilities/store";
import { loadIndexerConfig } from "../indexer/config";
import { DEFAULT_PAIRS } from "../indexer/demo/leaderboard-probes";
import { startLeaderboardStandIn } from "../indexer/demo/leaderboard-server";
import { pollLeaderboard } from "../indexer/sources/leaderboard/poll";
import { EVIL_URI, FORMULA_URI, JOBS_ONLY, JS_URI, ORCH, seedJobs, seedNetwork } from "./helpers/seed";

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
    await seedJobs(db);
    await runPrices(db, { dir: "indexer/data", log: () => {} });
    // Two nodes of the real capabilities capture as o1 (4 RTX 5090, a live video price) and o2 (two GPUs of long names).
    const capture = JSON.parse(fs.readFileSync(new URL("./real-samples/gateway-events/getNetworkCapabilities.json", import.meta.url), "utf8"));
    const rename: Record<string, string> = { "0x75fbf65a3dfe93545c9768f163e59a02daf08d36": ORCH.o1, "0xd4c467d8c13752ab7bb9711bc77de2a9f52a65f6": ORCH.o2 };
    const states = parseNetworkCapabilities(capture).map((st) => (rename[st.address] ? { ...st, address: rename[st.address] } : st));
    await db.tx((q) => applyCapabilities(q, states, "2025-03-31T12:00:00Z", { origin: "endpoint", complete: true }));
    // A rejected line whose text tries to inject script: the status page must show it as text.
    await ingestNdjson(db, `{"request_id": "<img src=x onerror=alert(1)><script>alert(2)</script>"`, { maxLineBytes: 1 << 20 });
    // Public probes of o5 (an active orchestrator without job logs) and o1 over the last two weeks of March.
    const nowS = Date.UTC(2025, 3, 1) / 1000;
    const api = await startLeaderboardStandIn({
      schedule: { seed: 3, orchestrators: [ORCH.o5, ORCH.o1], regions: ["MDW", "FRA", "SIN"], pairs: [DEFAULT_PAIRS[0], DEFAULT_PAIRS[8]], fromS: nowS - 14 * 86_400, toS: nowS - 4 * 3600, everyS: 7200 },
      now: () => nowS,
    });
    try {
      const polled = await pollLeaderboard(db, loadIndexerConfig({ LEADERBOARD_URL: api.url, LEADERBOARD_BACKFILL_DAYS: "20" }).leaderboard!, { log: () => {}, nowS });
      if (polled.failures.length || !polled.stored) throw new Error(`probe seed failed: ${JSON.stringify(polled.failures)}`);
    } finally {
      await api.close();
    }
    // The poll ran outside the runner, which would have cleared its progress at the end; its row stays,
    // so /status shows the leaderboard source and its failures panel (whose text once differed between
    // server and browser: a .server constant that the client bundle does not have).
    await db.query(`update source_state set progress = null where name = 'leaderboard'`);
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
    page.on("requestfailed", (r) => {
      // A hover prefetch (prefetch="intent") or a superseded navigation's data request that the
      // browser cancels is not a failure; anything else is.
      if (r.failure()?.errorText === "net::ERR_ABORTED" && new URL(r.url()).pathname.endsWith(".data")) return;
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    const res = await page.goto(server.url + path, { waitUntil: "load" });
    expect(res?.status(), path).toBe(200);
    return { page, problems, dialogs };
  }

  /**
   * Clicks a header nav link once Remix knows its route. Routes are discovered lazily (one
   * /__manifest request after hydration); a hover before that answers makes Remix warn "Tried to
   * prefetch … but no routes matched" (harmless: the click itself discovers the route).
   */
  async function clickNav(page: Page, name: string, path: string) {
    await page.waitForFunction(
      (p) => Object.values((window as unknown as { __remixManifest: { routes: Record<string, { path?: string }> } }).__remixManifest.routes).some((r) => r.path === p),
      path.replace(/^\//, ""),
    );
    await page.locator(".site-header nav a", { hasText: name }).click();
  }

  /** Waits for `n` recharts surfaces and checks each one drew data marks (bars, areas or lines). */
  async function expectCharts(page: Page, n: number) {
    await page.locator(".chart .recharts-wrapper > svg.recharts-surface").nth(n - 1).waitFor({ state: "visible", timeout: 15_000 });
    // A chart's surface can be visible a frame before its container has measured it (after a
    // client-side navigation): the marks are read again until the layout has settled.
    const read = () => page.$$eval(".chart", (figs) =>
      figs.map((f) => {
        const svg = f.querySelector(".recharts-wrapper > svg.recharts-surface"); // not a legend icon
        if (!svg) return -1;
        const box = svg.getBoundingClientRect();
        const drawn = [...svg.querySelectorAll("path.recharts-rectangle, .recharts-area-area, path.recharts-line-curve")].filter(
          (p) => (p.getAttribute("d") ?? "").length > 4,
        );
        return box.width > 100 && box.height > 100 ? drawn.length : -2;
      }),
    );
    await expect.poll(async () => (await read()).every((m) => m > 0), { timeout: 10_000 }).toBe(true);
    const marks = await read();
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
    expect(await v.page.locator(".kpi").count()).toBe(5); // 7 and 30 days in ETH and USD, and AI video cost per second
    expect(await v.page.locator(".kpi-label").last().textContent()).toBe("AI video, cost per second (USD)");
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
    await clickNav(v.page, "Fees", "/fees");
    await v.page.waitForURL(/\/fees$/);
    await expectCharts(v.page, 2);
    await clickNav(v.page, "Orchestrators", "/orchestrators");
    await v.page.waitForURL(/\/orchestrators$/);
    await v.page.locator("th a", { hasText: "Stake" }).click();
    await v.page.waitForURL(/sort=totalStake/);
    await expect.poll(() => v.page.locator("tbody tr td a.mono").first().getAttribute("title")).toBe(ORCH.o1);
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
    expect(await v.page.locator("tbody tr").count()).toBe(6); // 5 on chain or with fees + 1 known only from job logs
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
    // latency, success rate, errors by type, expected vs realized fees
    await expectCharts(v.page, 4);
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
      expect(await v.page.getByTestId("leaderboard-failures").textContent()).toContain("The newest 200; the error is shown as text.");
      expect(await v.page.getByRole("region", { name: "Recent indexer runs" }).locator("tbody tr").count()).toBe(3);
      expect(await v.page.locator(".freshness").textContent()).toContain("indexing");
      expect(v.problems).toEqual([]);
      await v.page.close();
    } finally {
      await db.query(`update source_state set progress = null`);
    }
  });

  it("orchestrator page by hour: latency percentiles with the network median, success rate, errors, fees; key numbers in text", async () => {
    const v = await open(`/orchestrators/${ORCH.o1}?interval=hour&from=2025-03-25&to=2025-03-31`);
    await expectCharts(v.page, 5); // and the probe score per day
    await expectCommon(v);
    expect(await v.page.locator("section:not([data-testid='probe-panel']) .recharts-line-curve").count()).toBe(4); // p50, p95, p99 + success rate
    expect(await v.page.locator(".recharts-reference-line").count()).toBe(1);
    expect(await v.page.locator(".chart svg text", { hasText: /^Network p50/ }).count()).toBe(1);
    // Hourly ticks on the axis.
    expect(await v.page.locator(".chart .recharts-cartesian-axis-tick-value", { hasText: /^03-2\d \d\d:00$/ }).count()).toBeGreaterThan(0);
    const main = (await v.page.locator("main").textContent()) ?? "";
    expect(main).toContain("Network p50 (all orchestrators, same pipeline and model)");
    // Its busiest pair: text-to-image (160 jobs, 10 failed), not its 25 image-to-video jobs too.
    expect(main).toContain("p50/p95/p99 and costs for text-to-image ByteDance/SDXL-Lightning, its busiest in this window");
    expect(main).toMatch(/Failed: 10 of 160 jobs/);
    expect(main).toContain("Most frequent: timeout (6)");
    expect(main).toContain("Expected and realized fees per day");
    expect(await v.page.locator("[aria-current='true']", { hasText: "By hour" }).count()).toBe(1);
    expect(await v.page.locator("a", { hasText: "Download CSV" }).last().getAttribute("href")).toBe(
      `/api/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31&interval=hour&format=csv`,
    );
    // A hidden percentile says why in its title.
    const o4 = await open(`/orchestrators/${ORCH.o4}?from=2025-03-25&to=2025-03-31`);
    await expectCharts(o4.page, 3); // latency, success rate and fees (no failures, so no error chart)
    expect(await o4.page.locator("span[title^='p95 is shown from 20 successful jobs; this selection has 12']").count()).toBeGreaterThan(0);
    expect(v.problems).toEqual([]);
    expect(o4.problems).toEqual([]);
    await v.page.close();
    await o4.page.close();
  });

  it("orchestrators table: job columns, pipeline filter, and ticking two rows opens the compare page", async () => {
    const v = await open("/orchestrators");
    await expectCommon(v);
    await v.page.locator("select[name='pipeline']").selectOption("text-to-image");
    await v.page.locator("form.range button").click();
    await v.page.waitForURL(/pipeline=text-to-image/);
    await expect.poll(() => v.page.locator("tbody tr").count()).toBe(2);
    await v.page.locator("th a", { hasText: /^p50/ }).click();
    await v.page.waitForURL(/sort=latencyP50/);
    expect(v.page.url()).toContain("pipeline=text-to-image");
    const button = v.page.getByRole("button", { name: "Compare selected" });
    expect(await button.isDisabled()).toBe(true);
    await v.page.locator(`input[name='address'][value='${ORCH.o1}']`).check();
    await v.page.locator(`input[name='address'][value='${ORCH.o2}']`).check();
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await v.page.waitForURL(/\/compare\?/);
    await expectCharts(v.page, 1);
    expect(v.page.url()).toContain("pipeline=text-to-image");
    expect(await v.page.locator(".recharts-line-curve").count()).toBe(2);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("orchestrators table: fits a 1280 px window without sideways scrolling, with GPUs and the live video price", async () => {
    for (const q of ["", "?pipeline=image-to-video", "?pipeline=all", "?sort=gpuCount"]) {
      const v = await open(`/orchestrators${q}`);
      const m = await v.page.evaluate(() => {
        const wrap = document.querySelector(".table-wrap") as HTMLElement;
        const table = wrap.querySelector("table") as HTMLElement;
        return { page: document.documentElement.scrollWidth, wrap: wrap.clientWidth, table: table.scrollWidth, right: table.getBoundingClientRect().right };
      });
      expect(m.page, q).toBeLessThanOrEqual(1280);
      expect(m.table, q).toBeLessThanOrEqual(m.wrap); // nothing hidden behind a scroll bar
      expect(m.right, q).toBeLessThanOrEqual(1280);
      const o1 = v.page.locator("tbody tr", { has: v.page.locator(`a[title='${ORCH.o1}']`) });
      expect(await o1.locator(".gpu-list").textContent(), q).toBe("4\u00a0×\u00a0RTX 5090");
      expect(await o1.locator("td", { hasText: "/h" }).textContent(), q).toMatch(/^\$0\.\d+\/h$/);
      // Percentile columns only for one pipeline and model; the probe columns (o1 and o5 are probed) in
      // place of p99, also next to the cost column of image-to-video (the widest table).
      expect(await v.page.locator("thead th a", { hasText: /^p95/ }).count(), q).toBe(q.includes("all") ? 0 : 1);
      expect(await v.page.locator("thead th a", { hasText: /^p99/ }).count(), q).toBe(0);
      expect(await v.page.locator("thead th a", { hasText: /^RTT p95/ }).count(), q).toBe(1);
      if (q.includes("image-to-video")) expect(await v.page.locator("thead th a", { hasText: "USD / video s" }).count(), q).toBe(1);
      expect(v.problems).toEqual([]);
      await v.page.close();
    }
  });

  it("orchestrator page of a probed orchestrator without job logs: the probe panel's chart, table and history", async () => {
    const v = await open(`/orchestrators/${ORCH.o5}?from=2025-03-18&to=2025-03-31`);
    await expectCommon(v);
    const panel = v.page.getByTestId("probe-panel");
    // The probe score per day (the page's other chart, fees, is all zeros for o5).
    await panel.locator(".chart .recharts-wrapper > svg.recharts-surface").waitFor({ state: "visible", timeout: 15_000 });
    expect(await panel.locator(".recharts-line-curve").count()).toBe(4); // all regions + MDW, FRA, SIN
    expect(await panel.getByTestId("probe-regions").locator("tbody tr").count()).toBe(4);
    expect(await panel.locator("details").count()).toBe(4);
    const { scroll } = await v.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth }));
    expect(scroll).toBeLessThanOrEqual(1280);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("pipelines chart: whole category names on two lines, never clipped, the full model id in each tick's title", async () => {
    const v = await open("/pipelines");
    await expectCharts(v.page, 1);
    const ticks = await v.page.$$eval(".chart g.category-tick", (gs) =>
      gs.map((g) => {
        const svg = g.closest("svg")!.getBoundingClientRect();
        const box = (g.querySelector("text") as SVGTextElement).getBoundingClientRect();
        return { lines: [...g.querySelectorAll("tspan")].map((t) => t.textContent), title: g.querySelector("title")?.textContent, left: box.left - svg.left };
      }),
    );
    expect(ticks.map((t) => t.lines)).toEqual([
      ["image-to-video", "stable-video-diffusion-img2vid-xt-1-1"],
      ["llm", "Meta-Llama-3.1-8B-Instruct"],
      ["text-to-image", "SDXL-Lightning"],
    ]);
    expect(ticks[0].title).toBe("image-to-video · stabilityai/stable-video-diffusion-img2vid-xt-1-1");
    for (const t of ticks) expect(t.left, t.lines.join(" ")).toBeGreaterThanOrEqual(0);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("compare page: side-by-side table and one latency line per orchestrator", async () => {
    const v = await open(`/compare?address=${ORCH.o1}&address=${ORCH.o2}&address=${JOBS_ONLY}&address=${ORCH.o4}`);
    await expectCharts(v.page, 1);
    await expectCommon(v);
    expect(await v.page.locator(".recharts-line-curve").count()).toBe(4);
    expect(await v.page.locator(".recharts-reference-line").count()).toBe(1);
    const table = v.page.getByRole("region", { name: "Orchestrators side by side" });
    expect(await table.locator("thead th").count()).toBe(5);
    // The busiest pair of the four together, text-to-image: o2 has 30 successful jobs, JOBS_ONLY and o4 none of it.
    expect(await v.page.getByTestId("pair-note").textContent()).toContain("text-to-image ByteDance/SDXL-Lightning, these orchestrators' busiest");
    expect(await table.locator("tbody tr", { hasText: "Latency p99" }).locator("td", { hasText: "—" }).count()).toBe(3);
    expect(await v.page.getByText(EVIL_URI, { exact: true }).count()).toBe(1);
    await v.page.waitForTimeout(200);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.page.close();
    // Too few: a friendly 400.
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/compare?address=${ORCH.o1}`);
    expect(res?.status()).toBe(400);
    expect(await page.locator(".error-reason").textContent()).toMatch(/2 to 4/);
    await page.close();
  });

  it("pipelines page: jobs per pipeline and model, a chart and a table; in the nav", async () => {
    const v = await open("/");
    await clickNav(v.page, "Pipelines", "/pipelines");
    await v.page.waitForURL(/\/pipelines$/);
    await expectCharts(v.page, 1);
    await expectCommon(v);
    const table = v.page.getByRole("region", { name: "Jobs by pipeline and model" });
    expect(await table.locator("tbody tr").count()).toBe(3);
    const i2v = table.locator("tbody tr", { hasText: "image-to-video" }).locator("td");
    expect(await i2v.nth(9).textContent()).toBe("142.9"); // output seconds
    expect(await i2v.last().textContent()).toMatch(/^\$[\d.]+ \/ video s$/); // cost, linking to /cloud
    expect(await v.page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("cloud page: Livepeer's cost per video second against the cloud classes, a chart with a log scale, sources and method", async () => {
    const v = await open("/cloud");
    expect(await v.page.locator(".site-header nav a[aria-current=page]").textContent()).toBe("vs Cloud");
    await expectCharts(v.page, 1);
    await expectCommon(v);
    // The seeded image-to-video jobs: the one video pipeline, so the default; its figure matches /api/cost.
    const cost = await (await fetch(`${server.url}/api/cost?pipeline=image-to-video`)).json();
    const usd = cost.rows[0].usdPerVideoSecond as string;
    const answer = v.page.getByRole("region", { name: /image-to-video/ });
    expect(await answer.textContent()).toContain(`Livepeer, realized: ${formatUsdPrecise(usd)} per video second`);
    expect(await answer.textContent()).toMatch(/Hyperscaler on-demand: cheapest of \d+ is .* Livepeer [\d.]+x (cheaper|more expensive)/);
    expect(await v.page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(3);
    const offers = v.page.getByRole("region", { name: "Cloud offers converted to USD per output unit" });
    expect(await offers.locator("tbody tr").count()).toBeGreaterThan(10);
    for (const h of ["Sources", "Caveats", "Method"]) expect(await v.page.getByRole("heading", { name: h, exact: true }).count()).toBe(1);
    // Log scale: a URL parameter, and the chart still draws.
    await v.page.locator(".segmented a", { hasText: "Log" }).click();
    await v.page.waitForURL(/scale=log/);
    await expectCharts(v.page, 1);
    expect(await v.page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(3);
    // Utilization is a form field that lands in the URL; halving it doubles every rented GPU's price.
    const firstRented = async () => (await offers.locator("tbody tr").first().locator("td").nth(2).textContent())!;
    const before = await firstRented();
    await v.page.locator("input[name=utilization]").fill("0.25");
    await v.page.locator("form.range button[type=submit]").click();
    await v.page.waitForURL(/utilization=0\.25/);
    await expect.poll(firstRented).not.toBe(before);
    expect(v.problems).toEqual([]);
    await v.page.close();
  });

  it("status page: job log line counters and rejected lines shown as text", async () => {
    const v = await open("/status");
    await expectCommon(v);
    expect(await v.page.getByTestId("lines-joblogs-push").textContent()).toMatch(/^358: 357 accepted, 0 duplicates, 1 rejected$/);
    const rejects = v.page.getByRole("region", { name: "Rejected job log lines" });
    expect(await rejects.locator("tbody tr").count()).toBe(1);
    expect(await rejects.locator("code").textContent()).toContain("<script>alert(2)</script>");
    expect(await v.page.locator("main script, main img").count()).toBe(0);
    await v.page.waitForTimeout(300);
    expect(v.dialogs).toEqual([]);
    expect(v.problems).toEqual([]);
    await v.page.close();
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

  it("a 375px-wide phone shows the pages without horizontal page overflow", async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const report = "/reports?from=2025-03-01&to=2025-03-31&baselineFrom=2025-02-01&baselineTo=2025-02-28";
      const charts: Record<string, number> = { "/": 1, "/fees": 2, "/pipelines": 1, [`/orchestrators/${ORCH.o1}`]: 5, "/cloud": 1, [report]: 7 };
      for (const path of ["/", "/orchestrators", "/fees", "/status", "/pipelines", `/orchestrators/${ORCH.o1}`, "/cloud", report]) {
        const v = await open(path, phone);
        if (charts[path]) await expectCharts(v.page, charts[path]);
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
