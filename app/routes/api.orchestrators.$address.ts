// GET /api/orchestrators/<address>?from=&to=&interval=day|hour&pipeline=&model=[&format=csv]
// One orchestrator (its on-chain row and 30-day fees), realized fees over the range (`totals`), its
// job statistics from the logs (`jobs`), the network's for the same range and pair (`network`),
// failed jobs by error type (`errors`), and `series`: one point per day, or per hour for ranges of at
// most 14 days, each with jobs, successRate, latencyMs (+ latencySamples), expectedFeesEth and
// realizedFeesEth. Realized fees (tickets) exist per UTC day only: hourly points carry null there
// (and in volumeEth/volumeUsd/tickets); the day series or `totals` give them.
//
// Job figures are for one pipeline and model pair, so percentiles and costs never mix scales:
// `pipeline` and `model` as given, what is not given this orchestrator's busiest in the range (the
// network's when it has no such jobs). The answer's `pipeline` and `model` are the pair used,
// `choice` says how ("requested", "busiest", "all") and `requested` echoes the parameters.
// `pipeline=all` sums jobs, successes, errors and fees over every pair, with null percentiles and
// cost. Realized fees never follow the pair: tickets have no pipeline.
//
// Also, from the newest capabilities poll (`capabilities`: asOf, listed, usdRate, nodes; fed by
// GATEWAY_CAPABILITIES_URL or network_capabilities events): `gpus` per pipeline and model
// [{pipeline, modelId, name, count, memoryGb, memoryBytes}] and `gpusByName` (distinct GPUs);
// `advertised`: each node's models with the exact price (pricePerUnit / pixelsPerUnit =
// priceWeiPerUnit; live video also usdPerVideoSecond and usdPerVideoHour at 27,648,000 pixels per
// second and the poll day's ETH/USD), warm state and capacity; `priceHistory`: its price periods per
// node, pipeline and model (from, to, price; live video in USD per hour at the period's first day's
// rate). And `live`: its live video figures from gateway events (`row`, as a GET /api/live row; null
// without sessions or payments) and the network's (`network`) for one model (the pair's when the
// pair is live video, else the busiest in the range).
//
// CSV: table=series (default, one row per point), errors (failed jobs by type), summary (one row:
// the on-chain fields, 30-day and range fees, job figures and the network's), gpus, advertised,
// prices (the price history), live (this orchestrator and the network) or probes (one row per region
// and one for all regions). JSON adds provenance, and
// `cost`: USD and ETH per video second over its priced video jobs of the pair, and the network's.
import { dbFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { parseChoice } from "~/lib/params.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { JOB_CSV_HEADER, jobCsvCells } from "~/lib/jobs.server";
import { loadOrchestratorDetail, type LiveFiguresShown } from "~/lib/orchestrator-detail.server";

const DETAIL_TABLES = ["series", "errors", "summary", "gpus", "advertised", "prices", "live", "probes"] as const;

const liveCells = (f: LiveFiguresShown) => [
  f.sessions, f.startupMs.p50, f.startupMs.p95, f.startupMs.p99, f.startupSamples, f.fpsRatio.p50, f.fpsRatio.p5, f.swaps, f.errors,
  f.billableSeconds, f.feesEth, f.ethPerSecond, f.usdPerSecond,
];

export const loader = apiLoader(async ({ request, context, params }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", DETAIL_TABLES, "series");
  const d = await loadOrchestratorDetail(db, url, params.address, (a) => `unknown orchestrator ${a}`);
  const { row, range, interval, pair } = d;
  // Files are named after the request, so the same link always gives the same file name.
  const asked = pair.choice === "all" ? ["all"] : [pair.requested.pipeline, pair.requested.model];
  const tag = [interval === "hour" ? "hourly" : null, ...asked].filter(Boolean).join("-");
  const name = `orchestrator-${row.address}-${range.from}_${range.to}${tag ? `-${tag}` : ""}`;
  const pairTag = asked.filter(Boolean).join("-");
  const tableName = (t: string) => `orchestrator-${row.address}-${t}-${range.from}_${range.to}${pairTag ? `-${pairTag}` : ""}.csv`;
  if (csv && table === "errors") return csvResponse(tableName("errors"), ["error_type", "jobs"], d.errors.map((e) => [e.errorType, e.jobs]));
  if (csv && table === "summary") {
    const n = d.network;
    return csvResponse(
      tableName("summary"),
      [
        "address", "service_uri", "active", "status", "total_stake", "fee_share_pct", "reward_cut_pct",
        "fees_30d_from", "fees_30d_to", "fees_eth_30d", "fees_eth_total", "from", "to", "volume_eth", "volume_usd", "tickets",
        ...JOB_CSV_HEADER, "output_seconds", ...JOB_CSV_HEADER.map((h) => `network_${h}`),
        "video_jobs", "video_seconds", "usd_per_video_second", "network_usd_per_video_second", "job_pipeline", "job_model",
      ],
      [[
        row.address, row.serviceUri, row.active, row.status, row.totalStake, row.feeSharePct, row.rewardCutPct,
        d.window30d.from, d.window30d.to, row.feesEth30d, row.feesEthTotal, range.from, range.to, d.totals.volumeEth, d.totals.volumeUsd, d.totals.tickets,
        ...jobCsvCells(d.jobs), d.jobs.outputSeconds, ...jobCsvCells(n),
        d.cost.videoJobs, d.cost.videoSeconds, d.cost.usdPerVideoSecond, d.cost.network.usdPerVideoSecond,
        pair.choice === "all" ? "all" : pair.pipeline, pair.model,
      ]],
    );
  }
  const a = d.advertised;
  if (csv && table === "gpus")
    return csvResponse(
      `orchestrator-${row.address}-gpus-${range.from}_${range.to}.csv`,
      ["pipeline", "model_id", "gpu_name", "count", "memory_gb", "memory_bytes", "as_of"],
      a.gpus.map((g) => [g.pipeline, g.modelId, g.name, g.count, g.memoryGb, g.memoryBytes, a.asOf]),
    );
  if (csv && table === "advertised")
    return csvResponse(
      `orchestrator-${row.address}-advertised-${range.from}_${range.to}.csv`,
      ["url", "pipeline", "model_id", "price_per_unit", "pixels_per_unit", "price_wei_per_unit", "unit", "usd_per_video_second", "usd_per_video_hour",
        "warm", "capacity", "capacity_in_use", "as_of"],
      a.models.map((m) => [m.url, m.pipeline, m.modelId, m.pricePerUnit, m.pixelsPerUnit, m.priceWeiPerUnit, m.unit, m.usdPerVideoSecond, m.usdPerVideoHour,
        m.warm, m.capacity, m.capacityInUse, a.asOf]),
    );
  if (csv && table === "prices")
    return csvResponse(
      `orchestrator-${row.address}-prices-${range.from}_${range.to}.csv`,
      ["url", "pipeline", "model_id", "from", "to", "price_per_unit", "pixels_per_unit", "price_wei_per_unit", "usd_per_video_hour", "rate_date"],
      a.priceHistory.map((p) => [p.url, p.pipeline, p.modelId, p.from, p.to, p.pricePerUnit, p.pixelsPerUnit, p.priceWeiPerUnit, p.usdPerVideoHour, p.rateDate]),
    );
  if (csv && table === "live") {
    const l = d.live;
    const header = ["who", "model_id", "sessions", "startup_p50_ms", "startup_p95_ms", "startup_p99_ms", "startup_samples", "fps_ratio_p50", "fps_ratio_p5",
      "swaps_per_session", "errors_per_session", "billable_seconds", "fees_eth", "eth_per_second", "usd_per_second"];
    const rows = [...(l.row ? [[row.address, l.model, ...liveCells(l.row)]] : []), ["network", l.model, ...liveCells(l.network)]];
    return csvResponse(`orchestrator-${row.address}-live-${l.window.from}_${l.window.to}.csv`, header, rows);
  }
  if (csv && table === "probes") {
    const p = d.probes;
    return csvResponse(
      tableName(`probes-${p.pair.pipeline ?? "none"}-${p.pair.model ?? "none"}`),
      ["region", "pipeline", "model", "probes", "success_rate", "score", "round_trip_p50_s", "round_trip_p95_s", "round_trip_p99_s", "round_trip_samples",
        "avg_round_trip_s", "warm_ratio", "median_round_trip_s"],
      p.rows.map((r) => [r.region ?? "all", p.pair.pipeline, p.pair.model, r.probeCount, r.probeSuccessRate, r.probeScore, r.probeRoundTripS.p50,
        r.probeRoundTripS.p95, r.probeRoundTripS.p99, r.probeRoundTripSamples, r.avgRoundTripS, r.warmRatio, p.medianRoundTripS]),
    );
  }
  if (csv) {
    return csvResponse(
      `${name}.csv`,
      ["period", "volume_eth", "volume_usd", "tickets", ...JOB_CSV_HEADER, "output_seconds"],
      d.series.map((s) => [s.period, s.volumeEth, s.volumeUsd, s.tickets, ...jobCsvCells(s), s.outputSeconds]),
    );
  }
  return jsonResponse({
    ...row,
    window30d: d.window30d,
    from: range.from,
    to: range.to,
    interval,
    pipeline: pair.pipeline,
    model: pair.model,
    choice: pair.choice,
    requested: pair.requested,
    series: d.series,
    totals: d.totals,
    jobs: d.jobs,
    network: d.network,
    errors: d.errors,
    cost: d.cost,
    capabilities: { asOf: a.asOf, listed: a.listed, usdRate: a.usdRate, nodes: a.nodes },
    gpus: a.gpus,
    gpusByName: a.gpusByName,
    advertised: a.models,
    priceHistory: a.priceHistory,
    priceHistoryOmitted: a.priceHistoryOmitted,
    live: d.live,
    probes: d.probes,
    asOf: asOf(d.state),
    provenance: provenance(url, { source: "subgraph+joblogs", name, range, state: d.state }),
  });
});
