// Cells of public-probe figures, shared by the leaderboard, the orchestrators table, the compare page
// and an orchestrator's probe panel: the official score x100 (the explorer's scale), round trips in
// seconds with the ok probes behind each percentile in the title, "—" with the reason below the
// minimum samples (p50 from 1, p95 from 20, p99 from 100 successful probes).
import { formatInt } from "~/lib/format";
import { formatRate, MIN_SAMPLES, type PercentileKey } from "~/lib/latency";

export const score100 = (v: number | null | undefined) => (v === null || v === undefined ? "—" : (v * 100).toFixed(2));
export const secs = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(2)} s`);

export function ProbeRoundTrip({ k, s, n }: { k: PercentileKey; s: number | null; n: number }) {
  if (s === null)
    return (
      <span className="muted" title={n === 0 ? "No successful probe with a round trip in this selection" : `${k} is shown from ${MIN_SAMPLES[k]} successful probes; this selection has ${n}`}>
        —
      </span>
    );
  return (
    <span className="num" title={`${k} = ${s} s over ${formatInt(n)} successful probes`}>
      {secs(s)}
    </span>
  );
}

export function ProbeScore({ score }: { score: number | null }) {
  return <span className="num" title={score === null ? "No score: no probe of this pair, or no median to score against" : "0.65 x success + 0.35 x round-trip score, x100"}>{score100(score)}</span>;
}

export function ProbeSuccess({ rate, probes }: { rate: number | null; probes: number }) {
  return (
    <span className="num" title={probes ? `Mean over regions of each region's mean success_rate; ${formatInt(probes)} probes` : "No probes"}>
      {formatRate(rate)}
    </span>
  );
}
