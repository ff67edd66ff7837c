// The HTTP edge against a hostile client (issue 13): request bodies limited while they are read
// (server/request-body.ts), the PDF renderer loading only this server's own listener whatever Host
// or X-Forwarded-Host says, and the small refusals (TRACE, compressed bodies, garbage forms,
// cross-site forms, HEAD/OPTIONS on a PDF). Real server, real sockets on loopback.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { chromiumPath } from "./helpers/browser";
import { openTestDb, type TestDb } from "./helpers/db";
import { seedNetwork } from "./helpers/seed";

const TOKEN = "hardening-test-token-0123456789";
const INGEST_MAX = 256 * 1024;
const RANGE = { from: "2025-03-01", to: "2025-03-31", baselineFrom: "2025-02-01", baselineTo: "2025-02-28" };

interface RawAnswer {
  status: number | null;
  body: string;
  /** Body bytes the client had written when the answer's status line arrived. */
  sentWhenAnswered: number;
  error?: string;
}

/**
 * Sends a chunked body of up to `total` bytes in 64 KB chunks, stopping as soon as the answer
 * arrives (a client that reads while it writes, as curl does).
 */
function streamBody(url: string, path: string, opts: { total: number; headers?: Record<string, string>; method?: string }): Promise<RawAnswer> {
  const u = new URL(url);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const req = http.request({ host: u.hostname, port: u.port, path, method: opts.method ?? "POST", headers: { "transfer-encoding": "chunked", ...opts.headers } });
    req.on("response", (res) => {
      answered = true;
      const at = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? null, body, sentWhenAnswered: at });
      });
    });
    req.on("error", (e) => {
      if (!answered) resolve({ status: null, body: "", sentWhenAnswered: sent, error: e.message });
    });
    const pump = () => {
      while (!answered && sent < opts.total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered && sent >= opts.total) req.end();
    };
    pump();
  });
}

describe("the HTTP edge", () => {
  let db: TestDb;
  let server: StartedServer;
  let decoy: http.Server;
  let decoyPort: number;
  const decoyHits: { url?: string; headers: http.IncomingHttpHeaders }[] = [];
  let reportId: string;

  beforeAll(async () => {
    db = await openTestDb("pglite");
    await seedNetwork(db);
    const saved = { INGEST_TOKEN: process.env.INGEST_TOKEN, INGEST_MAX_BYTES: process.env.INGEST_MAX_BYTES };
    process.env.INGEST_TOKEN = TOKEN;
    process.env.INGEST_MAX_BYTES = String(INGEST_MAX);
    try {
      server = await startServer({ db, port: 0, host: "127.0.0.1", bodyIdleMs: 1_500 });
    } finally {
      for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
    // Another service on this machine, which a forged Host must never make us load.
    decoy = http.createServer((req, res) => {
      decoyHits.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { "content-type": "text/html" }).end(`<html><body><div data-render-check="${String(req.headers["x-observatory-render"] ?? "")}"></div><figure class="chart"><svg class="recharts-surface"></svg></figure>decoy</body></html>`);
    });
    await new Promise<void>((r) => decoy.listen(0, "127.0.0.1", () => r()));
    decoyPort = (decoy.address() as AddressInfo).port;
    const r = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(RANGE) });
    expect(r.status).toBe(201);
    reportId = ((await r.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((r) => (decoy ? decoy.close(() => r()) : r()));
    await db?.close();
  });

  it("a 50 MB chunked form is refused with 413 after its first 16 KB, not read whole", async () => {
    const r = await streamBody(server.url, "/reports", { total: 50 * 1024 * 1024, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: "The body is larger than 16384 bytes" });
    // The answer came while the client was still at its first few chunks (socket buffers aside).
    expect(r.sentWhenAnswered).toBeLessThan(8 * 1024 * 1024);
  });

  it("a chunked ingest over INGEST_MAX_BYTES gets 413, not a connection reset", async () => {
    const r = await streamBody(server.url, "/api/ingest/jobs", { total: 4 * INGEST_MAX, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-ndjson" } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(413);
    expect(r.body).toContain(`larger than ${INGEST_MAX} bytes`);
  });

  it("Content-Length over the limit is refused before any byte is read; POST /api/reports over 16 KB too", async () => {
    const big = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...RANGE, pad: "x".repeat(20_000) }) });
    expect(big.status).toBe(413);
  });

  it("a body that stops arriving is answered 408 after the idle limit", async () => {
    const started = Date.now();
    const r = await new Promise<{ status?: number }>((resolve, reject) => {
      const u = new URL(server.url);
      const req = http.request({ host: u.hostname, port: u.port, path: "/reports", method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "5000" } });
      req.on("response", (res) => (res.resume(), resolve({ status: res.statusCode })));
      req.on("error", reject);
      req.write("from=2025-03-01&"); // and nothing more: 5,000 bytes were announced
    });
    expect(r.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a gzip-encoded ingest body is 415; TRACE is 405; garbage multipart on /reports is 400", async () => {
    const gz = await fetch(`${server.url}/api/ingest/jobs`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-encoding": "gzip" }, body: "\x1f\x8b\x08\x00" });
    expect(gz.status).toBe(415);
    const trace = await new Promise<number | undefined>((resolve) => http.request(`${server.url}/`, { method: "TRACE" }, (res) => (res.resume(), resolve(res.statusCode))).end());
    expect(trace).toBe(405);
    // The builder's own address (its form posts back to it), so the page's loader does not redirect.
    const builder = `${server.url}/reports?index&${new URLSearchParams(RANGE)}`;
    const garbage = await fetch(builder, { method: "POST", redirect: "manual", headers: { "content-type": "multipart/form-data; boundary=xyz" }, body: "--nope\r\n\r\ngarbage" });
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).not.toMatch(/\/work\/|node_modules|at .*\.js:\d+/);
  });

  it("POST /api/reports refuses a cross-site text/plain or form body, and still takes JSON", async () => {
    const plain = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example" }, body: JSON.stringify(RANGE) });
    expect(plain.status).toBe(403);
    const form = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" }, body: new URLSearchParams(RANGE).toString() });
    expect(form.status).toBe(403);
    const json = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify(RANGE) });
    expect(json.status).toBe(201);
  });

  it("HEAD and OPTIONS on a report PDF answer without rendering", async () => {
    const head = await fetch(`${server.url}/reports/${reportId}.pdf`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/pdf");
    const options = await fetch(`${server.url}/reports/${reportId}.pdf`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD");
  });

  const noChromium = !fs.existsSync(chromiumPath());
  it.skipIf(noChromium && process.env.REQUIRE_BROWSER !== "1")(
    "a forged Host or X-Forwarded-Host never makes the PDF renderer load another server",
    async () => {
      for (const headers of [{ host: `127.0.0.1:${decoyPort}` }, { "x-forwarded-host": `127.0.0.1:${decoyPort}` }]) {
        const status = await new Promise<{ status?: number; type?: string; head: string }>((resolve, reject) => {
          const u = new URL(server.url);
          http
            .get({ host: u.hostname, port: u.port, path: `/reports/${reportId}.pdf`, headers }, (res) => {
              const parts: Buffer[] = [];
              res.on("data", (d) => parts.push(d));
              res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], head: Buffer.concat(parts).subarray(0, 5).toString("latin1") }));
            })
            .on("error", reject);
        });
        expect(status).toEqual({ status: 200, type: "application/pdf", head: "%PDF-" });
      }
      expect(decoyHits).toEqual([]);
    },
    120_000,
  );
});
