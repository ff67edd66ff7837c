// Pages whose data did not change are not rendered again (server/render-cache.ts): a second GET of
// the same URL is answered from memory with the same bytes, ETag and CSP nonce; any committed write
// to the database (here a fee row) makes the next GET render again and show it; the status page and
// PDFs are never kept; RENDER_CACHE_MB=0 renders every request. Real server on loopback, both engines.
import http from "node:http";
import zlib from "node:zlib";
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { seedNetwork } from "./helpers/seed";

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const nonceOfHeader = (r: Raw) => /'nonce-([^']+)'/.exec(String(r.headers["content-security-policy"]))?.[1];

describe.each(backends())("render cache on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  let uncached: StartedServer;
  const FEES = "/api/fees?interval=day&from=2025-03-01&to=2025-03-31";

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db, { demo: true });
    server = await startServer({ db, port: 0, host: "127.0.0.1", renderCacheMb: 16 });
    uncached = await startServer({ db, port: 0, host: "127.0.0.1", renderCacheMb: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await uncached?.close();
    await db?.close();
  });

  // The key holds the transaction snapshot, which on Postgres is the whole cluster's: other test files writing
  // to their own databases move it too. A pair of requests in a quiet moment shows the hit.
  async function pair(path: string, headers: Record<string, string> = {}): Promise<[Raw, Raw]> {
    for (let i = 0; ; i++) {
      const a = await get(server.url, path);
      const b = await get(server.url, path, headers);
      if (b.headers["x-observatory-cache"] === "hit" || i === 30) return [a, b];
    }
  }

  it("answers a repeated GET from memory: same bytes, ETag and nonce; a 304 for its ETag", async () => {
    const first = await get(server.url, FEES);
    expect([first.status, first.headers["x-observatory-cache"]]).toEqual([200, "miss"]);
    const [a, b] = await pair(FEES);
    expect([b.status, b.headers["x-observatory-cache"]]).toEqual([200, "hit"]);
    expect(b.body.equals(a.body)).toBe(true);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(b.headers["content-type"]).toBe(a.headers["content-type"]);

    const [page1, page2] = await pair("/", { "accept-encoding": "br" });
    expect(page2.headers["x-observatory-cache"]).toBe("hit");
    expect(page2.headers["content-encoding"]).toBe("br");
    const html = zlib.brotliDecompressSync(page2.body);
    expect(html.equals(page1.body)).toBe(true);
    // The policy it is served with is the one it was rendered with: every inline script carries its nonce.
    const nonce = nonceOfHeader(page2);
    expect(nonce).toBe(nonceOfHeader(page1));
    const scripts = [...html.toString("utf8").matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    // The ETag is the render's whether the answer comes from memory or not: a 304 either way.
    const notModified = await get(server.url, "/", { "accept-encoding": "br", "if-none-match": String(page2.headers.etag) });
    expect([notModified.status, notModified.body.length]).toEqual([304, 0]);
  });

  it("renders again after any committed write, and shows it", async () => {
    const [, cached] = await pair(FEES);
    expect(cached.headers["x-observatory-cache"]).toBe("hit");
    const before = JSON.parse(cached.body.toString("utf8"));
    // One more ETH of fees on the first day, as the indexer would write it.
    const day: string = before.rows[0].period;
    const changed = await db.query(`update fee_day_gateway set volume_eth = volume_eth + 1 where day = $1 returning day`, [day]);
    expect(changed.length).toBeGreaterThan(0);
    const after = await get(server.url, FEES);
    expect(after.headers["x-observatory-cache"]).toBe("miss");
    const rowOf = (j: { rows: { period: string; volumeEth: string }[] }) => j.rows.find((r) => r.period === day)!;
    const shown = rowOf(JSON.parse(after.body.toString("utf8"))).volumeEth;
    expect(new Decimal(shown).minus(rowOf(before).volumeEth).toString()).toBe(String(changed.length));
    const [, again] = await pair(FEES);
    expect(again.headers["x-observatory-cache"]).toBe("hit");
    expect(rowOf(JSON.parse(again.body.toString("utf8"))).volumeEth).toBe(shown);

    // The ingest batches commit asynchronously: their WAL is written out later (on PGlite, not until
    // the next synchronous commit), yet the next request must see them.
    await db.tx(async (q) => {
      await q.query("set local synchronous_commit = off");
      await q.query(`update fee_day_gateway set volume_eth = volume_eth + 1 where day = $1`, [day]);
    });
    const afterAsync = await get(server.url, FEES);
    expect(afterAsync.headers["x-observatory-cache"]).toBe("miss");
    const shownAsync = rowOf(JSON.parse(afterAsync.body.toString("utf8"))).volumeEth;
    expect(new Decimal(shownAsync).minus(shown).toString()).toBe(String(changed.length));
  });

  it("never keeps the status and alert pages; renders every request when RENDER_CACHE_MB is 0", async () => {
    // Nor the alert pages: they follow ALERTS_FILE, which is not in the database.
    for (const p of ["/status", "/alerts", "/api/alerts"])
      for (let i = 0; i < 2; i++) {
        const r = await get(server.url, p);
        expect([p, r.status, r.headers["x-observatory-cache"]]).toEqual([p, 200, undefined]);
      }
    for (let i = 0; i < 2; i++) {
      const r = await get(uncached.url, FEES);
      expect(r.status).toBe(200);
      expect(r.headers["x-observatory-cache"]).toBeUndefined();
    }
  });
});
