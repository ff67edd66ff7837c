// GET /api/reports/<id>[?format=csv]: a saved report exactly as stored (figures and provenance; never
// recomputed). 404 {"error"} for an unknown id. CSV: one row per figure, text from the data
// neutralised against spreadsheet formulas (csv.server.ts).
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { loadSavedReport, reportCsv, reportJson } from "~/lib/reports.server";

export const loader = apiLoader(async ({ request, params, context }) => {
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const r = await loadSavedReport(dbFrom(context), params.id);
  const res = csv ? csvResponse(`report-${r.id}-${r.input.from}_${r.input.to}-vs-${r.input.baselineFrom}_${r.input.baselineTo}.csv`, ...reportCsv(r)) : jsonResponse(reportJson(r));
  // A saved report never changes.
  res.headers.set("cache-control", "public, max-age=31536000, immutable");
  return res;
});
