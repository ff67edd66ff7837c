// How a source's health is judged; shared by the status loader and the pages that explain it.
export type Health = "ok" | "degraded" | "failing";
export const MAX_LAG_SECONDS = 15 * 60;
export const MAX_SUCCESS_AGE_SECONDS = 30 * 60;
/** Sources that only receive (HTTP pushes, standard input): silence is not staleness, so only failures count. */
export const PASSIVE_SOURCES: readonly string[] = ["joblogs-push", "events-push", "events-stdin"];

/**
 * failing: the last run failed (last error newer than last success); degraded: the indexed block is
 * more than 15 minutes behind now, or the last success is older than 30 minutes (or never was);
 * ok otherwise. A passive source (HTTP push) is never degraded by time: nobody pushing is not a fault.
 * lagSeconds is null when the block time is unknown.
 */
export function classify(
  s: { lastSuccessAt: string | null; lastErrorAt: string | null; blockTimestamp: number | null },
  nowMs: number,
  opts: { passive?: boolean } = {},
): { status: Health; lagSeconds: number | null } {
  const lagSeconds = s.blockTimestamp === null ? null : Math.max(0, Math.floor(nowMs / 1000) - s.blockTimestamp);
  const success = s.lastSuccessAt ? Date.parse(s.lastSuccessAt) : null;
  const error = s.lastErrorAt ? Date.parse(s.lastErrorAt) : null;
  if (error !== null && (success === null || error > success)) return { status: "failing", lagSeconds };
  if (opts.passive) return { status: "ok", lagSeconds };
  if ((lagSeconds !== null && lagSeconds > MAX_LAG_SECONDS) || success === null || nowMs - success > MAX_SUCCESS_AGE_SECONDS * 1000)
    return { status: "degraded", lagSeconds };
  return { status: "ok", lagSeconds };
}
