// /embed/pipelines?from=&to=: jobs per pipeline and model (succeeded and failed), for an iframe.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eth } from "~/components/amount";
import { apiHrefs } from "~/components/charts/chart-frame";
import { CategoryStackedBars } from "~/components/charts/category-stacked-bars";
import { pipelinePoints, SUCCEEDED_FAILED } from "~/components/charts/job-points";
import { EmbedChart } from "~/components/embed-chart";
import { SuccessRate } from "~/components/job-stats";
import { dbFrom } from "~/lib/context.server";
import { exportName } from "~/lib/download-names";
import { DEMO_SOURCE, SOURCE_SHORT } from "~/lib/download-provenance.server";
import { formatEth, formatInt } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { formatRate } from "~/lib/latency";
import { pageMeta } from "~/lib/meta";
import { loadPipelines } from "~/lib/pipelines.server";
import { withParams } from "~/lib/url";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { state, range, rows, totals } = await loadPipelines(dbFrom(context), new URL(request.url));
    return { range, rows, totals, source: state.demo ? `${DEMO_SOURCE}, ${SOURCE_SHORT.joblogs}` : SOURCE_SHORT.joblogs };
  });
}

const TITLE = "Livepeer AI jobs per pipeline and model";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  if (!d) return pageMeta(TITLE, "Jobs per pipeline and model from gateway job logs.", args);
  return pageMeta(
    TITLE,
    `${d.range.from} – ${d.range.to}: ${formatInt(d.totals.jobs)} jobs in ${d.rows.length} pipeline and model pairs, ${formatRate(d.totals.successRate)} succeeded, expected fees ${formatEth(d.totals.expectedFeesEth)} ETH.`,
    args,
  );
};

export default function EmbedPipelines() {
  const { range, rows, totals, source } = useLoaderData<typeof loader>();
  const data = pipelinePoints(rows);
  const params = { from: range.from, to: range.to };
  return (
    <EmbedChart
      title={TITLE}
      range={`${range.from} – ${range.to} (UTC)`}
      source={source}
      backHref={withParams("/pipelines", params)}
      backLabel="Pipelines page"
      filename={exportName("pipelines", range)}
      {...apiHrefs("/api/pipelines", params)}
      chart={
        rows.length ? (
          <CategoryStackedBars
            label="Jobs per pipeline and model, succeeded and failed"
            data={data}
series={SUCCEEDED_FAILED}
          />
        ) : (
          <p>No jobs are logged in this range.</p>
        )
      }
    >
      <ul className="key-numbers">
        <li>
          Jobs: <strong>{formatInt(totals.jobs)}</strong> (<SuccessRate rate={totals.successRate} successes={totals.successes} jobs={totals.jobs} /> succeeded)
        </li>
        <li>
          Expected fees: <strong><Eth value={totals.expectedFeesEth} /></strong>
        </li>
      </ul>
      <ul className="embed-models muted">
        {rows.map((r) => (
          <li key={`${r.pipeline}\t${r.modelId}`}>
            {r.pipeline} · <span className="mono">{r.modelId}</span>: {formatInt(r.jobs)} jobs
          </li>
        ))}
      </ul>
    </EmbedChart>
  );
}
