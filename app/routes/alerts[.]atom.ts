// GET /alerts.atom[?orchestrator=0x...]: an Atom feed of alert firings and recoveries (the newest
// 100), for everything or one orchestrator, so anyone can subscribe without configuration. Links are
// absolute: the rules file's dashboardUrl, else this request's origin.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomFeed } from "../../core/alerts/payload";
import { dbFrom } from "~/lib/context.server";
import { apiLoader } from "~/lib/http.server";
import { parseOrchestratorParam } from "~/lib/alerts.server";
import { settings } from "../../core/settings";
import { alertEvents } from "../../db/queries/alerts";
import { loadRules } from "../../indexer/alerts/rules-file";

export const loader = apiLoader(async ({ request, context }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const orchestrator = parseOrchestratorParam(url);
  const events = await alertEvents(dbFrom(context), { subject: orchestrator, limit: 100 });
  const loaded = loadRules(settings().ALERTS_FILE);
  const base = (loaded?.ok ? loaded.rules.dashboardUrl : null) ?? url.origin;
  const self = `${base}/alerts.atom${orchestrator ? `?orchestrator=${orchestrator}` : ""}`;
  const xml = atomFeed({
    title: orchestrator ? `Observatory alerts: ${orchestrator}` : "Observatory alerts",
    self,
    base,
    events,
    updated: events[0]?.at ?? new Date(0).toISOString(),
  });
  return new Response(xml, { headers: { "content-type": "application/atom+xml; charset=utf-8", "access-control-allow-origin": "*" } });
});
