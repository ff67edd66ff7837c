// GET /healthz: 200 {"ok":true} when the database answers `select 1`, 503 otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dbFrom } from "~/lib/context.server";
import { jsonResponse } from "~/lib/http.server";
import { ping } from "../../db/queries/status";

export async function loader({ context }: LoaderFunctionArgs): Promise<Response> {
  try {
    if (await ping(dbFrom(context))) return jsonResponse({ ok: true });
    return jsonResponse({ ok: false, error: "database gave an unexpected answer" }, 503);
  } catch {
    return jsonResponse({ ok: false, error: "database unavailable" }, 503);
  }
}
