// Writes subgraph records. Every write is keyed by the entity id with ON CONFLICT, so re-running any
// window changes nothing; each function returns how many rows actually changed (new or different),
// which is what "rows written" means on the status page. Bulk input travels as one array parameter
// per column through unnest(), so a page of 1000 rows is one statement on both engines.
import type { Querier } from "../../../db/client";
import type { BroadcasterRecord, DayRecord, EntityDayRecord, ProtocolRecord, TicketRecord, TranscoderRecord } from "./records";

const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k] ?? null);

async function count(q: Querier, text: string, params: unknown[]): Promise<number> {
  const [r] = await q.query<{ n: number }>(text, params);
  return r?.n ?? 0;
}

/** `update ... where (t.*) is distinct from (excluded.*)` keeps unchanged rows out of the count. */
function upsert(table: string, key: string, cols: string[], select: string): string {
  const sets = cols.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`);
  const changed = cols.filter((c) => c !== key).map((c) => `${table}.${c} is distinct from excluded.${c}`);
  return `with w as (
    insert into ${table} (${cols.join(", ")}) ${select}
    on conflict (${key}) do update set ${sets.join(", ")} where ${changed.join(" or ")}
    returning 1
  ) select count(*)::int as n from w`;
}

export function upsertDays(q: Querier, rows: DayRecord[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  return count(
    q,
    upsert(
      "days",
      "day_number",
      ["day_number", "date", "volume_eth", "volume_usd", "total_active_stake", "participation_rate", "active_transcoder_count"],
      `select d, date '1970-01-01' + d, v, u, s, p, c
         from unnest($1::int[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[]) as t(d, v, u, s, p, c)`,
    ),
    [col(rows, "dayNumber"), col(rows, "volumeEth"), col(rows, "volumeUsd"), col(rows, "totalActiveStake"), col(rows, "participationRate"), col(rows, "activeTranscoderCount")],
  );
}

export function upsertTranscoders(q: Querier, rows: TranscoderRecord[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  return count(
    q,
    upsert(
      "transcoders",
      "address",
      ["address", "active", "status", "activation_round", "deactivation_round", "fee_share", "reward_cut", "total_stake", "total_volume_eth", "total_volume_usd", "thirty_day_volume_eth", "ninety_day_volume_eth", "service_uri", "last_reward_round"],
      `select * from unnest($1::text[], $2::bool[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[], $14::text[])`,
    ),
    [
      col(rows, "address"), col(rows, "active"), col(rows, "status"), col(rows, "activationRound"), col(rows, "deactivationRound"),
      col(rows, "feeShare"), col(rows, "rewardCut"), col(rows, "totalStake"), col(rows, "totalVolumeEth"), col(rows, "totalVolumeUsd"),
      col(rows, "thirtyDayVolumeEth"), col(rows, "ninetyDayVolumeEth"), col(rows, "serviceUri"), col(rows, "lastRewardRound"),
    ],
  );
}

function upsertEntityDays(table: string, q: Querier, rows: EntityDayRecord[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  return count(
    q,
    upsert(
      table,
      "id",
      ["id", "address", "date", "volume_eth", "volume_usd"],
      `select i, a, (to_timestamp(d) at time zone 'UTC')::date, v, u
         from unnest($1::text[], $2::text[], $3::int8[], $4::numeric[], $5::numeric[]) as t(i, a, d, v, u)`,
    ),
    [col(rows, "id"), col(rows, "address"), col(rows, "date"), col(rows, "volumeEth"), col(rows, "volumeUsd")],
  );
}
export const upsertTranscoderDays = (q: Querier, rows: EntityDayRecord[]) => upsertEntityDays("transcoder_days", q, rows);
export const upsertBroadcasterDays = (q: Querier, rows: EntityDayRecord[]) => upsertEntityDays("broadcaster_days", q, rows);

export function upsertBroadcasters(q: Querier, rows: BroadcasterRecord[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  return count(
    q,
    upsert(
      "broadcasters",
      "address",
      ["address", "deposit", "reserve", "total_volume_eth", "total_volume_usd", "ninety_day_volume_eth"],
      `select * from unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[])`,
    ),
    [col(rows, "address"), col(rows, "deposit"), col(rows, "reserve"), col(rows, "totalVolumeEth"), col(rows, "totalVolumeUsd"), col(rows, "ninetyDayVolumeEth")],
  );
}

/**
 * Inserts tickets that are not stored yet and adds exactly those (the rows RETURNING gives back) to
 * the per-day rollups in the same statement. A ticket seen twice is one ticket.
 */
export function insertTickets(q: Querier, rows: TicketRecord[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  const rollup = (table: string, key: string, src: string) => `
    ${table}_w as (
      insert into ${table} (day, ${key}, tickets, volume_eth, volume_usd)
      select day, ${src}, count(*)::int, sum(face_value_eth), sum(face_value_usd) from ins group by day, ${src}
      on conflict (day, ${key}) do update set
        tickets = ${table}.tickets + excluded.tickets,
        volume_eth = ${table}.volume_eth + excluded.volume_eth,
        volume_usd = ${table}.volume_usd + excluded.volume_usd
      returning 1
    )`;
  return count(
    q,
    `with ins as (
       insert into tickets (id, timestamp, day, block_number, round, sender, recipient, face_value_eth, face_value_usd, win_prob)
       select i, ts, (to_timestamp(ts) at time zone 'UTC')::date, b, r, s, rc, fv, fu, wp
         from unnest($1::text[], $2::int[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[])
              as t(i, ts, b, r, s, rc, fv, fu, wp)
       on conflict (id) do nothing
       returning day, sender, recipient, face_value_eth, face_value_usd
     ),
     ${rollup("fee_day_gateway", "gateway", "sender")},
     ${rollup("fee_day_orchestrator", "orchestrator", "recipient")}
     select (select count(*) from ins)::int as n, (select count(*) from fee_day_gateway_w) + (select count(*) from fee_day_orchestrator_w) as touched`,
    [
      col(rows, "id"), col(rows, "timestamp"), col(rows, "blockNumber"), col(rows, "round"), col(rows, "sender"),
      col(rows, "recipient"), col(rows, "faceValueEth"), col(rows, "faceValueUsd"), col(rows, "winProb"),
    ],
  );
}

export function upsertProtocol(q: Querier, p: ProtocolRecord, block: number): Promise<number> {
  return count(
    q,
    upsert(
      "protocol",
      "id",
      ["id", "total_volume_eth", "total_volume_usd", "winning_ticket_count", "current_round", "active_transcoder_count", "total_active_stake", "participation_rate", "block"],
      `select '0', $1::numeric, $2::numeric, $3::int8, $4::text, $5::numeric, $6::numeric, $7::numeric, $8::int8`,
    ),
    [p.totalVolumeEth, p.totalVolumeUsd, p.winningTicketCount, p.currentRound, p.activeTranscoderCount, p.totalActiveStake, p.participationRate, block],
  );
}
