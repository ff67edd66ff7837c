// The core of POST /api/ingest/jobs, called with real fetch Requests against a real database (the
// Remix route that calls it through the load context is tested at the HTTP level once it exists).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareBatch } from "../indexer/sources/joblogs/batch";
import { createJobIngestHandler, ingestNdjson, PUSH_SOURCE } from "../indexer/sources/joblogs/push";
import { MAX_CLOCK_SKEW_MS } from "../indexer/sources/joblogs/validate";
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

  it("keys a job by gateway, request id and finish time: the same line again is a duplicate, another finish time is another job", async () => {
    const again = jobLine(1, { timestamp: Date.parse("2026-05-01T11:00:00Z") }); // request r-1, an hour later
    // in one batch, twice each; then across batches
    expect(await ingestNdjson(db, [jobLine(1), again, jobLine(1), again].join("\n"), { maxLineBytes: 1 << 20 })).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(await ingestNdjson(db, [again, jobLine(1)].join("\n"), { maxLineBytes: 1 << 20 })).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await db.query(`select request_id, finished_at::text as at from jobs order by finished_at`)).toEqual([
      { request_id: "r-1", at: expect.stringMatching(/^2026-05-01 10:00:01/) },
      { request_id: "r-1", at: expect.stringMatching(/^2026-05-01 11:00:00/) },
    ]);
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("rejects a line stamped more than 10 minutes ahead of the clock (2099-12-31) by line number, and stores the rest", async () => {
    const now = Date.now();
    const far = Date.parse("2099-12-31T23:59:59.999Z");
    const body = [
      jobLine(1),
      jobLine(2, { timestamp: far }),
      jobLine(3, { timestamp: now + 5 * 60_000 }), // within the skew: a gateway clock a little ahead
      jobLine(4, { timestamp: now + MAX_CLOCK_SKEW_MS + 60_000 }),
      jobLine(5),
    ].join("\n");
    const ahead = (ms: number) => `timestamp ${new Date(ms).toISOString()} is more than 10 minutes ahead of this server's clock`;
    expect(await ingestNdjson(db, body, { maxLineBytes: 1 << 20 })).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: [
        { line: 2, reason: ahead(far) },
        { line: 4, reason: ahead(now + MAX_CLOCK_SKEW_MS + 60_000) },
      ],
    });
    const offset = (n: number) => body.split("\n").slice(0, n - 1).join("\n").length + 1;
    expect(await db.query(`select source, byte_offset, line_number, reason from job_rejects order by line_number`)).toEqual([
      { source: "http", byte_offset: offset(2), line_number: 2, reason: ahead(far) },
      { source: "http", byte_offset: offset(4), line_number: 4, reason: ahead(now + MAX_CLOCK_SKEW_MS + 60_000) },
    ]);
    const stored = await db.query<{ request_id: string; ms: string }>(
      `select request_id, ((extract(epoch from finished_at) * 1000)::int8)::text as ms from jobs order by request_id`,
    );
    expect(stored.map((r) => [r.request_id, Number(r.ms)])).toEqual([
      ["r-1", JSON.parse(jobLine(1)).timestamp],
      ["r-3", now + 5 * 60_000],
      ["r-5", JSON.parse(jobLine(5)).timestamp],
    ]);
    expect(await count(db, `select count(*) as n from job_day where day > current_date + 1`)).toBe(0);
    expect(await rollupMismatches(db)).toEqual([]);

    // the same through the handler: 200 with the line in "rejected", never a 500
    const handler = createJobIngestHandler(db, { token: TOKEN, maxBytes: 1 << 20, maxLineBytes: 1 << 20 });
    const res = await handler(post([jobLine(6), jobLine(7, { timestamp: far })].join("\n")));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [{ line: 2, reason: ahead(far) }] });
  });

  it("accepts up to exactly MAX_CLOCK_SKEW_MS ahead of the clock read when the batch is prepared, not a millisecond more", async () => {
    expect(MAX_CLOCK_SKEW_MS).toBe(10 * 60_000);
    const raw = (s: string, lineNumber: number) => ({ offset: 0, lineNumber, bytes: Buffer.from(s), length: Buffer.byteLength(s) });
    const at = Date.parse("2026-05-01T10:00:00Z"); // a fixed clock: the limit moves with it
    const batch = await prepareBatch(
      [raw(jobLine(1, { timestamp: at + MAX_CLOCK_SKEW_MS }), 1), raw(jobLine(2, { timestamp: at + MAX_CLOCK_SKEW_MS + 1 }), 2)],
      1 << 20,
      { nowMs: at },
    );
    expect(batch).toMatchObject({ read: 2, valid: 1, staged: 1 });
    expect(batch.rejects).toEqual([
      { byteOffset: 0, lineNumber: 2, reason: "timestamp 2026-05-01T10:10:00.001Z is more than 10 minutes ahead of this server's clock", excerpt: expect.any(String) },
    ]);
    // a clock a minute later accepts both
    expect(await prepareBatch([raw(jobLine(2, { timestamp: at + MAX_CLOCK_SKEW_MS + 1 }), 1)], 1 << 20, { nowMs: at + 60_000 })).toMatchObject({ valid: 1, rejects: [] });
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
