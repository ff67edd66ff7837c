import { queryHref, type QueryParams } from "~/lib/download-names";

/** "Download CSV" and "JSON" links to the API URL that serves the same numbers (arrays repeat a key). */
export function DownloadLinks({ path, params = {} }: { path: string; params?: QueryParams }) {
  return (
    <p className="downloads">
      <a href={queryHref(path, { ...params, format: "csv" })} download>
        Download CSV
      </a>
      <a href={queryHref(path, params)} type="application/json">
        JSON
      </a>
    </p>
  );
}
