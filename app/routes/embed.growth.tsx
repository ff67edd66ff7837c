// /embed/growth?baselineFrom=&baselineTo=&from=&to=: the growth multiple (all fees and organic only)
// with the daily averages it divides, for an iframe. Defaults as on the overview (decision 004).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eth } from "~/components/amount";
import { apiHrefs } from "~/components/charts/chart-frame";
import { SeriesBars } from "~/components/charts/series-bars";
import type { SeriesDatum } from "~/components/charts/series";
import { EmbedChart } from "~/components/embed-chart";
import { dbFrom } from "~/lib/context.server";
import { prefixed } from "~/lib/download-names";
import { DEMO_SOURCE, SOURCE_SHORT } from "~/lib/download-provenance.server";
import { growth } from "../../db/queries/fees";
import { resolveGrowthWindows } from "~/lib/fees.server";
import { formatEth, formatInt, formatMultiple, formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { asOf, getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { withParams } from "~/lib/url";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const state = await getIndexState(db);
    const windows = await resolveGrowthWindows(db, url, state.latestDay);
    const g = await growth(db, windows);
    const a = asOf(state);
    return {
      growth: g,
      periodSource: windows.periodSource,
      source: state.demo ? `${DEMO_SOURCE}, ${SOURCE_SHORT.subgraph}` : SOURCE_SHORT.subgraph,
      asOf: a.block !== null ? `block ${formatInt(a.block)} (${formatTimestamp(a.timestamp)})` : null,
    };
  });
}

const headline = (g: { multiple: number | null; organicMultiple: number | null }) =>
  `Fee growth ${formatMultiple(g.multiple)} (organic ${formatMultiple(g.organicMultiple)})`;

export const meta: MetaFunction<typeof loader> = (args) => {
  const g = args.data?.growth;
  if (!g) return pageMeta("Fee growth", "Livepeer fee growth against a baseline.", args);
  return pageMeta(
    headline(g),
    `Daily average fees ${g.period.from} – ${g.period.to}: ${formatEth(g.period.dailyAvgEth)} ETH vs ${formatEth(g.baseline.dailyAvgEth)} ETH in ${g.baseline.from} – ${g.baseline.to}: ${formatMultiple(g.multiple)}; organic only ${formatMultiple(g.organicMultiple)}.`,
    args,
  );
};

export default function EmbedGrowth() {
  const { growth: g, source, asOf: asOfText } = useLoaderData<typeof loader>();
  const data: SeriesDatum[] = (
    [
      ["Baseline", g.baseline],
      ["Period", g.period],
    ] as const
  ).map(([name, w]) => ({
    period: `${name} ${w.from} – ${w.to}`,
    label: `${name}: ${w.from} – ${w.to} (${w.days} days)`,
    values: { all: w.dailyAvgEth, organic: w.organicDailyAvgEth },
    texts: { all: `${formatEth(w.dailyAvgEth)} ETH a day`, organic: `${formatEth(w.organicDailyAvgEth)} ETH a day` },
  }));
  const params = { baselineFrom: g.baseline.from, baselineTo: g.baseline.to, from: g.period.from, to: g.period.to };
  return (
    <EmbedChart
      title={headline(g)}
      range={`${g.period.from} – ${g.period.to} vs ${g.baseline.from} – ${g.baseline.to} (UTC)`}
      source={source}
      asOf={asOfText}
      backHref={withParams("/", params)}
      backLabel="Growth on the fees overview"
      filename={prefixed(`fee-growth-${g.baseline.from}_${g.baseline.to}-vs-${g.period.from}_${g.period.to}`)}
      {...apiHrefs("/api/fees/growth", params)}
      chart={
        <SeriesBars
          data={data}
          series={[
            { key: "all", name: "All fees (ETH a day)", color: "var(--series-primary)" },
            { key: "organic", name: "Organic (ETH a day)", color: "var(--series-organic)" },
          ]}
          label="Daily average fees in the baseline and the period, all fees and organic only"
          height={240}
        />
      }
    >
      <ul className="key-numbers">
        <li>
          Growth: <strong data-testid="growth-multiple">{formatMultiple(g.multiple)}</strong>
        </li>
        <li>
          Organic only: <strong>{formatMultiple(g.organicMultiple)}</strong>
        </li>
        <li>
          Period: <strong><Eth value={g.period.dailyAvgEth} /></strong> a day over {g.period.days} days
        </li>
        <li>
          Baseline: <strong><Eth value={g.baseline.dailyAvgEth} /></strong> a day over {g.baseline.days} days
        </li>
      </ul>
      <p className="muted">Growth = period daily average / baseline daily average. Subsidised = fees paid by gateways tagged subsidised.</p>
    </EmbedChart>
  );
}
