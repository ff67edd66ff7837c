// Reads PROGRAMS_FILE (orchestrator bootstrapping programs, core/programs/bootstrap-file.ts) for the
// pages, the API and the server's start-up log, again only when the file changes
// (indexer/watched-file.ts). A program with a problem is left out and named (file, line, path,
// message); the others are used; nothing else stops.
import { parseProgramsFile, ProgramsFileError, type ProgramsFile } from "../core/programs/bootstrap-file";
import { publicFileName } from "../core/public-paths";
import { readWatchedFile } from "./watched-file";

export interface LoadedPrograms extends ProgramsFile {
  /** The file's name without its directory (what public pages show). */
  file: string;
  /** Every problem with the file's name, for the start-up log; null when there is none. */
  error: ProgramsFileError | null;
}

/** The programs in `file` (null: PROGRAMS_FILE is not set). */
export function loadPrograms(file: string | undefined | null): LoadedPrograms | null {
  if (!file) return null;
  const name = publicFileName(file) ?? file;
  const withError = (f: ProgramsFile): LoadedPrograms => ({ ...f, file: name, error: f.problems.length ? new ProgramsFileError(name, f.problems) : null });
  return readWatchedFile("programs", file, (text) => withError(parseProgramsFile(text)), (message) => withError({ programs: [], problems: [{ line: null, path: "", message }] }));
}
