// Exports: every table and chart on every page links CSV and JSON of the numbers it shows, and those
// links answer; each CSV parses back (RFC 4180) to exactly the JSON's numbers; file names carry
// "observatory-", what and the range; JSON answers carry a top-level provenance that reproduces them;
// cells a spreadsheet would run as a formula (=, +, -, @, tab, CR) are neutralised, plain numbers are
// not, and text such as <script> stays inert text in a text/csv attachment.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../app/lib/csv.server";
import { parseNetworkCapabilities } from "../core/gateway/capabilities";
import { applyCapabilities } from "../indexer/sources/capabilities/store";
import { ingestEventBody } from "../indexer/sources/events/push";
import { exportName, prefixed, queryHref } from "../app/lib/download-names";
import { ingestNdjson } from "../indexer/sources/joblogs/push";
import { startServer, type StartedServer } from "../server";
import { csvRecords, parseCsv, unneutralised } from "./helpers/csv";
import { backends, openTestDb, type TestDb } from "./helpers/db";
import { session, sessionLines } from "./helpers/gateway-events";
import { EVIL_URI, FORMULA_URI, GW, JOBS_ONLY, ORCH, seedJobs, seedNetwork } from "./helpers/seed";

/** A node of the real capabilities capture (4 GPUs, a live video price) renamed to o1, with its hot wallet and URL. */
const NODE = { capture: "0x75fbf65a3dfe93545c9768f163e59a02daf08d36", hot: "0xfd7db765c9bfc1493b4c9ea6ddf61a7fc7d40d12", url: "https://ai.brzeczyszczykiewicz.work:8935" };

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("CSV cells", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ['=HYPERLINK("https://evil.example","click")', `"'=HYPERLINK(""https://evil.example"",""click"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["-cmd", "'-cmd"],
    ["@SUM(1+1)", "'@SUM(1+1)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", `"'\r=1+1"`],
    ["=1,2", `"'=1,2"`],
  ])("neutralises a formula: %j -> %j", (input, written) => {
    expect(csvCell(input)).toBe(written);
    // Read back, the cell is the text with one apostrophe in front: a spreadsheet shows it as text.
    expect(parseCsv(`${written}\r\n`)[0][0]).toBe(`'${input}`);
  });

  it.each([["-1.5"], ["+2"], ["-0.000000000000000001"], ["1e-7"], ["-3E+5"], ["0"], ["9007199254740993001"]])("keeps the plain number %s", (n) => {
    expect(csvCell(n)).toBe(n);
  });

  it("keeps other text as text, quoting per RFC 4180, and round-trips", () => {
    const hostile = ["<script>alert(1)</script>", EVIL_URI, 'say "hi", then\nleave', "a,b", "", "naïve – ü"];
    expect(csvCell("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(-4)).toBe("-4");
    expect(csvCell(true)).toBe("true");
    const text = toCsv(["h1", "h2"], [hostile.slice(0, 3), hostile.slice(3)]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([["h1", "h2"], hostile.slice(0, 3), hostile.slice(3)]);
  });
});

describe("download names", () => {
  it("say observatory, what and the range, and are safe in a header and on disk", () => {
    expect(exportName("fees-day", { from: "2026-05-01", to: "2026-05-30" })).toBe("observatory-fees-day-2026-05-01_2026-05-30");
    expect(exportName("pipelines", { from: "2025-03-01", to: "2025-03-31" }, null, "text-to-image", "")).toBe(
      "observatory-pipelines-text-to-image-2025-03-01_2025-03-31",
    );
    expect(prefixed("observatory-x.csv")).toBe("observatory-x.csv");
    expect(prefixed('a"b/../c\r\nd.csv')).toBe("observatory-a_b_.._c_d.csv");
    expect(prefixed(`m-${"x".repeat(400)}.csv`)).toMatch(/^observatory-m-x+\.csv$/);
    expect(prefixed(`m-${"x".repeat(400)}.csv`).length).toBe(200);
    expect(queryHref("/api/compare", { address: ["0xa", "0xb"], from: "2025-01-01", to: null, model: "" })).toBe("/api/compare?address=0xa&address=0xb&from=2025-01-01");
  });
});

/** A CSV value read back, compared with the JSON value it came from. */
const cellOf = (v: unknown) => (v === null || v === undefined ? "" : String(v));

function sameNumbers(csvText: string, jsonRows: Json[], columns: Record<string, (r: Json) => unknown>) {
  const records = csvRecords(csvText);
  expect(records.length).toBe(jsonRows.length);
  expect(Object.keys(records[0] ?? {})).toEqual(expect.arrayContaining(Object.keys(columns)));
  records.forEach((rec, i) => {
    for (const [col, pick] of Object.entries(columns)) expect(unneutralised(rec[col]), `row ${i} ${col}`).toBe(cellOf(pick(jsonRows[i])));
  });
  return records;
}

const JOB_COLUMNS = {
  jobs: (r: Json) => r.jobs,
  successes: (r: Json) => r.successes,
  success_rate: (r: Json) => r.successRate,
  latency_p50_ms: (r: Json) => r.latencyMs.p50,
  latency_p95_ms: (r: Json) => r.latencyMs.p95,
  latency_p99_ms: (r: Json) => r.latencyMs.p99,
  latency_samples: (r: Json) => r.latencySamples,
  expected_fees_eth: (r: Json) => r.expectedFeesEth,
};

describe.each(backends())("exports on %s", (backend) => {
  let db: TestDb;
  let server: StartedServer;

  const get = async (path: string) => {
    const r = await fetch(server.url + path);
    const text = await r.text();
    let body: Json = text;
    if ((r.headers.get("content-type") ?? "").includes("application/json")) body = JSON.parse(text);
    return { status: r.status, headers: r.headers, body, text };
  };
  /** CSV and JSON of one request; checks the CSV's headers and the JSON's provenance. */
  const both = async (path: string) => {
    const sep = path.includes("?") ? "&" : "?";
    const csv = await get(`${path}${sep}format=csv`);
    const json = await get(path);
    expect(csv.status, path).toBe(200);
    expect(json.status, path).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("x-content-type-options")).toBe("nosniff");
    const file = /^attachment; filename="(observatory-[A-Za-z0-9._-]+)\.csv"$/.exec(csv.headers.get("content-disposition") ?? "")?.[1];
    expect(file, path).toBeDefined();
    const p = json.body.provenance;
    expect(p, path).toBeDefined();
    // The JSON names its file (shown inline; a download link saves it under that name): the CSV's
    // name, except where the CSV is one table (table=...) of a JSON answer that holds them all.
    expect(json.headers.get("content-disposition"), path).toBe(`inline; filename="${p.file}"`);
    if (path.includes("table=")) expect(p.file).toMatch(/^observatory-[A-Za-z0-9._-]+\.json$/);
    else expect(p.file).toBe(`${file}.json`);
    expect(typeof p.source).toBe("string");
    expect(p.demo).toBe(false);
    expect(Date.parse(p.generatedAt)).not.toBeNaN();
    if (p.from) expect(file).toContain(p.from);
    return { csv: csv.text, json: json.body, file: file! };
  };

  beforeAll(async () => {
    db = await openTestDb(backend);
    await seedNetwork(db);
    await seedJobs(db);
    // Rejected lines whose start a spreadsheet would run: the status CSV lists their excerpts.
    await ingestNdjson(db, ['=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3 not json", "@SUM(1+1)", "<script>alert(1)</script>"].join("\n"), {
      maxLineBytes: 1 << 20,
    });
    // What o1 advertises (GPUs, a live video price) and two of its live sessions: the orchestrator page's other tables.
    const capture = JSON.parse(fs.readFileSync(new URL("./real-samples/gateway-events/getNetworkCapabilities.json", import.meta.url), "utf8"));
    const states = parseNetworkCapabilities(capture).map((st) => (st.address === NODE.capture ? { ...st, address: ORCH.o1 } : st));
    await db.tx((q) => applyCapabilities(q, states, "2025-03-30T12:00:00Z", { origin: "endpoint", complete: true }));
    const at = Date.parse("2025-03-28T10:00:00Z");
    const live = [1, 2].flatMap((n) => sessionLines(session(n, { startMs: at + n * 600_000, orchHot: NODE.hot, orchUrl: NODE.url, orchAddress: ORCH.o1 })));
    expect((await ingestEventBody(db, new TextEncoder().encode(live.join("\n")), 1 << 20)).rejected).toEqual([]);
    server = await startServer({ db, port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  describe("formula injection and markup in real exports", () => {
    it("service URIs, gateway labels and rejected lines are neutralised or inert", async () => {
      const o = csvRecords((await get("/api/orchestrators?format=csv&sort=address")).text);
      expect(o.find((r) => r.address === ORCH.o3)!.service_uri).toBe(`'${FORMULA_URI}`);
      expect(o.find((r) => r.address === ORCH.o2)!.service_uri).toBe(EVIL_URI); // text; the file is an attachment, never HTML
      const fo = csvRecords((await get("/api/fees/orchestrators?format=csv&from=2025-01-01&to=2025-03-31")).text);
      expect(fo.find((r) => r.orchestrator === ORCH.o3)!.service_uri).toBe(`'${FORMULA_URI}`);
      const g = csvRecords((await get("/api/fees/gateways?format=csv&from=2025-01-01&to=2025-03-31")).text);
      expect(g.find((r) => r.gateway === GW.organic2)!.label).toBe("'@SUM(1+1)");
      const summary = csvRecords((await get(`/api/orchestrators/${ORCH.o3}?format=csv&table=summary`)).text);
      expect(summary[0].service_uri).toBe(`'${FORMULA_URI}`);
      const cmp = csvRecords((await get(`/api/compare?format=csv&address=${ORCH.o3}&address=${ORCH.o2}`)).text);
      expect(cmp.map((r) => r.service_uri)).toEqual([`'${FORMULA_URI}`, EVIL_URI]);
      const rejects = csvRecords((await get("/api/status?format=csv&table=rejects")).text);
      const excerpts = rejects.map((r) => r.excerpt);
      for (const start of ["'=HYPERLINK(", "'+cmd|", "'-2+3", "'@SUM("]) expect(excerpts.some((e) => e.startsWith(start)), start).toBe(true);
      expect(excerpts.some((e) => e.startsWith("<script>"))).toBe(true);
      // No cell anywhere starts with a live formula character (plain numbers aside).
      for (const rec of [...o, ...fo, ...g, ...summary, ...cmp, ...rejects])
        for (const v of Object.values(rec)) if (/^[=+\-@\t\r]/.test(v)) expect(v, v).toMatch(/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/);
    });
  });

  describe("each CSV parses back to the JSON's numbers", () => {
    it("fees per period, cumulative too", async () => {
      for (const view of ["period", "cumulative"]) {
        const { csv, json, file } = await both(`/api/fees?interval=week&from=2025-01-01&to=2025-03-31&view=${view}`);
        expect(file).toBe(`observatory-fees-week${view === "cumulative" ? "-cumulative" : ""}-2025-01-01_2025-03-31`);
        expect(json.provenance.file).toBe(`${file}.json`);
        sameNumbers(csv, json.rows, {
          period: (r) => r.period,
          volume_eth: (r) => r.volumeEth,
          volume_usd: (r) => r.volumeUsd,
          tickets: (r) => r.tickets,
          subsidized_eth: (r) => r.split.subsidizedEth,
          organic_eth: (r) => r.split.organicEth,
          subsidized_usd: (r) => r.split.subsidizedUsd,
          organic_usd: (r) => r.split.organicUsd,
          ...(view === "cumulative" ? { cumulative_volume_eth: (r: Json) => r.cumulative.volumeEth, cumulative_tickets: (r: Json) => r.cumulative.tickets } : {}),
        });
      }
    });

    it("KPI windows and growth", async () => {
      const s = await both("/api/fees/summary");
      sameNumbers(s.csv, s.json.windows, {
        days: (r) => r.days,
        from: (r) => r.from,
        to: (r) => r.to,
        volume_eth: (r) => r.volumeEth,
        volume_usd: (r) => r.volumeUsd,
        tickets: (r) => r.tickets,
        previous_volume_eth: (r) => r.previous.volumeEth,
        change_eth_pct: (r) => r.changePct.volumeEth,
      });
      const g = await both("/api/fees/growth?baselineFrom=2025-02-01&baselineTo=2025-02-28&from=2025-03-01&to=2025-03-31");
      expect(g.file).toBe("observatory-fee-growth-2025-02-01_2025-02-28-vs-2025-03-01_2025-03-31");
      const rows = [
        { ...g.json.baseline, multiple: null, organicMultiple: null },
        { ...g.json.period, multiple: g.json.multiple, organicMultiple: g.json.organicMultiple },
      ];
      sameNumbers(g.csv, rows, {
        days: (r) => r.days,
        volume_eth: (r) => r.volumeEth,
        daily_avg_eth: (r) => r.dailyAvgEth,
        subsidized_eth: (r) => r.subsidizedEth,
        organic_eth: (r) => r.organicEth,
        organic_daily_avg_eth: (r) => r.organicDailyAvgEth,
        multiple: (r) => r.multiple,
        organic_multiple: (r) => r.organicMultiple,
      });
    });

    it("fees by gateway and by orchestrator (the fees page's tables)", async () => {
      const gw = await both("/api/fees/gateways?from=2025-02-01&to=2025-03-31");
      expect(gw.file).toBe("observatory-fees-by-gateway-2025-02-01_2025-03-31");
      sameNumbers(gw.csv, gw.json.rows, {
        gateway: (r) => r.address,
        tag: (r) => r.tag,
        label: (r) => r.label,
        share_pct: (r) => r.sharePct,
        tickets: (r) => r.tickets,
        volume_eth: (r) => r.volumeEth,
        volume_usd: (r) => r.volumeUsd,
      });
      const or = await both("/api/fees/orchestrators?from=2025-02-01&to=2025-03-31");
      sameNumbers(or.csv, or.json.rows, {
        orchestrator: (r) => r.address,
        service_uri: (r) => r.serviceUri,
        share_pct: (r) => r.sharePct,
        tickets: (r) => r.tickets,
        volume_eth: (r) => r.volumeEth,
        volume_usd: (r) => r.volumeUsd,
      });
    });

    it("the orchestrators table, with the pair its job figures are for and what each advertises", async () => {
      for (const q of ["sort=address", "sort=address&pipeline=all", "sort=address&pipeline=image-to-video"]) {
        const o = await both(`/api/orchestrators?${q}`);
        sameNumbers(o.csv, o.json.rows, {
          address: (r) => r.address,
          service_uri: (r) => r.serviceUri,
          active: (r) => r.active,
          total_stake: (r) => r.totalStake,
          fee_share_pct: (r) => r.feeSharePct,
          reward_cut_pct: (r) => r.rewardCutPct,
          fees_eth_30d: (r) => r.feesEth30d,
          fees_eth_total: (r) => r.feesEthTotal,
          ...JOB_COLUMNS,
          usd_per_video_second: (r) => r.usdPerVideoSecond,
          job_pipeline: () => (o.json.choice === "all" ? "all" : o.json.pipeline),
          job_model: () => o.json.model,
          gpus: (r) => r.gpus.map((g: Json) => `${g.count} x ${g.name}`).join("; "),
          gpu_count: (r) => r.gpuCount,
          live_model: (r) => r.livePrice?.modelId,
          live_wei_per_pixel: (r) => r.livePrice?.weiPerPixel,
          live_usd_per_video_hour: (r) => r.livePrice?.usdPerVideoHour,
        });
        expect(o.json.rows.find((r: Json) => r.address === ORCH.o1)).toMatchObject({ gpuCount: 4, livePrice: { weiPerPixel: "1588" } });
      }
    });

    it("one orchestrator: series, errors by type and its summary", async () => {
      const path = `/api/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31`;
      const s = await both(path);
      expect(s.file).toBe(`observatory-orchestrator-${ORCH.o1}-2025-03-25_2025-03-31`);
      sameNumbers(s.csv, s.json.series, {
        period: (r) => r.period,
        volume_eth: (r) => r.volumeEth,
        volume_usd: (r) => r.volumeUsd,
        tickets: (r) => r.tickets,
        output_seconds: (r) => r.outputSeconds,
        ...JOB_COLUMNS,
      });
      const h = await both(`${path}&interval=hour`);
      sameNumbers(h.csv, h.json.series, { period: (r) => r.period, volume_eth: (r) => r.volumeEth, ...JOB_COLUMNS });
      const e = await both(`${path}&table=errors`);
      expect(e.file).toBe(`observatory-orchestrator-${ORCH.o1}-errors-2025-03-25_2025-03-31`);
      expect(e.json.errors.length).toBeGreaterThan(0);
      sameNumbers(e.csv, e.json.errors, { error_type: (r) => r.errorType, jobs: (r) => r.jobs });
      const sum = await both(`${path}&table=summary`);
      const j = sum.json;
      sameNumbers(sum.csv, [j], {
        address: (r) => r.address,
        service_uri: (r) => r.serviceUri,
        total_stake: (r) => r.totalStake,
        fees_eth_30d: (r) => r.feesEth30d,
        fees_eth_total: (r) => r.feesEthTotal,
        from: (r) => r.from,
        to: (r) => r.to,
        volume_eth: (r) => r.totals.volumeEth,
        tickets: (r) => r.totals.tickets,
        jobs: (r) => r.jobs.jobs,
        latency_p50_ms: (r) => r.jobs.latencyMs.p50,
        expected_fees_eth: (r) => r.jobs.expectedFeesEth,
        network_jobs: (r) => r.network.jobs,
        network_latency_p50_ms: (r) => r.network.latencyMs.p50,
        job_pipeline: (r) => r.pipeline,
        job_model: (r) => r.model,
      });
      // What it advertises and its live video, one table each.
      const gpus = await both(`${path}&table=gpus`);
      expect(gpus.file).toBe(`observatory-orchestrator-${ORCH.o1}-gpus-2025-03-25_2025-03-31`);
      sameNumbers(gpus.csv, gpus.json.gpus, { pipeline: (r) => r.pipeline, model_id: (r) => r.modelId, gpu_name: (r) => r.name, count: (r) => r.count, memory_gb: (r) => r.memoryGb });
      const adv = await both(`${path}&table=advertised`);
      sameNumbers(adv.csv, adv.json.advertised, {
        url: (r) => r.url,
        pipeline: (r) => r.pipeline,
        model_id: (r) => r.modelId,
        price_wei_per_unit: (r) => r.priceWeiPerUnit,
        usd_per_video_hour: (r) => r.usdPerVideoHour,
        warm: (r) => r.warm,
        capacity: (r) => r.capacity,
      });
      const prices = await both(`${path}&table=prices`);
      sameNumbers(prices.csv, prices.json.priceHistory, { from: (r) => r.from, to: (r) => r.to, price_wei_per_unit: (r) => r.priceWeiPerUnit, usd_per_video_hour: (r) => r.usdPerVideoHour });
      const live = await both(`${path}&table=live`);
      const l = live.json.live;
      expect(l.row.sessions).toBe(2);
      sameNumbers(live.csv, [{ who: ORCH.o1, ...l.row }, { who: "network", ...l.network }], {
        who: (r) => r.who,
        model_id: () => l.model,
        sessions: (r) => r.sessions,
        startup_p50_ms: (r) => r.startupMs.p50,
        billable_seconds: (r) => r.billableSeconds,
        usd_per_second: (r) => r.usdPerSecond,
      });
    });

    it("compare: the side-by-side table and every orchestrator's series", async () => {
      const q = `/api/compare?address=${ORCH.o1}&address=${ORCH.o2}&address=${JOBS_ONLY}&from=2025-03-25&to=2025-03-31`;
      const t = await both(q);
      sameNumbers(t.csv, t.json.orchestrators, {
        address: (r) => r.address,
        service_uri: (r) => r.serviceUri,
        realized_fees_eth: (r) => r.realizedFeesEth,
        fees_eth_30d: (r) => r.feesEth30d,
        ...JOB_COLUMNS,
      });
      const s = await both(`${q}&table=series`);
      expect(s.file).toBe("observatory-compare-series-2025-03-25_2025-03-31");
      const flat = t.json.orchestrators.flatMap((o: Json) => o.series.map((p: Json) => ({ address: o.address, ...p })));
      expect(flat.length).toBe(21);
      sameNumbers(s.csv, flat, { address: (r) => r.address, period: (r) => r.period, output_seconds: (r) => r.outputSeconds, ...JOB_COLUMNS });
    });

    it("pipelines", async () => {
      const p = await both("/api/pipelines?from=2025-03-01&to=2025-03-31");
      sameNumbers(p.csv, p.json.rows, { pipeline: (r) => r.pipeline, model_id: (r) => r.modelId, output_seconds: (r) => r.outputSeconds, ...JOB_COLUMNS });
      expect(p.json.provenance.source).toBe("gateway job logs via Observatory");
    });

    it("status: sources, runs and rejected lines", async () => {
      const s = await both("/api/status?table=sources");
      sameNumbers(s.csv, s.json.sources, {
        name: (r) => r.name,
        status: (r) => r.status,
        block: (r) => r.block,
        rows_written: (r) => r.rowsWritten,
        lines_read: (r) => r.linesRead,
        rejected: (r) => r.rejected,
      });
      const runs = await both("/api/status?table=runs");
      sameNumbers(runs.csv, runs.json.runs, { id: (r) => r.id, source: (r) => r.source, ok: (r) => r.ok, rows_written: (r) => r.rowsWritten, block: (r) => r.block });
      const rej = await both("/api/status?table=rejects");
      sameNumbers(rej.csv, rej.json.rejects, { byte_offset: (r) => r.byteOffset, line_number: (r) => r.lineNumber, reason: (r) => r.reason, excerpt: (r) => r.excerpt });
    });
  });

  it("provenance: source, range, asOf, and a request that reproduces the answer", async () => {
    const { json } = await both("/api/fees?interval=month&from=2025-01-01&to=2025-03-31");
    const p = json.provenance;
    expect(p).toMatchObject({
      source: "Livepeer subgraph (winning tickets redeemed on chain) via Observatory",
      from: "2025-01-01",
      to: "2025-03-31",
      demo: false,
      request: "/api/fees?interval=month&from=2025-01-01&to=2025-03-31",
      file: "observatory-fees-month-2025-01-01_2025-03-31.json",
    });
    expect(p.asOf).toEqual(json.asOf);
    const again = (await get(p.request)).body;
    expect(again.rows).toEqual(json.rows);
    // Documented fields keep their names: provenance is only added.
    expect(Object.keys(json)).toEqual(["interval", "from", "to", "view", "rows", "totals", "asOf", "provenance"]);
  });

  describe("every page links CSV and JSON of each table and chart, and every link answers", () => {
    const PAGES: [string, string[]][] = [
      ["/", ["/api/fees/summary", "/api/fees", "/api/fees/growth", "/api/cost"]],
      ["/cloud?from=2025-03-01&to=2025-03-31", ["/api/cloud-comparison", "/api/cloud-comparison#sources", "/api/cost", "/api/cloud/gpus", "/api/cloud/gpus#offers"]],
      ["/fees?from=2025-02-01&to=2025-03-31", ["/api/fees/gateways", "/api/fees/orchestrators"]],
      ["/orchestrators", ["/api/orchestrators"]],
      [
        `/orchestrators/${ORCH.o1}?from=2025-03-25&to=2025-03-31`,
        [
          `/api/orchestrators/${ORCH.o1}`,
          `/api/orchestrators/${ORCH.o1}#summary`,
          `/api/orchestrators/${ORCH.o1}#errors`,
          `/api/orchestrators/${ORCH.o1}#gpus`,
          `/api/orchestrators/${ORCH.o1}#advertised`,
          `/api/orchestrators/${ORCH.o1}#prices`,
          `/api/orchestrators/${ORCH.o1}#live`,
        ],
      ],
      [`/compare?address=${ORCH.o1}&address=${ORCH.o2}`, ["/api/compare", "/api/compare#series"]],
      ["/pipelines", ["/api/pipelines"]],
      ["/status", ["/api/status#sources", "/api/status#runs", "/api/status#rejects", "/api/status#event-rejects"]],
    ];

    it.each(PAGES)("%s", async (page, expected) => {
      const full = (await get(page)).text;
      // The page's own links (the site footer links /api/fees on every page).
      const html = full.slice(full.indexOf("<main"), full.indexOf("</main>"));
      const hrefs = [...html.matchAll(/href="(\/api\/[^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
      const csv = hrefs.filter((h) => /[?&]format=csv(&|$)/.test(h));
      const json = hrefs.filter((h) => !/[?&]format=csv(&|$)/.test(h));
      // What each link serves: its path, plus the table it picks.
      const kinds = (list: string[]) =>
        new Set(
          list.map((h) => {
            const u = new URL(h, "http://x");
            const t = u.searchParams.get("table");
            return t ? `${u.pathname}#${t}` : u.pathname;
          }),
        );
      expect([...kinds(csv)].sort()).toEqual([...expected].sort());
      expect([...kinds(json)].sort()).toEqual([...expected].sort());
      for (const h of [...new Set(hrefs)]) {
        const r = await get(h);
        expect(r.status, h).toBe(200);
        if (csv.includes(h)) {
          expect(r.headers.get("content-disposition"), h).toMatch(/^attachment; filename="observatory-[A-Za-z0-9._-]+\.csv"$/);
          expect(parseCsv(r.text).length, h).toBeGreaterThan(0);
        } else {
          expect(r.headers.get("content-type"), h).toMatch(/application\/json/);
          expect(r.body.provenance, h).toBeDefined();
        }
      }
    });
  });
});
