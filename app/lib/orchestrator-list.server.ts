// The orchestrators table (page and GET /api/orchestrators): parameters, rows, the job range and the
// pipeline and model pair the job figures are for (the one asked for, else the network's busiest in
// the range: percentiles never mix pipelines or models).
import type { Db } from "../../db/client";
import { jobFacets } from "../../db/queries/jobs";
import { getIndexState } from "./index-state.server";
import { choosePair, jobsLatestDay, parsePairRequest } from "./jobs.server";
import { listOrchestrators, parseSort, thirtyDayWindow } from "./orchestrators.server";
import { parseRange } from "./params.server";
import { chooseProbePair, probeColumns } from "./probe-figures.server";

/** Job columns cover the 30 days ending at the latest day with data unless from/to say otherwise. */
export const JOB_TABLE_DAYS = 30;

export async function loadOrchestratorList(db: Db, url: URL, opts: { facets?: boolean } = {}) {
  const { sort, dir } = parseSort(url);
  const request = parsePairRequest(url);
  const state = await getIndexState(db);
  const range = parseRange(url, { latestDay: await jobsLatestDay(db, state), defaultDays: JOB_TABLE_DAYS });
  const pair = await choosePair(db, range, request);
  // Asking for a pipeline or a model narrows the list to the orchestrators that ran it.
  const narrow = request.pipeline !== null || request.model !== null;
  // Probe columns: the requested pair when probed, else the network's most probed, for every orchestrator at once.
  const probePair = await chooseProbePair(db, range, pair.choice === "requested" ? pair : { pipeline: null, model: null });
  const probes = await probeColumns(db, probePair);
  const { rows, advertised } = await listOrchestrators(db, { latestDay: state.latestDay, sort, dir, range, pair, narrow, probes });
  const facets = opts.facets ? await jobFacets(db, range) : null;
  const filter = { pipeline: pair.pipeline, model: pair.model };
  const { pairs: _pairs, ...probeInfo } = probePair;
  return { state, sort, dir, pair, filter, narrow, range, rows, advertised, probes: probeInfo, window30d: thirtyDayWindow(state.latestDay), facets };
}
