// The prices source end to end on a real database (PGlite, and Postgres when TEST_DATABASE_URL is
// set): the shipped catalogue loads whole, an unchanged catalogue writes nothing, a changed file
// replaces the rows, and a row without its source fails the run and keeps the loaded catalogue.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalogueAge, PRICES_FILE, THROUGHPUT_FILE } from "../core/catalogue";
import { loadCatalogue } from "../db/catalogue";
import type { IndexerConfig } from "../indexer/config";
import { PRICES_SOURCE, runPrices } from "../indexer/sources/prices/load";
import { runAllSources } from "../indexer/run";
import { configuredSources } from "../indexer/sources/registry";
import { parseCsv } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";

const SHIPPED = path.resolve("indexer/data");
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");
/** Data rows of a CSV file, counted by the tests' own CSV reader (header and blank lines excluded). */
const dataRows = (text: string) => parseCsv(text).filter((r) => r.some((c) => c.trim() !== "")).length - 1;

const PRICES_TEXT = read(SHIPPED, PRICES_FILE);
const THROUGHPUT_TEXT = read(SHIPPED, THROUGHPUT_FILE);
const PRICE_ROWS = dataRows(PRICES_TEXT);
const THROUGHPUT_ROWS = dataRows(THROUGHPUT_TEXT);

function catalogueDir(prices = PRICES_TEXT, throughput = THROUGHPUT_TEXT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-prices-"));
  fs.writeFileSync(path.join(dir, PRICES_FILE), prices);
  fs.writeFileSync(path.join(dir, THROUGHPUT_FILE), throughput);
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];

/** A config whose only data source is joblogs on an empty directory, so a run is prices + joblogs. */
function config(pricesDir: string): IndexerConfig {
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), "observatory-prices-logs-"));
  dirs.push(logs);
  return {
    subgraphUrl: undefined,
    subgraphUrlLabel: "(SUBGRAPH_URL not set)",
    schedule: "*/5 * * * *",
    gatewayTagsFile: "/nonexistent/tags.json",
    pageSize: 1000,
    retry: { maxRetries: 0, baseMs: 1, maxMs: 1 },
    timeoutMs: 1000,
    jobLogs: { dir: logs, batchLines: 1000, maxLineBytes: 1 << 20 },
    pricesDir,
    log: () => {},
  };
}

const lines = (text: string) => text.split("\n");

it("runs prices first, and only alongside a data source", () => {
  const c = config(SHIPPED);
  expect(configuredSources(c)).toEqual(["partitions", PRICES_SOURCE, "joblogs"]);
  expect(configuredSources({ ...c, jobLogs: undefined })).toEqual([]);
  expect(configuredSources({ ...c, pricesDir: undefined })).toEqual(["partitions", "joblogs"]);
});

describe.each(backends())("prices source on %s", (backend) => {
  let db: TestDb;
  const snapshot = async () => ({
    prices: await db.query(`select * from cloud_prices order by line`),
    throughput: await db.query(`select * from gpu_throughput order by line`),
    meta: await db.query(`select * from catalogue_meta`),
  });

  beforeAll(async () => {
    db = await openTestDb(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
  });
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("loads the shipped files: one row per data row, every column as parsed", async () => {
    expect(PRICE_ROWS).toBeGreaterThan(0);
    const r = await runPrices(db, { dir: SHIPPED });
    expect(r).toMatchObject({ changed: true, rowsWritten: PRICE_ROWS + THROUGHPUT_ROWS, prices: PRICE_ROWS, throughput: THROUGHPUT_ROWS });
    const [{ n: prices }] = await db.query<{ n: number }>(`select count(*)::int as n from cloud_prices`);
    const [{ n: throughput }] = await db.query<{ n: number }>(`select count(*)::int as n from gpu_throughput`);
    expect(prices).toBe(PRICE_ROWS);
    expect(throughput).toBe(THROUGHPUT_ROWS);

    const catalogue = await loadCatalogue(SHIPPED);
    const stored = await db.query<Record<string, unknown>>(`select *, usd_per_unit::text as usd from cloud_prices order by line`);
    expect(
      stored.map((s) => ({ provider: s.provider, offering: s.offering, gpu: s.gpu, gpuKey: s.gpu_key, gpus: s.gpus, unit: s.unit, usd: s.usd, source: s.source, asOf: s.as_of, asOfDate: s.as_of_date, asOfPrecision: s.as_of_precision, asOfBound: s.as_of_bound, asOfNote: s.as_of_note, pipeline: s.pipeline, model: s.model, setting: s.setting, line: s.line })),
    ).toEqual(catalogue.prices.map((p) => ({ provider: p.provider, offering: p.offering, gpu: p.gpu, gpuKey: p.gpuKey, gpus: p.gpus, unit: p.unit, usd: p.usdPerUnit, source: p.source, asOf: p.asOf, asOfDate: p.asOfDate, asOfPrecision: p.asOfPrecision, asOfBound: p.asOfBound, asOfNote: p.asOfNote, pipeline: p.pipeline, model: p.model, setting: p.setting, line: p.line })));
    const figures = await db.query<Record<string, unknown>>(`select *, gpu_seconds_per_output_second::text as gps from gpu_throughput order by line`);
    expect(figures.map((f) => [f.pipeline, f.model, f.setting, f.gpu, f.gpu_key, f.gps, f.basis, f.source, f.quality, f.line])).toEqual(
      catalogue.throughput.map((t) => [t.pipeline, t.model, t.setting, t.gpu, t.gpuKey, t.gpuSecondsPerOutputSecond, t.basis, t.source, t.quality, t.line]),
    );
  });

  it("writes nothing when the files have not changed (also read from another directory)", async () => {
    await runPrices(db, { dir: SHIPPED });
    const before = await snapshot();
    expect(await runPrices(db, { dir: SHIPPED })).toMatchObject({ changed: false, rowsWritten: 0, prices: PRICE_ROWS });
    expect(await runPrices(db, { dir: catalogueDir() })).toMatchObject({ changed: false, rowsWritten: 0 });
    expect(await snapshot()).toEqual(before);

    // through the run: the prices outcome comes first after the partitions and reports 0 rows
    const outcomes = await runAllSources(db, config(SHIPPED));
    expect(outcomes[1]).toMatchObject({ source: PRICES_SOURCE, ok: true, rowsWritten: 0 });
  });

  it("a changed file replaces the rows: changed, removed and added rows count, the rest stay", async () => {
    await runPrices(db, { dir: SHIPPED });
    const [, first, second, ...rest] = lines(PRICES_TEXT);
    const f = parseCsv(first)[0];
    const changed = [...f.slice(0, 6), "9.99", ...f.slice(7)].map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
    const added = `NewCloud,nc.gpu1,H100 80GB,H100,1,gpu_hour,2.5,example.com/pricing,2026-11-01,,,`;
    // header, the first row with a new price, the second row dropped, the rest, one new row
    const text = [lines(PRICES_TEXT)[0], changed, ...rest.filter((l) => l !== ""), added, ""].join("\n");
    const r = await runPrices(db, { dir: catalogueDir(text), today: "2026-11-29" });
    // row 1 changed (price), row 2 deleted, rows 3.. moved up one line (line is kept, so changed), one added
    expect(r.changed).toBe(true);
    expect(r.prices).toBe(PRICE_ROWS);
    const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from cloud_prices`);
    expect(n).toBe(PRICE_ROWS);
    const [row] = await db.query<{ usd: string }>(`select usd_per_unit::text as usd from cloud_prices where provider = $1 and offering = $2`, [f[0], f[1]]);
    expect(row.usd).toBe("9.99");
    const secondFields = parseCsv(second)[0];
    expect(await db.query(`select 1 from cloud_prices where provider = $1 and offering = $2 and as_of = $3 and unit = $4`, [secondFields[0], secondFields[1], secondFields[8], secondFields[5]])).toHaveLength(0);
    expect(await db.query(`select 1 from cloud_prices where provider = 'NewCloud'`)).toHaveLength(1);
    expect(r.rowsWritten).toBe(1 /* changed */ + 1 /* deleted */ + 1 /* added */ + (PRICE_ROWS - 2) /* line numbers moved */);

    // a change that keeps every line: only that row is written
    const again = text.replace("NewCloud,nc.gpu1,H100 80GB,H100,1,gpu_hour,2.5,", "NewCloud,nc.gpu1,H100 80GB,H100,1,gpu_hour,2.75,");
    const r2 = await runPrices(db, { dir: catalogueDir(again), today: "2026-11-29" });
    expect(r2).toMatchObject({ changed: true, rowsWritten: 1 });
    const [meta] = await db.query<{ prices_sha256: string }>(`select prices_sha256 from catalogue_meta`);
    expect(meta.prices_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a row without its source fails the run naming file and line, and keeps the loaded catalogue", async () => {
    await runPrices(db, { dir: SHIPPED });
    const before = await snapshot();
    const all = lines(PRICES_TEXT);
    const f = parseCsv(all[1])[0];
    const unsourced = [...f.slice(0, 7), "", ...f.slice(8)].map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
    const bad = [all[0], unsourced, ...all.slice(2)].join("\n");
    const dir = catalogueDir(bad);

    const outcomes = await runAllSources(db, config(dir));
    expect(outcomes.map((o) => o.source)).toEqual(["partitions", PRICES_SOURCE, "joblogs"]);
    const [, prices, joblogs] = outcomes;
    expect(prices.ok).toBe(false);
    expect(prices.rowsWritten).toBe(0);
    expect(prices.error).toContain(`cloud-prices.csv line 2 (${f[0]} ${f[1]}): missing "source"`);
    expect(joblogs.ok).toBe(true); // the other sources still run
    expect(await snapshot()).toEqual(before);
    const [state] = await db.query<{ last_error: string }>(`select last_error from source_state where name = $1`, [PRICES_SOURCE]);
    expect(state.last_error).toContain("cloud-prices.csv line 2");
    const [run] = await db.query<{ ok: boolean; error: string }>(`select ok, error from indexer_runs where source = $1 order by id desc limit 1`, [PRICES_SOURCE]);
    expect(run).toMatchObject({ ok: false });
    expect(run.error).toContain('missing "source"');

    // a throughput figure that repeats another's key is refused the same way
    const t = lines(THROUGHPUT_TEXT);
    await expect(runPrices(db, { dir: catalogueDir(PRICES_TEXT, [...t.slice(0, 2), t[1], ...t.slice(2)].join("\n")) })).rejects.toThrow(
      /gpu-throughput\.csv line 3 .*repeats the figure on line 2/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("catalogue_meta records hashes, counts and the catalogue's age", async () => {
    await runPrices(db, { dir: SHIPPED });
    const [meta] = await db.query<Record<string, unknown>>(`select * from catalogue_meta`);
    const age = catalogueAge((await loadCatalogue(SHIPPED)).prices)!;
    expect(meta).toMatchObject({
      id: 1,
      price_rows: PRICE_ROWS,
      throughput_rows: THROUGHPUT_ROWS,
      newest_as_of: age.newest.asOf,
      newest_as_of_date: age.newest.date,
      oldest_as_of: age.oldest.asOf,
      oldest_as_of_date: age.oldest.date,
      prices_file: path.join(SHIPPED, PRICES_FILE),
    });
    expect(meta.prices_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.throughput_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.loaded_at).toBeTruthy();
    const [sqlAge] = await db.query<{ newest: string; oldest: string }>(`select max(as_of_date) as newest, min(as_of_date) as oldest from cloud_prices`);
    expect(sqlAge).toEqual({ newest: age.newest.date, oldest: age.oldest.date });
  });
});
