// /programs: the money behind the fees (issue 14). The subsidy ledger of every subsidised gateway
// with its reconciliation against the subgraph, and treasury grants per recipient with their
// proposals, votes, state and decoded actions; the orchestrator bootstrapping programs of
// PROGRAMS_FILE (issue 14 part 3), each linking to its page. Linked from the reports pages.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { BootstrapSection } from "~/components/programs/bootstrap-section";
import { GrantsSection, type ProposalView } from "~/components/programs/grants-section";
import { LedgerSection } from "~/components/programs/ledger-section";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { listPrograms, programsFileView } from "~/lib/bootstrap.server";
import { loadProgramsPage } from "~/lib/programs.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const g = args.data?.gateways[0];
  const headline = g ? `${g.label ?? "Subsidised gateway"}: ${g.spentEth} ETH spent, balance ${g.balanceEth} ETH. ` : "";
  return pageMeta("Programs", `${headline}The subsidy ledger, treasury grants and orchestrator bootstrapping programs behind Livepeer's fees.`, args);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const state = await getIndexState(db);
    return {
      ...(await loadProgramsPage(db, new URL(request.url), state.latestDay)),
      bootstrapFile: programsFileView(),
      bootstrap: await listPrograms(db),
      demo: state.demo,
    };
  });
}

export const ErrorBoundary = RouteErrorBoundary;

export default function Programs() {
  const d = useLoaderData<typeof loader>();
  const api = `/api/subsidy?from=${d.range.from}&to=${d.range.to}`;
  return (
    <>
      <PageHeader title="Programs">
        The money behind the fees: what subsidised gateways were funded with and spent, on chain, what the treasury granted, to whom, with
        the votes, and which orchestrators earn a bootstrapping grant, and why. {d.demo ? "Demo network: synthetic data." : null}
      </PageHeader>
      <RangeForm from={d.range.from} to={d.range.to} />
      <p className="muted">
        JSON: <a href={api}>{api}</a> · <a href="/api/treasury">/api/treasury</a> · <a href="/api/programs">/api/programs</a>
      </p>
      {d.problems.length ? (
        <section className="panel" aria-labelledby="config-title">
          <h2 id="config-title">Configuration problems</h2>
          <ul>
            {d.problems.map((p) => (
              <li key={`${p.file}/${p.path}/${p.message}`}>
                <code>{p.file}</code>, <code>{p.path}</code>: {p.message} (left out; everything else is shown)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <LedgerSection gateways={d.gateways} details={d.details} range={d.range} />
      <GrantsSection grants={d.grants} proposals={d.proposals as ProposalView[]} method={d.impactMethod} />
      <BootstrapSection file={d.bootstrapFile} listing={d.bootstrap} />
    </>
  );
}
