// A report's provenance (decision 010): what its figures were computed from (the subgraph block, the
// job logs' reach, the price catalogue, the subsidised gateways), read in the report's snapshot by
// db/queries/reports.ts, and the sources, method and caveats written out for a reader.
import type { Querier } from "../../db/client";
import type { SubsidyWindow } from "../../db/queries/fees";
import { catalogueStamp, jobLogCoverage, jobLogSources, type ReportRanges } from "../../db/queries/reports";
import { dayNumber } from "./dates";
import type { IndexState } from "./index-state.server";
import { MIN_SAMPLES } from "./latency";
import { chartSpan } from "./report-input.server";
import { JOB_SERIES_MAX_DAYS, type ReportFigures, type ReportProvenance } from "./report-shapes";

/** The provenance of a report computed now, in `q`'s snapshot; sources, method and caveats are filled by describe(). */
export async function provenanceOf(q: Querier, state: IndexState, computedAt: string, windows: SubsidyWindow[]): Promise<ReportProvenance> {
  const logs = await jobLogCoverage(q);
  const logSources = await jobLogSources(q);
  const cat = await catalogueStamp(q);
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

/** Writes the sources, method and caveats a reader needs to check the figures. */
export function describe(input: ReportRanges, f: ReportFigures, p: ReportProvenance): void {
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
