// GET /api/alerts?state=firing|all&orchestrator=0x...: {"alerts":[{"rule","subject","scope","state",
// "since","value","threshold","message","link"}]} from the stored alert states (state "firing" by
// default; "all" adds pending and resolved-to-ok alerts that were once raised), plus the last
// evaluation and the answer's provenance. Values are the metric's own unit (ms, s, a fraction, days...), never money.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, jsonResponse } from "~/lib/http.server";
import { parseOrchestratorParam, parseStateParam } from "~/lib/alerts.server";
import { provenance } from "~/lib/download-provenance.server";
import { getIndexState } from "~/lib/index-state.server";
import { lastEvaluation, listAlerts } from "../../db/queries/alerts";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const state = parseStateParam(url);
  const orchestrator = parseOrchestratorParam(url);
  const rows = await listAlerts(db, { phase: state === "firing" ? "firing" : null, subject: orchestrator });
  return jsonResponse({
    alerts: rows.map((a) => ({
      rule: a.rule,
      subject: a.subject,
      scope: a.scope,
      state: a.phase,
      since: a.since,
      value: a.value,
      threshold: a.threshold,
      samples: a.samples,
      message: a.message,
      link: a.link,
    })),
    evaluatedAt: (await lastEvaluation(db))?.evaluatedAt ?? null,
    provenance: provenance(url, { source: "indexer", name: `alerts-${state}${orchestrator ? `-${orchestrator}` : ""}`, state: await getIndexState(db) }),
  });
});
