// Impact reports (decision 010): a period against a baseline, every figure computed server-side
// from the same query functions the JSON API uses (so a report equals the API for the same range),
// in one read-only database snapshot, with the provenance a reader needs to check each figure.
// Saving freezes the figures and the provenance as JSON (money as decimal strings); a saved report
// is only ever read back, never recomputed. The shapes are in report-shapes.ts, the input in
// report-input.server.ts, the provenance in report-provenance.server.ts, the CSV in
// report-csv.server.ts; this module computes, saves and loads.
import DecimalJs from "decimal.js";
import type { Db, Querier } from "../../db/client";
import { pipelineSpec } from "../../core/cost";
import { feesByGateway, feesByOrchestrator, feesByPeriod, feeTotals, growth, subsidyWindows } from "../../db/queries/fees";
import { jobSeries, orchestratorJobs } from "../../db/queries/jobs";
import { serviceUris } from "../../db/queries/orchestrators";
import type { DayRange } from "../../db/queries/params";
import { getReport, insertReport, normaliseReportId, type ReportRanges } from "../../db/queries/reports";
import { inReadOnlySnapshot } from "../../db/queries/snapshot";
import { REPORT_FIELDS } from "../components/report-view";
import { cloudClassSummary } from "./cost.server";
import { daysBetween } from "./dates";
import { HttpError, notFound } from "./http.server";
import { getIndexState } from "./index-state.server";
import { EMPTY_JOB_STATS, fillSeries, toJobStats } from "./jobs.server";
import { pipelineFigures, type PipelineRow } from "./pipelines.server";
import { chartInterval, chartSpan } from "./report-input.server";
import { describe, provenanceOf } from "./report-provenance.server";
import {
  JOB_SERIES_MAX_DAYS,
  REPORT_FORMAT,
  REPORT_TOP,
  type CloudClassSummary,
  type Report,
  type ReportFigures,
  type ReportProvenance,
  type SavedReport,
  type TopOrchestrator,
  type Window,
} from "./report-shapes";

export * from "./report-shapes";
export { chartInterval, chartSpan, defaultInput, presets, validateReportInput, type Preset } from "./report-input.server";
export { reportCsv } from "./report-csv.server";
export { REPORT_FIELDS };

const Decimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_HALF_UP });

// ---------------------------------------------------------------------------------------------
// Cost: Livepeer cost per video second against the cloud classes (decision 006), from the cost
// module's cloudClassSummary. The report stores its answer as it is.

/**
 * The cost module's per-class summary, copied field by field into the report's own shape, so a
 * saved report keeps exactly these fields whatever the module adds later.
 */
async function costSummary(q: Querier, r: DayRange): Promise<CloudClassSummary> {
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
// Computing

const windowOf = (from: string, to: string): Window => ({ from, to, days: daysBetween(from, to) });

function sharePct(part: string, total: string): string | null {
  const t = new Decimal(total);
  if (t.isZero()) return null;
  return new Decimal(part).times(100).div(t).toDecimalPlaces(2).toFixed(2);
}

const sumDecimals = (xs: string[]) => xs.reduce((a, x) => a.plus(x), new Decimal(0)).toFixed();

const isVideo = (pipeline: string) => pipelineSpec(pipeline)?.output === "video-seconds";

async function orchestratorsOf(q: Querier, r: DayRange): Promise<ReportFigures["orchestrators"]> {
  const [fees, jobs] = [await feesByOrchestrator(q, r), await orchestratorJobs(q, r)];
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
  const uris = await serviceUris(q, byJobs.map((j) => j.orchestrator).filter((a) => !byFees.has(a)));
  return {
    earning: fees.length,
    withJobs: jobs.length,
    topByFees,
    topByJobs: byJobs.map((j) => merge(j.orchestrator, uris.get(j.orchestrator) ?? null)),
  };
}

/** Computes a report from the database as it is now, in one read-only snapshot. */
export async function computeReport(db: Db, input: ReportRanges, now = new Date()): Promise<Report> {
  const computedAt = now.toISOString();
  // One snapshot: the block and log time in the provenance are those of every figure.
  return inReadOnlySnapshot(db, async (q) => {
    const state = await getIndexState(q);
    const windows = await subsidyWindows(q);
    const period = { from: input.from, to: input.to };
    const baseline = { from: input.baselineFrom, to: input.baselineTo };
    const span = chartSpan(input);
    const spanDays = daysBetween(span.from, span.to);
    const interval = chartInterval(spanDays);

    const feesPeriod = await feeTotals(q, period);
    const feesBaseline = await feeTotals(q, baseline);
    const g = await growth(q, { baseline, period });
    const chart = await feesByPeriod(q, { ...span, interval });

    // The very figures behind GET /api/pipelines, so the report's rows are the API's rows.
    const p = await pipelineFigures(q, period);
    const b = await pipelineFigures(q, baseline);
    const videoSeconds = (rows: PipelineRow[]) => sumDecimals(rows.filter((r) => isVideo(r.pipeline)).map((r) => r.outputSeconds));
    const series = spanDays <= JOB_SERIES_MAX_DAYS ? fillSeries(await jobSeries(q, span, "day"), span, "day") : null;
    // Daily latency of the busiest pair only: a percentile over every pipeline would mix scales.
    const busiest = p.rows.reduce<PipelineRow | null>((b, r) => (!b || r.jobs > b.jobs ? r : b), null);
    const latencySeries =
      series && busiest
        ? {
            pipeline: busiest.pipeline,
            modelId: busiest.modelId,
            points: fillSeries(await jobSeries(q, { ...span, pipeline: busiest.pipeline, modelId: busiest.modelId }, "day"), span, "day"),
          }
        : null;

    const orchestrators = await orchestratorsOf(q, period);
    const gateways = await feesByGateway(q, period);

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
        latencySeries,
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

/** The public JSON of a saved report (GET /api/reports/<id>): exactly what was stored. */
export function reportJson(r: SavedReport) {
  return { id: r.id, createdAt: r.createdAt, format: r.format, input: r.input, figures: r.figures, provenance: r.provenance };
}
