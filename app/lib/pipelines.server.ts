// Per pipeline and model over a range (page and GET /api/pipelines): jobs, success rate, latency,
// expected fees and output seconds, from the daily job rollups.
import type { Db } from "../../db/client";
import { jobTotals, pipelineJobs } from "../../db/job-queries";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay, toJobStats, type JobStats } from "./jobs.server";
import { DEFAULT_RANGE_DAYS, parseRange } from "./params.server";

export interface PipelineRow extends JobStats {
  pipeline: string;
  modelId: string;
}

export async function loadPipelines(db: Db, url: URL) {
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: DEFAULT_RANGE_DAYS });
  const rows: PipelineRow[] = (await pipelineJobs(db, range)).map((p) => ({ pipeline: p.pipeline, modelId: p.modelId, ...toJobStats(p) }));
  rows.sort((a, b) => (a.pipeline < b.pipeline ? -1 : a.pipeline > b.pipeline ? 1 : b.jobs - a.jobs || (a.modelId < b.modelId ? -1 : 1)));
  const totals = toJobStats(await jobTotals(db, range));
  return { state, range, rows, totals };
}
