import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { DailyBars } from "~/components/charts/fee-charts";
import { DownloadLinks } from "~/components/download-links";
import { RangeForm } from "~/components/range-form";
import { PageHeader } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { ServiceUri } from "~/components/service-uri";
import { dbFrom } from "~/lib/context.server";
import { formatEth, formatInt, formatPct, shortAddress } from "~/lib/format";
import { notFound, pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { getOrchestrator, orchestratorSeries, thirtyDayWindow } from "~/lib/orchestrators.server";
import { DEFAULT_RANGE_DAYS, parseAddress, parseRange } from "~/lib/params.server";

export const meta: MetaFunction<typeof loader> = ({ data, params }) =>
  pageMeta(
    `Orchestrator ${data?.row ? shortAddress(data.row.address) : (params.address ?? "").slice(0, 42)}`,
    "A Livepeer orchestrator's stake, fee share, reward cut and daily fees earned.",
  );

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const address = parseAddress(params.address);
    const state = await getIndexState(db);
    const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
    const row = await getOrchestrator(db, address, state.latestDay);
    if (!row) throw notFound(`No orchestrator ${address} is indexed: it has no Transcoder row and earned no fees.`);
    const { series, totals } = await orchestratorSeries(db, address, range);
    return { row, range, series, totals, window30d: thirtyDayWindow(state.latestDay) };
  });
}

export default function Orchestrator() {
  const { row, range, series, totals, window30d } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/orchestrators">← All orchestrators</Link>
      </p>
      <PageHeader title={`Orchestrator ${shortAddress(row.address)}`}>
        <span className="mono">{row.address}</span>
      </PageHeader>
      <section className="panel">
        <dl className="facts">
          <dt>Service URI</dt>
          <dd className="uri">
            <ServiceUri uri={row.serviceUri} />
          </dd>
          <dt>Active</dt>
          <dd>{row.active === null ? "no Transcoder row indexed" : row.active ? "yes" : "no"}</dd>
          <dt>Status</dt>
          <dd>{row.status ?? "—"}</dd>
          <dt>Total stake</dt>
          <dd>
            <Eth value={row.totalStake} dp={2} symbol="LPT" />
          </dd>
          <dt>Fee share</dt>
          <dd>{formatPct(row.feeSharePct)}</dd>
          <dt>Reward cut</dt>
          <dd>{formatPct(row.rewardCutPct)}</dd>
          <dt>Fees, 30 days</dt>
          <dd>
            <Eth value={row.feesEth30d} /> ({window30d.from} – {window30d.to})
          </dd>
          <dt>Fees, all time</dt>
          <dd>
            <Eth value={row.feesEthTotal} />
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="daily-title">
        <h2 id="daily-title">
          Daily fees, {range.from} – {range.to}
        </h2>
        <RangeForm from={range.from} to={range.to} />
        <DailyBars
          label={`Daily fees in ETH for ${row.address}`}
          data={series.map((s) => ({ period: s.period, value: s.volumeEth, text: `${formatEth(s.volumeEth)} ETH (${formatInt(s.tickets)} tickets)` }))}
        />
        <ul className="key-numbers">
          <li>
            Total: <strong><Eth value={totals.volumeEth} /></strong> (<Usd value={totals.volumeUsd} />)
          </li>
          <li>
            Tickets: <strong>{formatInt(totals.tickets)}</strong>
          </li>
          <li>
            Days with fees: <strong>{series.filter((s) => s.tickets > 0).length}</strong> of {series.length}
          </li>
        </ul>
        <DownloadLinks path={`/api/orchestrators/${row.address}`} params={{ from: range.from, to: range.to }} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
