// The joblogs source's checkpoints, one row of job_log_files per log file: the file's content
// fingerprint (its identity across renames and compression), how far it has been read and whether
// it is finished (a .gz read to its end). ingest-files.ts saves a file's checkpoint in the same
// transaction as the batch that moves it (decision 005).
import type { Querier } from "../../../db/client";
import type { LogFile } from "../../log-files";

export interface Checkpoint {
  fingerprint: string;
  byte_offset: number;
  line_number: number;
  done: boolean;
}

/** Every stored checkpoint, by fingerprint. */
export async function readCheckpoints(q: Querier): Promise<Map<string, Checkpoint>> {
  const rows = await q.query<Checkpoint>(`select fingerprint, byte_offset, line_number, done from job_log_files`);
  return new Map(rows.map((r) => [r.fingerprint, r]));
}

/** Where a file's last committed batch left it. */
export async function saveCheckpoint(
  q: Querier,
  fingerprint: string,
  file: LogFile,
  at: { endOffset: number; endLine: number; done: boolean },
): Promise<void> {
  await q.query(
    `insert into job_log_files (fingerprint, path, compressed, device, inode, byte_offset, line_number, done)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (fingerprint) do update set path = excluded.path, compressed = excluded.compressed, device = excluded.device,
       inode = excluded.inode, byte_offset = excluded.byte_offset, line_number = excluded.line_number, done = excluded.done,
       updated_at = now()`,
    [fingerprint, file.path, file.compressed, file.device, file.inode, at.endOffset, at.endLine, at.done],
  );
}
