// The `joblogs` source, on when GATEWAY_LOG_DIR is set: each run reads every gateway job log file
// from its checkpoint (ingest-files.ts). Rows written are the jobs accepted. The HTTP push of the
// same lines (push.ts) is not part of a run: server.ts mounts its handler.
import type { Source } from "../source";
import { JOBLOGS_SOURCE, runJobLogs } from "./ingest-files";

export const jobLogsSource: Source = {
  name: JOBLOGS_SOURCE,
  kind: "data",
  configured: (config) => Boolean(config.jobLogs),
  async run(db, config) {
    const r = await runJobLogs(db, { ...config.jobLogs!, log: config.log });
    return { rowsWritten: r.accepted, block: null };
  },
};
