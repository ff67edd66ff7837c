// CSV and JSON of a table or figure block: plain links with a download name (work without JavaScript).
import { apiHrefs } from "~/components/charts/chart-frame";
import type { QueryParams } from "~/lib/download-names";

export function ExportLinks({
  path,
  params = {},
  filename,
  label,
}: {
  path: string;
  params?: QueryParams;
  /** File base name without extension (exportName()). */
  filename: string;
  /** What the files hold, e.g. "Key figures". */
  label: string;
}) {
  const { csvHref, jsonHref } = apiHrefs(path, params);
  return (
    <p className="downloads export-links">
      <span className="muted">{label}:</span>
      <a href={csvHref} download={`${filename}.csv`}>
        CSV
      </a>
      <a href={jsonHref} download={`${filename}.json`} type="application/json">
        JSON
      </a>
    </p>
  );
}
