// One chart with its title and a small toolbar: PNG and SVG drawn from the chart's own <svg> in the
// browser (buttons appear after hydration), CSV and JSON links to the API request that produced the
// numbers shown (plain <a download>, so they work without JavaScript), and "Embed" for charts that
// have an /embed/<chart> page. File names carry what and the range: exportName() in download-names.ts.
import { useRef, useState, type ReactNode } from "react";
import { EmbedSnippet } from "~/components/embed-snippet";
import { queryHref, type QueryParams } from "~/lib/download-names";
import { useHydrated } from "./use-hydrated";
import { chartToSvg, saveBlob, svgToPng } from "./svg-export";

/** CSV and JSON hrefs of one API request (same parameters; format=csv for the CSV). */
export function apiHrefs(path: string, params: QueryParams = {}): { csvHref: string; jsonHref: string } {
  return { csvHref: queryHref(path, { ...params, format: "csv" }), jsonHref: queryHref(path, { ...params, format: null }) };
}

export function ChartFrame({
  title,
  filename,
  csvHref,
  jsonHref,
  embedPath,
  embedHeight,
  caption,
  heading = "h3",
  children,
}: {
  /** The chart's title: shown (unless heading is "none") and written into the SVG and PNG. */
  title: string;
  /** File base name without extension, e.g. observatory-fees-day-2025-01-01_2025-03-31. */
  filename: string;
  csvHref?: string | null;
  jsonHref?: string | null;
  /** /embed/<chart>?… for charts that can be embedded. */
  embedPath?: string | null;
  embedHeight?: number;
  /** Second line of the exported image: range, source. */
  caption?: string;
  /** "none" when the surrounding panel already has the heading. */
  heading?: "h1" | "h2" | "h3" | "none";
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const save = async (kind: "svg" | "png") => {
    if (!box.current) return;
    setBusy(true);
    setMessage(null);
    try {
      const s = chartToSvg(box.current, { title, caption });
      const blob = kind === "svg" ? new Blob([s.svg], { type: "image/svg+xml;charset=utf-8" }) : await svgToPng(s);
      saveBlob(blob, `${filename}.${kind}`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : "The image could not be made.");
    } finally {
      setBusy(false);
    }
  };

  const Heading = heading === "none" ? null : heading;
  return (
    <div className="chart-frame" role="group" aria-label={title} data-filename={filename}>
      {Heading ? <Heading className="chart-frame-title">{title}</Heading> : null}
      <div ref={box} className="chart-frame-body">
        {children}
      </div>
      <div className="chart-toolbar" aria-label={`Download ${title}`}>
        {hydrated ? (
          <>
            <button type="button" onClick={() => save("png")} disabled={busy} title="Download the chart as a PNG image (2x)">
              PNG
            </button>
            <button type="button" onClick={() => save("svg")} disabled={busy} title="Download the chart as an SVG image">
              SVG
            </button>
          </>
        ) : null}
        {csvHref ? (
          <a href={csvHref} download={`${filename}.csv`} title="The numbers behind this chart as CSV">
            CSV
          </a>
        ) : null}
        {jsonHref ? (
          <a href={jsonHref} download={`${filename}.json`} type="application/json" title="The numbers behind this chart as JSON">
            JSON
          </a>
        ) : null}
        {embedPath ? <EmbedSnippet path={embedPath} title={title} height={embedHeight} /> : null}
        {message ? (
          <span className="error-text" role="status">
            {message}
          </span>
        ) : null}
      </div>
    </div>
  );
}
