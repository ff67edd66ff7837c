// GET /api/treasury[?recipient=0x...]: treasury proposals (app/lib/programs.server.ts), exactly
// {"proposals":[{"id","description","state","votesFor","votesAgainst","transfers":[{"to","amountLpt"}]}]}
// plus the usual top-level provenance. With `recipient`, only proposals with an LPT transfer to it.
// transfers are the proposal's LPT transfer(address,uint256) actions decoded exactly (other actions
// are not transfers and are shown as raw calldata on /programs); state is Pending, Active, Succeeded,
// Defeated or "Ended (quorum unknown)" (decision 015). Votes and amounts are decimal strings of LPT;
// descriptions are the proposer's text, untrusted. ?format=csv: one row per LPT transfer (a proposal
// without one has a row with empty to and amount): id, state, votes_for, votes_against, to, amount_lpt,
// description (cells a spreadsheet would run as formulas are quoted).
import { provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { getIndexState } from "~/lib/index-state.server";
import { param, parseAddress } from "~/lib/params.server";
import { loadTreasury } from "~/lib/programs.server";

export const loader = apiLoader(async ({ request, context }) => {
  const db = dbFrom(context);
  const url = new URL(request.url);
  const raw = param(url, "recipient");
  const recipient = raw === null ? null : parseAddress(raw);
  const [state, proposals] = await Promise.all([getIndexState(db), loadTreasury(db, recipient)]);
  if (wantsCsv(url))
    return csvResponse(
      `treasury${recipient ? `-${recipient}` : ""}.csv`,
      ["id", "state", "votes_for", "votes_against", "to", "amount_lpt", "description"],
      proposals.flatMap((p) =>
        (p.transfers.length ? p.transfers : [{ to: null, amountLpt: null }]).map((t) => [p.id, p.state, p.votesFor, p.votesAgainst, t.to, t.amountLpt, p.description]),
      ),
    );
  return jsonResponse({
    proposals: proposals.map(({ id, description, state, votesFor, votesAgainst, transfers }) => ({ id, description, state, votesFor, votesAgainst, transfers })),
    provenance: provenance(url, { source: "subgraph", name: `treasury${recipient ? `-${recipient}` : ""}`, state }),
  });
});
