// /programs, section 2: treasury grants per recipient (labelled in TREASURY_RECIPIENTS_FILE), each
// proposal's decoded actions (LPT transfers exactly, anything else as raw calldata), votes and state,
// and for a recipient linked to a program its fees against the baseline per LPT granted. Proposal
// descriptions are untrusted text: rendered as text only (React escapes it), never as HTML.
import { ExportLinks } from "~/components/export-links";
import { exportName } from "~/lib/download-names";
import { Eth } from "~/components/amount";
import { shortAddress } from "~/lib/format";
import type { ProposalState } from "../../../core/programs/treasury";
import type { Grant } from "~/lib/programs.server";

type Action =
  | { kind: "lpt-transfer"; target: string; to: string; amountLpt: string; valueEth: string }
  | { kind: "raw"; target: string; valueEth: string; calldata: string; selector: string | null; note: string };

export interface ProposalView {
  id: string;
  description: string;
  state: ProposalState;
  votesFor: string;
  votesAgainst: string;
  votesAbstain: string;
  proposer: string;
  voteStart: string;
  voteEnd: string;
  actions: Action[];
  votes: { voter: string; support: string; weight: string; reason: string | null }[];
}

const Lpt = ({ value }: { value: string | null }) => <Eth value={value} symbol="LPT" dp={2} />;

export function GrantsSection({ grants, proposals, method }: { grants: Grant[]; proposals: ProposalView[]; method: string }) {
  return (
    <section className="panel" aria-labelledby="grants-title">
      <h2 id="grants-title">Treasury grants</h2>
      <p className="muted">
        LivepeerGovernor proposals from the subgraph (TreasuryProposal and TreasuryVote). An action is read as a grant only when it is exactly an
        LPT <code>transfer(address,uint256)</code> (selector <code>0xa9059cbb</code>, 68 bytes, on the LPT token); any other action is shown as raw
        calldata. State follows the governor: Pending and Active by round, then Succeeded when the quorum (33.33% of the stake at the vote&apos;s
        start) is met and For is at least half of For + Against, else Defeated. The subgraph does not record execution, so Succeeded may also mean
        executed.
      </p>
      <ExportLinks path="/api/treasury" label="Proposals and their LPT transfers" filename={exportName("treasury")} />
      {grants.length === 0 ? <p>No proposal transfers LPT, and no recipient is labelled in the recipients file.</p> : null}
      {grants.map((g) => (
        <article key={g.address} aria-label={`Grants to ${g.label ?? g.address}`}>
          <h3>
            {g.label ?? "Unlabelled recipient"} <span className="uri muted">{g.address}</span>
          </h3>
          <p>
            Granted (succeeded): <strong><Lpt value={g.grantedLpt} /></strong>
            {g.proposedLpt !== "0" ? <> · proposed (pending or active): <Lpt value={g.proposedLpt} /></> : null}
          </p>
          {g.proposals.length ? (
            <table className="data">
              <thead>
                <tr><th>Proposal</th><th>State</th><th className="num">For</th><th className="num">Against</th><th className="num">To this recipient</th></tr>
              </thead>
              <tbody>
                {g.proposals.map((p) => (
                  <tr key={p.id}>
                    <td><a href={`#proposal-${p.id}`}>{p.title || shortAddress(p.id)}</a></td>
                    <td>{p.state}</td>
                    <td className="num"><Lpt value={p.votesFor} /></td>
                    <td className="num"><Lpt value={p.votesAgainst} /></td>
                    <td className="num"><Lpt value={p.amountLpt} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No proposal transfers LPT to this address.</p>
          )}
          {g.impact ? (
            <div className="impact">
              <h4>{`${g.impact.program}: fees against the baseline per LPT granted`}</h4>
              <table className="data">
                <thead>
                  <tr><th /><th className="num">Window {g.impact.window.from} – {g.impact.window.to}</th><th className="num">Baseline {g.impact.baseline.from} – {g.impact.baseline.to}</th><th className="num">Increase</th><th className="num">ETH per LPT granted</th></tr>
                </thead>
                <tbody>
                  {(["organic", "subsidized"] as const).map((k) => (
                    <tr key={k}>
                      <th scope="row">{k === "organic" ? "Organic" : "Subsidised"}</th>
                      <td className="num"><Eth value={g.impact![k].windowEth} /></td>
                      <td className="num"><Eth value={g.impact![k].baselineEth} /></td>
                      <td className="num"><Eth value={g.impact![k].increaseEth} /></td>
                      <td className="num">{g.impact![k].ethPerLpt === null ? "— (nothing granted yet)" : <Eth value={g.impact![k].ethPerLpt} dp={8} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted">Method: {method}</p>
            </div>
          ) : null}
        </article>
      ))}
      {proposals.length ? <h3>Proposals</h3> : null}
      {proposals.map((p) => (
        <article key={p.id} id={`proposal-${p.id}`} className="proposal" aria-label={`Proposal ${p.id}`}>
          <h4>
            {p.state} · proposal <span className="uri">{shortAddress(p.id)}</span>
          </h4>
          <p className="muted">
            Proposer <span className="uri">{p.proposer}</span>; voting rounds {p.voteStart} – {p.voteEnd}. For <Lpt value={p.votesFor} />, against{" "}
            <Lpt value={p.votesAgainst} />, abstain <Lpt value={p.votesAbstain} />.
          </p>
          <details>
            <summary>Description (the proposer&apos;s text, shown as text)</summary>
            <pre className="description">{p.description}</pre>
          </details>
          <ol>
            {p.actions.map((a, i) =>
              a.kind === "lpt-transfer" ? (
                <li key={i}>
                  Transfer <strong><Lpt value={a.amountLpt} /></strong> to <span className="uri">{a.to}</span>
                  {a.valueEth !== "0" ? <> (with {a.valueEth} ETH)</> : null}
                </li>
              ) : (
                <li key={i}>
                  Call <span className="uri">{a.target}</span>
                  {a.valueEth !== "0" ? <> with {a.valueEth} ETH</> : null}: {a.note}. Raw calldata{a.selector ? <> (selector <code>{a.selector}</code>)</> : null}:{" "}
                  <code className="calldata">{a.calldata}</code>
                </li>
              ),
            )}
          </ol>
          {p.votes.length ? (
            <details>
              <summary>Votes ({p.votes.length})</summary>
              <table className="data">
                <thead>
                  <tr><th>Voter</th><th>Support</th><th className="num">Weight</th><th>Reason</th></tr>
                </thead>
                <tbody>
                  {p.votes.map((v) => (
                    <tr key={v.voter}>
                      <td className="uri">{v.voter}</td>
                      <td>{v.support}</td>
                      <td className="num"><Lpt value={v.weight} /></td>
                      <td>{v.reason ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </article>
      ))}
    </section>
  );
}
