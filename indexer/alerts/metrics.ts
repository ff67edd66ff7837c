// What each alert metric reads, from stored data only (the rollups and the queries the pages use; no
// upstream call): one Observation per subject and scope. Windows end at `now`: job and live figures
// come from daily rollups, so their windows cover the UTC days the window touches; probe windows are
// exact instants (db/queries/probes.ts). Definitions: docs/decisions/014-alerts.md.
import { centiQuantile, percentilesFromHistogram } from "../../core/latency-histogram";
import { officialScore } from "../../core/probes/score";
import { daysBetween, todayUtc } from "../../core/dates";
import type { MetricName, Rule } from "../../core/alerts/rules";
import type { Querier } from "../../db/client";
import { activeLastFeeDays, rewardRounds } from "../../db/queries/alerts";
import { jobFacets, orchestratorJobs } from "../../db/queries/jobs";
import { liveModels, liveSessions } from "../../db/queries/live";
import { nodesAt } from "../../db/queries/network";
import { probedPairs, windowHistograms, windowMedians, windowSums, type ProbeFilter } from "../../db/queries/probes";
import { ledgerEventsOf, ledgerRows, subsidizedGateways } from "../../db/queries/programs";
import { sourceStates } from "../../db/queries/status";
import { ledgerWindow, replayLedger, runwayDays, spentOver } from "../../core/programs/ledger";
import { PASSIVE_SOURCES } from "../../app/lib/health";

/** Re-exported: its home is core/latency-histogram.ts. */
export { centiQuantile };

export interface Observation {
  /** An orchestrator's address, a source's name, or "network". */
  subject: string;
  /** "pipeline / model" (or a region) the value is about; '' when the metric has no scope. */
  scope: string;
  /** null: no figure (e.g. no samples at all). */
  value: number | null;
  /** How many samples the value stands on (null when the metric has none). */
  samples: number | null;
  link: string;
}

export interface MetricResult {
  observations: Observation[];
  /** Why there is nothing to observe, when the data the metric needs is not stored. */
  unavailable?: string;
}

const HOUR = 3_600_000;

/** The UTC days a window ending at `now` touches. */
export function windowDays(now: Date, windowMs: number): { from: string; to: string } {
  return { from: todayUtc(now.getTime() - windowMs), to: todayUtc(now.getTime()) };
}

const q2 = (s: string) => encodeURIComponent(s);
const orchLink = (address: string, days: { from: string; to: string }, pair?: { pipeline: string; model: string }) =>
  `/orchestrators/${address}?from=${days.from}&to=${days.to}${pair ? `&pipeline=${q2(pair.pipeline)}&model=${q2(pair.model)}` : ""}`;

/** Reads one rule's metric for every subject that has data. */
export async function observe(q: Querier, rule: Rule, now: Date): Promise<MetricResult> {
  const m: MetricName = rule.metric;
  const windowMs = rule.windowMs ?? 24 * HOUR;
  const days = windowDays(now, windowMs);
  const instants = { from: new Date(now.getTime() - windowMs).toISOString(), to: now.toISOString() };
  const scope = (p: string, mo: string) => `${p} / ${mo}`;
  switch (m) {
    case "jobs.latencyP95Ms":
    case "jobs.successRate": {
      const pairs =
        m === "jobs.successRate" && rule.model === null
          ? [{ pipeline: rule.pipeline ?? undefined, model: undefined as string | undefined }]
          : (await jobFacets(q, days)).models
              .filter((p) => (rule.pipeline === null || p.pipeline === rule.pipeline) && (rule.model === null || p.model === rule.model))
              .map((p) => ({ pipeline: p.pipeline as string | undefined, model: p.model as string | undefined }));
      const out: Observation[] = [];
      for (const pair of pairs) {
        const rows = await orchestratorJobs(q, { ...days, pipeline: pair.pipeline, modelId: pair.model });
        const s = pair.model ? scope(pair.pipeline!, pair.model) : (pair.pipeline ?? "");
        for (const r of rows)
          out.push(
            m === "jobs.successRate"
              ? { subject: r.orchestrator, scope: s, value: r.successRate, samples: r.jobs, link: orchLink(r.orchestrator, days, pair.model ? (pair as { pipeline: string; model: string }) : undefined) }
              : { subject: r.orchestrator, scope: s, value: r.latency.p95, samples: r.latency.n, link: orchLink(r.orchestrator, days, pair as { pipeline: string; model: string }) },
          );
      }
      return { observations: out };
    }
    case "live.startupP95Ms":
    case "live.fpsRatioP50": {
      const models = rule.model !== null ? [rule.model] : (await liveModels(q, days)).map((x) => x.modelId);
      const out: Observation[] = [];
      for (const model of models) {
        const { rows } = await liveSessions(q, { ...days, modelId: model });
        const link = `/live?from=${days.from}&to=${days.to}&model=${q2(model)}`;
        for (const r of rows) {
          if (m === "live.startupP95Ms") out.push({ subject: r.orchestrator, scope: model, value: percentilesFromHistogram(r.startup).p95, samples: r.startupSamples, link });
          else {
            let n = 0;
            for (const c of r.fps.values()) n += c;
            out.push({ subject: r.orchestrator, scope: model, value: centiQuantile(r.fps, 0.5), samples: n, link });
          }
        }
      }
      return { observations: out };
    }
    case "probes.successRate": {
      const f: ProbeFilter = { ...instants, region: rule.region, pipeline: rule.pipeline, model: rule.model };
      const by = new Map<string, { n: number; s: number }>();
      for (const r of await windowSums(q, f)) {
        const x = by.get(r.orchestrator) ?? { n: 0, s: 0 };
        x.n += r.probes;
        x.s += r.successSum;
        by.set(r.orchestrator, x);
      }
      const s = [rule.pipeline && rule.model ? scope(rule.pipeline, rule.model) : "", rule.region ?? ""].filter(Boolean).join(", ");
      return {
        observations: [...by].map(([o, x]) => ({ subject: o, scope: s, value: x.n ? x.s / x.n : null, samples: x.n, link: orchLink(o, days) })),
      };
    }
    case "probes.roundTripP95S":
    case "probes.scoreDrop": {
      const pairs = rule.pipeline && rule.model ? [{ pipeline: rule.pipeline, model: rule.model }] : await probedPairs(q, { ...instants, region: rule.region });
      const out: Observation[] = [];
      for (const pair of pairs) {
        const f: ProbeFilter = { ...instants, region: rule.region, pipeline: pair.pipeline, model: pair.model };
        const s = [scope(pair.pipeline, pair.model), rule.region ?? ""].filter(Boolean).join(", ");
        if (m === "probes.roundTripP95S") {
          for (const [o, h] of await windowHistograms(q, f, "orchestrator")) {
            const p = percentilesFromHistogram(h);
            out.push({ subject: o, scope: s, value: p.p95 === null ? null : p.p95 / 1000, samples: p.n, link: orchLink(o, days, pair) });
          }
        } else {
          const before: ProbeFilter = { ...f, from: new Date(now.getTime() - 2 * windowMs).toISOString(), to: new Date(now.getTime() - windowMs - 1000).toISOString() };
          const [a, b] = await Promise.all([scores(q, before, rule.region), scores(q, f, rule.region)]);
          for (const [o, now1] of b) {
            const then = a.get(o);
            if (!then) continue;
            out.push({ subject: o, scope: s, value: (then.score - now1.score) * 100, samples: Math.min(then.probes, now1.probes), link: orchLink(o, windowDays(now, 2 * windowMs), pair) });
          }
        }
      }
      return { observations: out };
    }
    case "fees.daysWithout": {
      const today = todayUtc(now.getTime());
      return {
        observations: (await activeLastFeeDays(q)).map((r) => ({
          subject: r.address,
          scope: "",
          // Days since the last day with a fee (0: paid today); never paid: no figure.
          value: r.lastFeeDay === null ? null : daysBetween(r.lastFeeDay, today) - 1,
          samples: null,
          link: `/orchestrators/${r.address}`,
        })),
      };
    }
    case "reward.roundsBehind":
      return {
        observations: (await rewardRounds(q)).map((r) => ({
          subject: r.address,
          scope: "",
          value: r.currentRound === null || r.lastRewardRound === null || !/^\d+$/.test(r.currentRound) || !/^\d+$/.test(r.lastRewardRound)
            ? null
            : Number(BigInt(r.currentRound) - BigInt(r.lastRewardRound)),
          samples: null,
          link: `/orchestrators/${r.address}`,
        })),
      };
    case "price.ratioToMedian":
      return { observations: await priceRatios(q, rule, now) };
    case "source.lagSeconds":
    case "source.failing": {
      const nowS = Math.floor(now.getTime() / 1000);
      const named = rule.subject.kind === "sources";
      return {
        observations: (await sourceStates(q))
          .filter((s) => named || m === "source.failing" || !PASSIVE_SOURCES.includes(s.name))
          .map((s) => {
            const success = s.last_success_at ? Date.parse(s.last_success_at) : null;
            const error = s.last_error_at ? Date.parse(s.last_error_at) : null;
            const value =
              m === "source.failing"
                ? error !== null && (success === null || error > success) ? 1 : 0
                : s.block_timestamp !== null ? Math.max(0, nowS - s.block_timestamp) : success !== null ? Math.max(0, Math.round((now.getTime() - success) / 1000)) : null;
            return { subject: s.name, scope: "", value, samples: null, link: "/status" };
          }),
      };
    }
    case "subsidy.runwayDays": {
      // Each gateway tagged subsidized: days its balance lasts at the burn of the rule's window in whole
      // days (default 7), as GET /api/subsidy gives runwayDays for the days ending today. No burn: no figure.
      const n = Math.max(1, Math.round((rule.windowMs ?? 7 * 24 * HOUR) / (24 * HOUR)));
      const today = todayUtc(now.getTime());
      const observations: Observation[] = [];
      for (const g of await subsidizedGateways(q)) {
        const replay = replayLedger(ledgerEventsOf(await ledgerRows(q, g.address)));
        const runway = runwayDays(ledgerWindow(replay.days, today, today).balanceWei, spentOver(replay.days, today, n), n);
        observations.push({ subject: g.address, scope: "", value: runway === null ? null : Number(runway), samples: null, link: "/programs" });
      }
      return { observations };
    }
  }
}

/** Per orchestrator: the official score (mean over regions, or the one region) and its probes. */
async function scores(q: Querier, f: ProbeFilter, region: string | null): Promise<Map<string, { score: number; probes: number }>> {
  const [sums, medians] = await Promise.all([windowSums(q, f), windowMedians(q, f)]);
  const median = medians.get(region ?? "")?.median ?? null;
  const by = new Map<string, { total: number; regions: number; probes: number }>();
  for (const r of sums) {
    if (!r.probes) continue;
    const x = by.get(r.orchestrator) ?? { total: 0, regions: 0, probes: 0 };
    x.total += officialScore(r.successSum / r.probes, r.rttSum / r.probes, median).score;
    x.regions += 1;
    x.probes += r.probes;
    by.set(r.orchestrator, x);
  }
  return new Map([...by].map(([o, x]) => [o, { score: x.total / x.regions, probes: x.probes }]));
}

/** An advertised price as an exact fraction: wei per pixel = pricePerUnit / pixelsPerUnit. */
interface Price {
  num: bigint;
  den: bigint;
}
const cmp = (a: Price, b: Price) => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};
/** a / b to 6 decimal places (a ratio of prices, never an amount). */
const ratio = (a: Price, b: Price) => Number((a.num * b.den * 1_000_000n) / (a.den * b.num)) / 1_000_000;

/** Each orchestrator's highest advertised price per pipeline and model over the median of every node's offer (the lower middle one of an even count). */
async function priceRatios(q: Querier, rule: Rule, now: Date): Promise<Observation[]> {
  const nodes = await nodesAt(q, now.toISOString());
  const offers = new Map<string, { address: string; price: Price }[]>();
  for (const n of nodes)
    for (const mo of n.models) {
      if (mo.pricePerUnit === null || !/^\d+$/.test(mo.pricePerUnit) || BigInt(mo.pricePerUnit) === 0n) continue;
      if ((rule.pipeline !== null && mo.pipeline !== rule.pipeline) || (rule.model !== null && mo.modelId !== rule.model)) continue;
      const den = mo.pixelsPerUnit && /^\d+$/.test(mo.pixelsPerUnit) && BigInt(mo.pixelsPerUnit) > 0n ? BigInt(mo.pixelsPerUnit) : 1n;
      const k = `${mo.pipeline} / ${mo.modelId}`;
      const list = offers.get(k) ?? [];
      list.push({ address: n.address, price: { num: BigInt(mo.pricePerUnit), den } });
      offers.set(k, list);
    }
  const out: Observation[] = [];
  for (const [k, list] of offers) {
    const sorted = list.map((x) => x.price).sort(cmp);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    const best = new Map<string, number>();
    for (const x of list) best.set(x.address, Math.max(best.get(x.address) ?? 0, ratio(x.price, median)));
    for (const [address, value] of best) out.push({ subject: address, scope: k, value, samples: list.length, link: `/network` });
  }
  return out;
}
