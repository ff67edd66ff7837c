// The subgraph source's program collections (issue 14): a gateway's TicketBroker funding events
// (DepositFundedEvent, ReserveFundedEvent, ReserveClaimedEvent, WithdrawalEvent: immutable, paged by
// timestamp from a cursor like tickets) and the treasury's proposals and votes (mutable: re-read in
// full at each run, by id), with the quorum round's total active stake. Same pinned block, retries
// and commit-with-cursor rules as every other collection (sync.ts calls this).
import type { ProposalFields, ProposalTally } from "../../../core/programs/treasury";
import type { Db, Querier } from "../../../db/client";
import type { Progress } from "../../progress";
import { idOf, pageById, pageByTimestamp, PermanentError, type Collection, type SubgraphClient } from "./client";
import { saveCursor, type SubgraphCursor } from "./cursor";

export interface LedgerEventRecord {
  kind: "deposit" | "reserve" | "claim" | "withdrawal";
  id: string;
  gateway: string;
  timestamp: number;
  blockNumber: number;
  logIndex: number;
  amountEth: string;
  reserveEth: string | null;
  claimant: string | null;
}

/** `<txHash>-<logIndex>` (the subgraph's makeEventId): the block-level log index. */
export const logIndexOf = (id: string) => Number(id.slice(id.lastIndexOf("-") + 1)) || 0;

const ledger = (
  field: string,
  kind: LedgerEventRecord["kind"],
  holder: string,
  amounts: string,
  extra = "",
): Collection<LedgerEventRecord> => ({
  field,
  selection: `id timestamp ${holder} { id } ${amounts} ${extra} transaction { id blockNumber }`,
  map: (r) => ({
    kind,
    id: r.id,
    gateway: idOf(r[holder])!,
    timestamp: Number(r.timestamp),
    blockNumber: Number(r.transaction?.blockNumber ?? 0),
    logIndex: logIndexOf(r.id),
    amountEth: kind === "withdrawal" ? r.deposit : r.amount,
    reserveEth: kind === "withdrawal" ? r.reserve : null,
    claimant: kind === "claim" ? idOf(r.claimant) : null,
  }),
});

export const LEDGER_COLLECTIONS = [
  ledger("depositFundedEvents", "deposit", "sender", "amount"),
  ledger("reserveFundedEvents", "reserve", "reserveHolder", "amount"),
  ledger("reserveClaimedEvents", "claim", "reserveHolder", "amount", "claimant { id }"),
  ledger("withdrawalEvents", "withdrawal", "sender", "deposit reserve"),
];

export interface ProposalRecord extends ProposalFields, ProposalTally {}

export const PROPOSALS: Collection<ProposalRecord> = {
  field: "treasuryProposals",
  selection: "id proposer { id } targets values calldatas voteStart voteEnd description forVotes againstVotes abstainVotes totalVotes",
  map: (r) => ({
    id: r.id,
    proposer: idOf(r.proposer) ?? "",
    targets: (r.targets ?? []).map((t: string) => t.toLowerCase()),
    values: (r.values ?? []).map(String),
    calldatas: (r.calldatas ?? []).map((c: string) => c.toLowerCase()),
    voteStart: String(r.voteStart),
    voteEnd: String(r.voteEnd),
    description: String(r.description ?? ""),
    forVotes: r.forVotes,
    againstVotes: r.againstVotes,
    abstainVotes: r.abstainVotes,
    totalVotes: r.totalVotes,
  }),
};

export interface VoteRecord {
  id: string;
  proposal: string;
  voter: string;
  support: string;
  weight: string;
  reason: string | null;
}

export const VOTES: Collection<VoteRecord> = {
  field: "treasuryVotes",
  selection: "id proposal { id } voter { id } support weight reason",
  map: (r) => ({ id: r.id, proposal: r.proposal?.id ?? "", voter: idOf(r.voter) ?? "", support: r.support, weight: r.weight, reason: r.reason ?? null }),
};

const ROUND_STAKE: Collection<{ id: string; totalActiveStake: string | null }> = {
  field: "rounds",
  selection: "id totalActiveStake",
  map: (r) => ({ id: r.id, totalActiveStake: r.totalActiveStake ?? null }),
};

const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k] ?? null);

export async function insertLedgerEvents(q: Querier, rows: LedgerEventRecord[]): Promise<number> {
  if (!rows.length) return 0;
  const [r] = await q.query<{ n: number }>(
    `with ins as (
       insert into ledger_events (kind, id, gateway, timestamp, day, block_number, log_index, amount_eth, reserve_eth, claimant)
       select k, i, g, ts, (to_timestamp(ts) at time zone 'UTC')::date, b, l, a, rs, c
         from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int8[], $6::int[], $7::numeric[], $8::numeric[], $9::text[])
              as t(k, i, g, ts, b, l, a, rs, c)
       on conflict (kind, id) do nothing returning 1
     ) select count(*)::int as n from ins`,
    [col(rows, "kind"), col(rows, "id"), col(rows, "gateway"), col(rows, "timestamp"), col(rows, "blockNumber"), col(rows, "logIndex"), col(rows, "amountEth"), col(rows, "reserveEth"), col(rows, "claimant")],
  );
  return r?.n ?? 0;
}

const PROPOSAL_COLS = ["id", "proposer", "targets", "values", "calldatas", "vote_start", "vote_end", "description", "for_votes", "against_votes", "abstain_votes", "total_votes", "quorum_stake", "current_round"];
const VOTE_COLS = ["id", "proposal", "voter", "support", "weight", "reason"];
const changed = (table: string, cols: string[]) =>
  `on conflict (id) do update set ${cols.slice(1).map((c) => `${c} = excluded.${c}`).join(", ")}
   where (${cols.slice(1).map((c) => `${table}.${c}`).join(", ")}) is distinct from (${cols.slice(1).map((c) => `excluded.${c}`).join(", ")})`;

/**
 * Makes proposals and votes the block's (one transaction: a proposal never shows half its votes).
 * Returns rows that changed, so a run over an unchanged treasury writes nothing.
 */
async function replaceTreasury(q: Querier, proposals: ProposalRecord[], votes: VoteRecord[], stakes: Map<string, string | null>, currentRound: string | null, block: number): Promise<number> {
  const count = async (text: string, params: unknown[]) => (await q.query<{ n: number }>(text, params))[0]?.n ?? 0;
  let n = await count(`with d as (delete from treasury_votes where not (id = any($1::text[])) returning 1) select count(*)::int as n from d`, [votes.map((v) => v.id)]);
  n += await count(`with d as (delete from treasury_proposals where not (id = any($1::text[])) returning 1) select count(*)::int as n from d`, [proposals.map((p) => p.id)]);
  if (proposals.length) {
    n += await count(
      `with up as (
         insert into treasury_proposals (${PROPOSAL_COLS.join(", ")}, block)
         select i, p, t::jsonb, v::jsonb, c::jsonb, vs, ve, d, f, a, ab, tv, qs, $14::numeric, $15::int8
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::text[],
                       $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[]) as x(i, p, t, v, c, vs, ve, d, f, a, ab, tv, qs)
         ${changed("treasury_proposals", PROPOSAL_COLS).replace("where", ", block = excluded.block where")}
         returning 1
       ) select count(*)::int as n from up`,
      [
        col(proposals, "id"), col(proposals, "proposer"),
        proposals.map((p) => JSON.stringify(p.targets)), proposals.map((p) => JSON.stringify(p.values)), proposals.map((p) => JSON.stringify(p.calldatas)),
        col(proposals, "voteStart"), col(proposals, "voteEnd"), col(proposals, "description"),
        col(proposals, "forVotes"), col(proposals, "againstVotes"), col(proposals, "abstainVotes"), col(proposals, "totalVotes"),
        proposals.map((p) => stakes.get(p.voteStart) ?? null), currentRound, block,
      ],
    );
  }
  if (votes.length) {
    n += await count(
      `with up as (
         insert into treasury_votes (${VOTE_COLS.join(", ")})
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[])
         ${changed("treasury_votes", VOTE_COLS)}
         returning 1
       ) select count(*)::int as n from up`,
      [col(votes, "id"), col(votes, "proposal"), col(votes, "voter"), col(votes, "support"), col(votes, "weight"), col(votes, "reason")],
    );
  }
  return n;
}

/**
 * Ledger events page by page (each page with its cursor), then the treasury in one transaction. A
 * deployment without the treasury's entities is noted (log, /status) and the rest still indexed.
 */
export async function syncPrograms(
  db: Db,
  client: SubgraphClient,
  opts: { block: number; pageSize: number; cursor: SubgraphCursor; source: string; progress: Progress; currentRound: string | null; log: (line: string) => void },
): Promise<number> {
  const { cursor, progress } = opts;
  let rows = 0;
  for (const c of LEDGER_COLLECTIONS) {
    progress.phase = c.field;
    progress.fraction = null;
    const fromTs = cursor.ledgerFromTs?.[c.field] ?? 0;
    for await (const page of pageByTimestamp(client, c, { block: opts.block, pageSize: opts.pageSize, fromTs })) {
      const maxTs = page.reduce((m, e) => Math.max(m, e.timestamp), fromTs);
      await db.tx(async (q) => {
        rows += await insertLedgerEvents(q, page);
        cursor.ledgerFromTs = { ...cursor.ledgerFromTs, [c.field]: maxTs };
        await saveCursor(q, opts.source, cursor);
        progress.done += page.length;
        await progress.report(q);
      });
    }
  }

  try {
    rows += await syncTreasury(db, client, opts);
  } catch (e) {
    // A deployment from before the treasury (LIP-89) has no such entities: the fees and the ledger
    // are still indexed, and /status says why there are no grants.
    if (!(e instanceof PermanentError) || !NO_TREASURY.test(e.message)) throw e;
    opts.log(`[${opts.source}] this subgraph deployment has no treasury entities (${e.message}); grants are not indexed`);
    await db.query(`insert into config_problems (file, path, message) values ('SUBGRAPH_URL', 'treasuryProposals', $1) on conflict do nothing`, [
      "this subgraph deployment has no TreasuryProposal or TreasuryVote entities (older than the treasury): treasury grants are not indexed; fees and the subsidy ledger are",
    ]);
  }
  return rows;
}

/** graph-node's (and GraphQL's) answer to a root field the deployment does not have. */
const NO_TREASURY = /has no field [`"']?treasury(Proposals|Votes)|Cannot query field "treasury(Proposals|Votes)"/;

/** Proposals, votes and the stake of their rounds, then the treasury tables in one transaction. */
async function syncTreasury(db: Db, client: SubgraphClient, opts: { block: number; pageSize: number; progress: Progress; currentRound: string | null }): Promise<number> {
  const { progress } = opts;
  progress.phase = "treasuryProposals";
  const proposals: ProposalRecord[] = [];
  for await (const page of pageById(client, PROPOSALS, { block: opts.block, pageSize: opts.pageSize })) proposals.push(...page);
  const votes: VoteRecord[] = [];
  for await (const page of pageById(client, VOTES, { block: opts.block, pageSize: opts.pageSize })) votes.push(...page);
  const stakes = new Map<string, string | null>();
  const rounds = [...new Set(proposals.map((p) => p.voteStart))];
  for (let i = 0; i < rounds.length; i += opts.pageSize) {
    const where = { id_in: rounds.slice(i, i + opts.pageSize) };
    for await (const page of pageById(client, ROUND_STAKE, { block: opts.block, pageSize: opts.pageSize, where })) {
      for (const r of page) stakes.set(r.id, r.totalActiveStake);
    }
  }
  let n = 0;
  await db.tx(async (q) => {
    n = await replaceTreasury(q, proposals, votes, stakes, opts.currentRound, opts.block);
    progress.done += proposals.length + votes.length;
    await progress.report(q);
  });
  return n;
}
