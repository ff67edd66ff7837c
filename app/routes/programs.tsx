// /programs: the money behind the fees (issue 14). The subsidy ledger of every subsidised gateway
// with its reconciliation against the subgraph, and treasury grants per recipient with their
// proposals, votes, state and decoded actions. The orchestrator bootstrapping program (issue 14
// part 3) is not built yet; the page says so. Linked from the reports pages.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { GrantsSection, type ProposalView } from "~/components/programs/grants-section";
import { LedgerSection } from "~/components/programs/ledger-section";
import { RangeForm } from "~/components/range-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { loadProgramsPage } from "~/lib/programs.server";

export const meta: MetaFunction<typeof loader> = (args) => {
  const g = args.data?.gateways[0];
  const headline = g ? `${g.label ?? "Subsidised gateway"}: ${g.spentEth} ETH spent, balance ${g.balanceEth} ETH. ` : "";
  return pageMeta("Programs", `${headline}The subsidy ledger and treasury grants behind Livepeer's fees, from on-chain events.`, args);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const state = await getIndexState(db);
    return { ...(await loadProgramsPage(db, new URL(request.url), state.latestDay)), demo: state.demo };
  });
}

export const ErrorBoundary = RouteErrorBoundary;

export default function Programs() {
  const d = useLoaderData<typeof loader>();
  const api = `/api/subsidy?from=${d.range.from}&to=${d.range.to}`;
  return (
    <>
      <PageHeader title="Programs">
        The money behind the fees: what subsidised gateways were funded with and spent, on chain, and what the treasury granted, to whom, with
        the votes. {d.demo ? "Demo network: synthetic data." : null}
      </PageHeader>
      <RangeForm from={d.range.from} to={d.range.to} />
      <p className="muted">
        JSON: <a href={api}>{api}</a> · <a href="/api/treasury">/api/treasury</a>
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
      <section className="panel" aria-labelledby="bootstrap-title">
        <h2 id="bootstrap-title">Orchestrator bootstrapping</h2>
        <p className="muted">
          Not built yet (issue 14, part 3): programs defined in a file, each orchestrator&apos;s criteria against thresholds, eligibility with
          reasons, the split, and frozen snapshots with a payout CSV.
        </p>
      </section>
    </>
  );
}
