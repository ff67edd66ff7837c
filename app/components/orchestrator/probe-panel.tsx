// One orchestrator's public probes (orchestrators.$address.tsx): the AI leaderboard's synthetic test
// jobs over the page's range for one pipeline and model (the page's when it is probed, else its most
// probed, and said so), per region and as the mean over regions (the explorer's GLOBAL): probes,
// success, the official score and round-trip p50/p95 with n, next to its gateway job figures for the
// same pair where the logs have them; then the score per day per region as a chart, and each
// region's days as a table. Figures from app/lib/probe-figures.server.ts (the leaderboard's
// arithmetic); every string from the API is rendered as text.
import { Link } from "@remix-run/react";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import type { SeriesDatum, SeriesSpec } from "~/components/charts/series";
import { SeriesLines } from "~/components/charts/series-lines";
import { ExportLinks } from "~/components/export-links";
import { Percentile, SuccessRate } from "~/components/job-stats";
import { TableWrap } from "~/components/page-header";
import { ProbeRoundTrip, ProbeScore, ProbeSuccess, score100 } from "~/components/probes/probe-cells";
import { formatInt, shortAddress } from "~/lib/format";
import type { LatencyMs } from "~/lib/latency";
import { withParams } from "~/lib/url";
import { EmptyNote } from "./empty-note";

type RoundTrip = { p50: number | null; p95: number | null; p99: number | null };

interface ProbeRowView {
  region: string | null;
  probeCount: number;
  probeSuccessRate: number | null;
  probeScore: number | null;
  probeRoundTripS: RoundTrip;
  probeRoundTripSamples: number;
}

interface PointView {
  t: string;
  probes: number;
  okProbes: number;
  successRate: number | null;
  roundTripS: RoundTrip;
  score: number | null;
}

export interface ProbesView {
  pair: {
    pipeline: string | null;
    model: string | null;
    choice: string;
    pairs: { pipeline: string; model: string; probes: number }[];
    window: { from: string; to: string };
  };
  stored: boolean;
  medianRoundTripS: number | null;
  rows: ProbeRowView[];
  series: PointView[];
  regions: Record<string, PointView[]>;
}

/** The page's job figures for its pair, shown beside the probes when the pairs are the same. */
export interface JobsBeside {
  pipeline: string | null;
  model: string | null;
  jobs: number;
  successes: number;
  successRate: number | null;
  latencyMs: LatencyMs;
  latencySamples: number;
}

const SOURCE = (
  <>
    Probes come from the public AI leaderboard API: set <code>LEADERBOARD_URL</code> (for example <code>https://leaderboard-api.livepeer.cloud</code>); each
    indexer run reads the probes of every orchestrator the subgraph knows.
  </>
);

const COLORS = ["var(--series-1)", "var(--series-2)", "var(--series-3)", "var(--series-4)", "var(--series-p95)", "var(--series-expected)"];
const ALL = "all regions (mean)";

export function ProbePanel({ p, address, range, jobs }: { p: ProbesView; address: string; range: { from: string; to: string }; jobs: JobsBeside }) {
  const { pair } = p;
  const pageLink = (pipeline: string, model: string) => withParams(`/orchestrators/${address}`, { from: range.from, to: range.to, pipeline, model });
  return (
    <section className="panel" aria-labelledby="probes-title" data-testid="probe-panel">
      <h2 id="probes-title">Public probes (AI leaderboard), per region</h2>
      {p.rows.length === 0 || !pair.pipeline || !pair.model ? (
        <EmptyNote>
          {p.stored
            ? `No public probe of this orchestrator is stored for ${range.from} – ${range.to}; it has probes at other times (GET /api/probes/${address} gives its last 30 days of them). `
            : "No public probe of this orchestrator is stored: the leaderboard's tester has not reached it, or it advertises no AI pipeline. "}
          {p.stored ? null : SOURCE}
        </EmptyNote>
      ) : (
        <Figures p={p} address={address} range={range} jobs={jobs} pageLink={pageLink} />
      )}
    </section>
  );
}

function Figures({
  p,
  address,
  range,
  jobs,
  pageLink,
}: {
  p: ProbesView;
  address: string;
  range: { from: string; to: string };
  jobs: JobsBeside;
  pageLink: (pipeline: string, model: string) => string;
}) {
  const pair = p.pair as ProbesView["pair"] & { pipeline: string; model: string };
  const others = pair.pairs.filter((x) => x.pipeline !== pair.pipeline || x.model !== pair.model);
  const sameJobs = jobs.jobs > 0 && jobs.pipeline === pair.pipeline && jobs.model === pair.model;
  const regionIds = Object.keys(p.regions);
  const series: SeriesSpec[] = [
    { key: "all", name: ALL, color: "var(--series-primary)" },
    ...regionIds.map((id, i) => ({ key: `r-${id}`, name: id, color: COLORS[i % COLORS.length] })),
  ];
  const byDay = new Map<string, SeriesDatum>();
  const datum = (t: string) => byDay.get(t) ?? byDay.set(t, { period: t, values: {}, texts: {} }).get(t)!;
  const put = (key: string, pt: PointView) => {
    const d = datum(pt.t);
    d.values[key] = pt.score === null ? null : pt.score * 100;
    d.texts[key] = `${score100(pt.score)} over ${formatInt(pt.probes)} probes`;
  };
  for (const pt of p.series) put("all", pt);
  for (const id of regionIds) for (const pt of p.regions[id]) put(`r-${id}`, pt);
  const data = [...byDay.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  const apiParams = { from: pair.window.from, to: pair.window.to, pipeline: pair.pipeline, model: pair.model };
  return (
    <>
      <p className="muted" data-testid="probe-pair-note">
        {range.from} – {range.to} (UTC, each probe&apos;s own time), <strong className="uri">{pair.pipeline}</strong> /{" "}
        <strong className="uri">{pair.model}</strong>
        {pair.choice === "busiest" ? " (its most probed pipeline and model in this range)" : " (the pipeline and model chosen above)"}. The score exists per
        pipeline and model, as in the leaderboard API. Each region is scored against the median round trip of every orchestrator&apos;s successful probes
        over all regions ({p.medianRoundTripS === null ? "none" : `${p.medianRoundTripS.toFixed(3)} s`}), and &quot;{ALL}&quot; is the mean over its regions,
        as the explorer&apos;s GLOBAL.
      </p>
      {others.length ? (
        <p className="muted">
          Also probed:{" "}
          {others.slice(0, 8).map((x, i) => (
            <span key={`${x.pipeline} ${x.model}`}>
              {i ? ", " : ""}
              <Link to={pageLink(x.pipeline, x.model)} className="uri">
                {x.pipeline} / {x.model}
              </Link>{" "}
              ({formatInt(x.probes)})
            </span>
          ))}
          {others.length > 8 ? `, and ${others.length - 8} more` : ""}.
        </p>
      ) : null}
      <TableWrap label="Public probes per region">
        <table data-testid="probe-regions">
          <thead>
            <tr>
              <th scope="col">Region</th>
              <th scope="col" className="r">Probes</th>
              <th scope="col" className="r">Success</th>
              <th scope="col" className="r" title="0.65 x success + 0.35 x 0.8^(mean round trip / median), x100">Score</th>
              <th scope="col" className="r">Round trip p50</th>
              <th scope="col" className="r">p95</th>
              <th scope="col" className="r" title="Successful probes with a round trip">n</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={r.region ?? ""} data-region={r.region ?? "all"}>
                <th scope="row">{r.region ?? ALL}</th>
                <td className="r">{formatInt(r.probeCount)}</td>
                <td className="r"><ProbeSuccess rate={r.probeSuccessRate} probes={r.probeCount} /></td>
                <td className="r"><ProbeScore score={r.probeScore} /></td>
                <td className="r"><ProbeRoundTrip k="p50" s={r.probeRoundTripS.p50} n={r.probeRoundTripSamples} /></td>
                <td className="r"><ProbeRoundTrip k="p95" s={r.probeRoundTripS.p95} n={r.probeRoundTripSamples} /></td>
                <td className="r">{formatInt(r.probeRoundTripSamples)}</td>
              </tr>
            ))}
            {sameJobs ? (
              <tr data-region="jobs">
                <th scope="row">Gateway job logs, same pair</th>
                <td className="r" title="Jobs">{formatInt(jobs.jobs)}</td>
                <td className="r"><SuccessRate rate={jobs.successRate} successes={jobs.successes} jobs={jobs.jobs} /></td>
                <td className="r muted">—</td>
                <td className="r"><Percentile k="p50" latency={jobs.latencyMs} n={jobs.latencySamples} /></td>
                <td className="r"><Percentile k="p95" latency={jobs.latencyMs} n={jobs.latencySamples} /></td>
                <td className="r">{formatInt(jobs.latencySamples)}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
      <p className="muted">
        A probe&apos;s round trip is measured by the leaderboard&apos;s tester in its region, including the network between them
        {sameJobs ? "; a job's latency is the gateway's end-to-end duration" : ""}. Percentiles of successful probes: p50 from 1, p95 from 20.
      </p>
      <ChartFrame
        heading="h3"
        title={`Probe score per day, orchestrator ${shortAddress(address)}, ${pair.pipeline} ${pair.model}`}
        caption={`${range.from} – ${range.to} (UTC) · Source: public AI leaderboard probes via Observatory`}
        filename={`observatory-orchestrator-${address}-probe-score-${range.from}_${range.to}`}
        {...apiHrefs(`/api/probes/${address}`, apiParams)}
      >
        <SeriesLines data={data} series={series} y="number" yMax={100} height={240} label={`Official probe score per day and region (x100) for ${address}`} />
      </ChartFrame>
      {[["", p.series] as const, ...Object.entries(p.regions)].map(([id, points]) => (
        <details key={id || "all"} open={id === ""}>
          <summary>
            {id || ALL}: {points.length} days
          </summary>
          <TableWrap label={`Probe history, ${id || ALL}`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="r">Probes</th>
                  <th scope="col" className="r">Success</th>
                  <th scope="col" className="r">Score</th>
                  <th scope="col" className="r">Round trip p50</th>
                  <th scope="col" className="r">p95</th>
                </tr>
              </thead>
              <tbody>
                {points.map((pt) => (
                  <tr key={pt.t}>
                    <td>{pt.t}</td>
                    <td className="r">{formatInt(pt.probes)}</td>
                    <td className="r"><ProbeSuccess rate={pt.successRate} probes={pt.probes} /></td>
                    <td className="r"><ProbeScore score={pt.score} /></td>
                    <td className="r"><ProbeRoundTrip k="p50" s={pt.roundTripS.p50} n={pt.okProbes} /></td>
                    <td className="r"><ProbeRoundTrip k="p95" s={pt.roundTripS.p95} n={pt.okProbes} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </details>
      ))}
      <ExportLinks
        path={`/api/orchestrators/${address}`}
        params={{ from: range.from, to: range.to, pipeline: pair.pipeline, model: pair.model, table: "probes" }}
        label="Probe figures per region"
        filename={`observatory-orchestrator-${address}-probes-${range.from}_${range.to}`}
      />
      <ExportLinks path={`/api/probes/${address}`} params={apiParams} label="Probe history per day" filename={`observatory-probes-${address}-${range.from}_${range.to}`} />
      <p className="muted">
        <Link to={withParams("/leaderboard", { from: pair.window.from, to: pair.window.to, pair: `${pair.pipeline} ${pair.model}` })}>
          Every orchestrator on the AI leaderboard for this pair and window
        </Link>
        .
      </p>
    </>
  );
}
