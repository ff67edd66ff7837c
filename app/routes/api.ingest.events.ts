// POST /api/ingest/events: a gateway's Kafka event envelopes as NDJSON (docs/gateway-events.md),
// with `Authorization: Bearer <INGEST_TOKEN>`. The indexer's handler (server.ts puts it in the load
// context) answers 404 when INGEST_TOKEN is unset, 401 without a valid token, 413 over
// INGEST_MAX_BYTES, else 200 with {"accepted", "duplicates", "unknownTypes": {"<type>": n},
// "rejected": [{"line", "reason"}]}. Any other method: 405.
import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestEventsFrom } from "~/lib/context.server";
import { apiLoader, jsonResponse } from "~/lib/http.server";

export async function action({ request, context }: ActionFunctionArgs): Promise<Response> {
  return ingestEventsFrom(context)(request);
}

export const loader = apiLoader(async () => {
  const res = jsonResponse({ error: "Use POST with an NDJSON body (one event envelope per line)" }, 405);
  res.headers.set("allow", "POST");
  return res;
});
