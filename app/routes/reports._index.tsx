// /reports: the report builder. A period and a baseline (presets or custom days) live in the URL
// (?from=&to=&baselineFrom=&baselineTo=), so the address regenerates the same report from the data
// as it is then. "Save" freezes it: the figures are computed again server-side and stored under a
// stable id (POST here, or POST /api/reports), then the browser lands on /reports/<id>.
import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { RangesLine, REPORT_FIELDS, ReportBody, reportQuery } from "~/components/report-view";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { subsidyWindows } from "../../db/queries/fees";
import { HttpError, pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { clientKey, reportSaveLimiter } from "~/lib/rate-limit.server";
import { computeReport, defaultInput, presets, saveReport, validateReportInput, type ReportFigures, type ReportProvenance } from "~/lib/reports.server";
import printStyles from "~/styles/print.css";
import reportStyles from "~/styles/reports.css";

// app/assets.d.ts names only app.css and embed.css; these two are URLs all the same.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: reportStyles as unknown as string },
  { rel: "stylesheet", href: printStyles as unknown as string, media: "print" },
];

export const meta: MetaFunction = (args) =>
  pageMeta(
    "Report builder",
    "Build an impact report of the Livepeer network's AI compute: fees, growth against a baseline, jobs, latency and cost, with provenance.",
    args,
  );

/** The root's headers, plus Retry-After when a save was refused by the rate limit. */
export const headers: HeadersFunction = ({ parentHeaders, actionHeaders }) => {
  const h = new Headers(parentHeaders);
  const retry = actionHeaders.get("Retry-After");
  if (retry) h.set("Retry-After", retry);
  return h;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const state = await getIndexState(db);
    const windows = await subsidyWindows(db);
    // Without a complete range, redirect to the default's explicit URL: every report URL is a permalink.
    if (REPORT_FIELDS.some((f) => !url.searchParams.get(f))) {
      const d = defaultInput(state.latestDay, windows);
      const q = new URLSearchParams({ ...d });
      for (const f of REPORT_FIELDS) if (url.searchParams.get(f)) q.set(f, url.searchParams.get(f) as string);
      throw redirect(`/reports?${q}`);
    }
    const input = validateReportInput((f) => url.searchParams.get(f));
    const report = await computeReport(db, input);
    return { ...report, presets: presets(state.latestDay, windows), latestDay: state.latestDay };
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const db = dbFrom(context);
  // server/request-body.ts has already refused a body over 16 KB (413) while reading it.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data({ error: "The form could not be read (malformed body); submit it from the report builder." }, { status: 400 });
  }
  try {
    const input = validateReportInput((f) => form.get(f));
    const limit = reportSaveLimiter.hit(clientKey(request, context));
    if (!limit.allowed)
      return data(
        { error: `Too many saved reports from your address: at most ${reportSaveLimiter.limit} every ${reportSaveLimiter.windowMs / 60_000} minutes. Try again in ${limit.retryAfterSeconds} s.` },
        { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
      );
    const { id } = await saveReport(db, input);
    return redirect(`/reports/${id}`, 303);
  } catch (e) {
    if (e instanceof HttpError) return data({ error: e.message }, { status: e.status });
    throw e;
  }
}

export default function ReportBuilder() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nav = useNavigation();
  const saving = nav.state !== "idle" && nav.formMethod?.toLowerCase() === "post";
  const figures = d.figures as unknown as ReportFigures;
  const provenance = d.provenance as unknown as ReportProvenance;
  const q = reportQuery(d.input);
  return (
    <article className="report">
      <PageHeader title="Impact report">
        <RangesLine figures={figures} /> Computed now from the indexed data; this page's address is its permalink.
      </PageHeader>
      <p className="no-print">
        The money behind these fees: <Link to={`/programs?from=${figures.period.from}&to=${figures.period.to}`}>Programs</Link> (subsidy ledger,
        treasury grants and orchestrator bootstrapping).
      </p>
      <section className="panel report-builder no-print" aria-labelledby="builder-title">
        <h2 id="builder-title">Choose the period and the baseline</h2>
        <ul className="report-presets">
          {d.presets.map((p) => {
            const pq = reportQuery(p.input);
            return (
              <li key={p.label}>
                <Link to={`/reports?${pq}`} aria-current={pq === q ? "true" : undefined}>
                  {p.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <Form method="get" className="range controls filters report-range">
          <fieldset>
            <legend>Period</legend>
            <label>
              From
              <input type="date" name="from" defaultValue={d.input.from} key={`f-${d.input.from}`} required />
            </label>
            <label>
              To
              <input type="date" name="to" defaultValue={d.input.to} key={`t-${d.input.to}`} required />
            </label>
          </fieldset>
          <fieldset>
            <legend>Baseline</legend>
            <label>
              From
              <input type="date" name="baselineFrom" defaultValue={d.input.baselineFrom} key={`bf-${d.input.baselineFrom}`} required />
            </label>
            <label>
              To
              <input type="date" name="baselineTo" defaultValue={d.input.baselineTo} key={`bt-${d.input.baselineTo}`} required />
            </label>
          </fieldset>
          <button type="submit">Build report</button>
        </Form>
        <Form method="post" className="report-save">
          {REPORT_FIELDS.map((f) => (
            <input key={f} type="hidden" name={f} value={d.input[f]} />
          ))}
          <button type="submit" disabled={saving}>
            {saving ? "Saving…" : "Save: freeze this report"}
          </button>
          <span className="muted">
            Saving computes the figures once more and stores them with their provenance under a permanent link that never changes, even when data is
            re-indexed.
          </span>
          {actionData && "error" in actionData ? (
            <p className="error-reason" role="alert">
              {actionData.error}
            </p>
          ) : null}
        </Form>
      </section>
      <ReportBody
        input={d.input}
        figures={figures}
        provenance={provenance}
        exports={{
          csvHref: `/api/reports?${q}&format=csv`,
          jsonHref: `/api/reports?${q}`,
          tag: "preview",
          caption: `Period ${d.input.from} – ${d.input.to} vs baseline ${d.input.baselineFrom} – ${d.input.baselineTo} · computed from the data now · Observatory`,
        }}
      />
      <p className="muted no-print">
        Permalink: <a href={`/reports?${q}`}>/reports?{q}</a> (recomputed from the data at each visit; save to freeze it).
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
