// The body of an /embed/<chart> page: title, range and source, the chart with its download toolbar,
// key numbers in text, and a link back to the full page. The root layout drops navigation, header and
// footer for embed routes (handle.embed) and keeps the demo banner.
import type { ReactNode } from "react";
import { ChartFrame } from "~/components/charts/chart-frame";

export function EmbedChart({
  title,
  range,
  source,
  backHref,
  backLabel,
  filename,
  csvHref,
  jsonHref,
  asOf,
  chart,
  children,
}: {
  title: string;
  /** "2025-01-01 – 2025-03-31 (UTC)" or similar. */
  range: string;
  source: string;
  backHref: string;
  backLabel: string;
  filename: string;
  csvHref: string;
  jsonHref: string;
  /** "block 250,000,000 at 2025-03-31 18:00:00 UTC" when known. */
  asOf?: string | null;
  chart: ReactNode;
  /** Key numbers and notes under the chart. */
  children?: ReactNode;
}) {
  return (
    <article className="embed" data-testid="embed">
      <header className="embed-header">
        <h1>{title}</h1>
        <p className="embed-meta">
          <span data-testid="embed-range">{range}</span> · Source: <span data-testid="embed-source">{source}</span>
          {asOf ? <> · data as of {asOf}</> : null}
        </p>
      </header>
      <ChartFrame title={title} heading="none" filename={filename} csvHref={csvHref} jsonHref={jsonHref} caption={`${range} · Source: ${source}`}>
        {chart}
      </ChartFrame>
      {children}
      <footer className="embed-footer">
        <a href={backHref} target="_blank" rel="noopener" data-testid="embed-back">
          {backLabel} on Observatory →
        </a>
      </footer>
    </article>
  );
}
