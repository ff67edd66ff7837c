// GET /api/status[?format=csv&table=sources|runs]: indexer health per source and the last 20 runs.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { parseChoice } from "~/lib/params.server";
import { getRuns, getSources } from "~/lib/status.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["sources", "runs"] as const, "sources");
  const now = Date.now();
  const [sources, runs] = [await getSources(db, now), await getRuns(db)];
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, "");
  if (csv && table === "runs") {
    return csvResponse(
      `indexer-runs-${runs.at(-1)?.startedAt.slice(0, 10) ?? "none"}_${runs[0]?.startedAt.slice(0, 10) ?? "none"}.csv`,
      ["id", "source", "started_at", "finished_at", "duration_seconds", "ok", "error", "rows_written", "block"],
      runs.map((r) => [r.id, r.source, r.startedAt, r.finishedAt, r.durationSeconds, r.ok, r.error, r.rowsWritten, r.block]),
    );
  }
  if (csv) {
    return csvResponse(
      `indexer-status-${stamp}.csv`,
      ["name", "status", "last_run_at", "last_success_at", "block", "block_timestamp", "lag_seconds", "error", "rows_written", "last_run_rows"],
      sources.map((s) => [s.name, s.status, s.lastRunAt, s.lastSuccessAt, s.block, s.blockTimestamp, s.lagSeconds, s.error, s.rowsWritten, s.lastRunRows]),
    );
  }
  return jsonResponse({ now: new Date(now).toISOString(), sources, runs });
});
