import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { gatewayFeeBars, orchestratorFeeBars } from "~/components/charts/horizontal-bars";
import { HorizontalBars } from "~/components/charts/horizontal-bars";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { exportName } from "~/lib/download-names";
import { RangeForm } from "~/components/range-form";
import { GatewayFeeTable, ORCHESTRATOR_COLUMNS as C, OrchestratorFeeTable } from "~/components/fee-tables";
import { PageHeader } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { feesByGateway, feesByOrchestrator, feeTotals } from "../../db/queries/fees";
import { formatEth, formatInt, formatUsd } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { DEFAULT_RANGE_DAYS, parseRange } from "~/lib/params.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  const headline = d
    ? `${d.range.from} – ${d.range.to}: fees ${formatEth(d.totals.volumeEth, 1)} ETH (${formatUsd(d.totals.volumeUsd)}) from ${formatInt(d.totals.tickets)} tickets, paid by ${d.gateways.length} gateways to ${d.orchestrators.length} orchestrators. `
    : "";
  return pageMeta("Fees by gateway and orchestrator", `${headline}Who paid and who earned Livepeer fees over a date range: shares, tickets, ETH and USD.`, args);
};

const TOP = 10;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const state = await getIndexState(db);
    const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
    const totals = await feeTotals(db, range);
    const gateways = await feesByGateway(db, range);
    const orchestrators = await feesByOrchestrator(db, range);
    return { range, totals, gateways, orchestrators };
  });
}

export default function Fees() {
  const { range, totals, gateways, orchestrators } = useLoaderData<typeof loader>();
  const params = { from: range.from, to: range.to };
  return (
    <>
      <PageHeader title="Fees by gateway and orchestrator">
        {range.from} – {range.to} (UTC, inclusive): <Eth value={totals.volumeEth} /> (<Usd value={totals.volumeUsd} />) from{" "}
        {formatInt(totals.tickets)} winning tickets.
      </PageHeader>
      <RangeForm from={range.from} to={range.to} />
      <div className="grid-2">
        <section className="panel" aria-labelledby="gw-title">
          <h2 id="gw-title">By gateway (who paid)</h2>
          <p className="muted">
            {gateways.length} gateways paid fees. Subsidised: <Eth value={totals.split.subsidizedEth} />; organic:{" "}
            <Eth value={totals.split.organicEth} />.
          </p>
          {gateways.length ? (
            <ChartFrame
              heading="none"
              title={`Livepeer fees by gateway (ETH)${gateways.length > TOP ? `, top ${TOP}` : ""}`}
              caption={`${range.from} – ${range.to} (UTC) · Source: Livepeer subgraph via Observatory`}
              filename={exportName("fees-by-gateway", range)}
              {...apiHrefs("/api/fees/gateways", params)}
            >
              <HorizontalBars label="Fees in ETH by gateway" data={gatewayFeeBars(gateways.slice(0, TOP))} />
            </ChartFrame>
          ) : (
            <p>No fees in this range.</p>
          )}
          <GatewayFeeTable rows={gateways} label="Fees by gateway" />
          <DownloadLinks path="/api/fees/gateways" params={params} />
        </section>
        <section className="panel" aria-labelledby="orch-title">
          <h2 id="orch-title">By orchestrator (who earned)</h2>
          <p className="muted">
            {orchestrators.length} orchestrators earned fees{orchestrators.length > TOP ? `; the chart shows the top ${TOP}` : ""}.
          </p>
          {orchestrators.length ? (
            <ChartFrame
              heading="none"
              title={`Livepeer fees by orchestrator (ETH)${orchestrators.length > TOP ? `, top ${TOP}` : ""}`}
              caption={`${range.from} – ${range.to} (UTC) · Source: Livepeer subgraph via Observatory`}
              filename={exportName("fees-by-orchestrator", range)}
              {...apiHrefs("/api/fees/orchestrators", params)}
            >
              <HorizontalBars label="Fees in ETH by orchestrator" data={orchestratorFeeBars(orchestrators.slice(0, TOP))} />
            </ChartFrame>
          ) : (
            <p>No fees in this range.</p>
          )}
          <OrchestratorFeeTable
            rows={orchestrators}
            label="Fees by orchestrator"
            columns={[C.share, C.tickets, C.eth, C.usd]}
            href={(a) => `/orchestrators/${a}?from=${range.from}&to=${range.to}`}
            link="client"
          />
          <DownloadLinks path="/api/fees/orchestrators" params={params} />
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
