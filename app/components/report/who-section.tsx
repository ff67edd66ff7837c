// The report's who section: top orchestrators by fees and by jobs, top gateways by fees paid.
import { gatewayFeeBars, orchestratorFeeBars } from "~/components/charts/horizontal-bars";
import { HorizontalBars, type BarDatum } from "~/components/charts/horizontal-bars";
import { GatewayFeeTable, ORCHESTRATOR_COLUMNS as C, OrchestratorFeeTable } from "~/components/fee-tables";
import { formatInt } from "~/lib/format";
import type { ReportFigures, TopOrchestrator } from "~/lib/reports.server";
import { ReportChart } from "./report-chart";

/** The top orchestrators with their fees and their jobs' success and latency. */
function TopOrchestrators({ rows, label }: { rows: TopOrchestrator[]; label: string }) {
  return (
    <OrchestratorFeeTable
      rows={rows}
      label={label}
      columns={[C.serviceUri, C.feesEth, C.share, C.jobs, C.success, C.p50, C.p95]}
      href={(a) => `/orchestrators/${a}`}
      link="document"
      empty="None in the period."
    />
  );
}

/** Bars of the top few by fees, drawn when there are any. */
function TopChart({ title, name, label, data }: { title: string; name: string; label: string; data: BarDatum[] }) {
  if (!data.length) return null;
  return (
    <ReportChart title={title} name={name}>
      <HorizontalBars label={label} data={data} />
    </ReportChart>
  );
}

export function WhoSection({ figures: f }: { figures: ReportFigures }) {
  const o = f.orchestrators;
  const gw = f.gateways;
  return (
    <section className="panel report-section report-page" aria-labelledby="report-who">
      <h2 id="report-who">Top orchestrators and gateways (period)</h2>
      <h3>Orchestrators by realized fees</h3>
      <p className="muted">
        {formatInt(o.earning)} orchestrators earned fees and {formatInt(o.withJobs)} ran logged jobs; the top {o.topByFees.length} by fees:
      </p>
      <TopChart title="Top orchestrators by realized fees (ETH)" name="top-orchestrators" label="Fees in ETH by orchestrator, top of the period" data={orchestratorFeeBars(o.topByFees)} />
      <TopOrchestrators rows={o.topByFees} label="Top orchestrators by fees" />
      <h3>Orchestrators by logged jobs</h3>
      <TopOrchestrators rows={o.topByJobs} label="Top orchestrators by jobs" />
      <h3>Gateways by fees paid</h3>
      <p className="muted">{formatInt(gw.paying)} gateways paid fees in the period.</p>
      <TopChart title="Top gateways by fees paid (ETH)" name="top-gateways" label="Fees in ETH by gateway, top of the period" data={gatewayFeeBars(gw.top)} />
      <GatewayFeeTable rows={gw.top} label="Top gateways" empty="No fees in the period." />
    </section>
  );
}
