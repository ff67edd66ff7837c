// /programs/<name>[?at=<snapshot id or time>][&view=print]: one orchestrator bootstrapping program.
// Without `at`, computed now from the indexed data, with a button that freezes it (POST
// /api/programs/<name>, the rules of saving a report); with `at`, a frozen snapshot exactly as stored
// (its permalink: re-indexing never changes it). For each orchestrator: every criterion's figure
// against its threshold with the evidence used, eligible or not with the reasons, and the grant.
// view=print: the same, without navigation or forms, for paper. Addresses and reasons are text.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Eth } from "~/components/amount";
import { PageHeader } from "~/components/page-header";
import { CRITERION_LABEL, criterionText, evidenceText, figureText, thresholdText } from "~/components/programs/bootstrap-criteria";
import { RouteErrorBoundary } from "~/components/route-error";
import { programAt, programJson } from "~/lib/bootstrap.server";
import { dbFrom } from "~/lib/context.server";
import { formatTimestamp } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { pageMeta } from "~/lib/meta";
import printStyles from "~/styles/print.css";
import reportStyles from "~/styles/reports.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: reportStyles as unknown as string },
  { rel: "stylesheet", href: printStyles as unknown as string, media: "print" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const url = new URL(request.url);
    const r = await programAt(dbFrom(context), params.name, url.searchParams.get("at"));
    return { ...programJson(r), print: url.searchParams.get("view") === "print" };
  });
}

export const meta: MetaFunction<typeof loader> = (args) => {
  const d = args.data;
  if (!d) return pageMeta("Program not found", "There is no such bootstrapping program.");
  return pageMeta(
    `${d.program.label}: bootstrapping program`,
    `${d.totals.eligible} of ${d.totals.orchestrators} orchestrators eligible, ${d.totals.allocatedLpt} of ${d.totals.budgetLpt} LPT allocated, ${d.program.from} – ${d.program.to}.${d.snapshot ? ` Frozen at ${d.snapshot.at}.` : ""}`,
    args,
  );
};

export const ErrorBoundary = RouteErrorBoundary;

export default function ProgramPage() {
  const d = useLoaderData<typeof loader>();
  const p = d.program;
  const q = d.snapshot ? `?at=${d.snapshot.id}` : "";
  const api = `/api/programs/${p.name}${q}`;
  const criteria = p.criteria;
  return (
    <article className={`report${d.print ? " print-view" : ""}`}>
      <PageHeader title={p.label}>
        Orchestrator bootstrapping program <span className="mono">{p.name}</span>, {p.from} – {p.to}: budget <Eth value={p.budgetLpt} symbol="LPT" dp={2} />,
        split {p.split === "equal" ? "equally among the eligible" : "among the eligible pro rata to delivered seconds of video"}.
        {d.provenance.demo ? " Demo network: synthetic data." : null}
      </PageHeader>
      {d.snapshot ? (
        <p className="report-frozen" data-testid="frozen-note">
          Frozen snapshot <span className="mono">{d.snapshot.id}</span>, computed at {formatTimestamp(d.snapshot.at)} from subgraph{" "}
          {d.provenance.block === null ? "(nothing indexed)" : <>block {d.provenance.block}</>} and the program as the file then defined it. These are
          the stored figures: re-indexing does not change them. Permalink: <span className="mono">/programs/{p.name}?at={d.snapshot.id}</span>
        </p>
      ) : (
        <p>Computed now from the indexed data ({formatTimestamp(d.computedAt)}); freeze it to keep these figures under a permanent link.</p>
      )}
      {!d.print ? (
        <div className="no-print">
          <p className="downloads report-actions">
            <a href={`/api/programs/${p.name}${q}${q ? "&" : "?"}format=csv`} download>
              Payout CSV (address, amount)
            </a>
            <a href={api} type="application/json">
              JSON
            </a>
            <a href={`/programs/${p.name}${q}${q ? "&" : "?"}view=print`}>Print view</a>
            {d.snapshot ? <a href={`/programs/${p.name}`}>Recompute with today&apos;s data</a> : null}
            <a href="/programs#bootstrap-title">All programs</a>
          </p>
          {!d.snapshot ? (
            <form method="post" action={`/api/programs/${p.name}`}>
              <button type="submit">Freeze: store these figures under a permanent link</button>{" "}
              <span className="muted">At most 10 per client every 10 minutes, as saving a report.</span>
            </form>
          ) : null}
        </div>
      ) : null}
      <section className="panel" aria-labelledby="criteria-title">
        <h2 id="criteria-title">Criteria</h2>
        <p>
          Pipelines: {p.pipelines.join(", ")}; models: {p.models.length ? p.models.join(", ") : "every model"}.
          {p.recipient ? (
            <>
              {" "}
              Funded through the treasury grant recipient <span className="mono">{p.recipient}</span> (<a href={`/api/treasury?recipient=${p.recipient}`}>its grants</a>).
            </>
          ) : null}
        </p>
        <ul>
          {criteria.map((c) => (
            <li key={c.name}>
              {criterionText(c)}: evidence used <strong>{evidenceText(d.totals.evidence[c.name] ?? null)}</strong>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="totals-title">
        <h2 id="totals-title">Totals</h2>
        <p>
          {d.totals.eligible} of {d.totals.orchestrators} orchestrators eligible · allocated <Eth value={d.totals.allocatedLpt} symbol="LPT" dp={4} /> of{" "}
          <Eth value={d.totals.budgetLpt} symbol="LPT" dp={4} />
          {d.totals.unallocatedLpt !== "0" ? (
            <>
              {" "}
              · unallocated <Eth value={d.totals.unallocatedLpt} symbol="LPT" dp={4} />
            </>
          ) : null}
          {p.split === "delivered-seconds" ? <> · {d.totals.eligibleDeliveredSeconds} s of video delivered by the eligible</> : null}
        </p>
        {d.totals.note ? <p>{d.totals.note}.</p> : null}
        {d.totals.unresolved.length ? (
          <p className="muted">
            {d.totals.unresolved.length} name(s) in the gateway events never resolved to an on-chain address and cannot be paid; they are not listed.
          </p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="rows-title">
        <h2 id="rows-title">Orchestrators</h2>
        {d.rows.length === 0 ? (
          <p>No orchestrator has any evidence for this program&apos;s pipelines in its window.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th>Orchestrator</th>
                  <th>Eligible</th>
                  {criteria.map((c) => (
                    <th key={c.name}>{CRITERION_LABEL[c.name]}</th>
                  ))}
                  <th className="num">Delivered s</th>
                  <th className="num">Grant (LPT)</th>
                  <th>Reasons</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.address}>
                    <td className="mono">
                      {d.print ? r.address : <a href={`/orchestrators/${r.address}`}>{r.address}</a>}
                    </td>
                    <td>{r.eligible ? "yes" : "no"}</td>
                    {criteria.map((c) => {
                      const m = r.metrics[c.name];
                      return (
                        <td key={c.name} title={m?.detail ?? undefined}>
                          {m ? (
                            <>
                              {figureText(c.name, m)} <span className="muted">{thresholdText(c.name, m)}</span> {m.pass ? "✓" : "✗"}
                              {m.samples !== null ? <span className="muted"> (n={m.samples})</span> : null}
                            </>
                          ) : (
                            "—"
                          )}
                        </td>
                      );
                    })}
                    <td className="num">{r.metrics.deliveredSeconds}</td>
                    <td className="num">{r.grantLpt}</td>
                    <td>{r.reasons.length ? r.reasons.join("; ") : "meets every criterion"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p className="muted">
        How each figure is measured, the network median, delivered seconds and the remainder rule: docs/decisions/018-bootstrapping-programs.md.
      </p>
    </article>
  );
}
