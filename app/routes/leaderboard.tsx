// /leaderboard: the AI leaderboard from public probes (the explorer's performance leaderboard, with
// history): orchestrators ranked by the official score for one pipeline and model (default: the most
// probed in the window), per region or as the mean over regions, with success, round-trip score and
// percentiles, warm ratio, probes and a sparkline of each score's last 30 days. Window, region,
// pipeline and model are in the URL (permalinks); CSV and JSON link the API answer shown.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { DownloadLinks } from "~/components/download-links";
import { LeaderboardTable } from "~/components/leaderboard/leaderboard-table";
import { PageHeader } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { formatInt, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { loadLeaderboardPage } from "~/lib/leaderboard.server";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const top = d?.rows[0];
  const what = d?.query.pipeline ? `${d.query.pipeline} ${d.query.model}` : "every pipeline";
  const headline = top && top.score !== null ? `Top score for ${what}: ${shortAddress(top.address)} ${(top.score * 100).toFixed(1)}. ` : "";
  return pageMeta("AI leaderboard", `${headline}Livepeer orchestrators ranked by the public AI probes' official score, with history, percentiles and regions.`, args);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(() => loadLeaderboardPage(dbFrom(context), new URL(request.url)));
}

export const ErrorBoundary = RouteErrorBoundary;

export default function Leaderboard() {
  const d = useLoaderData<typeof loader>();
  const q = d.query;
  const scored = Boolean(q.pipeline && q.model);
  const pairValue = d.pairChoice === "all" ? "all" : scored ? `${q.pipeline} ${q.model}` : "";
  const apiParams = { from: d.window.from, to: d.window.to, region: q.region, pipeline: q.pipeline, model: q.model };
  return (
    <>
      <PageHeader title="AI leaderboard">
        Synthetic test jobs sent to every orchestrator for each pipeline and model it advertises, from several regions, every two hours, read
        from the public leaderboard API and kept, so the score has a history. {d.window.from} – {d.window.to} (each probe's own time, both ends
        included),{" "}
        {scored ? (
          <>
            for <strong className="uri">{q.pipeline}</strong> / <strong className="uri">{q.model}</strong>
            {d.pairChoice === "busiest" ? " (the most probed on this window's days; choose another below)" : ""}
          </>
        ) : (
          "every pipeline (the score exists per pipeline and model, so it is not shown)"
        )}
        , {q.region ? <>region <strong>{q.region}</strong> with its own median</> : "the mean over each orchestrator's regions (the explorer's GLOBAL)"}.
      </PageHeader>
      <Form method="get" className="range controls filters">
        <label>
          From
          <input type="text" name="from" defaultValue={d.window.from} key={`f-${d.window.from}`} size={24} />
        </label>
        <label>
          To
          <input type="text" name="to" defaultValue={d.window.to} key={`t-${d.window.to}`} size={24} />
        </label>
        <label>
          Region
          <select name="region" defaultValue={q.region ?? ""} key={`r-${q.region ?? ""}`}>
            <option value="">all regions (mean)</option>
            {d.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id}
                {r.name !== r.id ? ` (${r.name})` : ""}
              </option>
            ))}
          </select>
        </label>
        <label>
          Pipeline and model
          <select name="pair" defaultValue={pairValue} key={`p-${pairValue}`}>
            {d.pairs.map((p) => (
              <option key={`${p.pipeline} ${p.model}`} value={`${p.pipeline} ${p.model}`}>
                {p.pipeline} / {p.model} ({formatInt(p.probes)} probes)
              </option>
            ))}
            <option value="all">every pipeline (no score)</option>
          </select>
        </label>
        <button type="submit">Show</button>
      </Form>
      {d.latest === null ? (
        <section className="panel">
          <p>
            No probes yet. Set <code>LEADERBOARD_URL</code> to the public AI leaderboard API (for example{" "}
            <code>https://leaderboard-api.livepeer.cloud</code>); each indexer run reads the probes of every orchestrator the subgraph knows (README,
            "Public probes").
          </p>
        </section>
      ) : (
        <>
          <p className="muted">
            {formatInt(d.rows.length)} orchestrators.{" "}
            {scored
              ? d.medianRoundTripS === null
                ? "No successful probe with a round trip in this selection, so no median (the API itself cannot score it)."
                : `Median round trip of successful probes in this selection: ${d.medianRoundTripS.toFixed(3)} s (scores 80 on round trip).`
              : ""}
          </p>
          <LeaderboardTable rows={d.rows} history={d.history} historyDays={d.historyDays} scored={scored} />
          <DownloadLinks path="/api/leaderboard" params={apiParams} />
        </>
      )}
      {d.failing.length ? (
        <section className="panel" aria-labelledby="lb-failing">
          <h2 id="lb-failing">Orchestrators whose last probe query failed</h2>
          <p className="muted">Their cursors stay where their data is stored; the next run asks again from there.</p>
          <ul>
            {d.failing.slice(0, 20).map((f) => (
              <li key={f.orchestrator}>
                <span className="mono">{f.orchestrator}</span> ({f.failures} {f.failures === 1 ? "run" : "runs"}, last {f.lastErrorAt}): {f.lastError}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
