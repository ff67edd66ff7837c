// POST /api/ingest/jobs: a gateway pushes NDJSON job log lines (docs/data-contract.md section 4, job
// log record) with `Authorization: Bearer <INGEST_TOKEN>`. The indexer's handler (server.ts puts it in the load
// context) answers: 404 when INGEST_TOKEN is unset, 401 without a valid token, 413 over
// INGEST_MAX_BYTES, 422 when the body is mostly garbage (nothing stored), else 200 with
// {"accepted", "duplicates", "rejected": [{"line", "reason"}]}. Any other method: 405.
import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestJobsFrom } from "~/lib/context.server";
import { apiLoader, jsonResponse } from "~/lib/http.server";

export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  return ingestJobsFrom(context)(request);
}

export const loader = apiLoader(async () => {
  const res = jsonResponse({ error: "Use POST with an NDJSON body (one job per line)" }, 405);
  res.headers.set("allow", "POST");
  return res;
});
