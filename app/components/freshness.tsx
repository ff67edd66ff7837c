import { Link } from "@remix-run/react";
import { formatDuration, formatInt, formatTimestamp } from "~/lib/format";

export interface FreshnessData {
  block: number | null;
  blockTimestamp: string | null;
  lagSeconds: number | null;
  status: "ok" | "degraded" | "failing" | null;
  running: boolean;
  demo: boolean;
}

/** Last indexed block, its time and lag (whole minutes), coloured by the indexer's health; links to /status. */
export function FreshnessBadge({ f }: { f: FreshnessData }) {
  const status = f.status ?? "unknown";
  return (
    <Link to="/status" className={`freshness freshness-${status}`} title="Indexer status">
      <span className="dot" aria-hidden="true" />
      <span className="freshness-status">{f.status ?? "not indexed yet"}</span>
      {f.block !== null ? (
        <>
          <span>block {formatInt(f.block)}</span>
          <span>{formatTimestamp(f.blockTimestamp)}</span>
          <span>lag {f.lagSeconds !== null && f.lagSeconds < 60 ? "under 1 min" : formatDuration(f.lagSeconds)}</span>
        </>
      ) : null}
      {f.running ? <span>indexing…</span> : null}
    </Link>
  );
}

export function DemoBanner() {
  return (
    <div className="demo-banner" role="note">
      Demo network: synthetic data generated locally, not the Livepeer network
    </div>
  );
}
