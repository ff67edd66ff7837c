import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Eth } from "~/components/amount";
import { useHydrated } from "~/components/charts/use-hydrated";
import { DownloadLinks } from "~/components/download-links";
import { Percentile, PERCENTILE_NOTE, PipelineModelSelects, SuccessRate } from "~/components/job-stats";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { ServiceUri } from "~/components/service-uri";
import { MAX_COMPARE, MIN_COMPARE } from "~/lib/job-limits";
import { dbFrom } from "~/lib/context.server";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatInt, formatPct, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { loadOrchestratorList } from "~/lib/orchestrator-list.server";
import { defaultDir, type OrchestratorSort } from "~/lib/orchestrator-sort";
import { changeParams } from "~/lib/url";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.rows.length} orchestrators; realized fees over ${d.window30d.from} – ${d.window30d.to}, job figures over ${d.range.from} – ${d.range.to}${d.filter.pipeline || d.filter.model ? ` for ${[d.filter.pipeline, d.filter.model].filter(Boolean).join(" / ")}` : ""}. `
    : "";
  return pageMeta(
    "Orchestrators",
    `${headline}Every Livepeer orchestrator: stake, fee share, reward cut, realized fees, and from gateway job logs: jobs, success rate and latency percentiles.`,
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { sort, dir, filter, range, rows, window30d, facets } = await loadOrchestratorList(dbFrom(context), new URL(request.url), { facets: true });
    return { sort, dir, filter, range, rows, window30d, facets: facets! };
  });
}

type Row = Data["rows"][number];
type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** Columns in display order; job figures sit next to the realized fees they are compared with. */
const COLUMNS: { key: OrchestratorSort; label: string; right?: boolean; title?: string; cell: (r: Row) => ReactNode }[] = [
  {
    key: "address",
    label: "Address",
    cell: (r) => (
      <Link to={`/orchestrators/${r.address}`} className="mono nowrap" title={r.address}>
        {shortAddress(r.address)}
      </Link>
    ),
  },
  { key: "serviceUri", label: "Service URI", cell: (r) => <ServiceUri uri={r.serviceUri} /> },
  { key: "active", label: "Active", cell: (r) => (r.active === null ? <span className="muted">no Transcoder row</span> : r.active ? "yes" : "no") },
  { key: "jobs", label: "Jobs", right: true, title: "Jobs in the gateway logs over the job range", cell: (r) => formatInt(r.jobs) },
  { key: "successRate", label: "Success", right: true, cell: (r) => <SuccessRate rate={r.successRate} successes={r.successes} jobs={r.jobs} /> },
  { key: "latencyP50", label: "p50", right: true, title: "Median latency of successful jobs", cell: (r) => <Percentile k="p50" latency={r.latencyMs} n={r.latencySamples} /> },
  { key: "latencyP95", label: "p95", right: true, cell: (r) => <Percentile k="p95" latency={r.latencyMs} n={r.latencySamples} /> },
  { key: "latencyP99", label: "p99", right: true, cell: (r) => <Percentile k="p99" latency={r.latencyMs} n={r.latencySamples} /> },
  { key: "latencySamples", label: "n", right: true, title: "Successful jobs behind the percentiles", cell: (r) => formatInt(r.latencySamples) },
  {
    key: "expectedFeesEth",
    label: "Expected fees (ETH)",
    right: true,
    title: "Expected fees from the gateway logs over the job range",
    cell: (r) => <Eth value={r.expectedFeesEth} unit={false} />,
  },
  {
    key: "usdPerVideoSecond",
    label: "USD / video s",
    right: true,
    title: "Cost per second of video: expected fees of successful priced video jobs over their output seconds, each day's fees at that day's ETH/USD",
    cell: (r) =>
      r.usdPerVideoSecond === null ? (
        <span className="muted">—</span>
      ) : (
        <span title={`${formatInt(r.videoJobs)} video jobs, ${r.videoSeconds} s`}>{formatUsdPrecise(r.usdPerVideoSecond)}</span>
      ),
  },
  {
    key: "feesEth30d",
    label: "Fees 30 days (ETH)",
    right: true,
    title: "Realized fees: winning tickets redeemed on chain",
    cell: (r) => <Eth value={r.feesEth30d} unit={false} />,
  },
  {
    key: "feesEthTotal",
    label: "Fees all time (ETH)",
    right: true,
    title: "Realized fees: winning tickets redeemed on chain",
    cell: (r) => <Eth value={r.feesEthTotal} unit={false} />,
  },
  { key: "totalStake", label: "Total stake (LPT)", right: true, cell: (r) => <Eth value={r.totalStake} dp={2} unit={false} symbol="LPT" /> },
  { key: "feeSharePct", label: "Fee share", right: true, cell: (r) => formatPct(r.feeSharePct) },
  { key: "rewardCutPct", label: "Reward cut", right: true, cell: (r) => formatPct(r.rewardCutPct) },
];

export default function Orchestrators() {
  const { sort, dir, filter, range, rows, window30d, facets } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  const hydrated = useHydrated();
  const [selected, setSelected] = useState(0);
  const compareForm = useRef<HTMLFormElement>(null);
  const countSelected = () => setSelected(compareForm.current?.querySelectorAll("input[name='address']:checked").length ?? 0);
  // Rows come and go with the filters: recount what is still ticked.
  useEffect(countSelected, [rows]);
  const filtered = filter.pipeline !== null || filter.model !== null;
  const canCompare = selected >= MIN_COMPARE && selected <= MAX_COMPARE;
  return (
    <>
      <PageHeader title="Orchestrators">
        {rows.length} orchestrators. Realized fees over 30 days cover {window30d.from} – {window30d.to}; job figures from gateway logs cover {range.from} –{" "}
        {range.to}
        {filtered ? ` for ${[filter.pipeline, filter.model].filter(Boolean).join(" / ")} only` : ""}. Click a column to sort; tick 2 to 4 rows to compare them.
      </PageHeader>
      <RangeForm from={range.from} to={range.to} keep={{ sort: sp.get("sort"), dir: sp.get("dir") }}>
        <PipelineModelSelects facets={facets} pipeline={filter.pipeline} model={filter.model} />
      </RangeForm>
      <section className="panel">
        <Form method="get" action="/compare" ref={compareForm} onChange={countSelected}>
          <input type="hidden" name="from" value={range.from} />
          <input type="hidden" name="to" value={range.to} />
          {filter.pipeline ? <input type="hidden" name="pipeline" value={filter.pipeline} /> : null}
          {filter.model ? <input type="hidden" name="model" value={filter.model} /> : null}
          <TableWrap label="Orchestrators">
            <table>
              <thead>
                <tr>
                  <th className="check-col">
                    <span className="visually-hidden">Compare</span>
                  </th>
                  {COLUMNS.map((c) => {
                    const current = c.key === sort;
                    const nextDir = current ? (dir === "asc" ? "desc" : "asc") : defaultDir(c.key);
                    return (
                      <th
                        key={c.key}
                        className={c.right ? "r" : undefined}
                        title={c.title}
                        aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}
                      >
                        <Link to={changeParams(sp, { sort: c.key, dir: nextDir })} preventScrollReset>
                          {c.label}
                          {current ? (dir === "asc" ? " ▲" : " ▼") : ""}
                        </Link>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.address}>
                    <td className="check-col">
                      <input type="checkbox" name="address" value={r.address} aria-label={`Compare ${r.address}`} />
                    </td>
                    {COLUMNS.map((c) => (
                      <td key={c.key} className={c.key === "serviceUri" ? "uri" : c.right ? "r" : undefined}>
                        {c.cell(r)}
                      </td>
                    ))}
                  </tr>
                ))}
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={COLUMNS.length + 1} className="muted">
                      {filtered ? "No orchestrator has jobs for this pipeline and model in this range." : "No orchestrator is indexed yet."}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </TableWrap>
          <div className="compare-bar">
            <button type="submit" disabled={hydrated && !canCompare}>
              Compare selected
            </button>
            <span className="muted" aria-live="polite">
              {hydrated ? `${selected} selected; pick ${MIN_COMPARE} to ${MAX_COMPARE}.` : `Pick ${MIN_COMPARE} to ${MAX_COMPARE}.`}
            </span>
          </div>
        </Form>
        <p className="muted">{PERCENTILE_NOTE}</p>
        <DownloadLinks path="/api/orchestrators" params={{ sort, dir, from: range.from, to: range.to, pipeline: filter.pipeline, model: filter.model }} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
