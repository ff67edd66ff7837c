// The joblogs source on real files in a temp directory, into a real database (PGlite, and Postgres
// when TEST_DATABASE_URL is set): partial lines, rotation (plain and .gz), truncation, duplicates
// and re-runs, the malformed corpus, exact fees, the mostly-garbage rule, and rollups that always
// equal aggregates of the raw jobs.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadIndexerConfig, type IndexerConfig } from "../indexer/config";
import { isoMillis } from "../indexer/sources/joblogs/batch";
import { JOBLOGS_SOURCE } from "../indexer/sources/joblogs/ingest-files";
import { runAllSources } from "../indexer/run";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { append, count, GATEWAY, gzip, jobLine, lines, ORCH, rollupMismatches, runJobLogs, tempDir, write } from "./helpers/joblogs";

const nl = (xs: string[]) => xs.map((x) => x + "\n").join("");

describe("COPY timestamps", () => {
  it("formats unix milliseconds exactly as Date#toISOString, across days, hours and milliseconds", () => {
    const edges = ["2000-01-01T00:00:00.000Z", "2026-05-01T23:59:59.999Z", "2026-05-02T00:00:00.005Z", "2028-02-29T12:34:56.050Z", "2099-12-31T23:59:59.999Z"];
    const samples = edges.map(Date.parse);
    let x = 0x2545f491;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31; // deterministic spread over the validated range
      samples.push(946_684_800_000 + Math.floor((x / 2 ** 31) * 3_155_760_000_000) + (i % 1000));
    }
    for (const ms of samples) expect(isoMillis(ms)).toBe(new Date(ms).toISOString());
  });
});

describe.each(backends())("joblogs files on %s", (backend) => {
  let db: TestDb;
  let dir: string;

  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
    dir = tempDir();
    return () => fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads complete lines and leaves a partial last line for the next run", async () => {
    const complete = nl(lines(0, 3));
    const fourth = jobLine(3);
    write(dir, "gw.jsonl", complete + fourth.slice(0, 20));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 3, accepted: 3, duplicates: 0, rejected: 0 });
    const [cp] = await db.query<{ byte_offset: number; line_number: number; done: boolean }>(
      `select byte_offset, line_number, done from job_log_files`,
    );
    expect(cp).toMatchObject({ byte_offset: Buffer.byteLength(complete), line_number: 3, done: false });

    append(dir, "gw.jsonl", fourth.slice(20) + "\n" + jobLine(4) + "\n");
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(5);
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 0 });
  });

  it("counts a repeated key as a duplicate, within a batch, across files and on re-runs; rollups stay exact", async () => {
    write(dir, "a.jsonl", nl([...lines(0, 10), jobLine(3, { duration_ms: 99_999 })]));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 11, accepted: 10, duplicates: 1, rejected: 0 });
    // the first line of a key wins
    expect(await count(db, `select duration_ms as n from jobs where request_id = 'r-3'`)).toBe(1003);
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 0, accepted: 0 });

    // a second file repeating half of the first: the already stored half is taken out of the rollups
    write(dir, "b.jsonl", nl(lines(5, 15)));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 10, accepted: 5, duplicates: 5 });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(15);
    expect(await count(db, `select sum(jobs) as n from job_hour`)).toBe(15);
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("follows a renamed file from its checkpoint (plain rotation) and reads the new file from the start", async () => {
    write(dir, "gw.jsonl", nl(lines(0, 10)));
    await runJobLogs(db, dir);
    append(dir, "gw.jsonl", nl(lines(10, 15)));
    fs.renameSync(path.join(dir, "gw.jsonl"), path.join(dir, "gw.jsonl.1"));
    write(dir, "gw.jsonl", nl(lines(15, 20)));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 10, accepted: 10, duplicates: 0 });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(20);
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 0 });
  });

  it("reads a partly read file once after it is rotated and compressed, and never decompresses a finished .gz again", async () => {
    write(dir, "gw.jsonl", nl(lines(0, 10)));
    await runJobLogs(db, dir);
    append(dir, "gw.jsonl", nl(lines(10, 14)) + jobLine(14)); // the last line never got its newline
    gzip(dir, "gw.jsonl", "gw-2026-05-01.jsonl.gz");
    write(dir, "gw.jsonl", nl(lines(15, 20)));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 10, accepted: 10, duplicates: 0, rejected: 0 });
    const files = await db.query<{ path: string; done: boolean; line_number: number }>(
      `select path, done, line_number from job_log_files order by path`,
    );
    expect(files.map((f) => [path.basename(f.path), f.done, f.line_number])).toEqual([
      ["gw-2026-05-01.jsonl.gz", true, 15],
      ["gw.jsonl", false, 5],
    ]);
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 0 });

    // a rotated file never seen before is read whole, once
    write(dir, "other-2026-04-30.jsonl.gz", zlib.gzipSync(nl(lines(100, 110))));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 10, accepted: 10 });
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 0 });
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("reads a .gz that is still being written up to its last complete line, and the rest later", async () => {
    const full = zlib.gzipSync(nl(lines(0, 400)));
    write(dir, "gw.jsonl.1.gz", full.subarray(0, Math.floor(full.length / 2)));
    const first = await runJobLogs(db, dir);
    expect(first.rejected).toBe(0);
    expect(first.read).toBeGreaterThan(0);
    expect(first.read).toBeLessThan(400);
    write(dir, "gw.jsonl.1.gz", full);
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 400 - first.read, duplicates: 0, rejected: 0 });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(400);
  });

  it("records a file it cannot decompress as a reject, once, and reads the other files", async () => {
    write(dir, "broken.jsonl.gz", Buffer.from("this is not gzip at all, whatever its name says\n"));
    const good = zlib.gzipSync(nl(lines(0, 300)));
    write(dir, "cut.jsonl.gz", Buffer.concat([good.subarray(0, 20), Buffer.alloc(200, 7), good.subarray(220)])); // corrupt inside
    write(dir, "gw.jsonl", nl(lines(500, 510)));
    for (let run = 0; run < 2; run++) {
      const r = await runJobLogs(db, dir);
      expect(r.accepted).toBe(run === 0 ? 10 : 0);
      const rejects = await db.query<{ file: string; reason: string; line_number: number }>(
        `select file, reason, line_number from job_rejects order by file`,
      );
      expect(rejects.map((x) => [path.basename(x.file), x.line_number, x.reason.split(":")[0]])).toEqual([
        ["broken.jsonl.gz", 0, "file unreadable"],
        ["cut.jsonl.gz", 0, "file unreadable"],
      ]);
    }
  });

  it("reads a truncated file again from the start: old lines are duplicates, new ones are stored", async () => {
    write(dir, "gw.jsonl", nl(lines(0, 10)));
    await runJobLogs(db, dir);
    write(dir, "gw.jsonl", nl(lines(0, 3))); // truncated: same first line, shorter than the checkpoint
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 3, accepted: 0, duplicates: 3 });
    append(dir, "gw.jsonl", nl(lines(20, 23)));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 3, accepted: 3, duplicates: 0 });

    write(dir, "gw.jsonl", nl(lines(30, 32))); // replaced by a different log: a new identity
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 2, accepted: 2 });
    expect(await count(db, `select count(*) as n from jobs`)).toBe(15);
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("rejects the malformed corpus with file, byte offset, line and reason, and still stores every good line", async () => {
    const huge = `{"request_id":"huge","pad":"${"x".repeat(10 * 1024 * 1024)}"}`;
    const corpus: [line: string | Buffer, reason: string | null][] = [
      [jobLine(0), null],
      ["not json", "invalid JSON"],
      ["[1,2,3]", "not a JSON object"],
      ["", "empty line"],
      [jobLine(1, { orch_address: undefined }), "missing required field orch_address"],
      [jobLine(2, { success: "yes" }), "success must be true or false"],
      [jobLine(3, { duration_ms: "1200" }), "duration_ms must be an integer"],
      [jobLine(4, { duration_ms: -5 }), "duration_ms must not be negative"],
      [jobLine(5, { gateway: "0x1234" }), "gateway must be 0x followed by 40 hex digits"],
      [jobLine(6, { timestamp: 1_777_630_000 }), "timestamp must be unix milliseconds (this looks like seconds)"],
      [
        jobLine(7).replace('"success":true', '"computed_fee":123456789012345678901,"success":true'),
        "computed_fee must be a string of digits (a JSON number loses precision beyond 2^53)",
      ],
      [jobLine(8, { computed_fee: "123456789012345678901234567890" }), null],
      [jobLine(9, { request_id: "nul\u0000inside" }), "request_id contains a NUL character or an unpaired surrogate"],
      [jobLine(10, { model_id: "\ud800" }), "model_id contains a NUL character or an unpaired surrogate"],
      [huge, "line longer than 1048576 bytes"],
      [Buffer.concat([Buffer.from('{"request_id":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]), "invalid UTF-8"],
      [
        jobLine(11, {
          pipeline: "Image to video",
          gateway: GATEWAY.toUpperCase().replace("0X", "0x"),
          orch_address: ORCH.toUpperCase().replace("0X", "0x"),
        }),
        null,
      ],
      [jobLine(12, { pixels_per_unit: "0", billable_units: "1", price_per_unit: "1" }), "pixels_per_unit must be positive"],
      [jobLine(13, { error_type: 7, success: false }), "error_type must be a string"],
      [jobLine(14), null],
      [jobLine(15, { timestamp: Date.parse("2099-12-31T23:59:59.999Z") }), "timestamp 2099-12-31T23:59:59.999Z is more than 10 minutes ahead of this server's clock"],
      [jobLine(16, { timestamp: Date.now() + 60_000 }), null], // a gateway clock a minute ahead: within the skew
    ];
    const buffers = corpus.map(([l]) => Buffer.concat([Buffer.from(l), Buffer.from("\n")]));
    write(dir, "gw.jsonl", Buffer.concat(buffers));

    const r = await runJobLogs(db, dir);
    const expectedRejects = corpus.filter(([, reason]) => reason !== null).length;
    expect(r).toMatchObject({ read: corpus.length, accepted: corpus.length - expectedRejects, duplicates: 0, rejected: expectedRejects });
    expect(r.read).toBe(r.accepted + r.duplicates + r.rejected);

    const rejects = await db.query<{
      source: string;
      file: string;
      byte_offset: number;
      line_number: number;
      reason: string;
      excerpt: string;
    }>(`select source, file, byte_offset, line_number, reason, excerpt from job_rejects order by byte_offset`);
    let offset = 0;
    const expected = corpus.flatMap(([, reason], i) => {
      const at = offset;
      offset += buffers[i].length;
      return reason === null ? [] : [{ source: "file", file: path.join(dir, "gw.jsonl"), byte_offset: at, line_number: i + 1, reason }];
    });
    expect(rejects.map(({ excerpt, ...rest }) => rest)).toEqual(expected);
    // excerpts are short and escaped: bytes that are not printable ASCII show as \xNN
    expect(rejects.find((x) => x.reason === "invalid UTF-8")!.excerpt).toBe('{"request_id":"\\xc3(\\xff"}');
    expect(rejects.find((x) => x.reason.startsWith("line longer"))!.excerpt).toBe(`{"request_id":"huge","pad":"${"x".repeat(132)}...`);
    // at most 160 bytes of the line, each shown as 1-4 characters
    expect(Math.max(...rejects.map((x) => x.excerpt.length))).toBeLessThanOrEqual(4 * 160 + 3);

    // wei as a digit string is stored exactly; names are normalised
    expect(
      await count(
        db,
        `select count(*) as n from jobs where computed_fee = 123456789012345678901234567890 and expected_fee_wei::text = '123456789012345678901234567890'`,
      ),
    ).toBe(1);
    const [normalised] = await db.query<{ pipeline: string; gateway: string; orch_address: string }>(
      `select pipeline, gateway, orch_address from jobs where request_id = 'r-11'`,
    );
    expect(normalised).toEqual({ pipeline: "image-to-video", gateway: GATEWAY, orch_address: ORCH });

    // cumulative counters for the status page
    const [state] = await db.query<{ stats: Record<string, number> }>(`select stats from source_state where name = $1`, [JOBLOGS_SOURCE]);
    expect(state.stats).toEqual({ linesRead: r.read, accepted: r.accepted, duplicates: 0, rejected: r.rejected });

    // re-reading the same lines (a truncation restart) does not repeat the rejects
    write(dir, "gw.jsonl", Buffer.concat(buffers.slice(0, 3)));
    expect(await runJobLogs(db, dir)).toMatchObject({ read: 3, rejected: 2, duplicates: 1 });
    expect(await count(db, `select count(*) as n from job_rejects`)).toBe(expectedRejects);
  });

  it("stores exact fees: computed_fee first, else units x price / pixels_per_unit rounded half up; output seconds", async () => {
    write(
      dir,
      "gw.jsonl",
      nl([
        jobLine(0, { billable_units: "3", price_per_unit: "5", pixels_per_unit: "2" }), // 7.5 -> 8
        jobLine(1, { billable_units: "1.25", price_per_unit: "3", pixels_per_unit: "1" }), // 3.75 -> 4
        jobLine(2, { billable_units: "7", price_per_unit: "1", pixels_per_unit: "4" }), // 1.75 -> 2
        jobLine(3, { billable_units: "9", price_per_unit: "1", pixels_per_unit: "4" }), // 2.25 -> 2
        jobLine(4, { billable_units: "26214400", price_per_unit: "3390842", pixels_per_unit: "1" }),
        jobLine(5, { computed_fee: "42", billable_units: "1000", price_per_unit: "1000", pixels_per_unit: "1" }),
        jobLine(6, { billable_units: "1000" }), // no price: no fee
        jobLine(7, { pipeline: "image-to-video", frames: 25, fps: 7 }),
        jobLine(8, { pipeline: "live-video-to-video", output_seconds: 12.5 }),
        jobLine(10, { output_seconds: 3 }), // text-to-image makes no video: not output seconds
        jobLine(9, { pipeline: "image-to-video", frames: 25, fps: 6, output_seconds: 4 }),
      ]),
    );
    await runJobLogs(db, dir);
    const rows = await db.query<{ request_id: string; fee: string | null; seconds: string | null }>(
      `select request_id, expected_fee_wei::text as fee, output_seconds::text as seconds from jobs order by request_id`,
    );
    expect(rows.map((r) => [r.request_id, r.fee, r.seconds])).toEqual([
      ["r-0", "8", null],
      ["r-1", "4", null],
      ["r-10", null, null],
      ["r-2", "2", null],
      ["r-3", "2", null],
      ["r-4", (26214400n * 3390842n).toString(), null],
      ["r-5", "42", null],
      ["r-6", null, null],
      ["r-7", null, "3.571429"],
      ["r-8", null, "12.5"],
      ["r-9", null, "4"],
    ]);
    const total = (8n + 4n + 2n + 2n + 26214400n * 3390842n + 42n).toString();
    expect((await db.query<{ s: string }>(`select sum(expected_fee_wei)::text as s from job_day`))[0].s).toBe(total);
    expect((await db.query<{ s: string }>(`select sum(output_seconds)::text as s from job_hour`))[0].s).toBe("20.071429");
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("sums cost over the same jobs per day: video fee and seconds, images and billed pixels, unpriced and failed jobs apart", async () => {
    const i2v = { pipeline: "image-to-video", model_id: "svd", width: 1024, height: 576, frames: 25, fps: 6, price_per_unit: "3390842", pixels_per_unit: "1" };
    const t2i = { pipeline: "text-to-image", model_id: "sdxl", price_per_unit: "4768371", pixels_per_unit: "1" };
    const first = [
      jobLine(0, i2v), // fee from 1024 x 576 x 25 billed pixels: 49,999,999,795,200 wei; 25/6 s
      jobLine(1, { ...i2v, output_seconds: 5 }),
      jobLine(2, { ...i2v, success: false, error_type: "timeout" }), // a failed job's fee: apart
      jobLine(3, { ...i2v, price_per_unit: undefined }), // unpriced: seconds but no fee, in no cost figure
      jobLine(4, { ...t2i, width: 1024, height: 1024, num_images: 2 }),
      jobLine(5, { ...t2i, billable_units: "1048576" }), // billed pixels as logged, one image
      jobLine(6, { pipeline: "upscale", model_id: "x4", width: 512, height: 512, computed_fee: "77" }),
    ];
    write(dir, "gw.jsonl", nl(first));
    await runJobLogs(db, dir);
    // A second file repeats two jobs: the batch stages them, finds them stored and takes them out again.
    write(dir, "gw2.jsonl", nl([jobLine(7, { ...i2v, output_seconds: 2 }), first[0], first[4]]));
    expect(await runJobLogs(db, dir)).toMatchObject({ accepted: 1, duplicates: 2 });
    const rows = await db.query<Record<string, string | number>>(
      `select pipeline, model_id, cost_jobs, cost_fee_wei::text as fee, trim_scale(video_seconds)::text as seconds, images,
              billed_pixels::text as pixels, unpriced_jobs, failed_fee_wei::text as failed from job_day order by pipeline`,
    );
    const clip = 49_999_999_795_200n;
    expect(rows).toEqual([
      { pipeline: "image-to-video", model_id: "svd", cost_jobs: 3, fee: (3n * clip).toString(), seconds: "11.166667", images: 0, pixels: "0", unpriced_jobs: 1, failed: clip.toString() },
      { pipeline: "text-to-image", model_id: "sdxl", cost_jobs: 2, fee: (3n * 1048576n * 4768371n).toString(), seconds: "0", images: 3, pixels: "3145728", unpriced_jobs: 0, failed: "0" },
      { pipeline: "upscale", model_id: "x4", cost_jobs: 1, fee: "77", seconds: "0", images: 1, pixels: "262144", unpriced_jobs: 0, failed: "0" },
    ]);
    expect(await rollupMismatches(db)).toEqual([]);
  });

  it("fails the run loudly when a batch is mostly garbage, storing nothing and leaving the checkpoint", async () => {
    const garbage = Array.from({ length: 1001 }, (_, i) => `garbage ${i}`);
    write(dir, "gw.jsonl", nl([...lines(0, 100), ...garbage]));
    const config: IndexerConfig = {
      ...loadIndexerConfig({ GATEWAY_LOG_DIR: dir, GATEWAY_TAGS_FILE: "/nonexistent/tags.json" } as unknown as NodeJS.ProcessEnv),
      log: () => {},
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = (await runAllSources(db, config)).find((o) => o.source === JOBLOGS_SOURCE)!; // prices runs first
      expect(outcome).toMatchObject({ source: JOBLOGS_SOURCE, ok: false });
      expect(outcome.error).toMatch(
        /gw\.jsonl: lines 1-1101 .* mostly garbage: 1001 of 1101 rejected \(90\.9%\), e\.g\. line 101: invalid JSON/,
      );
      expect(outcome.error).toMatch(/the checkpoint did not move/);
    }
    expect(await count(db, `select count(*) as n from jobs`)).toBe(0);
    expect(await count(db, `select count(*) as n from job_rejects`)).toBe(0);
    expect(await count(db, `select count(*) as n from job_log_files`)).toBe(0);
    const runs = await db.query<{ ok: boolean; error: string }>(`select ok, error from indexer_runs where source = $1 order by id`, [JOBLOGS_SOURCE]);
    expect(runs.map((r) => r.ok)).toEqual([false, false]);
    const [state] = await db.query<{ last_error: string }>(`select last_error from source_state where name = $1`, [JOBLOGS_SOURCE]);
    expect(state.last_error).toMatch(/mostly garbage/);

    // 1,000 rejects is not "over 1,000": the batch goes in, rejects and all
    write(dir, "gw.jsonl", nl([...lines(0, 100), ...garbage.slice(0, 1000)]));
    const ok = (await runAllSources(db, config)).find((o) => o.source === JOBLOGS_SOURCE)!;
    expect(ok).toMatchObject({ ok: true, rowsWritten: 100 });
    expect(await count(db, `select count(*) as n from job_rejects`)).toBe(1000);
  });
  it("stores each job's timestamp to the millisecond, at day and hour edges", async () => {
    const stamps = ["2026-05-01T23:59:59.999Z", "2026-05-02T00:00:00.000Z", "2026-05-02T00:00:00.007Z", "2026-05-02T09:59:59.050Z"];
    write(dir, "gateway.jsonl", nl(stamps.map((t, i) => jobLine(i, { timestamp: Date.parse(t) }))));
    await runJobLogs(db, dir);
    const rows = await db.query<{ request_id: string; ms: string }>(
      `select request_id, ((extract(epoch from finished_at) * 1000)::int8)::text as ms from jobs order by request_id`,
    );
    expect(rows.map((r) => [r.request_id, r.ms])).toEqual(stamps.map((t, i) => [`r-${i}`, String(Date.parse(t))]));
    expect(await rollupMismatches(db)).toEqual([]);
  });
  it("stores text with escapes (tab, newline, carriage return, backslash, unicode) exactly as logged", async () => {
    const tricky = [
      jobLine(0, { request_id: "tab\there", model_id: "back\\slash/model", orch_url: "https://o.example/\npath" }),
      jobLine(1, { success: false, error_type: "Timeout\r\nretry", region: "\u00e9u-west \\ 2" }),
      jobLine(2, { model_id: "plain/model" }),
    ];
    write(dir, "gateway.jsonl", nl(tricky));
    await runJobLogs(db, dir);
    const rows = await db.query<{ request_id: string; model_id: string; orch_url: string | null; error_type: string | null; region: string | null }>(
      `select request_id, model_id, orch_url, error_type, region from jobs order by finished_at`,
    );
    const expected = tricky.map((l) => JSON.parse(l) as Record<string, string | undefined>);
    expect(rows).toEqual(
      expected.map((e) => ({
        request_id: e.request_id,
        model_id: e.model_id,
        orch_url: e.orch_url ?? null,
        error_type: e.error_type?.trim() ?? null,
        region: e.region ?? null,
      })),
    );
    expect(rows[0].request_id).toBe("tab\there");
    expect(await rollupMismatches(db)).toEqual([]);
  });
});
