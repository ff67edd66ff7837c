// Embeds and share previews over HTTP against the real server (server.ts + the Remix build) on a
// seeded database (PGlite, and Postgres when TEST_DATABASE_URL is set): /embed/<chart> pages and their
// framing headers, 404 for an unknown chart and 400 with a reason for bad parameters (never 500),
// Open Graph and Twitter card tags on every page with the headline number from the API, the iframe
// snippet with the request's origin, and text from the data (or the URL) escaped in embed pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { startServer, type StartedServer } from "../server";
import { formatChange, formatEth, formatMultiple } from "../app/lib/format";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { EVIL_URI, JOB_GATEWAY, JOBS_ONLY, ORCH, seedJobs, seedNetwork } from "./helpers/seed";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOSTILE_MODEL = `<script>alert("model")</script><img src=x onerror=alert(4)>`;

/** Decodes the entities React writes in attributes and text. */
const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Every <meta property|name=... content=...> of a page, decoded. Keys may repeat. */
function metaTags(html: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of html.matchAll(/<meta\s+([^>]*?)\/?>/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)].map((a) => [a[1], unescapeHtml(a[2])]));
    const key = attrs.property ?? attrs.name;
    if (key && attrs.content !== undefined) out.push([key, attrs.content]);
  }
  return out;
}

const one = (tags: [string, string][], key: string) => {
  const hits = tags.filter(([k]) => k === key);
  expect(hits, key).toHaveLength(1);
  return hits[0][1];
};

const SHARE_TAGS = ["og:title", "og:description", "og:type", "og:url", "twitter:card", "twitter:title", "twitter:description"];

describe.each(backends())("embeds and share previews on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    let body: Json = text;
    if ((r.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
    return { status: r.status, headers: r.headers, body, text };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db, { demo: true });
    await seedJobs(db);
    // A job whose model id tries to inject markup: pipelines embeds must show it as text.
    const hostile = {
      request_id: "hostile-model-1",
      gateway: JOB_GATEWAY,
      timestamp: Date.UTC(2025, 2, 30, 12),
      pipeline: "text-to-image",
      model_id: HOSTILE_MODEL,
      orch_address: JOBS_ONLY,
      success: true,
      duration_ms: 500,
    };
    const r = await ingestNdjson(db, JSON.stringify(hostile), { maxLineBytes: 1 << 20 });
    expect(r.accepted).toBe(1);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const EMBEDS = [
    "/embed/fees?from=2025-03-01&to=2025-03-31",
    "/embed/fees?from=2025-01-01&to=2025-03-31&interval=week&unit=usd&mode=cumulative",
    "/embed/growth?baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31",
    `/embed/orchestrator-latency?address=${ORCH.o1}&from=2025-03-25&to=2025-03-31`,
    `/embed/orchestrator-latency?address=${ORCH.o2}&from=2025-03-25&to=2025-03-31&interval=hour`,
    "/embed/pipelines?from=2025-03-01&to=2025-03-31",
    "/embed",
  ];

  it.each(EMBEDS)("%s: 200, frameable by any site, minimal chrome, title, range, source and a link back", async (path) => {
    const { status, headers, text } = await get(path);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/text\/html/);
    expect(headers.get("content-security-policy")).toMatch(/(^|; )frame-ancestors \*(;|$)/);
    expect(headers.get("x-frame-options")).toBeNull();
    // No site navigation, header or footer; the demo label stays.
    expect(text).not.toContain('class="site-header"');
    expect(text).not.toContain('class="site-footer"');
    expect(text).not.toContain('aria-label="Main"');
    expect(text).toContain("Demo network: synthetic data generated locally, not the Livepeer network");
    if (path === "/embed") return;
    expect(text).toContain('data-testid="embed"');
    expect(text).toMatch(/data-testid="embed-range">20\d\d-\d\d-\d\d – 20\d\d-\d\d-\d\d/);
    const source = /data-testid="embed-source">([^<]*)</.exec(text)?.[1] ?? "";
    expect(source).toMatch(path.includes("fees") || path.includes("growth") ? /Livepeer subgraph via Observatory$/ : /gateway job logs via Observatory$/);
    expect(source).toMatch(/^synthetic demo network/);
    const back = unescapeHtml(/<a href="([^"]*)"[^>]*data-testid="embed-back"/.exec(text)?.[1] ?? "");
    expect(back).toMatch(/^\/(\?|orchestrators\/0x|pipelines\?)/);
    // The link back opens a page that exists (200).
    expect((await get(back)).status).toBe(200);
    // CSV and JSON of the chart's numbers.
    const csv = unescapeHtml(/<a href="([^"]*format=csv[^"]*)"/.exec(text)?.[1] ?? "");
    expect(csv).toMatch(/^\/api\//);
    const c = await get(csv);
    expect(c.status).toBe(200);
    expect(c.headers.get("content-disposition")).toMatch(/^attachment; filename="observatory-[A-Za-z0-9._-]+\.csv"$/);
  });

  it("the fees embed names the chart, its range and totals from the API", async () => {
    const { text } = await get("/embed/fees?from=2025-03-01&to=2025-03-31");
    const api = (await get("/api/fees?from=2025-03-01&to=2025-03-31")).body;
    expect(text).toContain("Livepeer fees per day (ETH), subsidised and organic");
    expect(text).toContain(`${formatEth(api.totals.volumeEth)} ETH`);
    const tags = metaTags(text);
    expect(one(tags, "og:description")).toContain(`fees ${formatEth(api.totals.volumeEth)} ETH`);
    expect(one(tags, "og:url")).toBe(`${server.url}/embed/fees?from=2025-03-01&to=2025-03-31`);
    const growth = (await get("/api/fees/growth?baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31")).body;
    const g = await get("/embed/growth?baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31");
    expect(/data-testid="growth-multiple">([^<]*)</.exec(g.text)?.[1]).toBe(formatMultiple(growth.multiple));
    expect(one(metaTags(g.text), "og:title")).toContain(`Fee growth ${formatMultiple(growth.multiple)}`);
  });

  it("other pages may only be framed by this site", async () => {
    for (const path of ["/", "/fees", "/orchestrators", "/pipelines", "/status"]) {
      const { status, headers } = await get(path);
      expect(status, path).toBe(200);
      expect(headers.get("content-security-policy"), path).toMatch(/(^|; )frame-ancestors 'self'(;|$)/);
    }
  });

  it.each([
    ["/embed/nope", 404, /no embeddable chart "nope".*fees, growth, orchestrator-latency, pipelines/],
    ["/embed/fees?from=2025-02-30", 400, /impossible date from=2025-02-30/],
    ["/embed/fees?from=2025-03-10&to=2025-03-01", 400, /reversed range/],
    ["/embed/fees?interval=year", 400, /unknown interval/],
    ["/embed/fees?unit=btc", 400, /unknown unit/],
    ["/embed/fees?mode=sideways", 400, /unknown mode/],
    ["/embed/growth?baselineFrom=2025-03-10&baselineTo=2025-03-01", 400, /reversed baseline/],
    ["/embed/orchestrator-latency", 400, /address is required/],
    ["/embed/orchestrator-latency?address=0x1234", 400, /malformed address/],
    [`/embed/orchestrator-latency?address=0x${"99".repeat(20)}`, 404, /No orchestrator 0x9999/],
    [`/embed/orchestrator-latency?address=${ORCH.o1}&interval=hour&from=2025-01-01&to=2025-03-31`, 400, /hour/],
    ["/embed/pipelines?to=1999-99-99", 400, /impossible date|malformed date/],
  ])("%s -> %i with the reason, still frameable", async (path, code, reason) => {
    const { status, headers, text } = await get(path);
    expect(status).toBe(code);
    expect(headers.get("content-security-policy")).toMatch(/(^|; )frame-ancestors \*(;|$)/);
    const shown = unescapeHtml(/class="error-reason">([^<]*)</.exec(text)?.[1] ?? "");
    expect(shown).toMatch(reason);
    expect(text).not.toContain('class="site-header"');
  });

  it("text from the data and from the URL is escaped in embed pages", async () => {
    const o2 = await get(`/embed/orchestrator-latency?address=${ORCH.o2}&from=2025-03-25&to=2025-03-31`);
    expect(o2.status).toBe(200);
    expect(o2.text).toContain("https://evil.example/&lt;script&gt;alert(1)&lt;/script&gt;");
    const uri = unescapeHtml(/data-testid="embed-service-uri">([^<]*)</.exec(o2.text)?.[1] ?? "");
    expect(uri).toBe(EVIL_URI);
    const p = await get("/embed/pipelines?from=2025-03-01&to=2025-03-31");
    expect(p.status).toBe(200);
    expect(p.text).toContain("&lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(4)&gt;");
    // A parameter that tries to inject markup comes back as text in the 400 reason.
    const bad = await get(`/embed/fees?interval=${encodeURIComponent("<script>alert(5)</script>")}`);
    expect(bad.status).toBe(400);
    for (const { text } of [o2, p, bad]) {
      // Nowhere raw: not in the body, not in the meta tags, not in the hydration data.
      expect(text).not.toMatch(/<script>alert/);
      expect(text).not.toMatch(/<img src=x/);
      const scripts = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      // Every script element is the framework's own (module entry, hydration data), none from data.
      for (const s of scripts) expect(s).toMatch(/^<script(\s+(type|async|nonce|src|crossorigin)(="[^"]*")?)*>$/);
    }
  });

  describe("Open Graph and Twitter cards", () => {
    const PAGES = [
      "/",
      "/fees?from=2025-03-01&to=2025-03-31",
      "/orchestrators",
      `/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31`,
      `/compare?address=${ORCH.o1}&address=${ORCH.o2}`,
      "/pipelines",
      "/status",
      ...EMBEDS,
    ];

    it.each(PAGES)("%s carries every share tag once, with this page's URL", async (path) => {
      const { status, text } = await get(path);
      expect(status).toBe(200);
      const tags = metaTags(text);
      for (const k of SHARE_TAGS) expect(one(tags, k).length, k).toBeGreaterThan(0);
      expect(one(tags, "twitter:card")).toBe("summary");
      expect(one(tags, "og:type")).toBe("website");
      expect(one(tags, "og:url")).toBe(server.url + path);
      expect(one(tags, "twitter:title")).toBe(one(tags, "og:title"));
      expect(one(tags, "twitter:description")).toBe(one(tags, "og:description"));
      expect(one(tags, "description")).toBe(one(tags, "og:description"));
    });

    it("the overview's description has the 30-day fees and their change from the API", async () => {
      const summary = (await get("/api/fees/summary")).body;
      const w30 = summary.windows.find((w: Json) => w.days === 30);
      const d = one(metaTags((await get("/")).text), "og:description");
      expect(d).toContain(`30-day fees ${formatEth(w30.volumeEth, 1)} ETH (${formatChange(w30.changePct.volumeEth)})`);
      expect(d).toMatch(/^30-day fees 120\.0 ETH \(\+\d+(\.\d)?%\)/); // 2025-03-02..31: 30 days at 4 ETH (seed)
    });

    it("other pages' descriptions carry their headline numbers from the API", async () => {
      const fees = (await get("/api/fees/gateways?from=2025-03-01&to=2025-03-31")).body;
      expect(one(metaTags((await get("/fees?from=2025-03-01&to=2025-03-31")).text), "og:description")).toContain(
        `fees ${formatEth(fees.totals.volumeEth, 1)} ETH`,
      );
      const pipes = (await get("/api/pipelines?from=2025-03-01&to=2025-03-31")).body;
      expect(one(metaTags((await get("/pipelines?from=2025-03-01&to=2025-03-31")).text), "og:description")).toContain(
        `${pipes.totals.jobs} AI jobs in ${pipes.rows.length} pipeline and model pairs`,
      );
      const o1 = (await get(`/api/orchestrators/${ORCH.o1}`)).body;
      expect(one(metaTags((await get(`/orchestrators/${ORCH.o1}`)).text), "og:description")).toContain(`30-day fees ${formatEth(o1.feesEth30d)} ETH`);
    });

    it("data in a description is escaped by React (the compare page names a hostile orchestrator's figures)", async () => {
      const { text } = await get(`/orchestrators/${ORCH.o2}`);
      expect(text).not.toMatch(/<script>alert/);
      const title = one(metaTags(text), "og:title");
      expect(title).toMatch(/^Orchestrator 0x0202…0202 · Livepeer Observatory$/);
    });
  });

  describe("the Embed snippet", () => {
    it("shows an iframe with this server's origin on each chart page that can be embedded", async () => {
      const cases: [string, RegExp][] = [
        ["/?chartFrom=2025-03-01&chartTo=2025-03-31", /^\/embed\/fees\?from=2025-03-01&to=2025-03-31&interval=day&unit=eth$/],
        ["/", /^\/embed\/growth\?baselineFrom=/],
        [`/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31`, new RegExp(`^/embed/orchestrator-latency\\?address=${ORCH.o1}&from=2025-03-25&to=2025-03-31$`)],
        ["/pipelines?from=2025-03-01&to=2025-03-31", /^\/embed\/pipelines\?from=2025-03-01&to=2025-03-31$/],
      ];
      for (const [page, want] of cases) {
        const { text } = await get(page);
        const snippets = [...text.matchAll(/<textarea[^>]*data-testid="embed-code"[^>]*>([^<]*)<\/textarea>/g)].map((m) => unescapeHtml(m[1]));
        const srcs = snippets.map((s) => {
          const m = /^<iframe src="([^"]*)" title="[^"]*" width="100%" height="\d+" style="border:0" loading="lazy"><\/iframe>$/.exec(s);
          expect(m, s).not.toBeNull();
          return unescapeHtml(m![1]);
        });
        const hit = srcs.find((s) => want.test(s.slice(server.url.length)));
        expect(hit, `${page}: ${srcs.join(" | ")}`).toBeDefined();
        expect(hit!.startsWith(`${server.url}/embed/`)).toBe(true);
        // The snippet's URL serves the embed.
        expect((await get(hit!.slice(server.url.length))).status).toBe(200);
      }
    });
  });
});
