// One report as a document: headline figures, the charts and tables behind them, and provenance.
// The builder (/reports, computed now) and a saved report (/reports/<id>, as stored) render the same
// figures through this component; each section is its own file in app/components/report/. Every text
// from the data (service URIs, labels) is rendered by React as text; nothing here uses
// dangerouslySetInnerHTML. Sections carry `report-section`; the print stylesheet starts the ones
// marked `report-page` on a new page.
import type { ReactNode } from "react";
import { CostSection } from "~/components/report/cost-section";
import { FeesSection } from "~/components/report/fees-section";
import { ReportHeadline } from "~/components/report/headline";
import { JobsSection } from "~/components/report/jobs-section";
import { ProvenanceSection } from "~/components/report/provenance-section";
import { ExportsContext, type ReportExports } from "~/components/report/report-chart";
import { WhoSection } from "~/components/report/who-section";
import type { ReportFigures, ReportProvenance } from "~/lib/reports.server";

export type { ReportExports };

export interface ReportViewProps {
  input: { from: string; to: string; baselineFrom: string; baselineTo: string };
  figures: ReportFigures;
  provenance: ReportProvenance;
}

/** The four URL parameters of a report (the builder's permalink and the save form). */
export const REPORT_FIELDS = ["from", "to", "baselineFrom", "baselineTo"] as const;

/** "from=…&to=…&baselineFrom=…&baselineTo=…" for a link to the builder. */
export const reportQuery = (r: ReportViewProps["input"]) =>
  new URLSearchParams({ from: r.from, to: r.to, baselineFrom: r.baselineFrom, baselineTo: r.baselineTo }).toString();

/** The whole report below its header: headline, fees, jobs, cost, who, provenance. */
export function ReportBody({
  figures,
  provenance,
  provenanceExtra,
  exports = null,
}: ReportViewProps & { provenanceExtra?: ReactNode; exports?: ReportExports | null }) {
  return (
    <ExportsContext.Provider value={exports}>
      <ReportHeadline figures={figures} />
      <FeesSection figures={figures} />
      <JobsSection figures={figures} />
      <CostSection figures={figures} />
      <WhoSection figures={figures} />
      <ProvenanceSection provenance={provenance}>{provenanceExtra}</ProvenanceSection>
    </ExportsContext.Provider>
  );
}

/** "Period 2025-03-01 – 2025-03-31 (31 days) vs baseline 2025-01-30 – 2025-02-28 (30 days)". */
export function RangesLine({ figures: f }: { figures: ReportFigures }) {
  return (
    <>
      Period <strong>{f.period.from} – {f.period.to}</strong> ({f.period.days} days) vs baseline{" "}
      <strong>{f.baseline.from} – {f.baseline.to}</strong> ({f.baseline.days} days), UTC, inclusive.
    </>
  );
}
