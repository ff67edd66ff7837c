// POST /api/ingest/jobs over real HTTP: the Remix resource route hands the request to the indexer's
// push handler through the load context (server.ts). Each server is started with its own INGEST_*
// environment (loadIngestConfig reads it when startServer is called) against a real database
// (PGlite, and Postgres when TEST_DATABASE_URL is set).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type StartedServer } from "../server";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count, jobLine, lines } from "./helpers/joblogs";

const TOKEN = "ingest-test-token-0123456789";
const MAX_BYTES = 4096;

/** Starts a server with these INGEST_* variables (undefined = unset), restoring the environment afterwards. */
async function serverWith(db: TestDb, env: Record<string, string | undefined>): Promise<StartedServer> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  try {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    return await startServer({ db, port: 0, host: "127.0.0.1" });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const post = (server: StartedServer, body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${server.url}/api/ingest/jobs`, { method: "POST", body, headers: { "content-type": "application/x-ndjson", ...headers } });

describe.each(backends())("POST /api/ingest/jobs on %s", (backend) => {
  let db: TestDb;
  let enabled: StartedServer;
  let disabled: StartedServer;

  beforeAll(async () => {
    db = await openTestDb(backend);
    disabled = await serverWith(db, { INGEST_TOKEN: undefined, INGEST_MAX_BYTES: undefined });
    enabled = await serverWith(db, { INGEST_TOKEN: TOKEN, INGEST_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(async () => {
    await enabled?.close();
    await disabled?.close();
    await db?.close();
  });

  it("answers 404 when INGEST_TOKEN is not set, even with a token", async () => {
    const res = await post(disabled, jobLine(1));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: expect.any(String) });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
    expect(process.env.INGEST_TOKEN).toBeUndefined();
  });

  it("answers 401 without a token or with a wrong one, and stores nothing", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token-0123456789abc" }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const res = await post(enabled, jobLine(1), headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect((await res.json()).error).toMatch(/Authorization: Bearer/);
    }
    expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
  });

  it("answers 413 over INGEST_MAX_BYTES, and stores nothing", async () => {
    const big = lines(0, 40).join("\n");
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_BYTES);
    const res = await post(enabled, big);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(new RegExp(String(MAX_BYTES)));
    expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
  });

  it("answers 200 with accepted, duplicates and rejected line numbers; lines read = accepted + duplicates + rejected", async () => {
    const body = [
      jobLine(1),
      jobLine(2),
      "this is not json",
      jobLine(1), // duplicate of line 1
      jobLine(3, { orch_address: "0x1234" }),
      jobLine(4, { duration_ms: undefined }),
      jobLine(5),
    ].join("\n");
    const res = await post(enabled, body);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toEqual({
      accepted: 3,
      duplicates: 1,
      rejected: [
        { line: 3, reason: "invalid JSON" },
        { line: 5, reason: expect.stringMatching(/orch_address/) },
        { line: 6, reason: expect.stringMatching(/duration_ms/) },
      ],
    });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(3);
    // The same body again: everything valid is a duplicate now.
    const again = await (await post(enabled, body)).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 4 });
    expect(again.rejected.map((x: { line: number }) => x.line)).toEqual([3, 5, 6]);

    const status = await (await fetch(`${enabled.url}/api/status`)).json();
    const push = status.sources.find((s: { name: string }) => s.name === "joblogs-push");
    expect(push).toMatchObject({ linesRead: 14, accepted: 3, duplicates: 5, rejected: 6 });
    expect(push.linesRead).toBe(push.accepted + push.duplicates + push.rejected);
    expect(status.rejects.filter((x: { source: string }) => x.source === "http")).toHaveLength(6);
  });

  it("GET answers 405 with a JSON error, enabled or not", async () => {
    for (const server of [enabled, disabled]) {
      const res = await fetch(`${server.url}/api/ingest/jobs`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.headers.get("allow")).toBe("POST");
      expect(await res.json()).toEqual({ error: expect.stringMatching(/POST/) });
    }
  });
});
