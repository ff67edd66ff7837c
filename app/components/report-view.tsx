// One report as a document: headline figures, the charts and tables behind them, and provenance.
// The builder (/reports, computed now) and a saved report (/reports/<id>, as stored) render the same
// figures through this component. Every text from the data (service URIs, labels) is rendered by
// React as text; nothing here uses dangerouslySetInnerHTML. Sections carry `report-section`; the
// print stylesheet starts the ones marked `report-page` on a new page.
import { createContext, useContext, type ReactNode } from "react";
import { ChartFrame } from "~/components/charts/chart-frame";
import { exportName } from "~/lib/download-names";
import { Eth, Usd } from "~/components/amount";
import { CategoryStackedBars, HorizontalBars, SeriesBars, SeriesLines, StackedFeeChart, type SeriesDatum, type StackedDatum } from "~/components/charts/fee-charts";
import { Percentile, PERCENTILE_NOTE, PercentileLine, SuccessRate } from "~/components/job-stats";
import { TableWrap } from "~/components/page-header";
import { ServiceUri } from "~/components/service-uri";
import { periodStart } from "~/lib/dates";
import { formatEth, formatInt, formatMultiple, formatPct, formatTimestamp, formatUsd, groupThousands, roundDecimal, shortAddress } from "~/lib/format";
import { formatRate } from "~/lib/latency";
import type { ReportFigures, ReportProvenance, TopOrchestrator } from "~/lib/reports.server";

export interface ReportViewProps {
  input: { from: string; to: string; baselineFrom: string; baselineTo: string };
  figures: ReportFigures;
  provenance: ReportProvenance;
}

/** Where a report's numbers download from: the saved report's own JSON/CSV, or the builder's preview of the same computation. */
export interface ReportExports {
  csvHref: string;
  jsonHref: string;
  /** File names: observatory-report-<id or "preview">-<chart>. */
  tag: string;
  /** Second line of an exported image: the ranges and where the figures come from. */
  caption: string;
}

const ExportsContext = createContext<ReportExports | null>(null);

/** One chart of the report with PNG and SVG downloads and the report's CSV and JSON (every figure shown, including each chart's points). */
function ReportChart({ title, name, children }: { title: string; name: string; children: ReactNode }) {
  const e = useContext(ExportsContext);
  if (!e) return <>{children}</>;
  return (
    <ChartFrame heading="none" title={title} filename={exportName(`report-${e.tag}-${name}`)} csvHref={e.csvHref} jsonHref={e.jsonHref} caption={e.caption}>
      {children}
    </ChartFrame>
  );
}

/** The four URL parameters of a report (the builder's permalink and the save form). */
export const REPORT_FIELDS = ["from", "to", "baselineFrom", "baselineTo"] as const;

/** "from=…&to=…&baselineFrom=…&baselineTo=…" for a link to the builder. */
export const reportQuery = (r: ReportViewProps["input"]) =>
  new URLSearchParams({ from: r.from, to: r.to, baselineFrom: r.baselineFrom, baselineTo: r.baselineTo }).toString();

const seconds = (s: string) => groupThousands(roundDecimal(s, 1));

/** A small decimal (USD or ETH per second) to `sig` significant digits, as a string; the exact value goes in a title. */
export function significant(value: string | null | undefined, sig = 4): string {
  if (value === null || value === undefined) return "—";
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) return value;
  const int = (m[2] || "0").replace(/^0+(?=\d)/, "");
  const frac = m[3] ?? "";
  if (int !== "0") return groupThousands(roundDecimal(value, Math.max(0, sig - int.length)));
  const lead = frac.search(/[1-9]/);
  if (lead < 0) return "0";
  return roundDecimal(value, lead + sig);
}

function Kpi({ label, children, sub, testId }: { label: string; children: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{children}</div>
      {sub ? <div className="kpi-sub">{sub}</div> : null}
    </div>
  );
}

/** The video row with the most output seconds: the headline cost figure. */
function headlineCost(f: ReportFigures) {
  const rows = (f.cost?.rows ?? []).filter((r) => r.livepeerUsdPerVideoSecond !== null);
  return rows.reduce<(typeof rows)[number] | null>((best, r) => (best === null || Number(r.outputSeconds) > Number(best.outputSeconds) ? r : best), null);
}

export function ReportHeadline({ figures: f }: { figures: ReportFigures }) {
  const g = f.fees.growth;
  const j = f.jobs.period;
  const cost = headlineCost(f);
  const cheapest = cost?.classes.filter((c) => c.cheapest !== null) ?? [];
  return (
    <section className="kpis report-kpis" aria-label="Headline figures">
      <Kpi label="Realized fees (ETH)" testId="kpi-fees-eth" sub={<>{formatInt(f.fees.period.tickets)} winning tickets</>}>
        <Eth value={f.fees.period.volumeEth} />
      </Kpi>
      <Kpi label="Realized fees (USD)" testId="kpi-fees-usd" sub={<>Baseline: <Usd value={f.fees.baseline.volumeUsd} /></>}>
        <Usd value={f.fees.period.volumeUsd} />
      </Kpi>
      <Kpi label="Growth vs baseline (daily average)" testId="kpi-growth" sub={<>Organic only: {formatMultiple(g.organicMultiple)}</>}>
        {formatMultiple(g.multiple)}
      </Kpi>
      <Kpi
        label="Subsidised / organic"
        testId="kpi-share"
        sub={<><Eth value={f.fees.period.split.subsidizedEth} /> / <Eth value={f.fees.period.split.organicEth} /></>}
      >
        {f.fees.subsidizedSharePct === null ? "—" : `${f.fees.subsidizedSharePct}% / ${f.fees.organicSharePct}%`}
      </Kpi>
      <Kpi label="AI jobs" testId="kpi-jobs" sub={<>Baseline: {formatInt(f.jobs.baseline.jobs)}</>}>
        {formatInt(j.jobs)}
      </Kpi>
      <Kpi label="Seconds of video generated" testId="kpi-video-seconds" sub={<>Baseline: {seconds(f.jobs.baselineVideoSeconds)} s</>}>
        <span className="num" title={`${f.jobs.videoSeconds} s`}>{seconds(f.jobs.videoSeconds)} s</span>
      </Kpi>
      <Kpi label="Success rate" testId="kpi-success" sub={<>{formatInt(j.successes)} of {formatInt(j.jobs)} jobs</>}>
        <SuccessRate rate={j.successRate} successes={j.successes} jobs={j.jobs} />
      </Kpi>
      <Kpi label="Latency p50 / p95" testId="kpi-latency" sub={<>n = {formatInt(j.latencySamples)} successful jobs</>}>
        <Percentile k="p50" latency={j.latencyMs} n={j.latencySamples} /> / <Percentile k="p95" latency={j.latencyMs} n={j.latencySamples} />
      </Kpi>
      <Kpi
        label="Livepeer cost per video second"
        testId="kpi-cost"
        sub={
          cost ? (
            <>
              {cost.pipeline} · {cost.modelId}
              {cheapest.length ? "; cloud: " : ""}
              {cheapest.map((c, i) => (
                <span key={c.class}>
                  {i ? ", " : ""}
                  {c.label} ${significant(c.cheapest!.usdPerVideoSecond)}
                </span>
              ))}
            </>
          ) : (
            f.costUnavailable ?? "no priced video jobs"
          )
        }
      >
        {cost ? <span className="num" title={`${cost.livepeerUsdPerVideoSecond} USD per second`}>${significant(cost.livepeerUsdPerVideoSecond)}</span> : "—"}
      </Kpi>
    </section>
  );
}

function FeesSection({ figures: f }: { figures: ReportFigures }) {
  const c = f.fees.chart;
  const data: StackedDatum[] = c.rows.map((r) => ({
    period: r.period,
    subsidized: r.split.subsidizedEth,
    organic: r.split.organicEth,
    subsidizedText: `${formatEth(r.split.subsidizedEth)} ETH`,
    organicText: `${formatEth(r.split.organicEth)} ETH`,
    totalText: `${formatEth(r.volumeEth)} ETH (${formatUsd(r.volumeUsd)})`,
  }));
  const per = { day: "day", week: "ISO week (labelled by its Monday)", month: "month" }[c.interval];
  const g = f.fees.growth;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-fees">
      <h2 id="report-fees">Realized fees and growth</h2>
      <ReportChart title="Realized fees per period, subsidised and organic (ETH)" name="fees">
        <StackedFeeChart
          data={data}
          kind="bar"
          height={260}
          shade={{ x1: periodStart(f.period.from, c.interval), x2: periodStart(f.period.to, c.interval), label: "Report period" }}
          label={`Fees in ETH per ${c.interval}, subsidised and organic, ${c.from} to ${c.to}; the report period is shaded`}
        />
      </ReportChart>
      <p className="muted">
        Fees per {per}, {c.from} – {c.to}; the report period is shaded, the baseline is {f.baseline.from} – {f.baseline.to}.
      </p>
      <ReportChart title="Average daily fees: baseline and period (ETH)" name="growth">
        <HorizontalBars
          label="Average daily fees in ETH: baseline and period, all and organic"
          valueName="ETH a day"
          nameWidth={150}
          data={[
            { name: "Baseline, all fees", value: g.baseline.dailyAvgEth, text: `${formatEth(g.baseline.dailyAvgEth)} ETH a day`, series: "primary" },
            { name: "Period, all fees", value: g.period.dailyAvgEth, text: `${formatEth(g.period.dailyAvgEth)} ETH a day`, series: "primary" },
            { name: "Baseline, organic", value: g.baseline.organicDailyAvgEth, text: `${formatEth(g.baseline.organicDailyAvgEth)} ETH a day`, series: "organic" },
            { name: "Period, organic", value: g.period.organicDailyAvgEth, text: `${formatEth(g.period.organicDailyAvgEth)} ETH a day`, series: "organic" },
          ]}
        />
      </ReportChart>
      <TableWrap label="Period and baseline">
        <table>
          <thead>
            <tr>
              <th>Window</th>
              <th className="r">Days</th>
              <th className="r">Fees (ETH)</th>
              <th className="r">Fees (USD)</th>
              <th className="r">Daily average (ETH)</th>
              <th className="r">Subsidised (ETH)</th>
              <th className="r">Organic (ETH)</th>
              <th className="r">Organic daily average</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ["Baseline", g.baseline, f.fees.baseline],
                ["Period", g.period, f.fees.period],
              ] as const
            ).map(([name, w, t]) => (
              <tr key={name}>
                <td>
                  {name} <span className="muted nowrap">{w.from} – {w.to}</span>
                </td>
                <td className="r">{w.days}</td>
                <td className="r"><Eth value={w.volumeEth} unit={false} /></td>
                <td className="r"><Usd value={t.volumeUsd} /></td>
                <td className="r"><Eth value={w.dailyAvgEth} unit={false} /></td>
                <td className="r"><Eth value={w.subsidizedEth} unit={false} /></td>
                <td className="r"><Eth value={w.organicEth} unit={false} /></td>
                <td className="r"><Eth value={w.organicDailyAvgEth} unit={false} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul className="key-numbers">
        <li>
          Growth multiple: <strong>{formatMultiple(g.multiple)}</strong> (organic only {formatMultiple(g.organicMultiple)})
        </li>
        <li>
          Subsidised share of the period: <strong>{f.fees.subsidizedSharePct === null ? "—" : `${f.fees.subsidizedSharePct}%`}</strong>, organic{" "}
          <strong>{f.fees.organicSharePct === null ? "—" : `${f.fees.organicSharePct}%`}</strong>
        </li>
      </ul>
    </section>
  );
}

function JobsSection({ figures: f }: { figures: ReportFigures }) {
  const s = f.jobs.series;
  const rows = f.jobs.pipelines;
  const t = f.jobs.period;
  const jobsData: SeriesDatum[] = (s ?? []).map((p) => ({
    period: p.period,
    values: { ok: p.successes, failed: p.jobs - p.successes },
    texts: { ok: formatInt(p.successes), failed: formatInt(p.jobs - p.successes) },
  }));
  const latencyData: SeriesDatum[] = (s ?? []).map((p) => ({
    period: p.period,
    values: { p50: p.latencyMs.p50, p95: p.latencyMs.p95 },
    texts: { p50: p.latencyMs.p50 === null ? "—" : `${p.latencyMs.p50} ms`, p95: p.latencyMs.p95 === null ? "—" : `${p.latencyMs.p95} ms` },
  }));
  const pipeData: SeriesDatum[] = rows.map((r) => ({
    period: `${r.pipeline} · ${r.modelId.split("/").pop()}`,
    label: `${r.pipeline} · ${r.modelId}`,
    values: { ok: r.successes, failed: r.jobs - r.successes },
    texts: { ok: `${formatInt(r.successes)} (${formatRate(r.successRate)})`, failed: formatInt(r.jobs - r.successes) },
  }));
  const uniqueNames = new Set(pipeData.map((d) => d.period)).size === pipeData.length;
  if (!uniqueNames) for (const d of pipeData) d.period = d.label as string;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-jobs">
      <h2 id="report-jobs">AI jobs, video seconds, success and latency</h2>
      <ul className="key-numbers">
        <li>
          Jobs: <strong>{formatInt(t.jobs)}</strong> (<SuccessRate rate={t.successRate} successes={t.successes} jobs={t.jobs} /> succeeded; baseline{" "}
          {formatInt(f.jobs.baseline.jobs)})
        </li>
        <li>
          Latency: <PercentileLine latency={t.latencyMs} n={t.latencySamples} />
        </li>
        <li>
          Seconds of video: <strong>{seconds(f.jobs.videoSeconds)}</strong> (baseline {seconds(f.jobs.baselineVideoSeconds)})
        </li>
        <li>
          Expected fees from the logs: <strong><Eth value={t.expectedFeesEth} /></strong>
        </li>
      </ul>
      {s ? (
        <>
          <h3>Jobs per day, {f.fees.chart.from} – {f.fees.chart.to}</h3>
          <ReportChart title="Jobs per day, succeeded and failed" name="jobs-per-day">
            <SeriesBars
              label="Jobs per day, succeeded and failed"
              stacked
              height={220}
              data={jobsData}
              series={[
                { key: "ok", name: "Succeeded", color: "var(--series-succeeded)" },
                { key: "failed", name: "Failed", color: "var(--series-failed)" },
              ]}
            />
          </ReportChart>
          <h3>Latency of successful jobs per day</h3>
          <ReportChart title="Latency of successful jobs per day (ms)" name="latency-per-day">
            <SeriesLines
              label="Latency p50 and p95 per day, milliseconds"
              y="ms"
              height={220}
              data={latencyData}
              series={[
                { key: "p50", name: "p50", color: "var(--series-p50)" },
                { key: "p95", name: "p95", color: "var(--series-p95)" },
              ]}
            />
          </ReportChart>
        </>
      ) : (
        <p className="muted">Daily job charts are drawn for spans of at most 400 days; the figures above cover the whole period.</p>
      )}
      <h3>By pipeline and model (period)</h3>
      {rows.length ? (
        <ReportChart title="Jobs per pipeline and model in the period" name="jobs-by-pipeline">
          <CategoryStackedBars
            label="Jobs per pipeline and model in the period, succeeded and failed"
            data={pipeData}
            series={[
              { key: "ok", name: "Succeeded", color: "var(--series-succeeded)" },
              { key: "failed", name: "Failed", color: "var(--series-failed)" },
            ]}
          />
        </ReportChart>
      ) : null}
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
              <th className="r">Output seconds</th>
              <th className="r">Expected fees (ETH)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.pipeline}\t${r.modelId}`}>
                <td>{r.pipeline}</td>
                <td className="uri">{r.modelId}</td>
                <td className="r">{formatInt(r.jobs)}</td>
                <td className="r"><SuccessRate rate={r.successRate} successes={r.successes} jobs={r.jobs} /></td>
                <td className="r"><Percentile k="p50" latency={r.latencyMs} n={r.latencySamples} /></td>
                <td className="r"><Percentile k="p95" latency={r.latencyMs} n={r.latencySamples} /></td>
                <td className="r num">{seconds(r.outputSeconds)}</td>
                <td className="r"><Eth value={r.expectedFeesEth} unit={false} /></td>
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">No jobs are logged in the period.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
      <p className="muted">{PERCENTILE_NOTE}</p>
    </section>
  );
}

function CostSection({ figures: f }: { figures: ReportFigures }) {
  const c = f.cost;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-cost">
      <h2 id="report-cost">Cost per second of video: Livepeer vs cloud</h2>
      {c === null || c.rows.length === 0 ? (
        <p>No cost comparison in this report: {f.costUnavailable ?? "unavailable"}.</p>
      ) : (
        <>
          <p className="muted">
            Livepeer: fees over output seconds of the same successful priced jobs, at each day's subgraph ETH price. Cloud: the cheapest sourced offer
            per class, per second of output; rented GPUs at utilisation {c.utilization}. Ratio above 1 means Livepeer is cheaper.
            {c.catalogue
              ? ` Prices as of ${c.catalogue.oldestAsOf ?? "?"} – ${c.catalogue.newestAsOf ?? "?"}, catalogue loaded ${formatTimestamp(c.catalogue.loadedAt)}.`
              : " No price catalogue is loaded."}
          </p>
          <TableWrap label="Cost per video second">
            <table>
              <thead>
                <tr>
                  <th>Pipeline · model</th>
                  <th className="r">Jobs</th>
                  <th className="r">Output seconds</th>
                  <th className="r">Livepeer USD/s</th>
                  <th>Cloud class: cheapest offer (USD/s, ratio, source, as of)</th>
                </tr>
              </thead>
              <tbody>
                {c.rows.map((r) => (
                  <tr key={`${r.pipeline}\t${r.modelId}`}>
                    <td>
                      {r.pipeline} <div className="muted uri">{r.modelId}</div>
                    </td>
                    <td className="r">{formatInt(r.jobs)}</td>
                    <td className="r num">{seconds(r.outputSeconds)}</td>
                    <td className="r num" title={r.livepeerUsdPerVideoSecond ?? undefined}>
                      {r.livepeerUsdPerVideoSecond === null ? "—" : `$${significant(r.livepeerUsdPerVideoSecond)}`}
                    </td>
                    <td>
                      <ul className="report-classes">
                        {r.classes.map((k) => (
                          <li key={k.class}>
                            <strong>{k.label}</strong>:{" "}
                            {k.cheapest ? (
                              <>
                                <span title={k.cheapest.usdPerVideoSecond}>${significant(k.cheapest.usdPerVideoSecond)}</span>
                                {k.cheapest.ratioToLivepeer !== null ? <> (× {significant(k.cheapest.ratioToLivepeer, 3)})</> : null}, {k.cheapest.provider}{" "}
                                {k.cheapest.offering}
                                {k.cheapest.comparability ? <em> · {k.cheapest.comparability}</em> : null}{" "}
                                <span className="muted">
                                  ({k.cheapest.source}, as of {k.cheapest.asOf}; {k.offers} compared offer{k.offers === 1 ? "" : "s"})
                                </span>
                              </>
                            ) : (
                              <span className="muted">no comparable offer</span>
                            )}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
                {c.rows.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="muted">No priced video jobs in the period.</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

function OrchestratorTable({ rows, label }: { rows: TopOrchestrator[]; label: string }) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th>Orchestrator</th>
            <th>Service URI</th>
            <th className="r">Fees (ETH)</th>
            <th className="r">Share</th>
            <th className="r">Jobs</th>
            <th className="r">Success</th>
            <th className="r">p50</th>
            <th className="r">p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.address}>
              <td>
                <a href={`/orchestrators/${o.address}`} className="mono" title={o.address}>
                  {shortAddress(o.address)}
                </a>
              </td>
              <td className="uri">
                <ServiceUri uri={o.serviceUri} />
              </td>
              <td className="r"><Eth value={o.volumeEth} unit={false} /></td>
              <td className="r">{formatPct(o.sharePct)}</td>
              <td className="r">{formatInt(o.jobs)}</td>
              <td className="r"><SuccessRate rate={o.successRate} successes={o.successes} jobs={o.jobs} /></td>
              <td className="r"><Percentile k="p50" latency={o.latencyMs} n={o.latencySamples} /></td>
              <td className="r"><Percentile k="p95" latency={o.latencyMs} n={o.latencySamples} /></td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={8} className="muted">None in the period.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </TableWrap>
  );
}

function WhoSection({ figures: f }: { figures: ReportFigures }) {
  const o = f.orchestrators;
  const gw = f.gateways;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-who">
      <h2 id="report-who">Top orchestrators and gateways (period)</h2>
      <h3>Orchestrators by realized fees</h3>
      <p className="muted">
        {formatInt(o.earning)} orchestrators earned fees and {formatInt(o.withJobs)} ran logged jobs; the top {o.topByFees.length} by fees:
      </p>
      {o.topByFees.length ? (
        <ReportChart title="Top orchestrators by realized fees (ETH)" name="top-orchestrators">
          <HorizontalBars
            label="Fees in ETH by orchestrator, top of the period"
            data={o.topByFees.map((x) => ({ name: shortAddress(x.address), value: x.volumeEth, text: `${formatEth(x.volumeEth)} ETH`, series: "primary" }))}
          />
        </ReportChart>
      ) : null}
      <OrchestratorTable rows={o.topByFees} label="Top orchestrators by fees" />
      <h3>Orchestrators by logged jobs</h3>
      <OrchestratorTable rows={o.topByJobs} label="Top orchestrators by jobs" />
      <h3>Gateways by fees paid</h3>
      <p className="muted">{formatInt(gw.paying)} gateways paid fees in the period.</p>
      {gw.top.length ? (
        <ReportChart title="Top gateways by fees paid (ETH)" name="top-gateways">
          <HorizontalBars
            label="Fees in ETH by gateway, top of the period"
            data={gw.top.map((g) => ({
              name: g.label ?? shortAddress(g.address),
              value: g.volumeEth,
              text: `${formatEth(g.volumeEth)} ETH`,
              series: g.subsidized ? "subsidized" : "organic",
            }))}
          />
        </ReportChart>
      ) : null}
      <TableWrap label="Top gateways">
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
            {gw.top.map((g) => (
              <tr key={g.address}>
                <td>
                  <span className="mono" title={g.address}>
                    {shortAddress(g.address)}
                  </span>
                  {g.label ? <div className="muted">{g.label}</div> : null}
                </td>
                <td>{g.tag ? <span className={`tag tag-${g.tag.replace(/[^a-z0-9-]/gi, "")}`}>{g.tag}</span> : <span className="muted">—</span>}</td>
                <td className="r">{formatPct(g.sharePct)}</td>
                <td className="r">{formatInt(g.tickets)}</td>
                <td className="r"><Eth value={g.volumeEth} unit={false} /></td>
                <td className="r"><Usd value={g.volumeUsd} /></td>
              </tr>
            ))}
            {gw.top.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">No fees in the period.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

export function ProvenanceSection({ provenance: p, children }: { provenance: ReportProvenance; children?: ReactNode }) {
  return (
    <section className="panel report-section report-page" aria-labelledby="report-provenance">
      <h2 id="report-provenance">Provenance, method and caveats</h2>
      <dl className="report-facts">
        <dt>Computed at</dt>
        <dd data-testid="computed-at">{formatTimestamp(p.computedAt)}</dd>
        <dt>Subgraph</dt>
        <dd data-testid="as-of-block">
          {p.subgraph.block === null ? "nothing indexed" : <>block {p.subgraph.block} ({formatTimestamp(p.subgraph.blockTimestamp)}), latest indexed day {p.subgraph.latestDay}</>}
          {p.subgraph.deployment ? <span className="muted"> · deployment {p.subgraph.deployment}</span> : null}
        </dd>
        <dt>Job logs</dt>
        <dd data-testid="as-of-logs">{p.logs.upTo === null ? "none indexed" : <>up to {formatTimestamp(p.logs.upTo)} (days {p.logs.firstDay} – {p.logs.lastDay})</>}</dd>
        <dt>Price catalogue</dt>
        <dd>
          {p.catalogue ? (
            <>
              prices as of {p.catalogue.oldestAsOf ?? "?"} – {p.catalogue.newestAsOf ?? "?"}, loaded {formatTimestamp(p.catalogue.loadedAt)}
            </>
          ) : (
            "not loaded"
          )}
        </dd>
        {children}
      </dl>
      <h3>Sources</h3>
      <ul className="report-notes">
        {p.sources.map((s) => (
          <li key={s.name}>
            <strong>{s.name}.</strong> {s.detail}
          </li>
        ))}
      </ul>
      <h3>Caveats</h3>
      <ul className="report-notes" data-testid="caveats">
        {p.caveats.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <h3>Method</h3>
      <ul className="report-notes">
        {p.method.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </section>
  );
}

/** The whole report below its header: headline, fees, jobs, cost, who, provenance. */
export function ReportBody({
  figures,
  provenance,
  provenanceExtra,
  exports = null,
}: ReportViewProps & { provenanceExtra?: ReactNode; exports?: ReportExports | null }) {
  return (
    <ExportsContext.Provider value={exports}>
      <ReportHeadline figures={figures} />
      <FeesSection figures={figures} />
      <JobsSection figures={figures} />
      <CostSection figures={figures} />
      <WhoSection figures={figures} />
      <ProvenanceSection provenance={provenance}>{provenanceExtra}</ProvenanceSection>
    </ExportsContext.Provider>
  );
}

/** "Period 2025-03-01 – 2025-03-31 (31 days) vs baseline 2025-01-30 – 2025-02-28 (30 days)". */
export function RangesLine({ figures: f }: { figures: ReportFigures }) {
  return (
    <>
      Period <strong>{f.period.from} – {f.period.to}</strong> ({f.period.days} days) vs baseline{" "}
      <strong>{f.baseline.from} – {f.baseline.to}</strong> ({f.baseline.days} days), UTC, inclusive.
    </>
  );
}
