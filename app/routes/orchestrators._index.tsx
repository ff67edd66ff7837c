import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Eth } from "~/components/amount";
import { DownloadLinks } from "~/components/download-links";
import { PageHeader, TableWrap } from "~/components/page-header";
import { RouteErrorBoundary } from "~/components/route-error";
import { ServiceUri } from "~/components/service-uri";
import { dbFrom } from "~/lib/context.server";
import { formatPct, shortAddress } from "~/lib/format";
import { pageData } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { pageMeta } from "~/lib/meta";
import { defaultDir, type OrchestratorSort } from "~/lib/orchestrator-sort";
import { listOrchestrators, parseSort, thirtyDayWindow } from "~/lib/orchestrators.server";

export const meta: MetaFunction = () =>
  pageMeta("Orchestrators", "Every Livepeer orchestrator: service URI, stake, fee share, reward cut and fees earned over 30 days and all time.");

export async function loader({ request, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const db = dbFrom(context);
    const url = new URL(request.url);
    const { sort, dir } = parseSort(url);
    const state = await getIndexState(db);
    const rows = await listOrchestrators(db, { latestDay: state.latestDay, sort, dir });
    return { sort, dir, rows, window30d: thirtyDayWindow(state.latestDay) };
  });
}

const COLUMNS: { key: OrchestratorSort; label: string; right?: boolean }[] = [
  { key: "address", label: "Address" },
  { key: "serviceUri", label: "Service URI" },
  { key: "active", label: "Active" },
  { key: "totalStake", label: "Total stake (LPT)", right: true },
  { key: "feeSharePct", label: "Fee share", right: true },
  { key: "rewardCutPct", label: "Reward cut", right: true },
  { key: "feesEth30d", label: "Fees 30 days (ETH)", right: true },
  { key: "feesEthTotal", label: "Fees all time (ETH)", right: true },
];

export default function Orchestrators() {
  const { sort, dir, rows, window30d } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Orchestrators">
        {rows.length} orchestrators. Fees over 30 days cover {window30d.from} – {window30d.to}. Click a column to sort.
      </PageHeader>
      <section className="panel">
        <TableWrap label="Orchestrators">
          <table>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const current = c.key === sort;
                  const nextDir = current ? (dir === "asc" ? "desc" : "asc") : defaultDir(c.key);
                  return (
                    <th key={c.key} className={c.right ? "r" : undefined} aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}>
                      <Link to={`?sort=${c.key}&dir=${nextDir}`} preventScrollReset>
                        {c.label}
                        {current ? (dir === "asc" ? " ▲" : " ▼") : ""}
                      </Link>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.address}>
                  <td>
                    <Link to={`/orchestrators/${r.address}`} className="mono" title={r.address}>
                      {shortAddress(r.address)}
                    </Link>
                  </td>
                  <td className="uri">
                    <ServiceUri uri={r.serviceUri} />
                  </td>
                  <td>{r.active === null ? <span className="muted">no Transcoder row</span> : r.active ? "yes" : "no"}</td>
                  <td className="r"><Eth value={r.totalStake} dp={2} unit={false} symbol="LPT" /></td>
                  <td className="r">{formatPct(r.feeSharePct)}</td>
                  <td className="r">{formatPct(r.rewardCutPct)}</td>
                  <td className="r"><Eth value={r.feesEth30d} unit={false} /></td>
                  <td className="r"><Eth value={r.feesEthTotal} unit={false} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <DownloadLinks path="/api/orchestrators" params={{ sort, dir }} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
