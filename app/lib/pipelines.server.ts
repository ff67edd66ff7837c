// Per pipeline and model over a range (page, GET /api/pipelines and the reports): jobs, success rate,
// latency, expected fees, output seconds and cost, from the daily job rollups (db/queries/jobs.ts)
// and the cost module.
import type { Db, Querier } from "../../db/client";
import { jobTotals, pipelineJobs } from "../../db/queries/jobs";
import type { DayRange } from "../../db/queries/params";
import { costRows } from "./cost.server";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay, toJobStats, withoutPercentiles, type JobStats } from "./jobs.server";
import { DEFAULT_RANGE_DAYS, parseRange } from "./params.server";

export interface PipelineRow extends JobStats {
  pipeline: string;
  modelId: string;
  /** Cost (decision 009): over the successful priced jobs with output (costJobs); null where it does not apply. */
  costJobs: number;
  usdPerVideoSecond: string | null;
  ethPerVideoSecond: string | null;
  usdPerImage: string | null;
  usdPerMegapixel: string | null;
}

/** The request: from/to (default: the 90 days ending at the latest day with data). */
export async function loadPipelines(db: Db, url: URL) {
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  return { state, range, ...(await pipelineFigures(db, range)) };
}

/**
 * Rows by pipeline (A-Z), then most jobs first, and the totals over every pipeline. The totals carry
 * no latency percentiles (null, with their sample count): over every pipeline they would mix 1-second
 * image jobs with 30-second video jobs. Percentiles are per row.
 */
export async function pipelineFigures(q: Querier, range: DayRange): Promise<{ rows: PipelineRow[]; totals: JobStats }> {
  const [jobs, costs] = await Promise.all([pipelineJobs(q, range), costRows(q, range)]);
  const cost = new Map(costs.map((c) => [`${c.pipeline}\t${c.modelId}`, c]));
  const rows: PipelineRow[] = jobs.map((p) => {
    const c = cost.get(`${p.pipeline}\t${p.modelId}`);
    return {
      pipeline: p.pipeline,
      modelId: p.modelId,
      ...toJobStats(p),
      costJobs: c?.jobs ?? 0,
      usdPerVideoSecond: c?.usdPerVideoSecond ?? null,
      ethPerVideoSecond: c?.ethPerVideoSecond ?? null,
      usdPerImage: c?.usdPerImage ?? null,
      usdPerMegapixel: c?.usdPerMegapixel ?? null,
    };
  });
  rows.sort((a, b) => (a.pipeline < b.pipeline ? -1 : a.pipeline > b.pipeline ? 1 : b.jobs - a.jobs || (a.modelId < b.modelId ? -1 : 1)));
  const totals = withoutPercentiles(toJobStats(await jobTotals(q, range)));
  return { rows, totals };
}
