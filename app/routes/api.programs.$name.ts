// GET /api/programs/<name>?at=&format=: one bootstrapping program, computed now from the data (no
// `at`), or a frozen snapshot (`at`: its id, or a time: the latest frozen at or before it):
// {"program":{...definition...},"rows":[{"address","eligible","reasons","metrics","grantLpt"}],"totals",
// "snapshot":{"id","at"}|null,"computedAt","provenance"}. format=csv: the payout (address, amount).
// POST /api/programs/<name> freezes it now, with the rules of saving a report (POST /api/reports): a
// body of at most 16 KiB (JSON, or a form from this site only), 10 per client per 10 minutes (429
// with Retry-After). 201 {"id","at","url"}; a form gets a 303 to the snapshot's page.
import type { ActionFunctionArgs } from "@remix-run/node";
import { freezeProgram, payoutCsv, payoutFileName, programAt, programJson, programNamed } from "~/lib/bootstrap.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, HttpError, jsonResponse, refuseCrossSite, wantsCsv } from "~/lib/http.server";
import { refusedByLimit, programFreezeLimiter } from "~/lib/rate-limit.server";

const MAX_BODY_BYTES = 16 * 1024; // enforced while reading by server/request-body.ts; checked again here

export const loader = apiLoader(async ({ request, params, context }) => {
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const r = await programAt(dbFrom(context), params.name, url.searchParams.get("at"));
  if (csv) return csvResponse(payoutFileName(r), ...payoutCsv(r));
  return jsonResponse(programJson(r));
});

export const action = apiLoader(async ({ request, params, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    const r = jsonResponse({ error: `method ${request.method} not allowed (use POST to freeze, GET to read)` }, 405);
    r.headers.set("allow", "GET, POST");
    return r;
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  refuseCrossSite(request, type);
  if (type && !["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].includes(type))
    throw new HttpError(400, `unsupported content type "${type.slice(0, 40)}" (send application/json or a form; the body may be empty)`);
  if ((await request.arrayBuffer()).byteLength > MAX_BODY_BYTES) throw new HttpError(413, `body too large (at most ${MAX_BODY_BYTES} bytes)`);
  const program = programNamed(params.name);
  const refused = refusedByLimit(programFreezeLimiter, "frozen programs", request, context);
  if (refused) return refused;
  const { id, at } = await freezeProgram(dbFrom(context), program);
  const page = `/programs/${program.name}?at=${id}`;
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data")
    return new Response(null, { status: 303, headers: { location: page, "cache-control": "no-store" } });
  const r = jsonResponse({ id, at, url: page }, 201);
  r.headers.set("location", page);
  return r;
});
