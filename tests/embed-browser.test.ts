// Embeds and chart downloads in a real Chromium (Debian's, driven by playwright-core) against the real
// server and a seeded PGlite database: /embed/fees draws its chart with data, the PNG and SVG buttons
// download a standalone SVG (computed colours inlined, title, explicit size) and a 2x PNG, the embed
// renders inside an iframe on another origin while ordinary pages refuse to be framed there, and a
// chart page's toolbar and Embed snippet work.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { openTestDb, type TestDb } from "./helpers/db";
import { ORCH, seedJobs, seedNetwork } from "./helpers/seed";
import { EMBED_CHARTS } from "../app/components/embed-catalogue";

const exe = chromiumPath();
const missing = !fs.existsSync(exe);
const skip = missing && process.env.REQUIRE_BROWSER !== "1";
if (skip) console.warn(`[embed-browser.test] SKIPPED: no Chromium at ${exe} (set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure).`);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.skipIf(skip)("embeds and chart downloads in Chromium", () => {
  let db: TestDb;
  let server: StartedServer;
  let browser: Browser;
  let context: BrowserContext;
  let host: http.Server;
  let hostUrl: string;

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
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    // Another site (another origin: a different port) that frames our pages.
    host = http.createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      const src = u.searchParams.get("src") ?? "/";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>host</title><iframe id="f" src="${server.url}${src}" width="800" height="480"></iframe>`);
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
    await server?.close();
    await db?.close();
  });

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    const res = await page.goto(server.url + path, { waitUntil: "load" });
    expect(res?.status(), path).toBe(200);
    return { page, problems };
  }

  async function download(page: Page, button: string) {
    const [d] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.locator(".chart-toolbar button", { hasText: button }).first().click()]);
    const file = await d.path();
    expect(file).toBeTruthy();
    return { name: d.suggestedFilename(), bytes: fs.readFileSync(file!) };
  }

  it("/embed/fees draws the chart with data points and downloads it as SVG and PNG", async () => {
    const { page, problems } = await open("/embed/fees?from=2025-03-01&to=2025-03-31");
    const svg = page.locator(".chart .recharts-wrapper > svg.recharts-surface");
    await svg.waitFor({ state: "visible", timeout: 15_000 });
    // 31 days x organic and subsidised: every day has both.
    await expect.poll(() => page.locator(".chart .recharts-bar-rectangle path.recharts-rectangle").count()).toBe(62);
    expect(await page.locator(".site-header, nav, .site-footer").count()).toBe(0);
    expect(await page.locator("h1").textContent()).toBe("Livepeer fees per day (ETH), subsidised and organic");
    expect(await page.locator(".demo-banner").count()).toBe(1);

    if (process.env.EMBED_TEST_ARTIFACTS) await page.screenshot({ path: `${process.env.EMBED_TEST_ARTIFACTS}/embed-fees-page.png`, fullPage: true });
    const s = await download(page, "SVG");
    expect(s.name).toBe("observatory-fees-day-2025-03-01_2025-03-31.svg");
    const text = s.bytes.toString("utf8");
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(text).toMatch(/^<\?xml[^>]*>\n<svg [^>]*width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
    expect(text).toContain(">Livepeer fees per day (ETH), subsidised and organic</text>");
    expect(text).toContain("2025-03-01 – 2025-03-31 (UTC) · Source: synthetic demo network");
    expect(text).toContain(">Organic</text>");
    // Computed colours, not CSS variables (which would not resolve outside the page).
    expect(text).not.toContain("var(--");
    expect((text.match(/class="recharts-rectangle/g) ?? []).length).toBe(0); // classes stripped, shapes kept
    expect((text.match(/<path [^>]*fill:rgb\(31, 119, 180\)/g) ?? []).length).toBeGreaterThanOrEqual(31); // organic bars (#1f77b4)

    const p = await download(page, "PNG");
    if (process.env.EMBED_TEST_ARTIFACTS) {
      fs.writeFileSync(`${process.env.EMBED_TEST_ARTIFACTS}/embed-fees.svg`, s.bytes);
      fs.writeFileSync(`${process.env.EMBED_TEST_ARTIFACTS}/embed-fees.png`, p.bytes);
    }
    expect(p.name).toBe("observatory-fees-day-2025-03-01_2025-03-31.png");
    expect(p.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height at 2x the SVG's size.
    const [w, h] = [p.bytes.readUInt32BE(16), p.bytes.readUInt32BE(20)];
    const m = /width="(\d+)" height="(\d+)"/.exec(text)!;
    expect([w, h]).toEqual([2 * Number(m[1]), 2 * Number(m[2])]);
    expect(p.bytes.length).toBeGreaterThan(5_000); // a drawn image, not an empty canvas

    // CSV and JSON of the same numbers, named with the range.
    expect(await page.locator(".chart-toolbar a", { hasText: "CSV" }).getAttribute("href")).toBe("/api/fees?interval=day&from=2025-03-01&to=2025-03-31&format=csv");
    expect(await page.locator(".chart-toolbar a", { hasText: "JSON" }).getAttribute("download")).toBe("observatory-fees-day-2025-03-01_2025-03-31.json");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an iframe on another site shows the embed; ordinary pages refuse to be framed there", async () => {
    const page = await context.newPage();
    await page.goto(`${hostUrl}/?src=${encodeURIComponent("/embed/orchestrator-latency?address=" + ORCH.o1 + "&from=2025-03-25&to=2025-03-31")}`);
    const frame = page.frameLocator("#f");
    await frame.locator(".chart .recharts-wrapper > svg.recharts-surface").waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(() => frame.locator(".chart path.recharts-line-curve").count()).toBe(3); // p50, p95, p99
    expect(await frame.locator(".recharts-reference-line").count()).toBe(1); // the network median
    await page.close();

    const blocked = await context.newPage();
    await blocked.goto(`${hostUrl}/?src=${encodeURIComponent("/fees")}`);
    await blocked.waitForTimeout(1500);
    const f = blocked.frames().find((x) => x !== blocked.mainFrame());
    expect(f).toBeDefined();
    // Chromium replaces a refused frame with an error page: none of our content is in it.
    expect(f!.url()).not.toBe(`${server.url}/fees`);
    const content = await f!.content().catch(() => "");
    expect(content).not.toContain("Fees by gateway and orchestrator");
    // The same host page framing an embed does get it (so the refusal above is the header's doing).
    await blocked.goto(`${hostUrl}/?src=${encodeURIComponent("/embed/fees")}`);
    await blocked.frameLocator("#f").locator("h1").waitFor({ timeout: 15_000 });
    await blocked.close();
  });

  it("each embed fits the iframe height its snippet suggests, at 800 px wide", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 800, height: 400 });
    const query: Record<string, string> = {
      fees: "?from=2025-01-01&to=2025-03-31",
      growth: "",
      "orchestrator-latency": `?address=${ORCH.o1}&from=2025-03-25&to=2025-03-31`,
      pipelines: "?from=2025-03-01&to=2025-03-31",
    };
    for (const c of EMBED_CHARTS) {
      await page.goto(`${server.url}/embed/${c.name}${query[c.name]}`);
      await page.locator(".chart .recharts-wrapper > svg.recharts-surface").waitFor({ state: "visible", timeout: 15_000 });
      const h = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(h, c.name).toBeLessThanOrEqual(c.height);
    }
    await page.close();
  });

  it("chart pages: the toolbar downloads the chart and the Embed snippet names this server", async () => {
    const { page, problems } = await open("/fees?from=2025-03-01&to=2025-03-31");
    await page.locator(".chart .recharts-wrapper > svg.recharts-surface").nth(1).waitFor({ state: "visible", timeout: 15_000 });
    const s = await download(page, "SVG");
    expect(s.name).toBe("observatory-fees-by-gateway-2025-03-01_2025-03-31.svg");
    expect(s.bytes.toString("utf8")).toContain("Livepeer fees by gateway (ETH)");

    if (process.env.EMBED_TEST_ARTIFACTS) {
      const d = await open(`/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31`);
      await d.page.locator(".chart .recharts-wrapper > svg.recharts-surface").nth(3).waitFor({ state: "visible", timeout: 15_000 });
      await d.page.screenshot({ path: `${process.env.EMBED_TEST_ARTIFACTS}/orchestrator-page.png`, fullPage: true });
      await d.page.close();
    }
    const o = await open(`/pipelines?from=2025-03-01&to=2025-03-31`);
    await o.page.locator(".chart .recharts-wrapper > svg.recharts-surface").waitFor({ state: "visible", timeout: 15_000 });
    await o.page.locator(".embed-snippet summary").click();
    const code = await o.page.getByTestId("embed-code").inputValue();
    expect(code).toBe(
      `<iframe src="${server.url}/embed/pipelines?from=2025-03-01&amp;to=2025-03-31" title="Livepeer AI jobs per pipeline and model, succeeded and failed" width="100%" height="520" style="border:0" loading="lazy"></iframe>`,
    );
    if (process.env.EMBED_TEST_ARTIFACTS) await o.page.screenshot({ path: `${process.env.EMBED_TEST_ARTIFACTS}/pipelines-page.png`, fullPage: true });
    const png = await download(o.page, "PNG");
    expect(png.name).toBe("observatory-pipelines-2025-03-01_2025-03-31.png");
    expect(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(problems).toEqual([]);
    expect(o.problems).toEqual([]);
    await page.close();
    await o.page.close();
  });
});
