// Fair queueing of renders (server/render-gate.ts): at most `limit` reads are answered at a time and
// the others wait in arrival order; a failed render passes its turn on. Then the real server with one
// turn: a crowd of concurrent reads on three routes all answer, each as it answers alone, and
// clients that go away while waiting do not block the next. Both engines.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { RenderGate } from "../server/render-gate";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { seedNetwork } from "./helpers/seed";

describe("RenderGate", () => {
  it("runs at most `limit` at once and starts the rest in arrival order", async () => {
    const gate = new RenderGate(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const all = Array.from({ length: 8 }, (_, i) =>
      gate.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((r) => (release[i] = r));
        running--;
        return i * 10;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(6);
    // Finishing out of order: the freed turn goes to the longest waiting.
    release[1]();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setImmediate(r));
      release[i]?.();
      await new Promise((r) => setImmediate(r));
      for (const j of started) release[j]?.();
    }
    expect(await Promise.all(all)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
    expect(gate.queued).toBe(0);
  });

  it("passes the turn on when a render fails", async () => {
    const gate = new RenderGate(1);
    const failed = gate.run(async () => {
      throw new Error("render failed");
    });
    const next = gate.run(async () => "next");
    await expect(failed).rejects.toThrow("render failed");
    expect(await next).toBe("next");
    expect(gate.queued).toBe(0);
    // The gate is free again: a new run starts at once.
    let ran = false;
    await gate.run(async () => void (ran = true));
    expect(ran).toBe(true);
  });
});

describe.each(backends())("the server's reads take turns on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;
  const ROUTES = ["/api/fees?interval=day&from=2025-03-01&to=2025-03-31", "/api/orchestrators?from=2025-03-01&to=2025-03-31", "/fees?from=2025-03-01&to=2025-03-31"];

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db, { demo: true });
    server = await startServer({ db, port: 0, host: "127.0.0.1", renderCacheMb: 0, renderConcurrency: 1 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** The figures of an answer: JSON without the moment it was made, or the page's text without its per-response nonce. */
  const figures = async (res: Response) => {
    const text = await res.text();
    // The page's nonce is per response, and its freshness lag counts seconds to now: a minute can turn between two requests.
    if (!res.headers.get("content-type")?.includes("json")) return text.replace(/nonce="[^"]*"|nonce-[A-Za-z0-9+/=]+|\\"lagSeconds\\",\d+/g, "");
    const j = JSON.parse(text);
    delete j.provenance;
    delete j.freshness;
    return JSON.stringify(j);
  };

  it("a crowd of 30 concurrent reads on one turn: every one answers, each as it answers alone", async () => {
    const alone: string[] = [];
    for (const r of ROUTES) {
      const res = await fetch(server.url + r);
      expect(res.status, r).toBe(200);
      alone.push(await figures(res));
    }
    const crowd = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(server.url + ROUTES[i % 3]).then(async (res) => [res.status, await figures(res)])));
    crowd.forEach(([status, body], i) => {
      expect(status, ROUTES[i % 3]).toBe(200);
      expect(body, ROUTES[i % 3]).toBe(alone[i % 3]);
    });
  });

  it("clients that leave while waiting for their turn do not hold it: the next one is answered", async () => {
    const aborted = Array.from({ length: 10 }, () => {
      const c = new AbortController();
      const p = fetch(server.url + ROUTES[2], { signal: c.signal }).catch((e: Error) => e.name);
      c.abort();
      return p;
    });
    expect(await Promise.all(aborted)).toEqual(Array(10).fill("AbortError"));
    const res = await fetch(server.url + ROUTES[0]);
    expect(res.status).toBe(200);
  });

  it("Remix's route discovery (/__manifest) does not wait behind renders: it reads no data", async () => {
    const page = await (await fetch(server.url + ROUTES[2])).text();
    const manifestJs = /(\/build\/manifest-[0-9A-Za-z]+\.js)/.exec(page)?.[1] ?? "(no manifest script)";
    const version = /"version":"([^"]+)"/.exec(await (await fetch(server.url + manifestJs)).text())?.[1];
    expect(version).toBeTruthy();
    let done = 0;
    const crowd = Array.from({ length: 10 }, () => fetch(server.url + ROUTES[2]).then(async (r) => (await r.text(), done++)));
    const manifest = await fetch(`${server.url}/__manifest?p=%2Fpipelines&version=${version}`);
    const doneBefore = done;
    expect(manifest.status).toBe(200);
    expect(Object.values((await manifest.json()) as Record<string, { path?: string }>).some((r) => r.path === "pipelines")).toBe(true);
    await Promise.all(crowd);
    // On a turn of one, a queued request would have answered after all ten renders (nine of them
    // read by then at least); unqueued, it answers while the first few render.
    expect(doneBefore).toBeLessThan(5);
  });

  it("a client that does not read its answer holds no turn: the answer is made in the turn, sent after it", async () => {
    // A page asked without compression and never read: a whole answer is handed to the socket in
    // the turn (res.end does not wait for the reader), so the turn ends all the same.
    const held = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const u = new URL(server.url + ROUTES[2]);
      http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { "accept-encoding": "identity" } }, (res) => {
        res.pause();
        resolve(res);
      }).on("error", reject);
    });
    expect(held.statusCode).toBe(200);
    // The turn of one is free: the next reads are answered while that answer waits on its reader.
    for (const r of ROUTES) expect((await fetch(server.url + r)).status, r).toBe(200);
    held.destroy();
  });
});
