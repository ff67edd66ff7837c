// /programs, section 1: each subsidised gateway's ledger (funded, spent, withdrawn, balance per day),
// burn rate and runway, budget, and the reconciliation with the subgraph's deposit + reserve with
// its cause. Figures are exact decimal strings; <Eth> rounds for display and keeps the exact value.
import { Eth } from "~/components/amount";
import { SeriesLines } from "~/components/charts/series-lines";
import { ExportLinks } from "~/components/export-links";
import { exportName } from "~/lib/download-names";
import { shortAddress } from "~/lib/format";
import type { SubsidyDetail, SubsidyGateway } from "~/lib/programs.server";

const BALANCE_SERIES = [
  { key: "balance", name: "Balance (deposit + reserve)", color: "var(--series-primary)" },
  { key: "spent", name: "Spent per day", color: "var(--series-realized)" },
];

export function LedgerSection({ gateways, details, range }: { gateways: SubsidyGateway[]; details: SubsidyDetail[]; range: { from: string; to: string } }) {
  return (
    <section className="panel" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Subsidy ledger</h2>
      <p className="muted">
        Each gateway tagged <code>subsidized</code>, from its TicketBroker events on chain (DepositFunded, ReserveFunded, ReserveClaimed,
        Withdrawal) and its redeemed winning tickets, replayed in chain order to the wei. Spent = what orchestrators were paid: the part of each
        ticket the deposit covered plus reserve claims. {range.from} – {range.to} (UTC); balance at the end of each day.
      </p>
      <ExportLinks path="/api/subsidy" params={range} label="Ledger per day" filename={exportName("subsidy", range)} />
      {gateways.length === 0 ? <p>No gateway is tagged <code>subsidized</code> in the gateway tags file.</p> : null}
      {gateways.map((g) => {
        const d = details.find((x) => x.address === g.address)!;
        return <GatewayLedger key={g.address} g={g} d={d} />;
      })}
    </section>
  );
}

function GatewayLedger({ g, d }: { g: SubsidyGateway; d: SubsidyDetail }) {
  const r = d.reconciliation;
  const data = g.series.map((s) => ({
    period: s.day,
    values: { balance: s.balanceEth, spent: s.spentEth },
    texts: { balance: `${s.balanceEth} ETH`, spent: `${s.spentEth} ETH` },
  }));
  const agrees = r.differenceEth === "0";
  return (
    <article className="program-gateway" aria-label={`Ledger of ${g.label ?? g.address}`}>
      <h3>
        {g.label ?? "Subsidised gateway"} <span className="uri muted">{g.address}</span>
      </h3>
      <ul className="key-numbers">
        <li>Funded: <strong><Eth value={g.fundedEth} /></strong></li>
        <li>Spent: <strong><Eth value={g.spentEth} /></strong> (of which from the reserve: <Eth value={d.claimedEth} />)</li>
        <li>Withdrawn: <strong><Eth value={g.withdrawnEth} /></strong></li>
        <li>Balance: <strong><Eth value={g.balanceEth} /></strong></li>
        <li>
          Burn: <Eth value={g.burnEthPerDay.d7} /> a day over 7 days, <Eth value={g.burnEthPerDay.d30} /> over 30 days; runway{" "}
          <strong>{g.runwayDays.d7 ?? "—"}</strong> days at the 7-day rate, <strong>{g.runwayDays.d30 ?? "—"}</strong> at the 30-day rate
          {g.runwayDays.d7 === null && g.runwayDays.d30 === null ? " (no spending: no burn)" : ""}
        </li>
        <li>
          Budget:{" "}
          {g.budgetEth === null ? (
            <span className="muted">none in the tags file (budgetEth)</span>
          ) : (
            <>
              <Eth value={d.budgetSpentEth} /> spent of <Eth value={g.budgetEth} /> ({d.budgetSharePct ?? "—"}%) in the window {d.window.from} – {d.window.to}
            </>
          )}
        </li>
      </ul>
      {data.length ? <SeriesLines data={data} series={BALANCE_SERIES} label={`Balance and spending per day of ${g.address}`} /> : null}
      <h4>Reconciliation with the subgraph</h4>
      <p>
        Ledger balance now: <Eth value={r.ledgerBalanceEth} dp={18} />. Subgraph <code>Broadcaster.deposit + reserve</code>:{" "}
        {r.subgraphBalanceEth === null ? <span className="muted">no Broadcaster row</span> : <Eth value={r.subgraphBalanceEth} dp={18} />}.{" "}
        {r.differenceEth === null ? null : agrees ? <strong>They agree to the wei.</strong> : <strong>Difference: <Eth value={r.differenceEth} dp={18} /> (ledger minus subgraph).</strong>}
      </p>
      {r.differenceEth !== null && !agrees ? (
        <ul>
          <li>
            <Eth value={r.handlerEffectEth} dp={18} /> of it is the subgraph&apos;s ticket handler: when a ticket&apos;s face value exceeds the
            deposit it zeroes the deposit and then takes the whole face value off the reserve, on top of the contract&apos;s own ReserveClaimed
            (decision 015). Replaying its arithmetic over the same events gives <Eth value={r.handlerModelEth} dp={18} />.
          </li>
          <li>
            {r.unexplainedEth === "0" ? (
              "Nothing else: the subgraph's figure is exactly what its handler computes from these events."
            ) : (
              <>
                <Eth value={r.unexplainedEth} dp={18} /> is not explained by the handler: events the ledger has not indexed yet, or the subgraph
                answering at another block.
              </>
            )}
          </li>
        </ul>
      ) : null}
      {r.shortfalls.length ? (
        <table className="data">
          <caption>Tickets larger than the deposit ({r.shortfalls.length}): where the subgraph&apos;s reserve goes wrong</caption>
          <thead>
            <tr><th>Day</th><th>Ticket</th><th className="num">Face value</th><th className="num">Deposit left</th><th className="num">Subgraph reserve low by</th></tr>
          </thead>
          <tbody>
            {r.shortfalls.map((s) => (
              <tr key={s.id}>
                <td>{s.day}</td>
                <td className="uri">{shortAddress(s.id.split("-")[0])}-{s.id.split("-")[1]}</td>
                <td className="num"><Eth value={s.faceValueEth} dp={6} /></td>
                <td className="num"><Eth value={s.depositBeforeEth} dp={6} /></td>
                <td className="num"><Eth value={s.reserveLowerByEth} dp={6} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {r.shortfalls.length && agrees ? <p className="muted">A withdrawal sets the subgraph&apos;s deposit and reserve to zero, which ends the error those tickets caused.</p> : null}
      {r.unpaidEth !== "0" ? <p>Face value no deposit or reserve paid: <Eth value={r.unpaidEth} dp={18} /> (tickets redeemed against an empty reserve).</p> : null}
      {r.withdrawalDrift.map((x) => (
        <p key={x.id}>
          Withdrawal on {x.day} took <Eth value={x.withdrawnEth} dp={18} /> while the ledger held <Eth value={x.ledgerEth} dp={18} />: events before it are missing.
        </p>
      ))}
      <details>
        <summary>Ledger per day</summary>
        <table className="data">
          <thead>
            <tr><th>Day</th><th className="num">Funded</th><th className="num">Spent</th><th className="num">Withdrawn</th><th className="num">Balance</th></tr>
          </thead>
          <tbody>
            {g.series.filter((s) => s.fundedEth !== "0" || s.spentEth !== "0" || s.withdrawnEth !== "0").map((s) => (
              <tr key={s.day}>
                <td>{s.day}</td>
                <td className="num"><Eth value={s.fundedEth} /></td>
                <td className="num"><Eth value={s.spentEth} /></td>
                <td className="num"><Eth value={s.withdrawnEth} /></td>
                <td className="num"><Eth value={s.balanceEth} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}
