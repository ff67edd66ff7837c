// The fee tables written once: fees by gateway (who paid) and by orchestrator (who earned), on /fees
// and in reports. A gateway table always has the same columns; an orchestrator table picks its
// columns from ORCHESTRATOR_COLUMNS (/fees: tickets and USD; reports: service URI, jobs and latency).
import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { Eth, Usd } from "~/components/amount";
import { Percentile, SuccessRate } from "~/components/job-stats";
import { EmptyRow, TableWrap } from "~/components/page-header";
import { ServiceUri } from "~/components/service-uri";
import { formatInt, formatPct, shortAddress } from "~/lib/format";
import type { LatencyMs } from "~/lib/latency";

/** One column: its header, whether it aligns right ("r"), the class of its other cells, and a row's cell. */
interface Column<R> {
  head: string;
  right?: boolean;
  className?: string;
  cell: (row: R) => ReactNode;
}

/** A row's cells, one per column. */
function cells<R>(columns: Column<R>[], row: R) {
  return columns.map((c) => (
    <td key={c.head} className={c.right ? "r" : c.className}>
      {c.cell(row)}
    </td>
  ));
}

function FeeTable<R extends { address: string }>({
  rows,
  label,
  columns,
  empty,
}: {
  rows: R[];
  label: string;
  columns: NoInfer<Column<R>>[];
  /** A row saying so when there are no rows; without it the body stays empty. */
  empty?: string;
}) {
  return (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.head} className={c.right ? "r" : undefined}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.address}>{cells(columns, r)}</tr>
          ))}
          {empty !== undefined && rows.length === 0 ? <EmptyRow columns={columns.length}>{empty}</EmptyRow> : null}
        </tbody>
      </table>
    </TableWrap>
  );
}

const share: Column<{ sharePct: number | null }> = { head: "Share", right: true, cell: (r) => formatPct(r.sharePct) };
const tickets: Column<{ tickets: number }> = { head: "Tickets", right: true, cell: (r) => formatInt(r.tickets) };
const eth = (head: string): Column<{ volumeEth: string }> => ({ head, right: true, cell: (r) => <Eth value={r.volumeEth} unit={false} /> });
const usd: Column<{ volumeUsd: string }> = { head: "USD", right: true, cell: (r) => <Usd value={r.volumeUsd} /> };

export interface GatewayFeeRow {
  address: string;
  tag: string | null;
  label: string | null;
  sharePct: number | null;
  tickets: number;
  volumeEth: string;
  volumeUsd: string;
}

const gatewayColumns: Column<GatewayFeeRow>[] = [
  {
    head: "Gateway",
    cell: (g) => (
      <>
        <span className="mono" title={g.address}>
          {shortAddress(g.address)}
        </span>
        {g.label ? <div className="muted">{g.label}</div> : null}
      </>
    ),
  },
  {
    head: "Tag",
    cell: (g) => (g.tag ? <span className={`tag tag-${g.tag.replace(/[^a-z0-9-]/gi, "")}`}>{g.tag}</span> : <span className="muted">—</span>),
  },
  share,
  tickets,
  eth("ETH"),
  usd,
];

/** Fees by gateway: address and label, tag, share, tickets, ETH, USD. */
export function GatewayFeeTable({ rows, label, empty }: { rows: GatewayFeeRow[]; label: string; empty?: string }) {
  return <FeeTable rows={rows} label={label} columns={gatewayColumns} empty={empty} />;
}

type JobCounts = { jobs: number; successes: number; successRate: number | null };
type Latency = { latencyMs: LatencyMs; latencySamples: number };
const serviceUri: Column<{ serviceUri: string | null }> = { head: "Service URI", className: "uri", cell: (o) => <ServiceUri uri={o.serviceUri} /> };
const jobs: Column<{ jobs: number }> = { head: "Jobs", right: true, cell: (o) => formatInt(o.jobs) };
const success: Column<JobCounts> = { head: "Success", right: true, cell: (o) => <SuccessRate rate={o.successRate} successes={o.successes} jobs={o.jobs} /> };
const p50: Column<Latency> = { head: "p50", right: true, cell: (o) => <Percentile k="p50" latency={o.latencyMs} n={o.latencySamples} /> };
const p95: Column<Latency> = { head: "p95", right: true, cell: (o) => <Percentile k="p95" latency={o.latencyMs} n={o.latencySamples} /> };

/** The columns an orchestrator table can show after the address. */
export const ORCHESTRATOR_COLUMNS = { serviceUri, feesEth: eth("Fees (ETH)"), eth: eth("ETH"), usd, share, tickets, jobs, success, p50, p95 };

/**
 * Fees by orchestrator: the short address linking to its page, then `columns`. `link` "client" is a
 * Remix <Link> (client-side navigation), "document" a plain <a>.
 */
export function OrchestratorFeeTable<R extends { address: string }>({
  rows,
  label,
  columns,
  href,
  link,
  empty,
}: {
  rows: R[];
  label: string;
  columns: NoInfer<Column<R>>[];
  href: (address: string) => string;
  link: "client" | "document";
  empty?: string;
}) {
  const address: Column<R> = {
    head: "Orchestrator",
    cell: (o) =>
      link === "client" ? (
        <Link to={href(o.address)} className="mono" title={o.address}>
          {shortAddress(o.address)}
        </Link>
      ) : (
        <a href={href(o.address)} className="mono" title={o.address}>
          {shortAddress(o.address)}
        </a>
      ),
  };
  return <FeeTable rows={rows} label={label} columns={[address, ...columns]} empty={empty} />;
}
