// Impact reports (decision 010): a period against a baseline, every figure computed server-side
// from the same query functions the JSON API uses (so a report equals the API for the same range),
// in one read-only database snapshot, with the provenance a reader needs to check each figure.
// Saving freezes the figures and the provenance as JSON (money as decimal strings); a saved report
// is only ever read back, never recomputed.
import DecimalJs from "decimal.js";
import type { Db, Querier } from "../../db/client";
import { pipelineSpec } from "../../db/cost-model";
import { jobSeries, orchestratorJobs } from "../../db/job-queries";
import { getReport, insertReport, normaliseReportId, type ReportRanges, type StoredReport } from "../../db/reports";
import { addDays, dayNumber, daysBetween, todayUtc, type Interval } from "./dates";
import {
  feesByGateway,
  feesByOrchestrator,
  feesByPeriod,
  feeTotals,
  growth,
  subsidyWindows,
  type FeeRow,
  type FeeTotals,
  type GatewayFees,
  type Growth,
  type SubsidyWindow,
} from "./fees.server";
import { REPORT_FIELDS } from "../components/report-view";
import { cloudClassSummary } from "./cost.server";
import type { CsvCell } from "./csv.server";
import { badRequest, HttpError, notFound } from "./http.server";
import { getIndexState, type IndexState } from "./index-state.server";
import { EMPTY_JOB_STATS, fillSeries, toJobStats, type JobStats } from "./jobs.server";
import { MIN_SAMPLES } from "./latency";
import { MAX_RANGE_DAYS } from "./params.server";
import { loadPipelines, type PipelineRow } from "./pipelines.server";

export type { ReportRanges };
export { REPORT_FIELDS };

/** Version of the figures' JSON shape. A page must render every version ever stored. */
export const REPORT_FORMAT = 1;
/** Rows in the top orchestrators and gateways tables. */
export const REPORT_TOP = 10;
/** Daily job charts are drawn for a chart span of at most this many days. */
export const JOB_SERIES_MAX_DAYS = 400;

const Decimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_HALF_UP });

// ---------------------------------------------------------------------------------------------
// Shapes

export interface Window {
  from: string;
  to: string;
  days: number;
}

export interface TopOrchestrator extends JobStats {
  address: string;
  serviceUri: string | null;
  tickets: number;
  volumeEth: string;
  volumeUsd: string;
  /** Share of the period's realized fees in %, 2 decimals (as /api/fees/orchestrators). */
  sharePct: number | null;
}

export interface ReportFigures {
  format: number;
  period: Window;
  baseline: Window;
  fees: {
    period: FeeTotals;
    baseline: FeeTotals;
    /** Exactly /api/fees/growth for the same four days. */
    growth: Growth;
    /** Subsidised and organic shares of the period's realized ETH, %, 2 decimals; null without fees. */
    subsidizedSharePct: string | null;
    organicSharePct: string | null;
    /** Fees per period (day, ISO week or month) from the earlier window's start to the later one's end. */
    chart: { from: string; to: string; interval: Interval; rows: FeeRow[] };
  };
  jobs: {
    period: JobStats;
    baseline: JobStats;
    /** Output seconds of the video pipelines (image-to-video, live video) in the period, exact decimal. */
    videoSeconds: string;
    baselineVideoSeconds: string;
    /** Exactly /api/pipelines rows for the period. */
    pipelines: PipelineRow[];
    /** Jobs per day over the chart span; null when the span is longer than JOB_SERIES_MAX_DAYS. */
    series: ({ period: string } & JobStats)[] | null;
  };
  orchestrators: {
    /** Orchestrators that earned fees in the period, and that ran logged jobs. */
    earning: number;
    withJobs: number;
    /** Top by realized fees, with their job figures. */
    topByFees: TopOrchestrator[];
    /** Top by logged jobs, with their realized fees. */
    topByJobs: TopOrchestrator[];
  };
  gateways: {
    paying: number;
    top: GatewayFees[];
  };
  /** Livepeer cost per video second against the cloud classes; null when it could not be computed. */
  cost: CloudClassSummary | null;
  /** Why `cost` is null. */
  costUnavailable: string | null;
}

export interface SourceNote {
  name: string;
  detail: string;
}

export interface ReportProvenance {
  computedAt: string;
  subgraph: {
    block: number | null;
    blockTimestamp: string | null;
    latestDay: string;
    deployment: string | null;
    demo: boolean;
  };
  logs: {
    /** End of the latest hour with a logged job (logs are complete up to here at most). */
    upTo: string | null;
    firstDay: string | null;
    lastDay: string | null;
    sources: { name: string; lastSuccessAt: string | null }[];
  };
  catalogue: {
    loadedAt: string;
    pricesFile: string;
    pricesSha256: string;
    throughputFile: string;
    throughputSha256: string;
    priceRows: number;
    throughputRows: number;
    newestAsOf: string | null;
    oldestAsOf: string | null;
  } | null;
  /** Gateways tagged subsidised when the report was computed (they decide the split). */
  subsidized: { address: string; label: string | null; from: string; to: string | null }[];
  sources: SourceNote[];
  method: string[];
  caveats: string[];
}

export interface Report {
  input: ReportRanges;
  figures: ReportFigures;
  provenance: ReportProvenance;
}

export type SavedReport = StoredReport<ReportFigures, ReportProvenance>;

// ---------------------------------------------------------------------------------------------
// Cost: Livepeer cost per video second against the cloud classes (decision 006), from the cost
// module's cloudClassSummary. The report stores its answer as it is.

export interface CloudClassSummary {
  /** Utilisation assumed for rented GPUs (decision 006). */
  utilization: string;
  rows: {
    pipeline: string;
    modelId: string;
    jobs: number;
    outputSeconds: string;
    livepeerUsdPerVideoSecond: string | null;
    livepeerEthPerVideoSecond: string | null;
    classes: {
      class: string;
      label: string;
      /** Compared offers in the class. */
      offers: number;
      cheapest: {
        provider: string;
        offering: string;
        usdPerVideoSecond: string;
        ratioToLivepeer: string | null;
        source: string;
        asOf: string;
        /** "like for like" or the main difference ("different fps", ...). */
        comparability: string | null;
      } | null;
    }[];
  }[];
  catalogue: { loadedAt: string | null; oldestAsOf: string | null; newestAsOf: string | null } | null;
}

/**
 * The cost module's per-class summary, copied field by field into the report's own shape, so a
 * saved report keeps exactly these fields whatever the module adds later.
 */
async function costSummary(q: Querier, r: { from: string; to: string }): Promise<CloudClassSummary> {
  const c = await cloudClassSummary(q, { from: r.from, to: r.to });
  return {
    utilization: c.utilization,
    rows: c.rows.map((x) => ({
      pipeline: x.pipeline,
      modelId: x.modelId,
      jobs: x.jobs,
      outputSeconds: x.outputSeconds,
      livepeerUsdPerVideoSecond: x.livepeerUsdPerVideoSecond,
      livepeerEthPerVideoSecond: x.livepeerEthPerVideoSecond,
      classes: x.classes.map((k) => ({
        class: k.class,
        label: k.label,
        offers: k.offers,
        cheapest: k.cheapest && {
          provider: k.cheapest.provider,
          offering: k.cheapest.offering,
          usdPerVideoSecond: k.cheapest.usdPerVideoSecond,
          ratioToLivepeer: k.cheapest.ratioToLivepeer,
          source: k.cheapest.source,
          asOf: k.cheapest.asOf,
          comparability: k.cheapest.comparability ?? null,
        },
      })),
    })),
    catalogue: c.catalogue ? { loadedAt: c.catalogue.loadedAt, oldestAsOf: c.catalogue.oldestAsOf, newestAsOf: c.catalogue.newestAsOf } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Input

type Field = (typeof REPORT_FIELDS)[number];

const LABEL: Record<Field, string> = { from: "from", to: "to", baselineFrom: "baselineFrom", baselineTo: "baselineTo" };

/**
 * Validates the four UTC days of a report: each 'YYYY-MM-DD' and a real date, not after today,
 * from <= to and baselineFrom <= baselineTo, and both windows within MAX_RANGE_DAYS of each other.
 * `get` returns what the client sent for a field (anything: a JSON body is untrusted).
 */
export function validateReportInput(get: (name: Field) => unknown, today = todayUtc()): ReportRanges {
  const out = {} as ReportRanges;
  for (const f of REPORT_FIELDS) {
    const v = get(f);
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) throw badRequest(`missing ${LABEL[f]} (a UTC day, YYYY-MM-DD)`);
    if (typeof v !== "string") throw badRequest(`${LABEL[f]} must be a string 'YYYY-MM-DD', not a ${Array.isArray(v) ? "list" : typeof v}`);
    const s = v.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw badRequest(`malformed date ${LABEL[f]}="${s.slice(0, 24)}" (use YYYY-MM-DD)`);
    if (dayNumber(s) === null) throw badRequest(`impossible date ${LABEL[f]}=${s}`);
    if (s > today) throw badRequest(`${LABEL[f]}=${s} is in the future (today is ${today} UTC)`);
    out[f] = s;
  }
  if (out.from > out.to) throw badRequest(`reversed period: from ${out.from} is after to ${out.to}`);
  if (out.baselineFrom > out.baselineTo) throw badRequest(`reversed baseline: baselineFrom ${out.baselineFrom} is after baselineTo ${out.baselineTo}`);
  const span = chartSpan(out);
  const days = daysBetween(span.from, span.to);
  if (days > MAX_RANGE_DAYS)
    throw badRequest(`range too long: period and baseline together span ${days} days, from ${span.from} to ${span.to} (at most ${MAX_RANGE_DAYS})`);
  return out;
}

/** From the earlier window's start to the later window's end. */
export function chartSpan(r: ReportRanges): { from: string; to: string } {
  return { from: r.from < r.baselineFrom ? r.from : r.baselineFrom, to: r.to > r.baselineTo ? r.to : r.baselineTo };
}

/** Day for spans up to 120 days, ISO week up to two years, else month. */
export function chartInterval(days: number): Interval {
  return days <= 120 ? "day" : days <= 731 ? "week" : "month";
}

// ---------------------------------------------------------------------------------------------
// Presets for the builder

export interface Preset {
  label: string;
  input: ReportRanges;
}

/** "Last 30 days vs the 30 before", "last 90 vs 90", and each subsidy window vs the 30 days before it. */
export function presets(latestDay: string, windows: SubsidyWindow[]): Preset[] {
  const last = (n: number): Preset => ({
    label: `Last ${n} days vs the ${n} before`,
    input: { from: addDays(latestDay, -(n - 1)), to: latestDay, baselineFrom: addDays(latestDay, -(2 * n - 1)), baselineTo: addDays(latestDay, -n) },
  });
  const out = [last(30), last(7), last(90)];
  for (const w of windows) {
    if (w.from > latestDay) continue;
    const to = w.to === null || w.to > latestDay ? latestDay : w.to;
    out.push({
      label: `${w.label ?? "Subsidy window"} (${w.from} – ${to}) vs the 30 days before it`,
      input: { from: w.from, to, baselineFrom: addDays(w.from, -30), baselineTo: addDays(w.from, -1) },
    });
  }
  return out;
}

/**
 * The builder's default when its URL names no range: the growth panel's default (decision 004):
 * the latest subsidy window vs the same number of days before it, else the last 30 days vs the 30 before.
 */
export function defaultInput(latestDay: string, windows: SubsidyWindow[]): ReportRanges {
  const w = windows.find((x) => x.from <= latestDay);
  if (w) {
    const to = w.to === null || w.to > latestDay ? latestDay : w.to;
    const n = daysBetween(w.from, to);
    return { from: w.from, to, baselineFrom: addDays(w.from, -n), baselineTo: addDays(w.from, -1) };
  }
  return { from: addDays(latestDay, -29), to: latestDay, baselineFrom: addDays(latestDay, -59), baselineTo: addDays(latestDay, -30) };
}

// ---------------------------------------------------------------------------------------------
// Computing

/** fees.server.ts and pipelines.server.ts take a Db but only ever call query(); a snapshot's querier serves them. */
const asDb = (q: Querier) => q as unknown as Db;

const windowOf = (from: string, to: string): Window => ({ from, to, days: daysBetween(from, to) });

function sharePct(part: string, total: string): string | null {
  const t = new Decimal(total);
  if (t.isZero()) return null;
  return new Decimal(part).times(100).div(t).toDecimalPlaces(2).toFixed(2);
}

const sumDecimals = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0)).toFixed();

const isVideo = (pipeline: string) => pipelineSpec(pipeline)?.output === "video-seconds";

async function pipelinesOf(q: Querier, r: { from: string; to: string }) {
  // The very loader behind GET /api/pipelines, so the report's rows are the API's rows.
  return loadPipelines(asDb(q), new URL(`http://report.invalid/?from=${r.from}&to=${r.to}`));
}

async function orchestratorsOf(q: Querier, r: { from: string; to: string }): Promise<ReportFigures["orchestrators"]> {
  const [fees, jobs] = [await feesByOrchestrator(asDb(q), r), await orchestratorJobs(q, r)];
  const stats = new Map(jobs.map((j) => [j.orchestrator, toJobStats(j)]));
  const byFees = new Map(fees.map((f) => [f.address, f]));
  const merge = (address: string, serviceUri: string | null): TopOrchestrator => {
    const f = byFees.get(address);
    return {
      address,
      serviceUri: f ? f.serviceUri : serviceUri,
      tickets: f?.tickets ?? 0,
      volumeEth: f?.volumeEth ?? "0",
      volumeUsd: f?.volumeUsd ?? "0",
      sharePct: f?.sharePct ?? null,
      ...(stats.get(address) ?? EMPTY_JOB_STATS),
    };
  };
  const topByFees = fees.slice(0, REPORT_TOP).map((f) => merge(f.address, f.serviceUri));
  // orchestratorJobs sorts by jobs (desc); ties by address so the order is stable.
  const byJobs = [...jobs].sort((a, b) => b.jobs - a.jobs || (a.orchestrator < b.orchestrator ? -1 : 1)).slice(0, REPORT_TOP);
  const missing = byJobs.map((j) => j.orchestrator).filter((a) => !byFees.has(a));
  const uris = new Map<string, string | null>();
  if (missing.length) {
    const rows = await q.query<{ address: string; service_uri: string | null }>(
      `select address, service_uri from transcoders where address = any($1::text[])`,
      [missing],
    );
    for (const r of rows) uris.set(r.address, r.service_uri);
  }
  return {
    earning: fees.length,
    withJobs: jobs.length,
    topByFees,
    topByJobs: byJobs.map((j) => merge(j.orchestrator, uris.get(j.orchestrator) ?? null)),
  };
}

async function provenanceOf(q: Querier, state: IndexState, computedAt: string, windows: SubsidyWindow[]) {
  const [logs] = await q.query<{ up_to: string | null; first_day: string | null; last_day: string | null }>(
    `select (select max(hour) + interval '1 hour' from job_hour) as up_to,
            (select to_char(min(day), 'YYYY-MM-DD') from job_day) as first_day,
            (select to_char(max(day), 'YYYY-MM-DD') from job_day) as last_day`,
  );
  const logSources = await q.query<{ name: string; last_success_at: string | null }>(
    `select name, last_success_at from source_state where name like 'joblogs%' order by name`,
  );
  const [cat] = await q.query<{
    loaded_at: string; prices_file: string; prices_sha256: string; throughput_file: string; throughput_sha256: string;
    price_rows: number; throughput_rows: number; newest_as_of: string | null; oldest_as_of: string | null;
  }>(
    `select loaded_at, prices_file, prices_sha256, throughput_file, throughput_sha256, price_rows, throughput_rows, newest_as_of, oldest_as_of
       from catalogue_meta where id = 1`,
  );
  const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());
  const provenance: ReportProvenance = {
    computedAt,
    subgraph: {
      block: state.block,
      blockTimestamp: state.blockTimestamp === null ? null : new Date(state.blockTimestamp * 1000).toISOString(),
      latestDay: state.latestDay,
      deployment: state.deployment,
      demo: state.demo,
    },
    logs: {
      upTo: iso(logs?.up_to ?? null),
      firstDay: logs?.first_day ?? null,
      lastDay: logs?.last_day ?? null,
      sources: logSources.map((s) => ({ name: s.name, lastSuccessAt: iso(s.last_success_at) })),
    },
    catalogue: cat
      ? {
          loadedAt: new Date(cat.loaded_at).toISOString(),
          pricesFile: cat.prices_file,
          pricesSha256: cat.prices_sha256,
          throughputFile: cat.throughput_file,
          throughputSha256: cat.throughput_sha256,
          priceRows: Number(cat.price_rows),
          throughputRows: Number(cat.throughput_rows),
          newestAsOf: cat.newest_as_of,
          oldestAsOf: cat.oldest_as_of,
        }
      : null,
    subsidized: windows.map((w) => ({ address: w.address, label: w.label, from: w.from, to: w.to })),
    sources: [],
    method: [],
    caveats: [],
  };
  return provenance;
}

function describe(input: ReportRanges, f: ReportFigures, p: ReportProvenance): void {
  const sg = p.subgraph;
  p.sources = [
    {
      name: sg.demo ? "Demo network (synthetic)" : "Livepeer subgraph",
      detail: sg.block === null
        ? "Nothing indexed yet."
        : `${sg.demo ? "A locally generated network served in the subgraph's shape" : `Deployment ${sg.deployment ?? "unknown"}`}, read up to block ${sg.block} (${sg.blockTimestamp}). Winning tickets redeemed on chain, summed per UTC day, gateway and orchestrator.`,
    },
    {
      name: "Gateway job logs",
      detail: p.logs.upTo === null
        ? "No job logs are indexed."
        : `One line per finished AI job, ${p.logs.firstDay} to ${p.logs.lastDay}; complete at most up to ${p.logs.upTo}. Sources: ${p.logs.sources.map((s) => `${s.name} (last success ${s.lastSuccessAt ?? "never"})`).join(", ") || "none recorded"}.`,
    },
    {
      name: "Gateway tags",
      detail: p.subsidized.length
        ? `Subsidised gateways: ${p.subsidized.map((s) => `${s.label ?? s.address} (${s.address}, window ${s.from} – ${s.to ?? "open"})`).join("; ")}.`
        : "No gateway is tagged subsidised.",
    },
    {
      name: "Price catalogue",
      detail: p.catalogue
        ? `${p.catalogue.pricesFile} (sha256 ${p.catalogue.pricesSha256.slice(0, 12)}…, ${p.catalogue.priceRows} rows, prices as of ${p.catalogue.oldestAsOf ?? "?"} to ${p.catalogue.newestAsOf ?? "?"}) and ${p.catalogue.throughputFile} (sha256 ${p.catalogue.throughputSha256.slice(0, 12)}…, ${p.catalogue.throughputRows} rows), loaded ${p.catalogue.loadedAt}.`
        : "No price catalogue is loaded.",
    },
  ];
  p.method = [
    "Every figure was read in one read-only database snapshot from the per-day rollups (never raw tickets or jobs), by the same functions as the JSON API: /api/fees/growth, /api/fees/gateways, /api/fees/orchestrators, /api/pipelines, /api/orchestrators.",
    "Days are UTC and ranges inclusive. Realized fees are the face values of winning tickets redeemed on chain, in ETH and in the USD the subgraph records for each ticket.",
    "Growth multiple = (period fees / period days) / (baseline fees / baseline days), in exact decimals rounded to 3 places at the end; the organic multiple does the same for organic fees only (decision 004).",
    "Subsidised = fees paid by gateways tagged subsidized, whatever the date; organic = all other fees. Shares are of the period's realized ETH, rounded to 2 decimals.",
    `AI jobs, success rate and latency come from the gateway job logs. Success rate = successful / all jobs. Latency is the gateway's end-to-end duration of successful jobs, p50 and p95 from 1%-accurate histograms; p95 needs ${MIN_SAMPLES.p95} successful jobs, p99 ${MIN_SAMPLES.p99} (decisions 007 and 008).`,
    "Seconds of video = output seconds of the video pipelines (image-to-video, live-video-to-video) as logged, or frames / fps.",
    "Cost per video second = fees / output seconds over the same successful priced jobs, converted to USD at each day's subgraph price; cloud classes show their cheapest sourced offer per second of output (decision 006).",
  ];
  const caveats: string[] = [];
  if (sg.demo) caveats.push("Demo network: synthetic data generated locally, not the Livepeer network.");
  if (sg.block === null) caveats.push("Nothing was indexed from the subgraph when this report was computed: every fee is zero.");
  for (const [name, w] of [["period", f.period], ["baseline", f.baseline]] as const) {
    if (w.to > sg.latestDay) caveats.push(`The ${name} ends on ${w.to}, after the latest indexed day ${sg.latestDay}: later days count as zero.`);
  }
  if (dayNumber(input.from)! <= dayNumber(input.baselineTo)! && dayNumber(input.baselineFrom)! <= dayNumber(input.to)!)
    caveats.push("The period and the baseline overlap.");
  caveats.push("On-chain fees have no pipeline: AI and transcoding fees are not told apart. Job figures cover only gateways that send job logs.");
  if (p.logs.firstDay === null) caveats.push("No gateway job logs are indexed: job figures are zero.");
  else if (p.logs.firstDay > chartSpan(input).from) caveats.push(`Job logs begin on ${p.logs.firstDay}: job figures before that day are zero, not measured.`);
  if (!p.subsidized.length) caveats.push("No gateway is tagged subsidised, so every fee counts as organic.");
  if (f.fees.growth.multiple === null) caveats.push("The baseline has no fees, so there is no growth multiple.");
  if (f.jobs.series === null) caveats.push(`Daily job charts are drawn for spans of at most ${JOB_SERIES_MAX_DAYS} days; the figures cover the whole range.`);
  if (f.cost === null || f.costUnavailable) caveats.push(`No cost comparison: ${f.costUnavailable ?? "unavailable"}.`);
  else {
    if (!f.cost.catalogue) caveats.push("No price catalogue is loaded: there are no cloud offers to compare with.");
    caveats.push(
      `Cloud prices are list prices as of their stated dates; rented GPUs assume utilisation ${f.cost.utilization}; each class shows its cheapest compared offer, labelled when it is not like for like.`,
    );
  }
  p.caveats = caveats;
}

/** Computes a report from the database as it is now, in one read-only snapshot. */
export async function computeReport(db: Db, input: ReportRanges, now = new Date()): Promise<Report> {
  const computedAt = now.toISOString();
  return db.tx(async (q) => {
    // One snapshot: the block and log time in the provenance are those of every figure.
    await q.query("set transaction isolation level repeatable read, read only");
    const state = await getIndexState(asDb(q));
    const windows = await subsidyWindows(asDb(q));
    const period = { from: input.from, to: input.to };
    const baseline = { from: input.baselineFrom, to: input.baselineTo };
    const span = chartSpan(input);
    const spanDays = daysBetween(span.from, span.to);
    const interval = chartInterval(spanDays);

    const feesPeriod = await feeTotals(asDb(q), period);
    const feesBaseline = await feeTotals(asDb(q), baseline);
    const g = await growth(asDb(q), { baseline, period });
    const chart = await feesByPeriod(asDb(q), { ...span, interval });

    const p = await pipelinesOf(q, period);
    const b = await pipelinesOf(q, baseline);
    const videoSeconds = (rows: PipelineRow[]) => sumDecimals(rows.filter((r) => isVideo(r.pipeline)).map((r) => r.outputSeconds));
    const series = spanDays <= JOB_SERIES_MAX_DAYS ? fillSeries(await jobSeries(q, span, "day"), span, "day") : null;

    const orchestrators = await orchestratorsOf(q, period);
    const gateways = await feesByGateway(asDb(q), period);

    let cost: CloudClassSummary | null = null;
    let costUnavailable: string | null = null;
    try {
      cost = await costSummary(q, period);
    } catch (e) {
      if (!(e instanceof HttpError || e instanceof RangeError)) throw e;
      costUnavailable = e.message;
    }
    if (cost && !cost.rows.length) costUnavailable = "no priced video jobs in the period";

    const figures: ReportFigures = {
      format: REPORT_FORMAT,
      period: windowOf(period.from, period.to),
      baseline: windowOf(baseline.from, baseline.to),
      fees: {
        period: feesPeriod,
        baseline: feesBaseline,
        growth: g,
        subsidizedSharePct: sharePct(feesPeriod.split.subsidizedEth, feesPeriod.volumeEth),
        organicSharePct: sharePct(feesPeriod.split.organicEth, feesPeriod.volumeEth),
        chart: { ...span, interval, rows: chart.rows },
      },
      jobs: {
        period: p.totals,
        baseline: b.totals,
        videoSeconds: videoSeconds(p.rows),
        baselineVideoSeconds: videoSeconds(b.rows),
        pipelines: p.rows,
        series,
      },
      orchestrators,
      gateways: { paying: gateways.length, top: gateways.slice(0, REPORT_TOP) },
      cost,
      costUnavailable,
    };
    const provenance = await provenanceOf(q, state, computedAt, windows);
    describe(input, figures, provenance);
    return { input, figures, provenance };
  });
}

/** Computes and stores a report; returns its id. */
export async function saveReport(db: Db, input: ReportRanges, now = new Date()): Promise<{ id: string; report: Report }> {
  const report = await computeReport(db, input, now);
  const id = await insertReport(db, {
    createdAt: report.provenance.computedAt,
    format: REPORT_FORMAT,
    input,
    figures: report.figures,
    provenance: report.provenance,
  });
  return { id, report };
}

/** A saved report as stored, or a 404. */
export async function loadSavedReport(db: Db, rawId: string | undefined): Promise<SavedReport> {
  const id = normaliseReportId(rawId ?? "");
  const r = id ? await getReport<ReportFigures, ReportProvenance>(db, id) : null;
  if (!r) throw notFound(`no saved report "${(rawId ?? "").slice(0, 24)}"`);
  return r;
}

/** A saved report as CSV rows (section, item, metric, value): every figure of the page, one per row. */
export function reportCsv(r: SavedReport): [string[], CsvCell[][]] {
  const f = r.figures;
  const p = r.provenance;
  const rows: CsvCell[][] = [];
  const add = (section: string, item: string, metric: string, value: CsvCell) => rows.push([section, item, metric, value]);
  add("report", r.id, "computed_at", r.createdAt);
  add("report", r.id, "subgraph_block", p.subgraph.block);
  add("report", r.id, "subgraph_block_time", p.subgraph.blockTimestamp);
  add("report", r.id, "logs_up_to", p.logs.upTo);
  for (const [name, w] of [["period", f.period], ["baseline", f.baseline]] as const) {
    add(name, `${w.from}_${w.to}`, "days", w.days);
    const t = name === "period" ? f.fees.period : f.fees.baseline;
    add(name, `${w.from}_${w.to}`, "fees_eth", t.volumeEth);
    add(name, `${w.from}_${w.to}`, "fees_usd", t.volumeUsd);
    add(name, `${w.from}_${w.to}`, "tickets", t.tickets);
    add(name, `${w.from}_${w.to}`, "subsidized_eth", t.split.subsidizedEth);
    add(name, `${w.from}_${w.to}`, "organic_eth", t.split.organicEth);
    const j = name === "period" ? f.jobs.period : f.jobs.baseline;
    add(name, `${w.from}_${w.to}`, "jobs", j.jobs);
    add(name, `${w.from}_${w.to}`, "success_rate", j.successRate);
    add(name, `${w.from}_${w.to}`, "latency_p50_ms", j.latencyMs.p50);
    add(name, `${w.from}_${w.to}`, "latency_p95_ms", j.latencyMs.p95);
    add(name, `${w.from}_${w.to}`, "video_seconds", name === "period" ? f.jobs.videoSeconds : f.jobs.baselineVideoSeconds);
  }
  // The points behind each chart, so a chart's CSV holds exactly the numbers it draws.
  for (const row of f.fees.chart.rows) {
    add("fee_chart", row.period, "subsidized_eth", row.split.subsidizedEth);
    add("fee_chart", row.period, "organic_eth", row.split.organicEth);
    add("fee_chart", row.period, "fees_eth", row.volumeEth);
    add("fee_chart", row.period, "fees_usd", row.volumeUsd);
  }
  for (const [name, w] of [["baseline", f.fees.growth.baseline], ["period", f.fees.growth.period]] as const) {
    add("growth", name, "daily_avg_eth", w.dailyAvgEth);
    add("growth", name, "organic_daily_avg_eth", w.organicDailyAvgEth);
  }
  for (const d of f.jobs.series ?? []) {
    add("job_series", d.period, "jobs", d.jobs);
    add("job_series", d.period, "successes", d.successes);
    add("job_series", d.period, "latency_p50_ms", d.latencyMs.p50);
    add("job_series", d.period, "latency_p95_ms", d.latencyMs.p95);
  }
  add("growth", "all", "multiple", f.fees.growth.multiple);
  add("growth", "organic", "multiple", f.fees.growth.organicMultiple);
  add("share", "subsidized", "pct", f.fees.subsidizedSharePct);
  add("share", "organic", "pct", f.fees.organicSharePct);
  for (const x of f.jobs.pipelines) {
    const item = `${x.pipeline} ${x.modelId}`;
    add("pipeline", item, "jobs", x.jobs);
    add("pipeline", item, "successes", x.successes);
    add("pipeline", item, "output_seconds", x.outputSeconds);
  }
  for (const o of f.orchestrators.topByFees) {
    add("orchestrator", o.address, "service_uri", o.serviceUri);
    add("orchestrator", o.address, "fees_eth", o.volumeEth);
    add("orchestrator", o.address, "jobs", o.jobs);
  }
  for (const g of f.gateways.top) {
    add("gateway", g.address, "label", g.label);
    add("gateway", g.address, "fees_eth", g.volumeEth);
  }
  for (const c of f.cost?.rows ?? []) {
    const item = `${c.pipeline} ${c.modelId}`;
    add("cost", item, "livepeer_usd_per_video_second", c.livepeerUsdPerVideoSecond);
    for (const k of c.classes) add("cost", item, `${k.class}_usd_per_video_second`, k.cheapest?.usdPerVideoSecond ?? null);
  }
  return [["section", "item", "metric", "value"], rows];
}

/** The public JSON of a saved report (GET /api/reports/<id>): exactly what was stored. */
export function reportJson(r: SavedReport) {
  return { id: r.id, createdAt: r.createdAt, format: r.format, input: r.input, figures: r.figures, provenance: r.provenance };
}
