// GET /healthz: 200 {"ok":true} when the database answers `select 1`, 503 otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { dbFrom } from "~/lib/context.server";
import { jsonResponse } from "~/lib/http.server";

export async function loader({ context }: LoaderFunctionArgs): Promise<Response> {
  try {
    const [r] = await dbFrom(context).query<{ ok: number }>("select 1 as ok");
    if (r?.ok === 1) return jsonResponse({ ok: true });
    return jsonResponse({ ok: false, error: "database gave an unexpected answer" }, 503);
  } catch {
    return jsonResponse({ ok: false, error: "database unavailable" }, 503);
  }
}
