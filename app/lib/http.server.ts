// Responses shared by the API routes and page loaders: bad input is a typed HttpError that becomes a
// JSON {"error"} with its status on the API and a friendly ErrorBoundary on pages. Never a 500.
import { data } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { BadInputError } from "../../core/errors";
import { toCsv, type CsvCell } from "./csv.server";
import { prefixed } from "./download-names";

/** A request the route refuses (bad-input, core/errors.ts): answered with `status` (400, 403, 404, 413, 422, 429). */
export class HttpError extends BadInputError {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
  override get httpStatus(): number {
    return this.status;
  }
}

export const badRequest = (reason: string) => new HttpError(400, reason);
export const notFound = (reason: string) => new HttpError(404, reason);

// No Cache-Control here: server/http-cache.ts gives data answers theirs (revalidated with an ETag,
// never stored when they are errors); a route with other needs (saved reports) sets its own.
const API_HEADERS = {
  "access-control-allow-origin": "*",
  "x-content-type-options": "nosniff",
};

export function jsonResponse(body: unknown, status = 200): Response {
  // An answer with provenance names its file (shown inline; a <a download> link saves it under that name).
  const file = (body as { provenance?: { file?: unknown } } | null)?.provenance?.file;
  const disposition: Record<string, string> = typeof file === "string" ? { "content-disposition": `inline; filename="${prefixed(file)}"` } : {};
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...API_HEADERS, "content-type": "application/json; charset=utf-8", ...disposition },
  });
}

/** CSV download; the file name gets the "observatory-" prefix (download-names.ts) and keeps its range. */
export function csvResponse(filename: string, header: string[], rows: CsvCell[][]): Response {
  const safe = prefixed(filename);
  return new Response(toCsv(header, rows), {
    headers: {
      ...API_HEADERS,
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${safe}"`,
    },
  });
}

/** `?format=json|csv` (json when absent). */
export function wantsCsv(url: URL): boolean {
  const f = url.searchParams.get("format");
  if (f === null || f === "" || f === "json") return false;
  if (f === "csv") return true;
  throw badRequest(`unknown format "${f.slice(0, 20)}" (use json or csv)`);
}

/** Wraps an API loader: HttpError -> JSON {"error"} with its status; anything else -> logged 500. */
export function apiLoader(fn: (args: LoaderFunctionArgs) => Promise<Response>) {
  return async (args: LoaderFunctionArgs): Promise<Response> => {
    try {
      return await fn(args);
    } catch (e) {
      if (e instanceof HttpError) return jsonResponse({ error: e.message }, e.httpStatus);
      if (e instanceof Response) return e;
      console.error(e);
      return jsonResponse({ error: "internal error" }, 500);
    }
  };
}

/** Runs a page loader body; bad input becomes a thrown `data({error}, {status})` for the ErrorBoundary. */
export async function pageData<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof HttpError) throw data({ error: e.message }, { status: e.httpStatus });
    throw e;
  }
}

/**
 * A browser may send a form or text/plain to any site without asking first (no CORS preflight), so
 * a write whose body is not JSON is only taken from this site's own pages: a cross-site form is
 * refused (saving a report, freezing a program).
 */
export function refuseCrossSite(request: Request, type: string): void {
  if (type === "application/json") return; // a cross-site fetch with this type is preflighted, and refused
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const crossSite = (site !== null && site !== "same-origin" && site !== "none") || (origin !== null && origin !== new URL(request.url).origin);
  if (crossSite) throw new HttpError(403, "a form from another site cannot write here; send application/json");
}
