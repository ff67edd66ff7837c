// GET /api/programs: every orchestrator bootstrapping program of PROGRAMS_FILE (and any that only
// frozen snapshots remember) with its frozen snapshots, newest first:
// {"programs":[{"name","label","from","to","budgetLpt","inFile","frozen":[{"id","at"}]}],"problems":[...]}.
import { listPrograms, programsFileView } from "~/lib/bootstrap.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, jsonResponse } from "~/lib/http.server";

export const loader = apiLoader(async ({ context }) => {
  const view = programsFileView();
  return jsonResponse({ programs: await listPrograms(dbFrom(context)), file: view.file, problems: view.problems });
});
