// The subsidy ledger of one gateway, replayed from its TicketBroker events and redeemed tickets in
// chain order (block, then block-level log index), in wei: never a JS number. Two replays of the same
// events: what the TicketBroker contract does (the ledger), and what the Livepeer subgraph's
// ticketBroker handler does (its Broadcaster.deposit and reserve), so a difference between the ledger
// and the subgraph is explained event by event. docs/decisions/015-subsidy-ledger.md.
import { ratio, ratioToDecimal, weiToEth, D } from "../units";

export type LedgerKind = "deposit" | "reserve" | "claim" | "withdrawal" | "ticket";

export interface LedgerEvent {
  kind: LedgerKind;
  id: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  block: number;
  logIndex: number;
  /** deposit, reserve or claim amount; a ticket's face value; a withdrawal's deposit part. */
  wei: bigint;
  /** A withdrawal's reserve part. */
  reserveWei?: bigint;
}

export interface LedgerDay {
  day: string;
  fundedWei: bigint;
  /** Paid to orchestrators: ticket face value covered by the deposit, plus reserve claims. */
  spentWei: bigint;
  claimedWei: bigint;
  withdrawnWei: bigint;
  faceValueWei: bigint;
  /** deposit + reserve at the end of the day. */
  balanceWei: bigint;
}

/** A ticket whose face value exceeded the deposit: where the subgraph's handler and the contract part. */
export interface Shortfall {
  id: string;
  day: string;
  faceValueWei: bigint;
  depositBeforeWei: bigint;
  /** How much lower the subgraph's reserve is than the contract's after this ticket. */
  subgraphReserveLowerByWei: bigint;
}

export interface LedgerReplay {
  days: LedgerDay[];
  depositWei: bigint;
  reserveWei: bigint;
  /** The same events through the subgraph handler's arithmetic. */
  subgraph: { depositWei: bigint; reserveWei: bigint };
  shortfalls: Shortfall[];
  /** Face value that neither the deposit nor a reserve claim paid. */
  unpaidWei: bigint;
  /** Withdrawals whose amounts differ from the replayed balance (events missing before them). */
  withdrawalDrift: { id: string; day: string; ledgerWei: bigint; withdrawnWei: bigint }[];
}

const ORDER: Record<LedgerKind, number> = { deposit: 0, reserve: 0, withdrawal: 0, claim: 0, ticket: 1 };

export function chainOrder(a: LedgerEvent, b: LedgerEvent): number {
  return a.block - b.block || a.logIndex - b.logIndex || ORDER[a.kind] - ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function replayLedger(input: readonly LedgerEvent[]): LedgerReplay {
  const events = [...input].sort(chainOrder);
  let d = 0n;
  let r = 0n;
  let sd = 0n; // the subgraph's deposit
  let sr = 0n; // the subgraph's reserve
  let faceTotal = 0n;
  let paidTotal = 0n;
  const shortfalls: Shortfall[] = [];
  const withdrawalDrift: LedgerReplay["withdrawalDrift"] = [];
  const days = new Map<string, LedgerDay>();
  const dayOf = (day: string) => {
    let x = days.get(day);
    if (!x) days.set(day, (x = { day, fundedWei: 0n, spentWei: 0n, claimedWei: 0n, withdrawnWei: 0n, faceValueWei: 0n, balanceWei: 0n }));
    return x;
  };
  for (const e of events) {
    const x = dayOf(e.day);
    switch (e.kind) {
      case "deposit":
        d += e.wei;
        sd += e.wei;
        x.fundedWei += e.wei;
        break;
      case "reserve":
        r += e.wei;
        sr += e.wei;
        x.fundedWei += e.wei;
        break;
      case "claim":
        // TicketBroker.claimFromReserve: the part of a ticket the deposit could not pay.
        r -= e.wei;
        sr -= e.wei;
        x.claimedWei += e.wei;
        x.spentWei += e.wei;
        paidTotal += e.wei;
        break;
      case "withdrawal": {
        const withdrawn = e.wei + (e.reserveWei ?? 0n);
        if (withdrawn !== d + r) withdrawalDrift.push({ id: e.id, day: e.day, ledgerWei: d + r, withdrawnWei: withdrawn });
        x.withdrawnWei += withdrawn;
        d = r = sd = sr = 0n;
        break;
      }
      case "ticket": {
        const fromDeposit = e.wei < d ? e.wei : d;
        d -= fromDeposit;
        x.spentWei += fromDeposit;
        x.faceValueWei += e.wei;
        faceTotal += e.wei;
        paidTotal += fromDeposit;
        // The subgraph's winningTicketRedeemed: it zeroes the deposit before taking the difference,
        // so the whole face value comes off the reserve (or the reserve is set to zero).
        if (e.wei > sd) {
          const before = sr;
          sd = 0n;
          sr = e.wei > sr ? 0n : sr - e.wei;
          shortfalls.push({ id: e.id, day: e.day, faceValueWei: e.wei, depositBeforeWei: fromDeposit, subgraphReserveLowerByWei: before - sr });
        } else sd -= e.wei;
        break;
      }
    }
    x.balanceWei = d + r;
  }
  return {
    days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    depositWei: d,
    reserveWei: r,
    subgraph: { depositWei: sd, reserveWei: sr },
    shortfalls,
    unpaidWei: faceTotal - paidTotal,
    withdrawalDrift,
  };
}

const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export interface LedgerWindow {
  fundedWei: bigint;
  spentWei: bigint;
  claimedWei: bigint;
  withdrawnWei: bigint;
  /** Balance at the end of `to`. */
  balanceWei: bigint;
  series: { day: string; fundedWei: bigint; spentWei: bigint; withdrawnWei: bigint; balanceWei: bigint }[];
}

/** Totals over [from, to] and one row per day of it (days without events carry the balance). */
export function ledgerWindow(days: readonly LedgerDay[], from: string, to: string): LedgerWindow {
  const byDay = new Map(days.map((d) => [d.day, d]));
  let balance = 0n;
  for (const d of days) if (d.day < from) balance = d.balanceWei;
  const w: LedgerWindow = { fundedWei: 0n, spentWei: 0n, claimedWei: 0n, withdrawnWei: 0n, balanceWei: 0n, series: [] };
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const x = byDay.get(day);
    if (x) balance = x.balanceWei;
    const row = { day, fundedWei: x?.fundedWei ?? 0n, spentWei: x?.spentWei ?? 0n, withdrawnWei: x?.withdrawnWei ?? 0n, balanceWei: balance };
    w.fundedWei += row.fundedWei;
    w.spentWei += row.spentWei;
    w.claimedWei += x?.claimedWei ?? 0n;
    w.withdrawnWei += row.withdrawnWei;
    w.series.push(row);
  }
  w.balanceWei = balance;
  return w;
}

/** Spent over the `n` days ending `to` (inclusive). */
export function spentOver(days: readonly LedgerDay[], to: string, n: number): bigint {
  const from = addDays(to, -(n - 1));
  return days.reduce((s, d) => (d.day >= from && d.day <= to ? s + d.spentWei : s), 0n);
}

/** ETH per day, exact to 50 significant digits. */
export const burnPerDayEth = (spentWei: bigint, n: number): string => ratioToDecimal(ratio(spentWei, BigInt(n) * 10n ** 18n));

/** Days the balance lasts at the burn of the last `n` days, to 2 decimals (rounded down); null without burn. */
export function runwayDays(balanceWei: bigint, spentWei: bigint, n: number): string | null {
  if (spentWei <= 0n) return null;
  if (balanceWei <= 0n) return "0";
  return new D((balanceWei * BigInt(n)).toString()).div(spentWei.toString()).toDecimalPlaces(2, D.ROUND_DOWN).toFixed();
}

export const eth = (wei: bigint): string => weiToEth(wei);

/** Exact wei from a subgraph BigDecimal of ETH (at most 18 decimals); throws on anything else. */
export function ethToWei(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!m) throw new TypeError(`not an ETH amount with at most 18 decimals: ${JSON.stringify(text)}`);
  const v = BigInt(m[2] + (m[3] ?? "").padEnd(18, "0"));
  return m[1] ? -v : v;
}
