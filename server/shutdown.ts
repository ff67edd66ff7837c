// Stopping on SIGTERM or SIGINT: the steps run in order (stop the scheduler, drain HTTP, close the
// database), all within one deadline, then the process exits: 0 when every step finished, 1 when
// the deadline cut one short. A second signal exits at once. Whatever a step leaves unfinished is
// safe to cut: an indexer batch commits with its checkpoint or not at all.
export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
}

export const SHUTDOWN_DEADLINE_MS = 20_000;

export function exitOnSignals(steps: ShutdownStep[], opts: { deadlineMs?: number; log?: (line: string) => void } = {}): void {
  const deadlineMs = opts.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  let stopping = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    stopping = true;
    log(`${signal}: stopping (at most ${deadlineMs / 1000} s)`);
    let current = "";
    const timer = setTimeout(() => {
      log(`Shutdown deadline passed while waiting for: ${current}; exiting`);
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    for (const step of steps) {
      current = step.name;
      try {
        await step.run();
      } catch (e) {
        log(`${step.name}: ${(e as Error).message}`);
      }
    }
    clearTimeout(timer);
    process.exit(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
