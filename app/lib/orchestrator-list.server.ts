// The orchestrators table (page and GET /api/orchestrators): parameters, rows and the job range.
import type { Db } from "../../db/client";
import { jobFacets } from "../../db/queries/jobs";
import { getIndexState } from "./index-state.server";
import { jobsLatestDay, parsePipelineModel } from "./jobs.server";
import { listOrchestrators, parseSort, thirtyDayWindow } from "./orchestrators.server";
import { parseRange } from "./params.server";

/** Job columns cover the 30 days ending at the latest day with data unless from/to say otherwise. */
export const JOB_TABLE_DAYS = 30;

export async function loadOrchestratorList(db: Db, url: URL, opts: { facets?: boolean } = {}) {
  const { sort, dir } = parseSort(url);
  const filter = parsePipelineModel(url);
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: JOB_TABLE_DAYS });
  const rows = await listOrchestrators(db, { latestDay: state.latestDay, sort, dir, range, filter });
  const facets = opts.facets ? await jobFacets(db, range) : null;
  return { state, sort, dir, filter, range, rows, window30d: thirtyDayWindow(state.latestDay), facets };
}
