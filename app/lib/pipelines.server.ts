// Per pipeline and model over a range (page and GET /api/pipelines): jobs, success rate, latency,
// expected fees and output seconds, from the daily job rollups.
import type { Db } from "../../db/client";
import { jobTotals, pipelineJobs } from "../../db/job-queries";
import { costRows } from "./cost.server";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay, toJobStats, type JobStats } from "./jobs.server";
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

export async function loadPipelines(db: Db, url: URL) {
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  const [jobs, costs] = await Promise.all([pipelineJobs(db, range), costRows(db, range)]);
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
  const totals = toJobStats(await jobTotals(db, range));
  return { state, range, rows, totals };
}
