// Job figures as text: latency percentiles (with why one is hidden), success rates, filters.
import type { LatencyMs, PercentileKey } from "~/lib/latency";
import { formatMs, formatRate, hiddenReason, MIN_SAMPLES } from "~/lib/latency";
import { formatInt } from "~/lib/format";

/** A percentile in ms, or "—" with a title saying why it is not shown. */
export function Percentile({ k, latency, n }: { k: PercentileKey; latency: LatencyMs; n: number }) {
  const v = latency[k];
  if (v === null) {
    return (
      <span className="muted" title={hiddenReason(k, n) ?? `${k} is not available`}>
        —
      </span>
    );
  }
  return (
    <span className="num" title={`${k} = ${v} ms over ${formatInt(n)} successful jobs`}>
      {formatMs(v)}
    </span>
  );
}

/** "p50 1.20 s · p95 3.40 s · p99 — (n = 57)" for key numbers under a chart. */
export function PercentileLine({ latency, n }: { latency: LatencyMs; n: number }) {
  return (
    <>
      p50 <strong><Percentile k="p50" latency={latency} n={n} /></strong> · p95 <strong><Percentile k="p95" latency={latency} n={n} /></strong> · p99{" "}
      <strong><Percentile k="p99" latency={latency} n={n} /></strong> <span className="muted">(n = {formatInt(n)})</span>
    </>
  );
}

export function SuccessRate({ rate, successes, jobs }: { rate: number | null; successes: number; jobs: number }) {
  return (
    <span className="num" title={jobs ? `${formatInt(successes)} of ${formatInt(jobs)} jobs succeeded` : "No jobs"}>
      {formatRate(rate)}
    </span>
  );
}

export const PERCENTILE_NOTE = `Latency is the gateway's end-to-end duration of successful jobs. A percentile is shown from ${MIN_SAMPLES.p50} successful job (p50), ${MIN_SAMPLES.p95} (p95) and ${MIN_SAMPLES.p99} (p99); below that it shows "—".`;

/** Pipeline and model selects listing what has jobs in the range (the current choice always listed). */
export function PipelineModelSelects({
  facets,
  pipeline,
  model,
}: {
  facets: { pipelines: string[]; models: { pipeline: string; model: string }[] };
  pipeline: string | null;
  model: string | null;
}) {
  const pipelines = pipeline && !facets.pipelines.includes(pipeline) ? [...facets.pipelines, pipeline] : facets.pipelines;
  const models = facets.models.filter((m) => !pipeline || m.pipeline === pipeline);
  const modelIds = [...new Set(models.map((m) => m.model))];
  if (model && !modelIds.includes(model)) modelIds.push(model);
  return (
    <>
      <label>
        Pipeline
        <select name="pipeline" defaultValue={pipeline ?? ""} key={`p-${pipeline ?? ""}`}>
          <option value="">All pipelines</option>
          {pipelines.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Model
        <select name="model" defaultValue={model ?? ""} key={`m-${model ?? ""}`}>
          <option value="">All models</option>
          {modelIds.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
