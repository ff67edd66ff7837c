// /orchestrators: every orchestrator in one table (app/components/orchestrator/orchestrator-table.tsx):
// on-chain fees and stake, what it advertises at the newest capabilities poll (GPUs, live video
// price), and its job figures from the gateway logs for one pipeline and model pair, the busiest in
// the window unless chosen (percentiles never mix pairs), and its public AI leaderboard probes (score,
// success, round-trip p95) for one probed pair. Ticking 2 to 4 rows opens /compare.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useHydrated } from "~/components/charts/use-hydrated";
import { DownloadLinks } from "~/components/download-links";
import { PairNote, pairText, PERCENTILE_NOTE, PipelineModelSelects } from "~/components/job-stats";
import { OrchestratorTable } from "~/components/orchestrator/orchestrator-table";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { MAX_COMPARE, MIN_COMPARE } from "~/lib/job-limits";
import { dbFrom } from "~/lib/context.server";
import { formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { loadOrchestratorList } from "~/lib/orchestrator-list.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.rows.length} orchestrators; realized fees over ${d.window30d.from} – ${d.window30d.to}, job figures over ${d.range.from} – ${d.range.to} for ${pairText(d.pair)}. `
    : "";
  return pageMeta(
    "Orchestrators",
    `${headline}Every Livepeer orchestrator: stake, fee share, reward cut, realized fees, and from gateway job logs: jobs, success rate and latency percentiles.`,
    args,
  );
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { sort, dir, pair, narrow, range, rows, advertised, probes, window30d, facets } = await loadOrchestratorList(dbFrom(context), new URL(request.url), {
      facets: true,
    });
    return { sort, dir, pair, narrow, range, rows, advertised, probes, window30d, facets: facets! };
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Orchestrators() {
  const { sort, dir, pair, narrow, range, rows, advertised, probes, window30d, facets } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  const hydrated = useHydrated();
  const [selected, setSelected] = useState(0);
  const compareForm = useRef<HTMLFormElement>(null);
  const countSelected = () => setSelected(compareForm.current?.querySelectorAll("input[name='address']:checked").length ?? 0);
  // Rows come and go with the filters: recount what is still ticked.
  useEffect(countSelected, [rows]);
  const canCompare = selected >= MIN_COMPARE && selected <= MAX_COMPARE;
  const asked = pair.choice === "all" ? { pipeline: "all", model: null } : pair.requested;
  const shown = pair.choice === "all" ? asked : pair;
  return (
    <>
      <PageHeader title="Orchestrators">
        {rows.length} orchestrators. Realized fees over 30 days cover {window30d.from} – {window30d.to}; job figures from gateway logs cover {range.from} –{" "}
        {range.to}
        {narrow ? ` (orchestrators with jobs of ${pairText(pair)} only)` : ""}. Click a column to sort; tick 2 to 4 rows to compare them.
      </PageHeader>
      <RangeForm from={range.from} to={range.to} keep={{ sort: sp.get("sort"), dir: sp.get("dir") }}>
        <PipelineModelSelects facets={facets} pipeline={pair.requested.pipeline} model={pair.requested.model} chosen={pair} allowAll />
      </RangeForm>
      <PairNote pair={pair} scope="the network's" />
      <section className="panel">
        <Form method="get" action="/compare" ref={compareForm} onChange={countSelected}>
          <input type="hidden" name="from" value={range.from} />
          <input type="hidden" name="to" value={range.to} />
          {/* Compare what the table shows: the pair in use. */}
          {shown.pipeline ? <input type="hidden" name="pipeline" value={shown.pipeline} /> : null}
          {shown.model ? <input type="hidden" name="model" value={shown.model} /> : null}
          <TableWrap label="Orchestrators">
            <OrchestratorTable
              rows={rows}
              pair={pair}
              probePair={probes}
              sort={sort}
              dir={dir}
              search={sp}
              emptyText={narrow ? "No orchestrator has jobs for this pipeline and model in this range." : "No orchestrator is indexed yet."}
            />
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
        <p className="muted">
          {PERCENTILE_NOTE} <AdvertisedNote advertised={advertised} />
        </p>
        <ProbeNote probes={probes} rows={rows} />
        <DownloadLinks path="/api/orchestrators" params={{ sort, dir, from: range.from, to: range.to, pipeline: asked.pipeline, model: asked.model }} />
      </section>
    </>
  );
}

/** Where the probe columns come from and which pair they are for, or why there are none. */
function ProbeNote({ probes, rows }: { probes: Data["probes"]; rows: Data["rows"] }) {
  const withProbes = rows.filter((r) => r.probeCount > 0).length;
  if (probes.pipeline === null || withProbes === 0)
    return (
      <p className="muted" data-testid="probe-note">
        No public probes in this range, so no probe columns. They come from the public AI leaderboard API (set <code>LEADERBOARD_URL</code>).
      </p>
    );
  return (
    <p className="muted" data-testid="probe-note">
      Probe columns: the public AI leaderboard&apos;s test jobs over {windowDays(probes.window)} for <strong className="uri">{probes.pipeline}</strong> /{" "}
      <strong className="uri">{probes.model}</strong>
      {probes.choice === "busiest" ? " (the most probed pair in the range)" : " (the pair chosen above)"}, {withProbes} orchestrators with probes. Score x100
      and success are means over each orchestrator&apos;s regions, as the explorer&apos;s GLOBAL; the round trip is measured by the tester.{" "}
      <a href={`/leaderboard?${new URLSearchParams({ from: probes.window.from, to: probes.window.to, pair: `${probes.pipeline} ${probes.model}` })}`}>
        The leaderboard for this pair
      </a>
      .
    </p>
  );
}

const windowDays = (w: { from: string; to: string }) => `${w.from.slice(0, 10)} – ${w.to.slice(0, 10)}`;

/** Where the GPU and live video columns come from, and when. */
function AdvertisedNote({ advertised }: { advertised: Data["advertised"] }) {
  if (advertised.asOf === null)
    return (
      <>
        GPUs and live video prices come from a gateway&apos;s capabilities: none are indexed yet (set GATEWAY_CAPABILITIES_URL, or send
        network_capabilities gateway events).
      </>
    );
  const rate = advertised.usdRate ? `; USD at ${advertised.usdRate.usdPerEth} USD/ETH (${advertised.usdRate.rateDate})` : "; no ETH/USD rate, so wei per pixel";
  return (
    <>
      {`GPUs and live video prices are as advertised at the newest capabilities poll, ${formatTimestamp(advertised.asOf)}${rate}. `}
      Live video is priced per pixel: an hour of 1280x720x30 video is 27,648,000 pixels a second.
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
