// GET /reports/<id>.pdf: the saved report printed to A4 by headless Chromium (app/lib/pdf.server.ts),
// from the page this server renders at /reports/<id>. 404 for an unknown id; 501 with how to enable
// it when there is no Chromium; 503 when the render fails or takes over 30 s.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dbFrom } from "~/lib/context.server";
import { HttpError, jsonResponse } from "~/lib/http.server";
import { PdfRenderError, PdfUnavailableError, renderReportPdf } from "~/lib/pdf.server";
import { loadSavedReport } from "~/lib/reports.server";

/** Where Chromium loads the page from: PDF_ORIGIN when set (e.g. http://127.0.0.1:3000 behind a proxy), else the request's origin. */
function originOf(request: Request): string {
  const configured = process.env.PDF_ORIGIN?.trim();
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      throw new PdfUnavailableError(`PDF_ORIGIN="${configured.slice(0, 60)}" is not a URL (e.g. http://127.0.0.1:3000)`);
    }
  }
  return new URL(request.url).origin;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const report = await loadSavedReport(dbFrom(context), params.id);
    const pdf = await renderReportPdf(`${originOf(request)}/reports/${report.id}`, { id: report.id });
    return new Response(new Blob([pdf as BlobPart]), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="observatory-report-${report.id}.pdf"`,
        "cache-control": "public, max-age=3600",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (e) {
    if (e instanceof HttpError) return jsonResponse({ error: e.message }, e.status);
    if (e instanceof PdfUnavailableError) return jsonResponse({ error: e.message }, 501);
    if (e instanceof PdfRenderError) {
      const r = jsonResponse({ error: e.message }, 503);
      r.headers.set("retry-after", "30");
      return r;
    }
    console.error(e);
    return jsonResponse({ error: "internal error" }, 500);
  }
}
