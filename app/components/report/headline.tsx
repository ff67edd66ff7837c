// The report's headline figures: fees, growth, the subsidised share, jobs, video seconds, success,
// latency and the cost of a video second, one tile each.
import type { ReactNode } from "react";
import { Eth, Usd } from "~/components/amount";
import { Percentile, SuccessRate } from "~/components/job-stats";
import { formatInt, formatMultiple } from "~/lib/format";
import type { ReportFigures } from "~/lib/reports.server";
import { seconds, significant } from "./numbers";

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
