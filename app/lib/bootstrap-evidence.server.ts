// What a bootstrapping program's criteria measure, per orchestrator, from stored data only (the same
// queries the pages use): gateway events (live sessions and their payments), gateway job logs, public
// probes and advertised capabilities, over the program's UTC days and its pipelines and models. For
// each criterion set to "auto", the first of its sources (core/programs/bootstrap-file.ts CRITERIA)
// that has any data for the program is used, for every orchestrator alike. Definitions: decision 018.
import { centiQuantile, percentilesFromHistogram } from "../../core/latency-histogram";
import { pipelineSpec } from "../../core/cost";
import { CRITERIA, type BootstrapProgram, type CriterionName, type Evidence } from "../../core/programs/bootstrap-file";
import { gpuClassOf, latencyRatios, sumDecimals, type Measure, type OrchestratorEvidence } from "../../core/programs/bootstrap";
import type { Querier } from "../../db/client";
import { jobFacets, orchestratorJobs, type OrchestratorJobs } from "../../db/queries/jobs";
import { liveModels, livePayments, liveSessions, type LivePaymentRow, type LiveSessionRow } from "../../db/queries/live";
import { orchestratorGpus, LIVE_VIDEO_PIPELINE } from "../../db/queries/network";
import { probedPairs, windowHistograms, windowSums, type ProbeSums } from "../../db/queries/probes";

const ADDRESS = /^0x[0-9a-f]{40}$/;

interface Gathered {
  events: { model: string; sessions: LiveSessionRow[]; payments: LivePaymentRow[] }[];
  jobs: { pipeline: string; model: string; rows: OrchestratorJobs[] }[];
  probes: { pipeline: string; model: string; sums: ProbeSums[]; rtt: Map<string, Map<number, number>> }[];
  gpus: Map<string, Set<string>>;
}

const wanted = (p: BootstrapProgram, pipeline: string, model: string) => p.pipelines.includes(pipeline) && (!p.models.length || p.models.includes(model));

/** Reads every source the program's criteria may use (only the sources they name or may pick). */
async function gather(q: Querier, p: BootstrapProgram): Promise<Gathered> {
  const range = { from: p.from, to: p.to };
  const sources = new Set<Evidence>(p.criteria.flatMap((c) => (c.evidence === "auto" ? [...CRITERIA[c.name].evidence] : [c.evidence])));
  // Delivered seconds: live video from events, other video pipelines from job logs.
  if (p.split === "delivered-seconds") sources.add("events").add("joblogs");
  const out: Gathered = { events: [], jobs: [], probes: [], gpus: new Map() };
  if (sources.has("events") && p.pipelines.includes(LIVE_VIDEO_PIPELINE))
    for (const { modelId } of await liveModels(q, range)) {
      if (!wanted(p, LIVE_VIDEO_PIPELINE, modelId)) continue;
      const f = { ...range, modelId };
      out.events.push({ model: modelId, sessions: (await liveSessions(q, f)).rows, payments: await livePayments(q, f, []) });
    }
  if (sources.has("joblogs"))
    for (const pair of (await jobFacets(q, range)).models) {
      if (!wanted(p, pair.pipeline, pair.model)) continue;
      out.jobs.push({ ...pair, rows: await orchestratorJobs(q, { ...range, pipeline: pair.pipeline, modelId: pair.model }) });
    }
  const instants = { from: `${p.from}T00:00:00.000Z`, to: `${p.to}T23:59:59.000Z` };
  if (sources.has("probes"))
    for (const pair of await probedPairs(q, instants)) {
      if (!wanted(p, pair.pipeline, pair.model)) continue;
      const f = { ...instants, pipeline: pair.pipeline, model: pair.model };
      out.probes.push({ pipeline: pair.pipeline, model: pair.model, sums: await windowSums(q, f), rtt: await windowHistograms(q, f, "orchestrator") });
    }
  if (sources.has("capabilities"))
    for (const g of await orchestratorGpus(q, `${p.to}T23:59:59.999Z`)) {
      if (!wanted(p, g.pipeline, g.modelId)) continue;
      const set = out.gpus.get(g.address) ?? new Set<string>();
      set.add(gpuClassOf(g.name).label);
      out.gpus.set(g.address, set);
    }
  return out;
}

function has(g: Gathered, e: Evidence): boolean {
  if (e === "events") return g.events.some((x) => x.sessions.length > 0);
  if (e === "joblogs") return g.jobs.some((x) => x.rows.length > 0);
  if (e === "probes") return g.probes.some((x) => x.sums.length > 0);
  return g.gpus.size > 0;
}

export interface Measured {
  /** The evidence each criterion uses (null: none of its sources has data for the program). */
  evidence: Partial<Record<CriterionName, Evidence | null>>;
  orchestrators: OrchestratorEvidence[];
  /** Names that never resolved to an on-chain address (live events): not payable, counted apart. */
  unresolved: string[];
}

const sumBy = <T,>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

/** Every orchestrator's figure for each criterion, and its delivered seconds. */
export async function measureProgram(q: Querier, p: BootstrapProgram): Promise<Measured> {
  const g = await gather(q, p);
  const evidence: Measured["evidence"] = {};
  for (const c of p.criteria) evidence[c.name] = c.evidence === "auto" ? (CRITERIA[c.name].evidence.find((e) => has(g, e)) ?? null) : c.evidence;

  const names = new Set<string>();
  const unresolved = new Set<string>();
  const note = (a: string) => (ADDRESS.test(a) ? names.add(a) : unresolved.add(a));
  const sessionsOf = new Map<string, LiveSessionRow[]>();
  for (const e of g.events) for (const r of e.sessions) (sessionsOf.get(r.orchestrator) ?? sessionsOf.set(r.orchestrator, []).get(r.orchestrator)!).push(r);
  const jobsOf = new Map<string, OrchestratorJobs[]>();
  for (const j of g.jobs) for (const r of j.rows) (jobsOf.get(r.orchestrator) ?? jobsOf.set(r.orchestrator, []).get(r.orchestrator)!).push(r);
  const probesOf = new Map<string, ProbeSums[]>();
  for (const pr of g.probes) for (const r of pr.sums) (probesOf.get(r.orchestrator) ?? probesOf.set(r.orchestrator, []).get(r.orchestrator)!).push(r);
  const used = new Set(Object.values(evidence));
  if (used.has("events")) for (const k of sessionsOf.keys()) note(k);
  if (used.has("joblogs")) for (const k of jobsOf.keys()) note(k);
  if (used.has("probes")) for (const k of probesOf.keys()) note(k);
  if (used.has("capabilities")) for (const k of g.gpus.keys()) note(k);

  // Latency against the network median, per pair, for the evidence the criterion uses.
  const latency = p.criteria.find((c) => c.name === "maxLatencyVsMedian");
  let ratios = new Map<string, Measure>();
  if (latency) {
    const pairs = new Map<string, { address: string; p95: number | null; samples: number }[]>();
    const ev = evidence.maxLatencyVsMedian;
    if (ev === "events")
      for (const e of g.events)
        pairs.set(`startup, ${LIVE_VIDEO_PIPELINE} / ${e.model}`, e.sessions.map((r) => ({ address: r.orchestrator, p95: percentilesFromHistogram(r.startup).p95, samples: r.startupSamples })));
    if (ev === "joblogs") for (const j of g.jobs) pairs.set(`latency, ${j.pipeline} / ${j.model}`, j.rows.map((r) => ({ address: r.orchestrator, p95: r.latency.p95, samples: r.latency.n })));
    if (ev === "probes")
      for (const pr of g.probes)
        pairs.set(`probe round trip, ${pr.pipeline} / ${pr.model}`, [...pr.rtt].map(([address, h]) => {
          const x = percentilesFromHistogram(h);
          return { address, p95: x.p95, samples: x.n };
        }));
    ratios = latencyRatios(pairs, latency.minSamples, "ms");
  }

  const orchestrators: OrchestratorEvidence[] = [...names].sort().map((address) => {
    const live = sessionsOf.get(address) ?? [];
    const jobs = jobsOf.get(address) ?? [];
    const probes = probesOf.get(address) ?? [];
    const measures: OrchestratorEvidence["measures"] = {};
    for (const c of p.criteria) {
      const ev = evidence[c.name];
      const m = (value: number | string[] | null, samples: number | null, detail: string | null = null): Measure => ({ value, samples, detail });
      if (ev === null || ev === undefined) continue;
      switch (c.name) {
        case "minServed": {
          const n = ev === "events" ? sumBy(live, (r) => r.sessions) : sumBy(jobs, (r) => r.jobs);
          measures.minServed = m(n > 0 ? n : null, n, ev === "events" ? "live sessions" : "jobs");
          break;
        }
        case "minSuccessRate": {
          const [ok, n] =
            ev === "events" ? [sumBy(live, (r) => r.startupSamples), sumBy(live, (r) => r.sessions)]
            : ev === "joblogs" ? [sumBy(jobs, (r) => r.successes), sumBy(jobs, (r) => r.jobs)]
            : [sumBy(probes, (r) => r.successSum), sumBy(probes, (r) => r.probes)];
          const what = ev === "events" ? "sessions that started" : ev === "joblogs" ? "successful jobs" : "mean probe success";
          measures.minSuccessRate = m(n > 0 ? ok / n : null, n, `${what} over ${n}`);
          break;
        }
        case "maxLatencyVsMedian":
          measures.maxLatencyVsMedian = ratios.get(address) ?? m(null, 0);
          break;
        case "minProbeSuccessPerRegion": {
          const byRegion = new Map<string, { n: number; s: number }>();
          for (const r of probes) {
            const x = byRegion.get(r.region.toUpperCase()) ?? { n: 0, s: 0 };
            x.n += r.probes;
            x.s += r.successSum;
            byRegion.set(r.region.toUpperCase(), x);
          }
          const regions = c.regions ?? [...byRegion.keys()].sort();
          const missing = regions.filter((r) => (byRegion.get(r)?.n ?? 0) < c.minSamples);
          const rates = regions.filter((r) => !missing.includes(r)).map((r) => ({ r, v: byRegion.get(r)!.s / byRegion.get(r)!.n }));
          const worst = rates.reduce<{ r: string; v: number } | null>((w, x) => (w === null || x.v < w.v ? x : w), null);
          measures.minProbeSuccessPerRegion =
            !regions.length || missing.length
              ? m(null, sumBy(probes, (r) => r.probes), regions.length ? `fewer than ${c.minSamples} probes in ${missing.join(", ")}` : "no probes")
              : m(worst!.v, sumBy(probes, (r) => r.probes), `lowest region ${worst!.r}; ${rates.map((x) => `${x.r} ${Math.round(x.v * 1000) / 10}%`).join(", ")}`);
          break;
        }
        case "minFpsRatio": {
          const h = new Map<number, number>();
          for (const r of live) for (const [k, v] of r.fps) h.set(k, (h.get(k) ?? 0) + v);
          const n = sumBy([...h.values()], (x) => x);
          measures.minFpsRatio = m(centiQuantile(h, 0.5), n, `median delivered / input frame rate over ${n} status samples`);
          break;
        }
        case "gpuClasses": {
          const classes = [...(g.gpus.get(address) ?? [])].sort();
          measures.gpuClasses = m(g.gpus.has(address) ? classes : null, classes.length, `advertised at the end of ${p.to}`);
          break;
        }
      }
    }
    return { address, measures, deliveredSeconds: deliveredSeconds(g, address) };
  });
  return { evidence, orchestrators, unresolved: [...unresolved].sort() };
}

/** Billable seconds of live video (gateway payments) plus output seconds of other video pipelines' jobs. */
function deliveredSeconds(g: Gathered, address: string): string {
  const parts: string[] = [];
  for (const e of g.events) for (const r of e.payments) if (r.orchestrator === address) parts.push(r.billableSecs);
  for (const j of g.jobs) {
    if (j.pipeline === LIVE_VIDEO_PIPELINE || pipelineSpec(j.pipeline)?.output !== "video-seconds") continue;
    for (const r of j.rows) if (r.orchestrator === address) parts.push(r.outputSeconds);
  }
  return sumDecimals(parts);
}
