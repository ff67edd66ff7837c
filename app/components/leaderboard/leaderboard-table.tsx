// The leaderboard's ranking table: score (x100 like the explorer), success, round-trip score, mean and
// percentile round trips, warm ratio, probes and the score's daily history. Addresses and every
// string from the API are rendered as text (React escapes them).
import { Link } from "@remix-run/react";
import { EmptyRow, TableWrap } from "~/components/page-header";
import { formatInt, shortAddress } from "~/lib/format";
import { formatRate } from "~/lib/latency";
import type { LeaderboardRow } from "~/lib/leaderboard.server";
import { score100, secs } from "~/components/probes/probe-cells";
import { Sparkline } from "./sparkline";

export function LeaderboardTable({
  rows,
  history,
  historyDays,
  scored,
}: {
  rows: LeaderboardRow[];
  history: Record<string, (number | null)[]>;
  historyDays: string[];
  scored: boolean;
}) {
  const label = scored ? "Score" : "Success rate";
  return (
    <TableWrap label="Orchestrators ranked by probe score">
      <table className="data leaderboard">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Orchestrator</th>
            <th scope="col" className="r" title="0.65 x success + 0.35 x round-trip score, x100 (the explorer's scale)">Score</th>
            <th scope="col" className="r">Success</th>
            <th scope="col" className="r" title="0.8 ^ (mean round trip / median round trip), x100">Round-trip score</th>
            <th scope="col" className="r" title="Mean round trip of every probe, failed ones included (the score's input)">Mean RTT</th>
            <th scope="col" className="r" title="Round trip of successful probes: p50 (from 1), p95 (from 20), p99 (from 100 probes)">RTT p50</th>
            <th scope="col" className="r">p95</th>
            <th scope="col" className="r">p99</th>
            <th scope="col" className="r">Warm</th>
            <th scope="col" className="r">Probes</th>
            <th scope="col">{label}, {historyDays.length} days</th>
          </tr>
        </thead>
        <tbody>
          {rows.length ? (
            rows.map((r, i) => (
              <tr key={r.address}>
                <td className="r">{i + 1}</td>
                <td>
                  <Link to={`/orchestrators/${r.address}`} className="mono" title={r.address}>
                    {shortAddress(r.address)}
                  </Link>
                </td>
                <td className="r num"><strong>{score100(r.score)}</strong></td>
                <td className="r num">{formatRate(r.successRate)}</td>
                <td className="r num">{score100(r.roundTripScore)}</td>
                <td className="r num">{secs(r.avgRoundTripS)}</td>
                <td className="r num">{secs(r.roundTripS.p50)}</td>
                <td className="r num">{secs(r.roundTripS.p95)}</td>
                <td className="r num">{secs(r.roundTripS.p99)}</td>
                <td className="r num">{formatRate(r.warmRatio)}</td>
                <td className="r">{formatInt(r.probes)}</td>
                <td>
                  <Sparkline values={history[r.address] ?? []} days={historyDays} label={label} />
                </td>
              </tr>
            ))
          ) : (
            <EmptyRow columns={12}>No probes in this window and selection.</EmptyRow>
          )}
        </tbody>
      </table>
    </TableWrap>
  );
}
