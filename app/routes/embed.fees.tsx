// /embed/fees?from=&to=&interval=day|week|month&unit=eth|usd&mode=period|cumulative: the overview's
// fee chart (subsidised and organic, the subsidy window shaded) for an iframe. `view` is accepted as
// another name for `mode` (the overview's parameter).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { apiHrefs } from "~/components/charts/chart-frame";
import { feePoints } from "~/components/charts/stacked-fee-chart";
import { StackedFeeChart } from "~/components/charts/stacked-fee-chart";
import { EmbedChart } from "~/components/embed-chart";
import { dbFrom } from "~/lib/context.server";
import { exportName } from "~/lib/download-names";
import { DEMO_SOURCE, SOURCE_SHORT } from "~/lib/download-provenance.server";
import { feesByPeriod, subsidyWindows } from "../../db/queries/fees";
import { formatEth, formatInt, formatTimestamp, formatUsd } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { shadeFor } from "~/lib/overview.server";
import { DEFAULT_RANGE_DAYS, param, parseChoice, parseInterval, parseRange } from "~/lib/params.server";
import { withParams } from "~/lib/url";

const MODES = ["period", "cumulative"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const interval = parseInterval(url);
    const unit = parseChoice(url, "unit", ["eth", "usd"] as const, "eth");
    const mode = param(url, "mode") !== null ? parseChoice(url, "mode", MODES, "period") : parseChoice(url, "view", MODES, "period");
    const state = await getIndexState(db);
    const range = parseRange(url, { latestDay: state.latestDay, defaultDays: DEFAULT_RANGE_DAYS });
    const fees = await feesByPeriod(db, { ...range, interval, cumulative: mode === "cumulative" });
    const [subsidy] = await subsidyWindows(db);
    const a = asOf(state);
    return {
      interval,
      unit,
      mode,
      range,
      rows: fees.rows,
      totals: fees.totals,
      shade: shadeFor(subsidy, range, interval, state.latestDay),
      source: state.demo ? `${DEMO_SOURCE}, ${SOURCE_SHORT.subgraph}` : SOURCE_SHORT.subgraph,
      asOf: a.block !== null ? `block ${formatInt(a.block)} (${formatTimestamp(a.timestamp)})` : null,
    };
  });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const PER = { day: "day", week: "ISO week", month: "month" } as const;

function titleOf(d: Pick<Data, "mode" | "interval" | "unit">) {
  return `${d.mode === "cumulative" ? "Cumulative Livepeer fees" : "Livepeer fees"} per ${PER[d.interval]} (${d.unit.toUpperCase()}), subsidised and organic`;
}

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  if (!d) return pageMeta("Fees chart", "Livepeer network fees per day, week or month.", args);
  return pageMeta(
    titleOf(d),
    `${d.range.from} – ${d.range.to}: fees ${formatEth(d.totals.volumeEth)} ETH (${formatUsd(d.totals.volumeUsd)}) from ${formatInt(d.totals.tickets)} winning tickets; organic ${formatEth(d.totals.split.organicEth)} ETH, subsidised ${formatEth(d.totals.split.subsidizedEth)} ETH.`,
    args,
  );
};

export default function EmbedFees() {
  const d = useLoaderData<typeof loader>();
  const data = feePoints(d.rows, { unit: d.unit, cumulative: d.mode === "cumulative" });
  const apiParams = { interval: d.interval, from: d.range.from, to: d.range.to, view: d.mode === "cumulative" ? "cumulative" : null };
  const t = d.totals;
  const title = titleOf(d);
  return (
    <EmbedChart
      title={title}
      range={`${d.range.from} – ${d.range.to} (UTC)`}
      source={d.source}
      asOf={d.asOf}
      backHref={withParams("/", { chartFrom: d.range.from, chartTo: d.range.to, interval: d.interval, unit: d.unit, view: d.mode === "cumulative" ? "cumulative" : null })}
      backLabel="Fees overview"
      filename={exportName(`fees-${d.interval}${d.mode === "cumulative" ? "-cumulative" : ""}`, d.range)}
      {...apiHrefs("/api/fees", apiParams)}
      chart={<StackedFeeChart data={data} kind={d.mode === "cumulative" ? "area" : "bar"} shade={d.shade} label={`${title}, ${d.range.from} to ${d.range.to}`} height={260} />}
    >
      <ul className="key-numbers">
        <li>
          Total: <strong><Eth value={t.volumeEth} /></strong> (<Usd value={t.volumeUsd} />)
        </li>
        <li>
          Organic: <strong><Eth value={t.split.organicEth} /></strong>
        </li>
        <li>
          Subsidised: <strong><Eth value={t.split.subsidizedEth} /></strong>
        </li>
        <li>
          Tickets: <strong>{formatInt(t.tickets)}</strong>
        </li>
      </ul>
    </EmbedChart>
  );
}
