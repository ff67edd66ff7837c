// /reports/<id>: a saved report, rendered from its stored figures and provenance only (nothing is
// recomputed, so re-indexing never changes it). Links to its PDF, JSON and CSV, and to the builder
// with the same ranges (which recomputes from today's data).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { RangesLine, ReportBody, reportQuery } from "~/components/report-view";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { formatEth, formatInt, formatMultiple, formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import { RENDER_HEADER, isRenderToken } from "~/lib/pdf.server";
import { loadSavedReport } from "~/lib/reports.server";
import printStyles from "~/styles/print.css";
import reportStyles from "~/styles/reports.css";

// app/assets.d.ts names only app.css and embed.css; these two are URLs all the same.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: reportStyles as unknown as string },
  { rel: "stylesheet", href: printStyles as unknown as string, media: "print" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const report = await loadSavedReport(dbFrom(context), params.id);
    // The PDF renderer asks for this page with a one-time token and checks that the page echoes it,
    // so it only ever prints a page this server rendered.
    const token = request.headers.get(RENDER_HEADER);
    return { report, renderCheck: token && isRenderToken(token) ? token : null };
  });
}

export const meta: MetaFunction<typeof loader> = (args) => {
  const { data } = args;
  if (!data) return pageMeta("Report not found", "There is no saved report at this address.");
  const f = data.report.figures;
  return pageMeta(
    `Report ${f.period.from} – ${f.period.to}`,
    `Livepeer AI compute, ${f.period.from} – ${f.period.to}: ${formatEth(f.fees.period.volumeEth)} ETH realized fees, ${formatMultiple(f.fees.growth.multiple)} vs ${f.baseline.from} – ${f.baseline.to}, ${formatInt(f.jobs.period.jobs)} AI jobs. Saved report, frozen at ${formatTimestamp(data.report.createdAt)}.`,
    { ...args, type: "article" },
  );
};

export default function SavedReport() {
  const { report: r, renderCheck } = useLoaderData<typeof loader>();
  const p = r.provenance;
  const q = reportQuery(r.input);
  return (
    <article className="report report-saved">
      {renderCheck ? <div hidden data-render-check={renderCheck} /> : null}
      <PageHeader title="Impact report">
        <RangesLine figures={r.figures} />
      </PageHeader>
      <p className="no-print">
        The money behind these fees: <a href="/programs">Programs</a> (subsidy ledger, treasury grants and orchestrator bootstrapping, as indexed now).
      </p>
      <p className="report-frozen" data-testid="frozen-note">
        Saved report <span className="mono">{r.id}</span>: computed at {formatTimestamp(r.createdAt)} from subgraph{" "}
        {p.subgraph.block === null ? "(nothing indexed)" : <>block {p.subgraph.block} ({formatTimestamp(p.subgraph.blockTimestamp)})</>} and job logs{" "}
        {p.logs.upTo === null ? "(none indexed)" : <>up to {formatTimestamp(p.logs.upTo)}</>}. These are the stored figures: they do not change when data
        is re-indexed.
      </p>
      <p className="downloads report-actions no-print">
        <a href={`/reports/${r.id}.pdf`}>Download PDF</a>
        <a href={`/api/reports/${r.id}`} type="application/json">
          JSON
        </a>
        <a href={`/api/reports/${r.id}?format=csv`} download>
          CSV
        </a>
        <a href={`/reports?${q}`}>Recompute with today's data</a>
      </p>
      <ReportBody
        input={r.input}
        figures={r.figures}
        provenance={p}
        exports={{
          csvHref: `/api/reports/${r.id}?format=csv`,
          jsonHref: `/api/reports/${r.id}`,
          tag: r.id,
          caption: `Period ${r.input.from} – ${r.input.to} vs baseline ${r.input.baselineFrom} – ${r.input.baselineTo} · saved report ${r.id} · Observatory`,
        }}
        provenanceExtra={
          <>
            <dt>Permanent link</dt>
            <dd className="mono">/reports/{r.id}</dd>
          </>
        }
      />
    </article>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
