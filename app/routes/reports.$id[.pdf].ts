// GET /reports/<id>.pdf: the saved report printed to A4 by headless Chromium (app/lib/pdf.server.ts),
// from the page this server renders at /reports/<id>. 404 for an unknown id; 501 with how to enable
// it when there is no Chromium; 503 when the render fails or takes over 30 s; 429 with Retry-After
// past the render rate limit. Chromium only ever loads this server's own listener (the load
// context's selfOrigin), never the request's Host or X-Forwarded-Host: a forged Host used to make
// it print another server's page with the render token. A saved report never changes, so each PDF
// is rendered once and kept (pdf-cache.server.ts); HEAD and OPTIONS never render.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dbFrom, selfOriginFrom } from "~/lib/context.server";
import { HttpError, jsonResponse } from "~/lib/http.server";
import { cachedPdf, keepPdf } from "~/lib/pdf-cache.server";
import { PdfRenderError, PdfUnavailableError, renderReportPdf } from "~/lib/pdf.server";
import { clientKey, pdfRenderLimiter } from "~/lib/rate-limit.server";
import { loadSavedReport } from "~/lib/reports.server";

const pdfHeaders = (id: string) => ({
  "content-type": "application/pdf",
  "content-disposition": `inline; filename="observatory-report-${id}.pdf"`,
  "cache-control": "public, max-age=3600",
  "x-content-type-options": "nosniff",
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { allow: "GET, HEAD" } });
    const report = await loadSavedReport(dbFrom(context), params.id);
    if (request.method === "HEAD") return new Response(null, { headers: pdfHeaders(report.id) });
    let pdf = cachedPdf(report.id);
    if (!pdf) {
      const limit = pdfRenderLimiter.hit(clientKey(request, context));
      if (!limit.allowed) {
        const r = jsonResponse({ error: `Too many PDF renders from your address: at most ${pdfRenderLimiter.limit} every ${pdfRenderLimiter.windowMs / 60_000} minutes. Try again in ${limit.retryAfterSeconds} s.` }, 429);
        r.headers.set("retry-after", String(limit.retryAfterSeconds));
        return r;
      }
      pdf = keepPdf(report.id, await renderReportPdf(`${selfOriginFrom(context)}/reports/${report.id}`, { id: report.id }));
    }
    return new Response(new Blob([pdf as BlobPart]), { headers: pdfHeaders(report.id) });
  } catch (e) {
    // Each answers with its own status (core/errors.ts): HttpError its 4xx, PdfUnavailableError 501,
    // PdfRenderError 503, which is retryable and so says when to try again.
    if (e instanceof HttpError || e instanceof PdfUnavailableError || e instanceof PdfRenderError) {
      const r = jsonResponse({ error: e.message }, e.httpStatus);
      if (e.retryable) r.headers.set("retry-after", "30");
      return r;
    }
    console.error(`PDF of report ${String(params.id).slice(0, 40)}: ${(e as Error).message?.split("\n")[0]}`);
    return jsonResponse({ error: "internal error" }, 500);
  }
}
