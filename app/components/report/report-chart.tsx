// One chart of a report with PNG and SVG downloads and the report's own CSV and JSON (every figure
// shown, including each chart's points). ReportBody provides where those download from.
import { createContext, useContext, type ReactNode } from "react";
import { ChartFrame } from "~/components/charts/chart-frame";
import { exportName } from "~/lib/download-names";

/** Where a report's numbers download from: the saved report's own JSON/CSV, or the builder's preview of the same computation. */
export interface ReportExports {
  csvHref: string;
  jsonHref: string;
  /** File names: observatory-report-<id or "preview">-<chart>. */
  tag: string;
  /** Second line of an exported image: the ranges and where the figures come from. */
  caption: string;
}

export const ExportsContext = createContext<ReportExports | null>(null);

/** One chart of the report with PNG and SVG downloads and the report's CSV and JSON (every figure shown, including each chart's points). */
export function ReportChart({ title, name, children }: { title: string; name: string; children: ReactNode }) {
  const e = useContext(ExportsContext);
  if (!e) return <>{children}</>;
  return (
    <ChartFrame heading="none" title={title} filename={exportName(`report-${e.tag}-${name}`)} csvHref={e.csvHref} jsonHref={e.jsonHref} caption={e.caption}>
      {children}
    </ChartFrame>
  );
}
