// The core of POST /api/ingest/jobs, called with real fetch Requests against a real database (the
// Remix route that calls it through the load context is tested at the HTTP level once it exists).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJobIngestHandler, ingestNdjson, PUSH_SOURCE } from "../indexer/jobs/job-log-push";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { count, jobLine, lines, rollupMismatches } from "./helpers/joblogs";

const TOKEN = "test-token-0123456789abcdef";
const URL = "http://observatory.test/api/ingest/jobs";

function post(body: BodyInit | null, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Request {
  return new Request(URL, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe.each(backends())("job log push on %s", (backend) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
  });

  it("stores an NDJSON body and reports accepted, duplicates and rejected lines by number", async () => {
    const body = [jobLine(1), jobLine(2), "oops", jobLine(1), jobLine(3, { duration_ms: -1 }), jobLine(4)].join("\n"); // no final newline
    expect(await ingestNdjson(db, body, { maxLineBytes: 1 << 20 })).toEqual({
      accepted: 3,
      duplicates: 1,
      rejected: [
        { line: 3, reason: "invalid JSON" },
        { line: 5, reason: "duration_ms must not be negative" },
      ],
    });
    const rejects = await db.query(
      `select source, file, fingerprint, byte_offset, line_number, reason from job_rejects order by line_number`,
    );
    const offset = (n: number) =>
      body
        .split("\n")
        .slice(0, n - 1)
        .join("\n").length + 1;
    expect(rejects).toEqual([
      { source: "http", file: null, fingerprint: null, byte_offset: offset(3), line_number: 3, reason: "invalid JSON" },
      { source: "http", file: null, fingerprint: null, byte_offset: offset(5), line_number: 5, reason: "duration_ms must not be negative" },
    ]);
    // the same push again: all duplicates, rejects reported again (a push has no identity to dedupe them by)
    expect(await ingestNdjson(db, body, { maxLineBytes: 1 << 20 })).toMatchObject({ accepted: 0, duplicates: 4 });
    const [state] = await db.query<{ stats: Record<string, number>; last_success_at: string | null }>(
      `select stats, last_success_at from source_state where name = $1`,
      [PUSH_SOURCE],
    );
    expect(state.stats).toEqual({ linesRead: 12, accepted: 3, duplicates: 5, rejected: 4 });
    expect(state.last_success_at).not.toBeNull();
    expect(await rollupMismatches(db)).toEqual([]);
  });

  describe("the handler", () => {
    const config = { token: TOKEN, maxBytes: 64 * 1024, maxLineBytes: 1 << 20 };

    it("answers 404 when no token is configured, whatever the request", async () => {
      const handler = createJobIngestHandler(db, { ...config, token: undefined });
      const res = await handler(post(jobLine(1)));
      expect(res.status).toBe(404);
      expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
    });

    it("answers 401 without a valid bearer token, and stores nothing", async () => {
      const handler = createJobIngestHandler(db, config);
      const attempts: Record<string, string>[] = [
        {},
        { authorization: "Bearer wrong-token-0123456789" },
        { authorization: TOKEN },
        { authorization: `Basic ${TOKEN}` },
      ];
      for (const headers of attempts) {
        const res = await handler(post(jobLine(1), headers));
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe("Bearer");
        expect(await res.json()).toEqual({ error: expect.stringMatching(/Authorization: Bearer/) });
      }
      expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
    });

    it("answers 413 over the body limit, from Content-Length or while reading a chunked body", async () => {
      const handler = createJobIngestHandler(db, config);
      const big = lines(0, 1000).join("\n"); // ~170 KB > 64 KiB
      expect((await handler(post(big))).status).toBe(413);
      const chunked = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 100; i++) c.enqueue(new TextEncoder().encode(lines(i * 10, i * 10 + 10).join("\n") + "\n"));
          c.close();
        },
      });
      expect((await handler(post(chunked))).status).toBe(413);
      expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
    });

    it("answers 200 with the counts, 405 for other methods, 422 for a mostly garbage body (nothing stored)", async () => {
      const handler = createJobIngestHandler(db, { ...config, maxBytes: 1 << 20 });
      const ok = await handler(post(lines(0, 5).join("\n") + "\nnope\n"));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ accepted: 5, duplicates: 0, rejected: [{ line: 6, reason: "invalid JSON" }] });

      expect((await handler(new Request(URL, { method: "GET", headers: { authorization: `Bearer ${TOKEN}` } }))).status).toBe(405);

      const garbage = [...lines(100, 110), ...Array.from({ length: 1001 }, (_, i) => `junk ${i}`)].join("\n");
      const bad = await handler(post(garbage));
      expect(bad.status).toBe(422);
      expect((await bad.json()).error).toMatch(/1001 of 1011 lines are not valid job records .*nothing was stored/);
      expect(await count(db, `select count(*) as n from jobs`)).toBe(5);
    });
  });
});
