// The report's provenance: when it was computed, what data it saw, sources, caveats and method.
import type { ReactNode } from "react";
import { formatTimestamp } from "~/lib/format";
import type { ReportProvenance } from "~/lib/reports.server";

export function ProvenanceSection({ provenance: p, children }: { provenance: ReportProvenance; children?: ReactNode }) {
  return (
    <section className="panel report-section report-page" aria-labelledby="report-provenance">
      <h2 id="report-provenance">Provenance, method and caveats</h2>
      <dl className="report-facts">
        <dt>Computed at</dt>
        <dd data-testid="computed-at">{formatTimestamp(p.computedAt)}</dd>
        <dt>Subgraph</dt>
        <dd data-testid="as-of-block">
          {p.subgraph.block === null ? "nothing indexed" : <>block {p.subgraph.block} ({formatTimestamp(p.subgraph.blockTimestamp)}), latest indexed day {p.subgraph.latestDay}</>}
          {p.subgraph.deployment ? <span className="muted"> · deployment {p.subgraph.deployment}</span> : null}
        </dd>
        <dt>Job logs</dt>
        <dd data-testid="as-of-logs">{p.logs.upTo === null ? "none indexed" : <>up to {formatTimestamp(p.logs.upTo)} (days {p.logs.firstDay} – {p.logs.lastDay})</>}</dd>
        <dt>Price catalogue</dt>
        <dd>
          {p.catalogue ? (
            <>
              prices as of {p.catalogue.oldestAsOf ?? "?"} – {p.catalogue.newestAsOf ?? "?"}, loaded {formatTimestamp(p.catalogue.loadedAt)}
            </>
          ) : (
            "not loaded"
          )}
        </dd>
        {children}
      </dl>
      <h3>Sources</h3>
      <ul className="report-notes">
        {p.sources.map((s) => (
          <li key={s.name}>
            <strong>{s.name}.</strong> {s.detail}
          </li>
        ))}
      </ul>
      <h3>Caveats</h3>
      <ul className="report-notes" data-testid="caveats">
        {p.caveats.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <h3>Method</h3>
      <ul className="report-notes">
        {p.method.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </section>
  );
}
