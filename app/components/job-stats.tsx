// Job figures as text: latency percentiles (with why one is hidden), success rates, the pipeline and
// model pair they are for (percentiles never mix pairs), and the pipeline/model selects.
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

/** The pipeline and model pair job figures are for (jobs.server.ts ChosenPair, as loaders send it). */
export interface PairInfo {
  pipeline: string | null;
  model: string | null;
  choice: "requested" | "busiest" | "all";
  requested: { pipeline: string | null; model: string | null };
}

/** "text-to-image ByteDance/SDXL-Lightning", "every pipeline and model", or that there are no jobs. */
export function pairText(p: PairInfo): string {
  if (p.choice === "all") return "every pipeline and model";
  return [p.pipeline, p.model].filter(Boolean).join(" ") || "no pipeline (no jobs in this window)";
}

/**
 * What the job figures below cover, in one sentence: the pair and why it was chosen (percentiles and
 * costs never mix pipelines or models), with a pointer to the selects. `scope` names whose busiest.
 */
export function PairNote({ pair, scope, hasJobs = true }: { pair: PairInfo; scope: string; hasJobs?: boolean }) {
  if (pair.choice === "all")
    return (
      <p className="pair-note" data-testid="pair-note">
        Jobs, success and fees over <strong>every pipeline and model</strong>. No latency percentile or cost is shown: they would mix 1-second image jobs
        with 30-second video jobs. <a href="#pair">Choose a pipeline and model</a> for them.
      </p>
    );
  if (!hasJobs || (pair.pipeline === null && pair.model === null))
    return (
      <p className="pair-note" data-testid="pair-note">
        No jobs are logged {pair.choice === "requested" ? `for ${pairText(pair)} ` : ""}in this window.
      </p>
    );
  const why = pair.choice === "busiest" ? `, ${scope} busiest in this window; ` : "; ";
  return (
    <p className="pair-note" data-testid="pair-note">
      p50/p95/p99 and costs for <strong>{pairText(pair)}</strong>
      {why}
      <a href="#pair">choose another</a>. Percentiles and costs never mix pipelines or models.
    </p>
  );
}

/**
 * Pipeline and model selects listing what has jobs in the range (the current choice always listed).
 * `pipeline` and `model` are what the request asked for (empty: the busiest); `chosen` names the
 * pair in use on the "busiest" options; `allowAll` adds "every pipeline" (no percentiles).
 */
export function PipelineModelSelects({
  facets,
  pipeline,
  model,
  chosen,
  allowAll = false,
}: {
  facets: { pipelines: string[]; models: { pipeline: string; model: string }[] };
  pipeline: string | null;
  model: string | null;
  chosen?: PairInfo;
  allowAll?: boolean;
}) {
  const all = chosen?.choice === "all";
  const pipelines = pipeline && !facets.pipelines.includes(pipeline) ? [...facets.pipelines, pipeline] : facets.pipelines;
  const models = facets.models.filter((m) => !pipeline || m.pipeline === pipeline);
  const modelIds = [...new Set(models.map((m) => m.model))];
  if (model && !modelIds.includes(model)) modelIds.push(model);
  const busiest = (v: string | null) => (chosen && !all && v ? `Busiest (${v})` : chosen ? "Busiest" : null);
  // A new pipeline starts with its own busiest model (the old model rarely runs on it).
  const resetModel = (e: { currentTarget: HTMLSelectElement }) => {
    const m = e.currentTarget.form?.elements.namedItem("model");
    if (!(m instanceof HTMLSelectElement)) return;
    m.value = "";
    m.disabled = e.currentTarget.value === "all";
  };
  return (
    <>
      <label id="pair">
        Pipeline
        <select name="pipeline" defaultValue={all ? "all" : (pipeline ?? "")} key={`p-${all ? "all" : (pipeline ?? "")}`} onChange={resetModel}>
          <option value="">{(!pipeline && busiest(chosen?.pipeline ?? null)) || "All pipelines"}</option>
          {pipelines.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          {allowAll ? <option value="all">Every pipeline (no percentiles)</option> : null}
        </select>
      </label>
      <label>
        Model
        <select name="model" defaultValue={model ?? ""} key={`m-${model ?? ""}`} disabled={all}>
          <option value="">{(!model && busiest(chosen?.model ?? null)) || "All models"}</option>
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
