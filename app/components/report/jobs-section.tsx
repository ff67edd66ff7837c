// The report's jobs section: jobs, video seconds, success and latency, per day and by pipeline and model.
import { Eth } from "~/components/amount";
import { CategoryStackedBars } from "~/components/charts/category-stacked-bars";
import { pipelinePoints, SUCCEEDED_FAILED } from "~/components/charts/job-points";
import type { SeriesDatum } from "~/components/charts/series";
import { SeriesBars } from "~/components/charts/series-bars";
import { SeriesLines } from "~/components/charts/series-lines";
import { Percentile, PERCENTILE_NOTE, PercentileLine, SuccessRate } from "~/components/job-stats";
import { EmptyRow, TableWrap } from "~/components/page-header";
import { formatInt } from "~/lib/format";
import type { ReportFigures } from "~/lib/reports.server";
import { seconds } from "./numbers";
import { ReportChart } from "./report-chart";

export function JobsSection({ figures: f }: { figures: ReportFigures }) {
  const s = f.jobs.series;
  const rows = f.jobs.pipelines;
  const t = f.jobs.period;
  const jobsData: SeriesDatum[] = (s ?? []).map((p) => ({
    period: p.period,
    values: { ok: p.successes, failed: p.jobs - p.successes },
    texts: { ok: formatInt(p.successes), failed: formatInt(p.jobs - p.successes) },
  }));
  // Reports saved since latencySeries exist chart one pipeline and model; older ones kept their mixed series.
  const ls = f.jobs.latencySeries;
  const busiest = ls ? rows.find((r) => r.pipeline === ls.pipeline && r.modelId === ls.modelId) : undefined;
  const latencyData: SeriesDatum[] = (ls ? ls.points : (s ?? [])).map((p) => ({
    period: p.period,
    values: { p50: p.latencyMs.p50, p95: p.latencyMs.p95 },
    texts: { p50: p.latencyMs.p50 === null ? "—" : `${p.latencyMs.p50} ms`, p95: p.latencyMs.p95 === null ? "—" : `${p.latencyMs.p95} ms` },
  }));
  const pipeData = pipelinePoints(rows);
  return (
    <section className="panel report-section report-page" aria-labelledby="report-jobs">
      <h2 id="report-jobs">AI jobs, video seconds, success and latency</h2>
      <ul className="key-numbers">
        <li>
          Jobs: <strong>{formatInt(t.jobs)}</strong> (<SuccessRate rate={t.successRate} successes={t.successes} jobs={t.jobs} /> succeeded; baseline{" "}
          {formatInt(f.jobs.baseline.jobs)})
        </li>
        <li>
          {f.jobs.latencySeries === undefined ? (
            <>
              Latency: <PercentileLine latency={t.latencyMs} n={t.latencySamples} />
            </>
          ) : busiest ? (
            <>
              Latency of the busiest pipeline and model ({busiest.pipeline}, {busiest.modelId}): <PercentileLine latency={busiest.latencyMs} n={busiest.latencySamples} />;
              the others are in the table below (percentiles never mix pipelines)
            </>
          ) : (
            <>Latency: per pipeline and model in the table below (percentiles never mix pipelines)</>
          )}
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
              series={SUCCEEDED_FAILED}
            />
          </ReportChart>
          <h3>Latency of successful jobs per day{ls ? `: ${ls.pipeline}, ${ls.modelId}` : ""}</h3>
          <ReportChart title={`Latency of successful jobs per day (ms)${ls ? `, ${ls.pipeline}, ${ls.modelId}` : ""}`} name="latency-per-day">
            <SeriesLines
              label={`Latency p50 and p95 per day, milliseconds${ls ? `, ${ls.pipeline} ${ls.modelId}` : ""}`}
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
series={SUCCEEDED_FAILED}
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
            {rows.length === 0 ? <EmptyRow columns={8}>No jobs are logged in the period.</EmptyRow> : null}
          </tbody>
        </table>
      </TableWrap>
      <p className="muted">{PERCENTILE_NOTE}</p>
    </section>
  );
}
