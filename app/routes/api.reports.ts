// POST /api/reports with {"from","to","baselineFrom","baselineTo"} (UTC days, YYYY-MM-DD) as JSON or
// as an HTML form: computes the report server-side, stores it frozen and answers 201 {"id"} (a form
// gets a 303 to /reports/<id>). Only the four validated days come from the client; unknown fields
// are ignored. 400 {"error"} for bad input, 413 for a body over 16 KiB, 429 with Retry-After when a
// client saves more than 10 reports in 10 minutes. GET answers 405.
import type { ActionFunctionArgs } from "@remix-run/node";
import { apiLoader, badRequest, csvResponse, HttpError, jsonResponse, refuseCrossSite, wantsCsv } from "~/lib/http.server";
import { dbFrom } from "~/lib/context.server";
import { refusedByLimit, reportSaveLimiter } from "~/lib/rate-limit.server";
import { computeReport, REPORT_FIELDS, reportCsv, reportJson, saveReport, validateReportInput, type SavedReport } from "~/lib/reports.server";

const MAX_BODY_BYTES = 16 * 1024; // enforced while reading by server/request-body.ts; checked again here

async function readBody(request: Request): Promise<Uint8Array> {
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > MAX_BODY_BYTES) throw new HttpError(413, `body too large (at most ${MAX_BODY_BYTES} bytes)`);
  return body;
}

/** The submitted fields and whether they came from an HTML form. */
async function fieldsOf(request: Request): Promise<{ get: (name: string) => unknown; form: boolean }> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  refuseCrossSite(request, type);
  const body = await readBody(request);
  // curl -d sends JSON as a form unless told otherwise; a body that opens with "{" is JSON.
  const looksJson = /^\s*\{/.test(new TextDecoder().decode(body.subarray(0, 64)));
  if (type === "application/json" || type === "text/plain" || type === "" || (type === "application/x-www-form-urlencoded" && looksJson)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      throw badRequest('body is not valid JSON (send {"from","to","baselineFrom","baselineTo"})');
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest('body must be a JSON object {"from","to","baselineFrom","baselineTo"}');
    const obj = parsed as Record<string, unknown>;
    return { get: (n) => (Object.prototype.hasOwnProperty.call(obj, n) ? obj[n] : undefined), form: false };
  }
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
    let fd: FormData;
    try {
      fd = await new Response(new Blob([body as BlobPart]), { headers: { "content-type": request.headers.get("content-type") as string } }).formData();
    } catch {
      throw badRequest("malformed form body");
    }
    return { get: (n) => fd.get(n) ?? undefined, form: true };
  }
  throw badRequest(`unsupported content type "${type.slice(0, 40)}" (send application/json or a form)`);
}

/**
 * GET /api/reports?from=&to=&baselineFrom=&baselineTo=[&format=csv]: the same report the builder
 * shows, computed now and not saved (the builder's chart downloads), in the saved report's shape
 * with id null. Without the four days: 405 and how to save one.
 */
export const loader = apiLoader(async ({ request, context }) => {
  const url = new URL(request.url);
  if (REPORT_FIELDS.some((f) => url.searchParams.has(f))) {
    const csv = wantsCsv(url);
    const input = validateReportInput((f) => url.searchParams.get(f) ?? undefined);
    const report = await computeReport(dbFrom(context), input);
    const preview: SavedReport = { id: "preview", createdAt: report.provenance.computedAt, format: report.figures.format, input: report.input, figures: report.figures, provenance: report.provenance };
    if (csv)
      return csvResponse(`report-preview-${input.from}_${input.to}-vs-${input.baselineFrom}_${input.baselineTo}.csv`, ...reportCsv(preview));
    return jsonResponse({ ...reportJson(preview), id: null, saved: false });
  }
  const r = jsonResponse({ error: 'use POST with {"from","to","baselineFrom","baselineTo"}; saved reports are at GET /api/reports/<id>' }, 405);
  r.headers.set("allow", "POST");
  return r;
});

export const action = apiLoader(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    const r = jsonResponse({ error: `method ${request.method} not allowed (use POST)` }, 405);
    r.headers.set("allow", "POST");
    return r;
  }
  const { get, form } = await fieldsOf(request);
  const input = validateReportInput((f) => get(f));
  const refused = refusedByLimit(reportSaveLimiter, "saved reports", request, context);
  if (refused) return refused;
  const { id } = await saveReport(dbFrom(context), input);
  if (form) return new Response(null, { status: 303, headers: { location: `/reports/${id}`, "cache-control": "no-store" } });
  const r = jsonResponse({ id }, 201);
  r.headers.set("location", `/reports/${id}`);
  return r;
});
