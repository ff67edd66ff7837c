// The orchestrators table: columns in five groups (the orchestrator, what it advertises at the newest
// capabilities poll, its job figures for one pipeline and model pair, its public-probe score, success
// and round-trip p95 for one probed pair, and on-chain fees and stake),
// sortable headers, and a tick box per row for the compare form around it. Sized to fit a 1280 px
// window without sideways scrolling: short headers that wrap under their group, the activity state
// as a tag under the address, service URIs that break anywhere, no percentile columns when the
// figures cover every pipeline, a cost column only when some row has a cost, probe columns only when
// some row has probes (and then no job p99 column: the table would pass 1280 px with the cost column
// too), and all-time fees left
// to the orchestrator's page, the CSV and the JSON (app/styles/figures.css, .orch-table).
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Eth } from "~/components/amount";
import { Percentile, SuccessRate, type PairInfo } from "~/components/job-stats";
import { ServiceUri } from "~/components/service-uri";
import { formatUsdPrecise } from "~/lib/cost-format";
import { formatInt, formatPct, groupThousands, roundDecimal, shortAddress } from "~/lib/format";
import { defaultDir, type OrchestratorSort, type SortDir } from "~/lib/orchestrator-sort";
import type { LatencyMs } from "~/lib/latency";
import { changeParams } from "~/lib/url";
import { ProbeRoundTrip, ProbeScore, ProbeSuccess } from "~/components/probes/probe-cells";
import { GpuList, LivePriceCell, type GpuCountView, type LivePriceView } from "./advertised-cells";

/** One row as the loader sends it (app/lib/orchestrators.server.ts OrchestratorJobRow). */
export interface TableRow {
  address: string;
  serviceUri: string | null;
  active: boolean | null;
  totalStake: string | null;
  feeSharePct: number | null;
  rewardCutPct: number | null;
  feesEth30d: string;
  feesEthTotal: string;
  jobs: number;
  successes: number;
  successRate: number | null;
  latencyMs: LatencyMs;
  latencySamples: number;
  expectedFeesEth: string;
  usdPerVideoSecond: string | null;
  videoJobs: number;
  videoSeconds: string;
  gpus: GpuCountView[];
  gpuCount: number | null;
  livePrice: LivePriceView | null;
  probeCount: number;
  probeSuccessRate: number | null;
  probeRoundTripS: { p50: number | null; p95: number | null; p99: number | null };
  probeRoundTripSamples: number;
  probeScore: number | null;
}

/** The pipeline and model of the probe columns, and how it was chosen. */
export interface ProbePairView {
  pipeline: string | null;
  model: string | null;
  choice: string;
}

interface Column {
  key: OrchestratorSort;
  label: ReactNode;
  group: "who" | "advertised" | "jobs" | "probes" | "chain";
  right?: boolean;
  className?: string;
  title?: string;
  cell: (r: TableRow) => ReactNode;
}

function AddressCell({ r }: { r: TableRow }) {
  return (
    <>
      <Link to={`/orchestrators/${r.address}`} className="mono nowrap" title={r.address}>
        {shortAddress(r.address)}
      </Link>
      {r.active === false ? (
        <span className="tag state-tag" title="Transcoder row not active">
          inactive
        </span>
      ) : r.active === null ? (
        <span className="tag state-tag" title="No Transcoder row indexed: known from fees or job logs only">
          no Transcoder row
        </span>
      ) : null}
    </>
  );
}

/** The explorer's "fee cut": what the orchestrator keeps of its fees, from feeShare (what delegators get). */
export const feeCutPct = (feeSharePct: number): number => Math.round((100 - feeSharePct) * 1e4) / 1e4;

/** Stake in whole LPT (the exact amount in the title). */
function Stake({ value }: { value: string | null }) {
  if (value === null) return <span className="muted">—</span>;
  return (
    <span className="num" title={`${value} LPT`}>
      {groupThousands(roundDecimal(value, 0))}
    </span>
  );
}

function columns(pair: PairInfo, showCost: boolean, showProbes: boolean): Column[] {
  const mixed = pair.choice === "all";
  const percentile = (k: "p50" | "p95" | "p99", key: OrchestratorSort): Column => ({
    key,
    label: k,
    group: "jobs",
    right: true,
    title: `${k} latency of successful jobs (n in each cell's title)`,
    cell: (r) => <Percentile k={k} latency={r.latencyMs} n={r.latencySamples} />,
  });
  return [
    { key: "address", label: "Address", group: "who", cell: (r) => <AddressCell r={r} /> },
    { key: "serviceUri", label: "Service URI", group: "who", className: "uri", cell: (r) => <ServiceUri uri={r.serviceUri} /> },
    {
      key: "gpuCount",
      label: "GPUs",
      group: "advertised",
      className: "gpus",
      title: "GPUs it advertises (distinct GPUs by name) in the newest capabilities poll",
      cell: (r) => <GpuList gpus={r.gpus} count={r.gpuCount} />,
    },
    {
      key: "livePrice",
      label: "Live video",
      group: "advertised",
      right: true,
      title: "Advertised live video price: USD per hour of 1280x720x30 video (wei per pixel without a USD rate); the chosen model's where it offers it, else its lowest",
      cell: (r) => <LivePriceCell price={r.livePrice} />,
    },
    { key: "jobs", label: "Jobs", group: "jobs", right: true, title: "Jobs in the gateway logs over the job range", cell: (r) => formatInt(r.jobs) },
    { key: "successRate", label: "Success", group: "jobs", right: true, cell: (r) => <SuccessRate rate={r.successRate} successes={r.successes} jobs={r.jobs} /> },
    // p99 gives way to the probe columns (it stays in the CSV, the JSON and each orchestrator's page).
    ...(mixed ? [] : [percentile("p50", "latencyP50"), percentile("p95", "latencyP95"), ...(showProbes ? [] : [percentile("p99", "latencyP99")])]),
    {
      key: "expectedFeesEth",
      label: "Expected ETH",
      group: "jobs",
      right: true,
      title: "Expected fees from the gateway logs over the job range",
      cell: (r) => <Eth value={r.expectedFeesEth} unit={false} />,
    },
    ...(showCost
      ? [
          {
            key: "usdPerVideoSecond" as const,
            label: "USD / video s",
            group: "jobs" as const,
            right: true,
            title: "Cost per second of video: expected fees of successful priced video jobs over their output seconds, each day's fees at that day's ETH/USD",
            cell: (r: TableRow) =>
              r.usdPerVideoSecond === null ? (
                <span className="muted">—</span>
              ) : (
                <span title={`${formatInt(r.videoJobs)} video jobs, ${r.videoSeconds} s`}>{formatUsdPrecise(r.usdPerVideoSecond)}</span>
              ),
          },
        ]
      : []),
    ...(showProbes ? PROBE_COLUMNS : []),
    { key: "feesEth30d", label: "Fees 30 d", group: "chain", right: true, title: "Realized fees over 30 days, ETH: winning tickets redeemed on chain", cell: (r) => <Eth value={r.feesEth30d} unit={false} /> },
    { key: "totalStake", label: "Stake (LPT)", group: "chain", right: true, title: "Total stake, whole LPT (exact in each cell's title)", cell: (r) => <Stake value={r.totalStake} /> },
    {
      // As the explorer shows it: the share of fees the orchestrator keeps (100% minus the on-chain
      // feeShare, which is what its delegators get). Sorted by feeShare: the lowest cut first.
      key: "feeSharePct",
      label: "Fee cut",
      group: "chain",
      right: true,
      title: "Share of fees the orchestrator keeps, as the explorer shows it (100% minus feeShare, the delegators' share)",
      cell: (r) => (r.feeSharePct === null ? formatPct(null) : <span title={`delegators get ${formatPct(r.feeSharePct)} (feeShare)`}>{formatPct(feeCutPct(r.feeSharePct))}</span>),
    },
    { key: "rewardCutPct", label: "Reward cut", group: "chain", right: true, cell: (r) => formatPct(r.rewardCutPct) },
  ];
}

const PROBE_COLUMNS: Column[] = [
  {
    key: "probeScore",
    label: "Score",
    group: "probes",
    right: true,
    title: "Official AI leaderboard score x100 over the job range: mean over its regions (0.65 x success + 0.35 x round-trip score)",
    cell: (r) => <ProbeScore score={r.probeScore} />,
  },
  {
    key: "probeSuccessRate",
    label: "Success",
    group: "probes",
    right: true,
    title: "Mean success of its public probes (mean over its regions)",
    cell: (r) => <ProbeSuccess rate={r.probeSuccessRate} probes={r.probeCount} />,
  },
  {
    key: "probeRoundTripP95",
    label: "RTT p95",
    group: "probes",
    right: true,
    title: "Round trip p95 of its successful probes, all regions (from 20 probes; n in each cell's title)",
    cell: (r) => <ProbeRoundTrip k="p95" s={r.probeRoundTripS.p95} n={r.probeRoundTripSamples} />,
  },
];

const GROUPS: Record<Column["group"], (pair: PairInfo, probes: ProbePairView) => ReactNode> = {
  who: () => "Orchestrator",
  advertised: () => <span title="From the newest capabilities poll">Advertised</span>,
  jobs: (pair) => (pair.choice === "all" ? "Jobs, every pipeline" : `Jobs: ${[pair.pipeline, pair.model].filter(Boolean).join(" ") || "none in range"}`),
  probes: (_pair, p) => (
    <span className="probe-pair" title={`Public AI leaderboard probes of ${p.pipeline} ${p.model}${p.choice === "busiest" ? " (the most probed pair in the range)" : ""}`}>
      {`Probes: ${p.pipeline} ${p.model}`}
    </span>
  ),
  chain: () => "On chain (ETH)",
};

export function OrchestratorTable({
  rows,
  pair,
  probePair,
  sort,
  dir,
  search,
  emptyText,
}: {
  rows: TableRow[];
  pair: PairInfo;
  probePair: ProbePairView;
  sort: OrchestratorSort;
  dir: SortDir;
  search: URLSearchParams;
  emptyText: string;
}) {
  const cols = columns(pair, rows.some((r) => r.usdPerVideoSecond !== null), probePair.pipeline !== null && rows.some((r) => r.probeCount > 0));
  const groups: { group: Column["group"]; span: number }[] = [];
  for (const c of cols) {
    const last = groups[groups.length - 1];
    if (last?.group === c.group) last.span++;
    else groups.push({ group: c.group, span: 1 });
  }
  return (
    <table className="orch-table">
      <thead>
        <tr className="group-row">
          <th className="check-col" />
          {groups.map((g) => (
            <th key={g.group} colSpan={g.span} scope="colgroup" className={`group-${g.group}`}>
              {GROUPS[g.group](pair, probePair)}
            </th>
          ))}
        </tr>
        <tr>
          <th className="check-col">
            <span className="visually-hidden">Compare</span>
          </th>
          {cols.map((c) => {
            const current = c.key === sort;
            const nextDir = current ? (dir === "asc" ? "desc" : "asc") : defaultDir(c.key);
            return (
              <th
                key={c.key}
                className={[c.right ? "r" : "", `group-${c.group}`].filter(Boolean).join(" ")}
                title={c.title}
                aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}
              >
                <Link to={changeParams(search, { sort: c.key, dir: nextDir })} preventScrollReset>
                  {c.label}
                  {current ? (dir === "asc" ? " ▲" : " ▼") : ""}
                </Link>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.address}>
            <td className="check-col">
              <input type="checkbox" name="address" value={r.address} aria-label={`Compare ${r.address}`} />
            </td>
            {cols.map((c) => (
              <td key={c.key} className={c.className ?? (c.right ? "r" : undefined)}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
        {rows.length === 0 ? (
          <tr>
            <td colSpan={cols.length + 1} className="muted">
              {emptyText}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
