// /pipelines: AI jobs per pipeline and model from the gateway logs (app/lib/pipelines.server.ts), a
// chart and a table. Latency percentiles and costs are per pipeline and model only: a figure over
// every pipeline would mix 1-second image jobs with 30-second video jobs.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Eth } from "~/components/amount";
import { CategoryStackedBars } from "~/components/charts/category-stacked-bars";
import { pipelinePoints, SUCCEEDED_FAILED } from "~/components/charts/job-points";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { exportName } from "~/lib/download-names";
import { Percentile, PERCENTILE_NOTE, SuccessRate } from "~/components/job-stats";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatEth, formatInt, groupThousands, roundDecimal } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { formatRate } from "~/lib/latency";
import { pageMeta } from "~/lib/meta";
import { loadPipelines } from "~/lib/pipelines.server";
import { withParams } from "~/lib/url";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.range.from} – ${d.range.to}: ${formatInt(d.totals.jobs)} AI jobs in ${d.rows.length} pipeline and model pairs, ${formatRate(d.totals.successRate)} succeeded, expected fees ${formatEth(d.totals.expectedFeesEth)} ETH. `
    : "";
  return pageMeta(
    "Pipelines",
    `${headline}Livepeer AI jobs per pipeline and model from gateway logs: jobs, success rate, latency percentiles, expected fees and output seconds.`,
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { state: _state, ...d } = await loadPipelines(dbFrom(context), new URL(request.url));
    return d;
  });
}

const seconds = (s: string) => groupThousands(roundDecimal(s, 1));

export default function Pipelines() {
  const { range, rows, totals } = useLoaderData<typeof loader>();
  const data = pipelinePoints(rows);
  return (
    <>
      <PageHeader title="Pipelines and models">
        AI jobs in the gateway logs, {range.from} – {range.to} (UTC, inclusive): {formatInt(totals.jobs)} jobs in {rows.length} pipeline and model
        pairs. Expected fees are priced per job from the logs (not winning tickets).
      </PageHeader>
      <RangeForm from={range.from} to={range.to} />
      <section className="panel" aria-labelledby="pipelines-chart-title">
        <h2 id="pipelines-chart-title">Jobs per pipeline and model</h2>
        {rows.length ? (
          <ChartFrame
            heading="none"
            title="Livepeer AI jobs per pipeline and model, succeeded and failed"
            caption={`${range.from} – ${range.to} (UTC) · Source: gateway job logs via Observatory`}
            filename={exportName("pipelines", range)}
            {...apiHrefs("/api/pipelines", { from: range.from, to: range.to })}
            embedPath={withParams("/embed/pipelines", { from: range.from, to: range.to })}
          >
            <CategoryStackedBars
              label="Jobs per pipeline and model, succeeded and failed"
              data={data}
              series={SUCCEEDED_FAILED}
            />
          </ChartFrame>
        ) : (
          <p>No jobs are logged in this range.</p>
        )}
        <ul className="key-numbers">
          <li>
            Jobs: <strong>{formatInt(totals.jobs)}</strong> (<SuccessRate rate={totals.successRate} successes={totals.successes} jobs={totals.jobs} /> succeeded)
          </li>
          <li>
            Latency: per pipeline and model in the table below, never over all pipelines (it would mix 1-second image jobs with 30-second video jobs)
          </li>
          <li>
            Expected fees: <strong><Eth value={totals.expectedFeesEth} /></strong>
          </li>
          <li>
            Output seconds: <strong>{seconds(totals.outputSeconds)}</strong>
          </li>
        </ul>
      </section>
      <section className="panel" aria-labelledby="pipelines-table-title">
        <h2 id="pipelines-table-title">By pipeline and model</h2>
        <TableWrap label="Jobs by pipeline and model">
          <table>
            <thead>
              <tr>
                <th>Pipeline</th>
                <th>Model</th>
                <th className="r">Jobs</th>
                <th className="r">Success</th>
                <th className="r">p50</th>
                <th className="r">p95</th>
                <th className="r">p99</th>
                <th className="r" title="Successful jobs behind the percentiles">n</th>
                <th className="r">Expected fees (ETH)</th>
                <th className="r">Output seconds</th>
                <th className="r" title="Expected fees of successful priced jobs over the same jobs' output: per video second, or per image and megapixel">
                  Cost (USD)
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.pipeline}\t${r.modelId}`}>
                  <td>
                    <Link to={withParams("/orchestrators", { pipeline: r.pipeline, from: range.from, to: range.to })}>{r.pipeline}</Link>
                  </td>
                  <td className="uri">
                    <Link to={withParams("/orchestrators", { pipeline: r.pipeline, model: r.modelId, from: range.from, to: range.to })}>{r.modelId}</Link>
                  </td>
                  <td className="r">{formatInt(r.jobs)}</td>
                  <td className="r"><SuccessRate rate={r.successRate} successes={r.successes} jobs={r.jobs} /></td>
                  <td className="r"><Percentile k="p50" latency={r.latencyMs} n={r.latencySamples} /></td>
                  <td className="r"><Percentile k="p95" latency={r.latencyMs} n={r.latencySamples} /></td>
                  <td className="r"><Percentile k="p99" latency={r.latencyMs} n={r.latencySamples} /></td>
                  <td className="r">{formatInt(r.latencySamples)}</td>
                  <td className="r"><Eth value={r.expectedFeesEth} unit={false} /></td>
                  <td className="r num">{seconds(r.outputSeconds)}</td>
                  <td className="r num" title={r.costJobs ? `${formatInt(r.costJobs)} priced jobs with output` : undefined}>
                    {r.usdPerVideoSecond !== null ? (
                      <Link to={withParams("/cloud", { pipeline: r.pipeline, model: r.modelId, from: range.from, to: range.to })}>
                        {formatUsdPrecise(r.usdPerVideoSecond)} / video s
                      </Link>
                    ) : r.usdPerImage !== null ? (
                      `${formatUsdPrecise(r.usdPerImage)} / image, ${formatUsdPrecise(r.usdPerMegapixel)} / MP`
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={11} className="muted">
                    No jobs in this range.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </TableWrap>
        <p className="muted">{PERCENTILE_NOTE} Orchestrators for a pipeline or model: follow its link.</p>
        <DownloadLinks path="/api/pipelines" params={{ from: range.from, to: range.to }} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
