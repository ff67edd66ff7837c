// Crash points for the kill -9 tests of the file sources (joblogs, events): a test sets
// OBSERVATORY_CRASH_AT and the indexer kills itself at that point of that batch, so the tests can
// prove that a batch and its checkpoint commit together or not at all.
import { settings } from "../core/settings";

/**
 * Crash points for the kill -9 tests: OBSERVATORY_CRASH_AT=<point>@<batch> SIGKILLs this process
 * when the batch-th batch (1-based) reaches <point> (after-copy | before-commit | after-commit).
 */
export interface CrashHooks {
  at(point: "after-copy" | "before-commit" | "after-commit"): void;
}
export const noHooks: CrashHooks = { at: () => {} };

export function crashHooksFromEnv(): { forBatch(n: number): CrashHooks } {
  const m = /^(after-copy|before-commit|after-commit)@(\d+)$/.exec(settings().OBSERVATORY_CRASH_AT ?? "");
  if (!m) return { forBatch: () => noHooks };
  const [, point, batch] = m;
  return {
    forBatch: (n) => (n === Number(batch) ? { at: (p) => p === point && process.kill(process.pid, "SIGKILL") } : noHooks),
  };
}
