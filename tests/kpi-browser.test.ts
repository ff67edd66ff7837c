// Key figure cards at 1280 px (issue 13: large values overflowed their cards) and the pages under
// the Content-Security-Policy in a real Chromium: every card's contents stay inside it, with the
// page's own values and with values as long as the largest the network could show, and the pages
// hydrate (their scripts carry the nonce) with no CSP violation or console error.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { openTestDb, type TestDb } from "./helpers/db";
import { seedJobs, seedNetwork } from "./helpers/seed";

const exe = chromiumPath();
const missing = !fs.existsSync(exe);
const skip = missing && process.env.REQUIRE_BROWSER !== "1";
if (skip) console.warn(`[kpi-browser.test] SKIPPED: no Chromium at ${exe} (set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this a failure).`);

const RANGE = { from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-02-01", baselineTo: "2025-02-28" };

describe.skipIf(skip)("key figures at 1280 px, under the CSP", () => {
  let db: TestDb;
  let server: StartedServer;
  let browser: Browser;
  let context: BrowserContext;
  let reportId: string;

  beforeAll(async () => {
    if (missing) throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${exe}`);
    [db, browser] = await Promise.all([
      openTestDb("pglite"),
      chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] }),
    ]);
    await seedNetwork(db, { demo: true });
    await seedJobs(db);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    const r = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(RANGE) });
    reportId = ((await r.json()) as { id: string }).id;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it.each(["/", `/reports?${new URLSearchParams(RANGE)}`, "/reports/SAVED"])("%s: every key figure stays inside its card, whatever its length", async (p) => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(server.url + p.replace("SAVED", reportId), { waitUntil: "networkidle" });
    expect(res?.status()).toBe(200);
    // Hydrated: the scripts ran (a client-side navigation link exists and React attached).
    await page.waitForFunction(() => "__remixContext" in window && "__remixRouteModules" in window);
    const overflow = (long: boolean) =>
      page.evaluate((long) => {
        const cards = [...document.querySelectorAll<HTMLElement>(".kpi")];
        if (long)
          for (const k of cards) {
            k.querySelectorAll(".kpi-value, .kpi-value .num").forEach((n) => (n.children.length === 0 ? (n.textContent = "123,456,789.1234 ETH") : null));
            k.querySelectorAll(".kpi-sub .num").forEach((n) => (n.textContent = "98,765,432.1234 ETH"));
          }
        return {
          cards: cards.length,
          worst: Math.max(
            0,
            ...cards.map((k) => {
              const box = k.getBoundingClientRect();
              const inner = [...k.querySelectorAll("*")].map((c) => c.getBoundingClientRect().right - box.right);
              return Math.max(k.scrollWidth - k.clientWidth, ...inner);
            }),
          ),
          page: document.documentElement.scrollWidth,
        };
      }, long);
    const now = await overflow(false);
    expect(now.cards).toBeGreaterThan(0);
    expect(now.worst).toBeLessThanOrEqual(0.5);
    const long = await overflow(true);
    expect(long.worst).toBeLessThanOrEqual(0.5);
    expect(long.page).toBeLessThanOrEqual(1280);
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
    // The policy is enforced: a script injected without the nonce does not run.
    const ran = await page.evaluate(async () => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = true";
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(violations.some((v) => v.startsWith("script-src"))).toBe(true);
    await page.close();
  });
});
