// A saved report as CSV (GET /api/reports/<id>?format=csv and the builder's preview download): one
// row per figure of the page, as section, item, metric, value.
import type { CsvCell } from "./csv.server";
import type { SavedReport } from "./report-shapes";

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
