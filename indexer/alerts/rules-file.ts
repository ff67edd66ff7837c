// Reads ALERTS_FILE for the indexer, the server's start-up log, /alerts and /status. The file is read
// again only when its size or modification time changes (indexer/watched-file.ts); a broken file is
// never used (nothing is evaluated or delivered with it) and its error names the file, the path
// inside it and what is wrong.
import { parseRulesFile, RulesFileError, type RulesFile } from "../../core/alerts/rules";
import { readWatchedFile } from "../watched-file";

export type LoadedRules = { ok: true; file: string; rules: RulesFile } | { ok: false; file: string; error: RulesFileError };

/** The rules in `file` (null: ALERTS_FILE is not set, alerts are off). */
export function loadRules(file: string | undefined | null): LoadedRules | null {
  if (!file) return null;
  return readWatchedFile<LoadedRules>(
    "alerts",
    file,
    (text) => {
      try {
        return { ok: true, file, rules: parseRulesFile(file, text) };
      } catch (e) {
        if (!(e instanceof RulesFileError)) throw e;
        return { ok: false, file, error: e };
      }
    },
    (message) => ({ ok: false, file, error: new RulesFileError(file, [{ path: "", message }]) }),
  );
}
