// What every answer carries (issue 13): security headers with a per-response CSP nonce on every
// inline script, gzip and brotli that decompress to the same bytes, ETags with 304s and a
// Cache-Control fitting each kind of answer, bodies that still stream, no log line for a client that
// goes away, and a public status page that names files without the server's directories. Real
// server on loopback; the abort check spawns the server as npm start does and reads its stderr.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { startResponse } from "../server/send-response";
import { openTestDb, type TestDb } from "./helpers/db";
import { jobLine, runJobLogs, tempDir, write } from "./helpers/joblogs";
import { seedNetwork } from "./helpers/seed";

const RANGE = { from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-02-01", baselineTo: "2025-02-28" };

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET without any decoding (fetch would decompress on its own). */
function raw(base: string, p: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: p, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const decode = (r: Raw) =>
  r.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(r.body) : r.headers["content-encoding"] === "br" ? zlib.brotliDecompressSync(r.body) : r.body;
const withoutGeneratedAt = (b: Buffer) => b.toString("utf8").replace(/"generatedAt":"[^"]*"/g, '"generatedAt":""');

describe("headers, compression and caching", () => {
  let db: TestDb;
  let server: StartedServer;
  let logDir: string;
  let reportId: string;

  beforeAll(async () => {
    db = await openTestDb("pglite");
    await seedNetwork(db, { demo: true });
    // A rejected line from a log file in a directory of this machine, and a run error quoting a path.
    logDir = tempDir("observatory-private-dir-");
    write(logDir, "gateway-a.jsonl", [jobLine(1), "not json at all", ""].join("\n"));
    await runJobLogs(db, logDir);
    await db.query(`update source_state set last_error = $1, last_error_at = now() where name = 'joblogs'`, [
      `EACCES: permission denied, open '${path.join(logDir, "gateway-b.jsonl")}'`,
    ]);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
    const r = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(RANGE) });
    reportId = ((await r.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  it.each(["/", "/fees", "/status", "/reports/SAVED", "/embed/fees?from=2025-03-01&to=2025-03-31"])(
    "%s: a CSP whose nonce is on every inline script, and no script without it",
    async (p) => {
      const page = p.replace("SAVED", reportId);
      const r = await raw(server.url, page);
      expect(r.status).toBe(200);
      const csp = String(r.headers["content-security-policy"]);
      expect(csp).toMatch(/^default-src 'self'; /);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp).toContain(page.startsWith("/embed") ? "frame-ancestors *" : "frame-ancestors 'self'");
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{22,})'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      const html = r.body.toString("utf8");
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const attrs of scripts) expect(attrs, attrs).toContain(`nonce="${nonce}"`);
      // No inline event handlers or javascript: URLs for the policy to have to block.
      expect(html).not.toMatch(/\son[a-z]+="/);
      expect(html).not.toMatch(/(href|src)="javascript:/i);
      expect(r.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(r.headers["permissions-policy"]).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    },
  );

  it("each response gets its own nonce; APIs and static files carry the same headers", async () => {
    // Each render: three URLs (one URL asked again is the same render, served from server/render-cache.ts).
    const nonces = await Promise.all([0, 1, 2].map(async (n) => /'nonce-([^']+)'/.exec(String((await raw(server.url, `/?v=${n}`)).headers["content-security-policy"]))?.[1]));
    expect(new Set(nonces).size).toBe(3);
    for (const p of ["/api/fees", "/favicon.svg", "/healthz"]) {
      const r = await raw(server.url, p);
      expect(r.headers["x-content-type-options"], p).toBe("nosniff");
      expect(r.headers["referrer-policy"], p).toBe("strict-origin-when-cross-origin");
      expect(r.headers["content-security-policy"], p).toContain("default-src 'self'");
    }
  });

  it("gzip and brotli when asked, decompressing to the same body; not for small bodies or without Accept-Encoding", async () => {
    const p = "/api/fees?from=2025-01-01&to=2025-03-31";
    const plain = await raw(server.url, p);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    for (const [accept, coding] of [["gzip", "gzip"], ["gzip, deflate, br", "br"], ["br;q=0.5, gzip", "gzip"]] as const) {
      const r = await raw(server.url, p, { "accept-encoding": accept });
      expect(r.headers["content-encoding"], accept).toBe(coding);
      expect(Number(r.headers["content-length"])).toBe(r.body.length);
      expect(r.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(withoutGeneratedAt(decode(r)))).toEqual(JSON.parse(withoutGeneratedAt(plain.body)));
    }
    const csv = await raw(server.url, `${p}&format=csv`, { "accept-encoding": "gzip" });
    expect(csv.headers["content-encoding"]).toBe("gzip");
    expect(decode(csv).equals((await raw(server.url, `${p}&format=csv`)).body)).toBe(true);
    const page = await raw(server.url, "/", { "accept-encoding": "br" });
    expect(page.headers["content-encoding"]).toBe("br");
    expect(decode(page).toString()).toContain("</html>");
    // The bundles (the largest this page loads): compressed once, immutable; a small one as it is.
    const assets = [...new Set([...decode(page).toString().matchAll(/"(\/build\/[^"]+\.js)"/g)].map((m) => m[1]))];
    const sized = await Promise.all(assets.map(async (p) => ({ p, body: (await raw(server.url, p)).body })));
    sized.sort((x, y) => y.body.length - x.body.length);
    const [largest, smallest] = [sized[0], sized.at(-1)!];
    expect(largest.body.length).toBeGreaterThan(10_000);
    const a = await raw(server.url, largest.p, { "accept-encoding": "gzip, br" });
    expect(a.headers["content-encoding"]).toBe("br");
    expect(a.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(a.body.length).toBeLessThan(largest.body.length / 2);
    expect(decode(a).equals(largest.body)).toBe(true);
    expect((await raw(server.url, largest.p, { "accept-encoding": "gzip, br", "if-none-match": String(a.headers.etag) })).status).toBe(304);
    if (smallest.body.length < 1024) expect((await raw(server.url, smallest.p, { "accept-encoding": "gzip, br" })).headers["content-encoding"]).toBeUndefined();
    // Under 1 KB: sent as it is.
    const small = await raw(server.url, "/api/fees?interval=year", { "accept-encoding": "gzip" });
    expect(small.status).toBe(400);
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("ETag and 304 on If-None-Match, with a Cache-Control that fits each answer", async () => {
    // (Not /status: it says when it was made, to the second, so it is never the same twice.)
    for (const p of ["/api/fees?from=2025-03-01&to=2025-03-31", "/api/fees?from=2025-03-01&to=2025-03-31&format=csv", "/", "/fees", `/api/reports/${reportId}`]) {
      const first = await raw(server.url, p, { "accept-encoding": "gzip" });
      const etag = String(first.headers.etag);
      expect(etag, p).toMatch(/^(W\/)?"[A-Za-z0-9_-]{27}(-gz)?"$/);
      // The same data answers with the same tag (a nonce or generatedAt does not count).
      expect((await raw(server.url, p, { "accept-encoding": "gzip" })).headers.etag, p).toBe(etag);
      const again = await raw(server.url, p, { "if-none-match": etag, "accept-encoding": "gzip" });
      expect(again.status, p).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      // A cache keeps the policy whose nonce matches the body it holds.
      expect(again.headers["content-security-policy"]).toBeUndefined();
      // The identity representation matches too (the tag names the coding, the data is the same).
      expect((await raw(server.url, p, { "if-none-match": etag })).status, p).toBe(304);
      expect((await raw(server.url, p, { "if-none-match": '"something-else"' })).status, p).toBe(200);
    }
    // CSV is the same bytes every time: a strong tag. Pages and JSON leave out a per-response part: weak.
    expect(String((await raw(server.url, "/api/fees?format=csv")).headers.etag)).toMatch(/^"/);
    expect(String((await raw(server.url, "/")).headers.etag)).toMatch(/^W\//);

    const cc = async (p: string, method = "GET") => (await raw(server.url, p, {}, method)).headers["cache-control"];
    expect(await cc("/")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=60");
    expect(await cc("/api/fees")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=60");
    expect(await cc("/status")).toBe("no-cache");
    expect(await cc("/api/status")).toBe("no-cache");
    expect(await cc("/healthz")).toBe("no-store");
    expect(await cc("/api/fees?interval=year")).toBe("no-store");
    expect(await cc("/no-such-page")).toBe("no-store");
    expect(await cc(`/api/reports/${reportId}`)).toBe("public, max-age=31536000, immutable");
    const head = await raw(server.url, "/api/fees", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("the status page and API name the file, never the server's directory", async () => {
    for (const p of ["/status", "/api/status", "/api/status?format=csv&table=rejects", "/api/status?format=csv&table=sources"]) {
      const text = (await raw(server.url, p)).body.toString("utf8");
      expect(text, p).not.toContain(logDir);
      expect(text, p).not.toContain(os.tmpdir() + path.sep);
    }
    const s = (await (await fetch(`${server.url}/api/status`)).json()) as { rejects: { file: string | null }[]; sources: { name: string; lastError: string | null }[] };
    expect(s.rejects.find((r) => r.file !== null)?.file).toBe("gateway-a.jsonl");
    expect(s.sources.find((x) => x.name === "joblogs")?.lastError).toBe("EACCES: permission denied, open 'gateway-b.jsonl'");
    expect((await raw(server.url, "/status")).body.toString()).toContain("gateway-a.jsonl");
  });
});

describe("a body produced over time", () => {
  it("still streams, compressed chunk by chunk, when it is not stored", async () => {
    const app = express();
    app.get("/slow", (req, res) => {
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (i === 3) return c.close();
          await new Promise((r) => setTimeout(r, i === 0 ? 0 : 400));
          c.enqueue(new TextEncoder().encode(`${"x".repeat(2000)}${i++}\n`));
        },
      });
      void startResponse(req, res, new Response(body, { headers: { "content-type": "text/plain", "cache-control": "no-store" } }), {}).then((rest) => rest?.());
    });
    const s = app.listen(0, "127.0.0.1");
    await new Promise((r) => s.once("listening", r));
    try {
      const port = (s.address() as AddressInfo).port;
      const arrivals = await new Promise<{ at: number; text: string }[]>((resolve, reject) => {
        const started = Date.now();
        const got: { at: number; text: string }[] = [];
        http
          .get({ host: "127.0.0.1", port, path: "/slow", headers: { "accept-encoding": "gzip" } }, (res) => {
            expect(res.headers["content-encoding"]).toBe("gzip");
            const gunzip = zlib.createGunzip();
            res.pipe(gunzip);
            gunzip.on("data", (d: Buffer) => got.push({ at: Date.now() - started, text: d.toString() }));
            gunzip.on("end", () => resolve(got));
          })
          .on("error", reject);
      });
      expect(arrivals.map((a) => a.text).join("")).toBe([0, 1, 2].map((i) => `${"x".repeat(2000)}${i}\n`).join(""));
      // The first chunk arrived well before the last was made.
      expect(arrivals[0].at).toBeLessThan(300);
      expect(arrivals.at(-1)!.at).toBeGreaterThan(700);
    } finally {
      s.close();
    }
  });
});

describe("clients that go away", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-aborts-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("300 requests abandoned mid-answer leave no error or stack trace in the server's log", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", PGLITE_DIR: path.join(dir, "pg"), GATEWAY_TAGS_FILE: "/nonexistent/tags.json" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /dashboard on http:\/\/localhost:(\d+)/.exec(out);
          if (m) clearInterval(timer), resolve(Number(m[1]));
        }, 100);
        void exited.then(() => (clearInterval(timer), reject(new Error(`the server ended: ${out}${err}`))));
      });
      await new Promise((r) => setTimeout(r, 500));
      const said = err + out; // what it says when it starts (no sources configured)
      const paths = ["/", "/fees", "/orchestrators", "/status", "/api/fees", "/api/fees?format=csv", "/api/status", "/embed/fees", "/no-such-page"];
      let next = 0;
      const one = (k: number) =>
        new Promise<void>((resolve) => {
          const req = http.get({ host: "127.0.0.1", port, path: paths[k % paths.length], headers: { "accept-encoding": k % 3 ? "gzip, br" : "identity" } }, (res) => {
            if (k % 2) res.once("data", () => req.destroy());
          });
          req.on("error", () => {});
          req.on("close", () => resolve());
          setTimeout(() => req.destroy(), (k * 7) % 40);
        });
      const worker = async () => {
        while (next < 300) await one(next++);
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      // The server still answers, and said nothing about the abandoned requests.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(err + out).toBe(said);
      expect(said).not.toMatch(/Error|\n\s+at /);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 120_000);
});
