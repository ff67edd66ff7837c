import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { feePoints } from "~/components/charts/stacked-fee-chart";
import { StackedFeeChart } from "~/components/charts/stacked-fee-chart";
import { ChartFrame, apiHrefs } from "~/components/charts/chart-frame";
import { DownloadLinks } from "~/components/download-links";
import { EmbedSnippet } from "~/components/embed-snippet";
import { ExportLinks } from "~/components/export-links";
import { exportName } from "~/lib/download-names";
import { withParams } from "~/lib/url";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { Segmented } from "~/components/segmented";
import { dbFrom } from "~/lib/context.server";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatChange, formatEth, formatInt, formatMultiple, formatUsd, groupThousands, roundDecimal } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { loadOverview } from "~/lib/overview.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const k30 = args.data?.kpis.find((k) => k.days === 30);
  const g = args.data?.growth;
  const headline = k30
    ? `30-day fees ${formatEth(k30.volumeEth, 1)} ETH (${formatChange(k30.changePct.volumeEth)}), ${formatUsd(k30.volumeUsd)}, ${k30.from} – ${k30.to}.` +
      (g ? ` Growth ${formatMultiple(g.multiple)} vs baseline (organic ${formatMultiple(g.organicMultiple)}).` : "")
    : "";
  return pageMeta("Overview", `${headline} Livepeer AI video compute fees: last 7 and 30 days, fees by day, week or month, and growth against a baseline.`.trim(), args);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(() => loadOverview(dbFrom(context), new URL(request.url)));
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Overview() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Livepeer network fees">
        Realized fees (winning tickets redeemed on chain) up to {d.latestDay}, the latest indexed day (UTC).
        {d.indexed ? null : " Nothing has been indexed yet, so every figure is zero."}
      </PageHeader>
      <Kpis kpis={d.kpis} videoCost={d.videoCost} />
      <FeeChartPanel d={d} />
      <GrowthPanel d={d} />
    </>
  );
}

function Change({ pct }: { pct: number | null }) {
  return <span className={pct === null ? "muted" : pct > 0 ? "up" : pct < 0 ? "down" : ""}>{formatChange(pct)}</span>;
}

function Kpis({ kpis, videoCost: c }: { kpis: Data["kpis"]; videoCost: Data["videoCost"] }) {
  return (
    <section className="kpis" aria-label="Key figures">
      {kpis.flatMap((k) =>
        (["eth", "usd"] as const).map((u) => (
          <div className="kpi" key={`${k.days}-${u}`}>
            <div className="kpi-label">
              Fees, last {k.days} days ({u.toUpperCase()})
            </div>
            <div className="kpi-value">{u === "eth" ? <Eth value={k.volumeEth} /> : <Usd value={k.volumeUsd} />}</div>
            <div className="kpi-sub">
              <Change pct={u === "eth" ? k.changePct.volumeEth : k.changePct.volumeUsd} /> vs {k.previous.from} – {k.previous.to} (
              {u === "eth" ? <Eth value={k.previous.volumeEth} /> : <Usd value={k.previous.volumeUsd} />})
            </div>
            <div className="kpi-sub">
              {formatInt(k.tickets)} tickets (<Change pct={k.changePct.tickets} />) · {k.from} – {k.to}
            </div>
          </div>
        )),
      )}
      {c.jobs ? (
        <div className="kpi">
          <div className="kpi-label">AI video, cost per second (USD)</div>
          <div className="kpi-value">{formatUsdPrecise(c.usdPerVideoSecond)}</div>
          <div className="kpi-sub">
            {c.pipeline}, {c.modelId} (the busiest video pipeline and model): {formatInt(c.jobs)} priced jobs,{" "}
            {groupThousands(roundDecimal(c.outputSeconds, 0))} s of video · {c.from} – {c.to}
          </div>
          <div className="kpi-sub">
            Expected fees from gateway logs ·{" "}
            <Link to={withParams("/cloud", { from: c.from, to: c.to, pipeline: c.pipeline, model: c.modelId })}>vs cloud GPUs</Link>
          </div>
          <ExportLinks
            path="/api/cost"
            params={{ from: c.from, to: c.to, pipeline: c.pipeline, model: c.modelId }}
            label="Cost per second"
            filename={exportName("cost", c)}
          />
        </div>
      ) : null}
      <ExportLinks
        path="/api/fees/summary"
        label="Key figures"
        filename={exportName("fee-summary", kpis.length ? { from: kpis[kpis.length - 1].previous.from, to: kpis[kpis.length - 1].to } : null)}
      />
    </section>
  );
}

/** Hidden inputs that carry the other controls' URL parameters through a GET form. */
function KeepParams({ except }: { except: string[] }) {
  const [sp] = useSearchParams();
  return (
    <>
      {[...sp.entries()]
        .filter(([k]) => !except.includes(k))
        .map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
    </>
  );
}

function FeeChartPanel({ d }: { d: Data }) {
  const eth = d.unit === "eth";
  const data = feePoints(d.fees.rows, { unit: d.unit, cumulative: d.view === "cumulative" });
  const t = d.fees.totals;
  const per = { day: "day", week: "ISO week (labelled by its Monday)", month: "month" }[d.interval];
  return (
    <section className="panel" aria-labelledby="fee-chart-title">
      <div className="panel-head">
        <h2 id="fee-chart-title">
          {d.view === "cumulative" ? `Cumulative fees by ${per}` : `Fees per ${per}`}, {d.chart.from} – {d.chart.to}
        </h2>
      </div>
      <div className="controls">
        <Segmented name="interval" value={d.interval} options={[["day", "Day"], ["week", "Week"], ["month", "Month"]]} />
        <Segmented name="unit" value={d.unit} options={[["eth", "ETH"], ["usd", "USD"]]} />
        <Segmented name="view" value={d.view} options={[["period", "Per period"], ["cumulative", "Cumulative"]]} />
        <Form method="get" className="range" preventScrollReset>
          <KeepParams except={["chartFrom", "chartTo"]} />
          <label>
            From
            <input type="date" name="chartFrom" defaultValue={d.chart.from} key={`cf-${d.chart.from}`} />
          </label>
          <label>
            To
            <input type="date" name="chartTo" defaultValue={d.chart.to} key={`ct-${d.chart.to}`} />
          </label>
          <button type="submit">Show</button>
        </Form>
      </div>
      <ChartFrame
        heading="none"
        title={`${d.view === "cumulative" ? `Cumulative Livepeer fees by ${per}` : `Livepeer fees per ${per}`} (${eth ? "ETH" : "USD"}), subsidised and organic`}
        caption={`${d.chart.from} – ${d.chart.to} (UTC) · Source: Livepeer subgraph via Observatory`}
        filename={exportName(`fees-${d.interval}${d.view === "cumulative" ? "-cumulative" : ""}`, d.chart)}
        {...apiHrefs("/api/fees", { interval: d.interval, from: d.chart.from, to: d.chart.to, view: d.view === "cumulative" ? "cumulative" : null })}
        embedPath={withParams("/embed/fees", { from: d.chart.from, to: d.chart.to, interval: d.interval, unit: d.unit, mode: d.view === "cumulative" ? "cumulative" : null })}
      >
        <StackedFeeChart
          data={data}
          kind={d.view === "cumulative" ? "area" : "bar"}
          shade={d.shade}
          label={`Fees in ${eth ? "ETH" : "USD"}, subsidised and organic, ${d.chart.from} to ${d.chart.to}`}
        />
      </ChartFrame>
      <ul className="key-numbers">
        <li>
          Total: <strong><Eth value={t.volumeEth} /></strong> (<Usd value={t.volumeUsd} />)
        </li>
        <li>
          Tickets: <strong>{formatInt(t.tickets)}</strong>
        </li>
        <li>
          Organic: <strong><Eth value={t.split.organicEth} /></strong> (<Usd value={t.split.organicUsd} />)
        </li>
        <li>
          Subsidised: <strong><Eth value={t.split.subsidizedEth} /></strong> (<Usd value={t.split.subsidizedUsd} />)
        </li>
      </ul>
      <p className="muted">
        Subsidised = fees paid by gateways tagged <span className="tag tag-subsidized">subsidized</span>
        {d.subsidy ? (
          <>
            {" "}
            ({d.subsidy.label ?? d.subsidy.address}, window {d.subsidy.from} – {d.subsidy.to ?? "open"}, shaded)
          </>
        ) : null}
        ; organic = every other gateway.
      </p>
      <DownloadLinks path="/api/fees" params={{ interval: d.interval, from: d.chart.from, to: d.chart.to, view: d.view === "cumulative" ? "cumulative" : null }} />
    </section>
  );
}

function GrowthPanel({ d }: { d: Data }) {
  const g = d.growth;
  const source = {
    query: "the period you chose",
    "subsidy-window": "the tagged subsidy window (default)",
    "last-30-days": "the last 30 days (default; no subsidy window is tagged)",
  }[d.periodSource];
  return (
    <section className="panel" aria-labelledby="growth-title">
      <div className="panel-head">
        <h2 id="growth-title">Growth against a baseline</h2>
      </div>
      <p className="multiple" data-testid="growth-multiple">
        {formatMultiple(g.multiple)}
      </p>
      <p>
        Daily average fees in the period ({g.period.from} – {g.period.to}, {g.period.days} days: <Eth value={g.period.dailyAvgEth} /> a day) vs
        the baseline ({g.baseline.from} – {g.baseline.to}, {g.baseline.days} days: <Eth value={g.baseline.dailyAvgEth} /> a day).
        {g.multiple === null ? " The baseline has no fees, so there is no multiple." : null} Organic fees only:{" "}
        <strong data-testid="organic-multiple">{formatMultiple(g.organicMultiple)}</strong>. The period is {source}.
      </p>
      <TableWrap label="Growth windows">
        <table>
          <thead>
            <tr>
              <th>Window</th>
              <th>Days</th>
              <th className="r">Fees (ETH)</th>
              <th className="r">Daily average</th>
              <th className="r">Subsidised</th>
              <th className="r">Organic</th>
              <th className="r">Organic daily average</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ["Baseline", g.baseline],
                ["Period", g.period],
              ] as const
            ).map(([name, w]) => (
              <tr key={name}>
                <td>
                  {name}
                  <div className="muted">
                    {w.from} – {w.to}
                  </div>
                </td>
                <td className="r">{w.days}</td>
                <td className="r"><Eth value={w.volumeEth} /></td>
                <td className="r"><Eth value={w.dailyAvgEth} /></td>
                <td className="r"><Eth value={w.subsidizedEth} /></td>
                <td className="r"><Eth value={w.organicEth} /></td>
                <td className="r"><Eth value={w.organicDailyAvgEth} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Form method="get" className="range controls" preventScrollReset>
        <KeepParams except={["baselineFrom", "baselineTo", "from", "to"]} />
        <label>
          Baseline from
          <input type="date" name="baselineFrom" defaultValue={g.baseline.from} key={`bf-${g.baseline.from}`} />
        </label>
        <label>
          Baseline to
          <input type="date" name="baselineTo" defaultValue={g.baseline.to} key={`bt-${g.baseline.to}`} />
        </label>
        <label>
          Period from
          <input type="date" name="from" defaultValue={g.period.from} key={`pf-${g.period.from}`} />
        </label>
        <label>
          Period to
          <input type="date" name="to" defaultValue={g.period.to} key={`pt-${g.period.to}`} />
        </label>
        <button type="submit">Compare</button>
        <Link to="/" className="muted">
          Reset
        </Link>
      </Form>
      <DownloadLinks
        path="/api/fees/growth"
        params={{ baselineFrom: g.baseline.from, baselineTo: g.baseline.to, from: g.period.from, to: g.period.to }}
      />
      <div className="chart-toolbar">
        <EmbedSnippet
          path={withParams("/embed/growth", { baselineFrom: g.baseline.from, baselineTo: g.baseline.to, from: g.period.from, to: g.period.to })}
          title={`Livepeer fee growth ${formatMultiple(g.multiple)}, ${g.period.from} – ${g.period.to} vs ${g.baseline.from} – ${g.baseline.to}`}
        />
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
