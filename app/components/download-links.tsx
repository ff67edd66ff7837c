import { withParams } from "~/lib/url";

/** "Download CSV" and "JSON" links to the API URL that serves the same numbers. */
export function DownloadLinks({ path, params = {} }: { path: string; params?: Record<string, string | null | undefined> }) {
  return (
    <p className="downloads">
      <a href={withParams(path, { ...params, format: "csv" })} download>
        Download CSV
      </a>
      <a href={withParams(path, params)} type="application/json">
        JSON
      </a>
    </p>
  );
}
