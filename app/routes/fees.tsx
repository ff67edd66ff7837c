import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { HorizontalBars } from "~/components/charts/fee-charts";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { exportName } from "~/lib/download-names";
import { RangeForm } from "~/components/range-form";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { feesByGateway, feesByOrchestrator, feeTotals } from "~/lib/fees.server";
import { formatEth, formatInt, formatPct, formatUsd, shortAddress } from "~/lib/format";
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
              <HorizontalBars
                label="Fees in ETH by gateway"
                data={gateways.slice(0, TOP).map((g) => ({
                  name: g.label ?? shortAddress(g.address),
                  value: g.volumeEth,
                  text: `${formatEth(g.volumeEth)} ETH`,
                  series: g.subsidized ? "subsidized" : "organic",
                }))}
              />
            </ChartFrame>
          ) : (
            <p>No fees in this range.</p>
          )}
          <TableWrap label="Fees by gateway">
            <table>
              <thead>
                <tr>
                  <th>Gateway</th>
                  <th>Tag</th>
                  <th className="r">Share</th>
                  <th className="r">Tickets</th>
                  <th className="r">ETH</th>
                  <th className="r">USD</th>
                </tr>
              </thead>
              <tbody>
                {gateways.map((g) => (
                  <tr key={g.address}>
                    <td>
                      <span className="mono" title={g.address}>
                        {shortAddress(g.address)}
                      </span>
                      {g.label ? <div className="muted">{g.label}</div> : null}
                    </td>
                    <td>{g.tag ? <span className={`tag tag-${g.tag}`}>{g.tag}</span> : <span className="muted">—</span>}</td>
                    <td className="r">{formatPct(g.sharePct)}</td>
                    <td className="r">{formatInt(g.tickets)}</td>
                    <td className="r"><Eth value={g.volumeEth} unit={false} /></td>
                    <td className="r"><Usd value={g.volumeUsd} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
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
              <HorizontalBars
                label="Fees in ETH by orchestrator"
                data={orchestrators.slice(0, TOP).map((o) => ({
                  name: shortAddress(o.address),
                  value: o.volumeEth,
                  text: `${formatEth(o.volumeEth)} ETH`,
                  series: "primary",
                }))}
              />
            </ChartFrame>
          ) : (
            <p>No fees in this range.</p>
          )}
          <TableWrap label="Fees by orchestrator">
            <table>
              <thead>
                <tr>
                  <th>Orchestrator</th>
                  <th className="r">Share</th>
                  <th className="r">Tickets</th>
                  <th className="r">ETH</th>
                  <th className="r">USD</th>
                </tr>
              </thead>
              <tbody>
                {orchestrators.map((o) => (
                  <tr key={o.address}>
                    <td>
                      <Link to={`/orchestrators/${o.address}?from=${range.from}&to=${range.to}`} className="mono" title={o.address}>
                        {shortAddress(o.address)}
                      </Link>
                    </td>
                    <td className="r">{formatPct(o.sharePct)}</td>
                    <td className="r">{formatInt(o.tickets)}</td>
                    <td className="r"><Eth value={o.volumeEth} unit={false} /></td>
                    <td className="r"><Usd value={o.volumeUsd} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <DownloadLinks path="/api/fees/orchestrators" params={params} />
        </section>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
