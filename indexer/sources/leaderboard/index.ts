// The `leaderboard` source, on when LEADERBOARD_URL is set: each run reads the public AI leaderboard
// API's regions, pipelines and every known orchestrator's raw probes (poll.ts), stores each probe once
// with its rollups (store.ts) and recomputes the daily medians it touched. Rows written are the new
// probes. Orchestrators whose query failed after its retries keep their cursors and are listed in
// probe_cursors; the run then ends with LeaderboardPartialError naming them (the status page shows
// it), after everything the others answered is stored.
import { RetryableError } from "../../../core/errors";
import type { Source } from "../source";
import { LEADERBOARD_SOURCE, pollLeaderboard, type PollFailure } from "./poll";

export { LEADERBOARD_SOURCE };

/** Some orchestrators (or the regions or pipelines list) could not be read this run; the rest is stored. */
export class LeaderboardPartialError extends RetryableError {
  constructor(
    message: string,
    readonly failures: PollFailure[],
    readonly stored: number,
  ) {
    super(message);
  }
}

export function partialMessage(failures: PollFailure[], orchestrators: number, stored: number): string {
  const orchs = failures.filter((f) => f.what.startsWith("0x"));
  const lists = failures.filter((f) => !f.what.startsWith("0x"));
  const parts: string[] = [];
  if (orchs.length)
    parts.push(
      `${orchs.length} of ${orchestrators} orchestrators could not be read and keep their cursors (${orchs
        .slice(0, 3)
        .map((f) => `${f.what}: ${f.error}`)
        .join("; ")}${orchs.length > 3 ? "; …" : ""})`,
    );
  for (const l of lists) parts.push(`the ${l.what} list could not be read (${l.error})`);
  return `${parts.join("; ")}; ${stored.toLocaleString("en-US")} new probes stored from the rest`;
}

export const leaderboardSource: Source = {
  name: LEADERBOARD_SOURCE,
  kind: "data",
  configured: (config) => Boolean(config.leaderboard),
  async run(db, config) {
    const r = await pollLeaderboard(db, config.leaderboard!, { log: config.log });
    config.log(
      `[${LEADERBOARD_SOURCE}] ${r.orchestrators} orchestrators, ${r.windows} windows: ${r.stored} new probes, ${r.duplicates} already stored, ${r.rejected} rejected`,
    );
    if (r.failures.length) throw new LeaderboardPartialError(partialMessage(r.failures, r.orchestrators, r.stored), r.failures, r.stored);
    return { rowsWritten: r.stored, block: null };
  },
};
