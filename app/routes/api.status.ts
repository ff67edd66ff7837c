// GET /api/status[?format=csv&table=sources|runs|rejects|event-rejects|leaderboard-failures]: indexer health per source
// (line sources add linesRead, accepted, duplicates and rejected), the last 20 runs, the latest 50
// rejected job log lines with their file (null for HTTP pushes), byte offset, line number and reason,
// gateway events: envelopes per type (types not read are counted) and the latest rejected lines; and
// `leaderboardFailures`: orchestrators whose leaderboard query failed after its retries (at most 200,
// newest first) with orchestrator, lastError (untrusted text: it can quote the API), failures (runs in
// a row), lastErrorAt and polledUntil (where the cursor is held; null: nothing stored yet); and
// `rawPartitions`: each raw table's months kept, estimated rows and where RAW_RETENTION_DAYS cut it.
import { alertsStatus } from "~/lib/alerts.server";
import { dbFrom, replicaFrom } from "~/lib/context.server";
import { provenance } from "~/lib/download-provenance.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { parseChoice } from "~/lib/params.server";
import { getConfigProblems, getGatewayEvents, getLeaderboardFailures, getRawPartitions, getRejects, getRuns, getSources } from "~/lib/status.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["sources", "runs", "rejects", "event-rejects", "leaderboard-failures"] as const, "sources");
  const now = Date.now();
  const [sources, runs, rejects, events] = [await getSources(db, now), await getRuns(db), await getRejects(db), await getGatewayEvents(db)];
  const leaderboardFailures = await getLeaderboardFailures(db);
  const configProblems = await getConfigProblems(db);
  const rawPartitions = await getRawPartitions(db);
  // The rules file, the last evaluation and each notification target's deliveries (null without ALERTS_FILE).
  const alerts = await alertsStatus(db);
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, "");
  if (csv && table === "runs") {
    return csvResponse(
      `indexer-runs-${runs.at(-1)?.startedAt.slice(0, 10) ?? "none"}_${runs[0]?.startedAt.slice(0, 10) ?? "none"}.csv`,
      ["id", "source", "started_at", "finished_at", "duration_seconds", "ok", "error", "rows_written", "block"],
      runs.map((r) => [r.id, r.source, r.startedAt, r.finishedAt, r.durationSeconds, r.ok, r.error, r.rowsWritten, r.block]),
    );
  }
  if (csv && table === "event-rejects") {
    return csvResponse(
      `gateway-event-rejects-${stamp}.csv`,
      ["rejected_at", "origin", "file", "byte_offset", "line_number", "reason", "excerpt"],
      events.rejects.map((r) => [r.rejectedAt, r.origin, r.file, r.byteOffset, r.lineNumber, r.reason, r.excerpt]),
    );
  }
  if (csv && table === "leaderboard-failures") {
    return csvResponse(
      `leaderboard-failures-${stamp}.csv`,
      ["orchestrator", "last_error", "failures", "last_error_at", "polled_until"],
      leaderboardFailures.map((f) => [f.orchestrator, f.lastError, f.failures, f.lastErrorAt, f.polledUntil]),
    );
  }
  if (csv && table === "rejects") {
    return csvResponse(
      `job-log-rejects-${stamp}.csv`,
      ["received_at", "source", "file", "byte_offset", "line_number", "reason", "excerpt"],
      rejects.map((r) => [r.receivedAt, r.source, r.file, r.byteOffset, r.lineNumber, r.reason, r.excerpt]),
    );
  }
  if (csv) {
    return csvResponse(
      `indexer-status-${stamp}.csv`,
      ["name", "status", "last_run_at", "last_success_at", "block", "block_timestamp", "lag_seconds", "error", "rows_written", "last_run_rows", "lines_read", "accepted", "duplicates", "rejected"],
      sources.map((s) => [
        s.name, s.status, s.lastRunAt, s.lastSuccessAt, s.block, s.blockTimestamp, s.lagSeconds, s.error, s.rowsWritten, s.lastRunRows,
        s.linesRead, s.accepted, s.duplicates, s.rejected,
      ]),
    );
  }
  return jsonResponse({
    now: new Date(now).toISOString(), sources, runs, rejects, gatewayEvents: events, leaderboardFailures, configProblems, alerts, rawPartitions,
    replica: replicaFrom(context),
    provenance: provenance(url, { source: "indexer", name: `indexer-status-${stamp}` }),
  });
});
