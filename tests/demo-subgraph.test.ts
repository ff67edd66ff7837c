import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_SECONDS, generateDemoNetwork, type DemoNetwork } from "../indexer/demo/generate";
import { startDemoSubgraph, type DemoSubgraph } from "../indexer/demo/subgraph-server";
import { demoAi } from "../indexer/demo/traffic";

const END_DAY = "2025-06-30";
/** Noon on the last day: half of its tickets are still in the future. */
const NOW_MS = Date.UTC(2025, 5, 30, 12, 0, 0);
/** decimal.js rounds results to 20 significant digits by default; sums of 18-decimal ETH need more. */
const Exact = Decimal.clone({ precision: 100 });
const normalise = (amount: string | Decimal) => new Exact(amount).toFixed();
const dayNumberOf = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`) / 1000 / DAY_SECONDS;
const blockOf = (t: { transaction: { blockNumber: string } }) => Number(t.transaction.blockNumber);

interface Ticket {
  id: string;
  timestamp: number;
  faceValue: string;
  faceValueUSD: string;
  sender: { id: string };
  recipient: { id: string };
  transaction: { id: string; blockNumber: string };
}
interface DayVolume {
  id: string;
  date: number;
  volumeETH: string;
  volumeUSD: string;
}
interface Totals {
  id: string;
  totalVolumeETH: string;
  totalVolumeUSD: string;
  thirtyDayVolumeETH: string;
  ninetyDayVolumeETH: string;
}

let network: DemoNetwork;
let subgraph: DemoSubgraph;

/** More than 2^64 wei with 18 significant decimals: a test fixture, never part of the demo a newcomer sees. */
const LARGE_FACE_VALUE = "12.345678901234567891";

/** The network with one ticket's face value replaced by LARGE_FACE_VALUE (USD at its day's rate). */
function withLargeTicket(n: DemoNetwork): DemoNetwork {
  const at = Math.floor(n.tickets.length * 0.22);
  const t = n.tickets[at];
  const price = n.ethUsdByDay[new Date(t.timestamp * 1000).toISOString().slice(0, 10)];
  const large = { ...t, faceValue: LARGE_FACE_VALUE, faceValueUSD: normalise(new Exact(LARGE_FACE_VALUE).times(price).toDecimalPlaces(10, Decimal.ROUND_HALF_UP)) };
  return { ...n, tickets: n.tickets.map((x, i) => (i === at ? large : x)) };
}

beforeAll(async () => {
  network = withLargeTicket(generateDemoNetwork({ seed: 42, endDay: END_DAY }));
  subgraph = await startDemoSubgraph({ network, now: () => NOW_MS });
});
afterAll(() => subgraph.close());

function post(query: string, variables?: Record<string, unknown>): Promise<Response> {
  return fetch(subgraph.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
}

async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const body = (await (await post(query, variables)).json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function errorsOf(query: string): Promise<string[]> {
  const body = (await (await post(query)).json()) as { errors?: { message: string }[] };
  return (body.errors ?? []).map((e) => e.message);
}

/** Pages a whole collection with an id cursor at one pinned block, as the indexer does. */
async function pageAll<T extends { id: string }>(collection: string, fields: string, block: number): Promise<{ rows: T[]; pages: number }> {
  const query = `query ($last: ID!, $block: Int!) {
    page: ${collection}(first: 1000, orderBy: id, where: { id_gt: $last }, block: { number: $block }) { id ${fields} }
  }`;
  const rows: T[] = [];
  let pages = 0;
  for (;;) {
    const { page } = await gql<{ page: T[] }>(query, { last: rows.at(-1)?.id ?? "", block });
    pages++;
    rows.push(...page);
    if (page.length < 1000) return { rows, pages };
  }
}

const ticketFields = "timestamp faceValue faceValueUSD sender { id } recipient { id } transaction { id blockNumber }";

function sumBy(tickets: Ticket[], keyOf: (t: Ticket) => string, amountOf: (t: Ticket) => string): Record<string, string> {
  const sums = new Map<string, Decimal>();
  for (const t of tickets) sums.set(keyOf(t), (sums.get(keyOf(t)) ?? new Exact(0)).plus(amountOf(t)));
  return Object.fromEntries([...sums].map(([key, sum]) => [key, normalise(sum)]));
}

function amountsBy<T extends { id: string }>(rows: T[], amountOf: (row: T) => string, keep: (row: T) => boolean = () => true) {
  return Object.fromEntries(rows.filter(keep).map((row) => [row.id, normalise(amountOf(row))]));
}

const dayOf = (t: Ticket) => String(Math.floor(t.timestamp / DAY_SECONDS));
const isNonZero = (row: { totalVolumeETH: string }) => !new Exact(row.totalVolumeETH).isZero();

describe("generateDemoNetwork", () => {
  it("is deterministic for a seed and end day", () => {
    const a = generateDemoNetwork({ seed: 7, endDay: END_DAY });
    const b = generateDemoNetwork({ seed: 7, endDay: END_DAY });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(generateDemoNetwork({ seed: 8, endDay: END_DAY }).transcoders[0].id).not.toBe(a.transcoders[0].id);
  });

  it("keeps addresses and service URIs when the end day moves", () => {
    const identities = (n: DemoNetwork) => ({
      orchestrators: n.transcoders.map((t) => [t.id, t.serviceURI]),
      gateways: n.meta.gateways,
    });
    const later = generateDemoNetwork({ seed: 42, endDay: "2025-09-15" });
    expect(identities(later)).toEqual(identities(network));
    expect(later.tickets[0].id).not.toBe(network.tickets[0].id);
  });

  it("has the shape the dashboard relies on", () => {
    const { tickets, meta } = network;
    expect(tickets.length).toBeGreaterThanOrEqual(10_000);
    expect(network.transcoders).toHaveLength(60);
    expect(meta.gateways).toHaveLength(6);
    expect(meta.startDay).toBe("2025-01-02");
    expect(meta.subsidy.from > meta.startDay && meta.subsidy.to < meta.endDay).toBe(true);
    for (const address of [...network.transcoders.map((t) => t.id), ...meta.gateways.map((g) => g.address)]) {
      expect(address).toMatch(/^0x[0-9a-f]{40}$/);
    }
    expect(tickets.every((t) => /^0x[0-9a-f]{64}-\d+$/.test(t.id) && /^\d+(\.\d{1,18})?$/.test(t.faceValue))).toBe(true);
    // Distinct transactions sharing a second, and batch redemptions sharing a transaction.
    const perSecond = new Map<number, Set<string>>();
    for (const t of tickets) perSecond.set(t.timestamp, (perSecond.get(t.timestamp) ?? new Set()).add(t.transaction.id));
    expect([...perSecond.values()].filter((txs) => txs.size > 1).length).toBeGreaterThan(10);
    expect(new Set(tickets.map((t) => t.transaction.id)).size).toBeLessThan(tickets.length);
  });

  it("shows a newcomer no test fixture: plain service URIs and no outsized ticket", () => {
    const plain = generateDemoNetwork({ seed: 42, endDay: END_DAY });
    expect(plain.transcoders.every((t) => t.serviceURI === null || /^https:\/\/orch-\d+\.example\.net:8935$/.test(t.serviceURI))).toBe(true);
    expect(plain.transcoders.some((t) => t.serviceURI === null)).toBe(true);
    // the largest ticket is an ordinary one: well under a day's fees
    expect(Math.max(...plain.tickets.map((t) => Number(t.faceValue)))).toBeLessThan(1);
  });

  it("pays AI orchestrators only through the AI gateways, and transcoders only through the others", () => {
    const plain = generateDemoNetwork({ seed: 42, endDay: END_DAY });
    const { plan } = demoAi(plain);
    const ai = new Set(plan.nodes.map((n) => n.address));
    const roles = new Map(plain.meta.gateways.map((g) => [g.address, g.role]));
    expect([...roles.values()].sort()).toEqual(["ai-batch", "ai-live", "transcoding", "transcoding", "transcoding", "transcoding"]);
    const aiTickets = plain.tickets.filter((t) => ai.has(t.recipient.id));
    expect(aiTickets.length).toBeGreaterThan(100);
    expect(aiTickets.every((t) => roles.get(t.sender.id)?.startsWith("ai-"))).toBe(true);
    expect(plain.tickets.filter((t) => !ai.has(t.recipient.id)).every((t) => roles.get(t.sender.id) === "transcoding")).toBe(true);
    // AI is a small part of the fee volume, as on the real network
    const eth = (ts: typeof plain.tickets) => ts.reduce((s, t) => s + Number(t.faceValue), 0);
    expect(eth(aiTickets) / eth(plain.tickets)).toBeLessThan(0.02);
  });

  it("prices each ticket at its day's ETH/USD, to 10 decimals", () => {
    for (const t of network.tickets.slice(0, 200)) {
      const price = network.ethUsdByDay[new Date(t.timestamp * 1000).toISOString().slice(0, 10)];
      expect(t.faceValueUSD).toBe(normalise(new Exact(t.faceValue).times(price).toDecimalPlaces(10, Decimal.ROUND_HALF_UP)));
    }
  });
});

describe("demo subgraph over HTTP", () => {
  it("labels demo data in _meta and reports the head block", async () => {
    const { _meta } = await gql<{ _meta: { block: { number: number; hash: string; timestamp: number }; deployment: string; hasIndexingErrors: boolean } }>(
      "{ _meta { block { number hash timestamp } deployment hasIndexingErrors } }",
    );
    expect(_meta.deployment).toBe("observatory-demo-network");
    expect(_meta.hasIndexingErrors).toBe(false);
    expect(_meta.block.number).toBe(subgraph.headBlock());
    expect(_meta.block.number).toBe(network.blockAt(NOW_MS / 1000));
    expect(_meta.block.timestamp).toBe(NOW_MS / 1000);
    expect(_meta.block.hash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("serves ~60 orchestrators, some without a service URI, and 6 gateways", async () => {
    const { transcoders, broadcasters } = await gql<{ transcoders: { id: string; serviceURI: string | null; active: boolean }[]; broadcasters: { id: string }[] }>(
      "{ transcoders(first: 1000) { id serviceURI active } broadcasters { id } }",
    );
    expect(transcoders).toHaveLength(60);
    expect(transcoders.filter((t) => t.active).length).toBeGreaterThan(40);
    expect(transcoders.some((t) => t.serviceURI === null)).toBe(true);
    expect(broadcasters.map((b) => b.id).sort()).toEqual(network.meta.gateways.map((g) => g.address).sort());
  });

  it("pages every visible ticket exactly once with an id cursor", async () => {
    const head = subgraph.headBlock();
    const { rows, pages } = await pageAll<Ticket>("winningTicketRedeemedEvents", "id", head);
    const expected = network.tickets.filter((t) => blockOf(t) <= head).map((t) => t.id);
    expect(pages).toBeGreaterThan(10);
    expect(rows.length).toBeGreaterThanOrEqual(10_000);
    expect(rows.map((r) => r.id)).toEqual([...expected].sort());
    expect(expected.length).toBeLessThan(network.tickets.length); // the afternoon of END_DAY is still hidden
  });

  it("reconciles tickets exactly with Day, TranscoderDay, BroadcasterDay, Transcoder, Broadcaster and Protocol", async () => {
    const head = subgraph.headBlock();
    const totals = "totalVolumeETH totalVolumeUSD thirtyDayVolumeETH ninetyDayVolumeETH";
    const [tickets, days, transcoderDays, broadcasterDays, transcoders, broadcasters, { protocol }] = await Promise.all([
      pageAll<Ticket>("winningTicketRedeemedEvents", ticketFields, head).then((r) => r.rows),
      pageAll<DayVolume>("days", "date volumeETH volumeUSD", head).then((r) => r.rows),
      pageAll<DayVolume & { transcoder: { id: string } }>("transcoderDays", "date volumeETH volumeUSD transcoder { id }", head).then((r) => r.rows),
      pageAll<DayVolume & { broadcaster: { id: string } }>("broadcasterDays", "date volumeETH volumeUSD broadcaster { id }", head).then((r) => r.rows),
      pageAll<Totals>("transcoders", totals, head).then((r) => r.rows),
      pageAll<Totals>("broadcasters", totals, head).then((r) => r.rows),
      gql<{ protocol: { totalVolumeETH: string; totalVolumeUSD: string; winningTicketCount: number } }>(
        `{ protocol(id: "0", block: { number: ${head} }) { totalVolumeETH totalVolumeUSD winningTicketCount } }`,
      ),
    ]);
    const eth = (t: Ticket) => t.faceValue;
    const usd = (t: Ticket) => t.faceValueUSD;

    expect(amountsBy(days, (d) => d.volumeETH)).toEqual(sumBy(tickets, dayOf, eth));
    expect(amountsBy(days, (d) => d.volumeUSD)).toEqual(sumBy(tickets, dayOf, usd));
    expect(amountsBy(transcoderDays, (d) => d.volumeETH)).toEqual(sumBy(tickets, (t) => `${t.recipient.id}-${dayOf(t)}`, eth));
    expect(amountsBy(broadcasterDays, (d) => d.volumeUSD)).toEqual(sumBy(tickets, (t) => `${t.sender.id}-${dayOf(t)}`, usd));
    expect(amountsBy(transcoders, (t) => t.totalVolumeETH, isNonZero)).toEqual(sumBy(tickets, (t) => t.recipient.id, eth));
    expect(amountsBy(transcoders, (t) => t.totalVolumeUSD, isNonZero)).toEqual(sumBy(tickets, (t) => t.recipient.id, usd));
    expect(amountsBy(broadcasters, (b) => b.totalVolumeETH, isNonZero)).toEqual(sumBy(tickets, (t) => t.sender.id, eth));

    // Rolling windows: the 30 (90) UTC days ending with the head's day.
    const today = Math.floor(NOW_MS / 1000 / DAY_SECONDS);
    const within = (days: number) => (t: Ticket) => Math.floor(t.timestamp / DAY_SECONDS) > today - days;
    const recent30 = sumBy(tickets.filter(within(30)), (t) => t.recipient.id, eth);
    expect(amountsBy(transcoders, (t) => t.thirtyDayVolumeETH, (t) => t.id in recent30)).toEqual(recent30);
    const recent90 = sumBy(tickets.filter(within(90)), (t) => t.sender.id, eth);
    expect(amountsBy(broadcasters, (b) => b.ninetyDayVolumeETH, (b) => b.id in recent90)).toEqual(recent90);

    expect(protocol.winningTicketCount).toBe(tickets.length);
    expect(normalise(protocol.totalVolumeETH)).toBe(sumBy(tickets, () => "all", eth).all);
    expect(normalise(protocol.totalVolumeUSD)).toBe(sumBy(tickets, () => "all", usd).all);
  });

  it("shows the free-tier subsidy as ~4x the fees of the 30 days before it", async () => {
    const { days } = await gql<{ days: DayVolume[] }>("{ days(first: 1000) { id volumeETH } }");
    const volume = new Map(days.map((d) => [Number(d.id), new Exact(d.volumeETH)]));
    const average = (from: number, to: number) => {
      let sum = new Exact(0);
      for (let day = from; day <= to; day++) sum = sum.plus(volume.get(day) ?? 0); // no Day entity = no fees
      return sum.div(to - from + 1);
    };
    const from = dayNumberOf(network.meta.subsidy.from);
    const to = dayNumberOf(network.meta.subsidy.to);
    const lift = average(from, to).div(average(from - 30, from - 1)).toNumber();
    expect(lift).toBeGreaterThan(3);
    expect(lift).toBeLessThan(5);
  });

  it("rejects first > 1000 and skip > 5000 with The Graph's messages", async () => {
    expect(await errorsOf("{ winningTicketRedeemedEvents(first: 1001) { id } }")).toEqual([
      "The `first` argument must be between 0 and 1000, but is 1001",
    ]);
    expect(await errorsOf("{ winningTicketRedeemedEvents(skip: 5001) { id } }")).toEqual([
      "The `skip` argument must be between 0 and 5000, but is 5001",
    ]);
  });

  it("orders by timestamp and pages with timestamp_gte without dropping tickets that share a second", async () => {
    const head = subgraph.headBlock();
    const since = (dayNumberOf(END_DAY) - 15) * DAY_SECONDS;
    const query = `query ($since: Int!, $block: Int!) {
      winningTicketRedeemedEvents(first: 100, orderBy: timestamp, orderDirection: asc, where: { timestamp_gte: $since }, block: { number: $block }) { id timestamp }
    }`;
    const seen = new Map<string, number>();
    let cursor = since;
    let pages = 0;
    for (;;) {
      const { winningTicketRedeemedEvents: page } = await gql<{ winningTicketRedeemedEvents: { id: string; timestamp: number }[] }>(query, { since: cursor, block: head });
      pages++;
      expect(page.every((t, i) => i === 0 || page[i - 1].timestamp <= t.timestamp)).toBe(true);
      for (const t of page) seen.set(t.id, t.timestamp);
      if (page.length < 100) break;
      cursor = page.at(-1)!.timestamp;
    }
    const expected = network.tickets.filter((t) => t.timestamp >= since && blockOf(t) <= head).map((t) => t.id);
    expect(pages).toBeGreaterThan(5);
    expect([...seen.keys()].sort()).toEqual(expected.sort());
  });

  it("hides later tickets below the head, and Day totals follow", async () => {
    const pinnedAt = (dayNumberOf(END_DAY) - 3) * DAY_SECONDS + 15 * 3600;
    const pinned = network.blockAt(pinnedAt);
    const pinnedDay = String(Math.floor(pinnedAt / DAY_SECONDS));
    const query = `query ($block: Int!, $day: ID!) {
      days(orderBy: date, orderDirection: desc, first: 1, block: { number: $block }) { id volumeETH }
      day(id: $day, block: { number: $block }) { volumeETH }
      protocol(id: "0", block: { number: $block }) { winningTicketCount }
      winningTicketRedeemedEvents(first: 1000, orderBy: timestamp, orderDirection: desc, block: { number: $block }) { transaction { blockNumber } }
    }`;
    type Result = {
      days: { id: string }[];
      day: { volumeETH: string };
      protocol: { winningTicketCount: number };
      winningTicketRedeemedEvents: { transaction: { blockNumber: string } }[];
    };
    const atPinned = await gql<Result>(query, { block: pinned, day: pinnedDay });
    const atHead = await gql<Result>(query, { block: subgraph.headBlock(), day: pinnedDay });

    const visible = network.tickets.filter((t) => blockOf(t) <= pinned);
    const expectedDay = visible.filter((t) => String(Math.floor(t.timestamp / DAY_SECONDS)) === pinnedDay).reduce((sum, t) => sum.plus(t.faceValue), new Exact(0));
    expect(atPinned.days[0].id).toBe(pinnedDay);
    expect(normalise(atPinned.day.volumeETH)).toBe(normalise(expectedDay));
    expect(new Exact(atHead.day.volumeETH).gt(atPinned.day.volumeETH)).toBe(true);
    expect(atPinned.protocol.winningTicketCount).toBe(visible.length);
    expect(atPinned.protocol.winningTicketCount).toBeLessThan(atHead.protocol.winningTicketCount);
    expect(atPinned.winningTicketRedeemedEvents.every((t) => Number(t.transaction.blockNumber) <= pinned)).toBe(true);
  });

  it("answers a block above the head with graph-node's 'not yet available' error", async () => {
    const head = subgraph.headBlock();
    expect(await errorsOf(`{ days(block: { number: ${head + 100} }) { id } }`)).toEqual([
      `Failed to decode \`block.number\` value: \`subgraph observatory-demo-network has only indexed up to block number ${head} ` +
        `and data for block number ${head + 100} is therefore not yet available\``,
    ]);
    // graph-node resolves the block before the query runs: HTTP 200, that one error, no data
    const res = await post(`{ a: days(block: { number: ${head + 100} }) { id } b: protocol(id: "0") { id } }`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      errors: [
        {
          message:
            `Failed to decode \`block.number\` value: \`subgraph observatory-demo-network has only indexed up to block number ${head} ` +
            `and data for block number ${head + 100} is therefore not yet available\``,
        },
      ],
    });
  });

  it("answers as an indexer behind the head when injected, then as itself again", async () => {
    const head = subgraph.headBlock();
    subgraph.injectFaults([{ indexedBehind: 50 }, { indexedBehind: 50 }]);
    const pinned = "query ($block: Int!) { days(first: 1, block: { number: $block }) { id } }";
    const lagging = await post(pinned, { block: head });
    expect(lagging.status).toBe(200);
    expect(await lagging.json()).toEqual({
      errors: [
        {
          message:
            `Failed to decode \`block.number\` value: \`subgraph observatory-demo-network has only indexed up to block number ${head - 50} ` +
            `and data for block number ${head} is therefore not yet available\``,
        },
      ],
    });
    // a query that is not pinned above the lagging indexer's block is answered there
    const { _meta } = await gql<{ _meta: { block: { number: number } } }>("{ _meta { block { number } } }");
    expect(_meta.block.number).toBe(head - 50);
    // the faults are used up: the same pinned query succeeds
    expect((await gql<{ days: unknown[] }>(pinned, { block: head })).days).toHaveLength(1);
    expect(subgraph.requests.slice(-3).map((r) => [r.status, r.variables])).toEqual([
      [200, { block: head }],
      [200, null],
      [200, { block: head }],
    ]);
  });

  it("compares BigDecimal exactly and filters relations by id", async () => {
    const big = await gql<{ gt: { faceValue: string }[]; gte: { id: string }[] }>(`{
      gt: winningTicketRedeemedEvents(where: { faceValue_gt: "12.34567890123456789" }) { faceValue }
      gte: winningTicketRedeemedEvents(where: { faceValue_gte: "12.345678901234567892" }) { id }
    }`);
    expect(big.gt).toEqual([{ faceValue: LARGE_FACE_VALUE }]);
    expect(big.gte).toEqual([]);

    const chosen = network.transcoders.slice(0, 2).map((t) => t.id);
    const { transcoderDays } = await gql<{ transcoderDays: { transcoder: { id: string } }[] }>(
      `query ($ids: [String!]) { transcoderDays(first: 1000, where: { transcoder_in: $ids }) { transcoder { id } } }`,
      { ids: chosen },
    );
    expect(transcoderDays.length).toBeGreaterThan(0);
    expect(transcoderDays.every((d) => chosen.includes(d.transcoder.id))).toBe(true);
  });

  it("rejects unknown fields and arguments like any GraphQL server", async () => {
    expect(await errorsOf("{ days { id nope } }")).toEqual(['Cannot query field "nope" on type "Day".']);
    expect((await errorsOf("{ days(limit: 5) { id } }"))[0]).toMatch(/Unknown argument "limit"/);
  });

  it("answers injected faults once each, in order", async () => {
    subgraph.injectFaults([
      { status: 502, body: "<html><body>Bad Gateway</body></html>" },
      { status: 429, retryAfter: 7 },
      { graphqlErrors: ["bad indexers: {0xbd..: Timeout}"] },
    ]);
    const query = '{ protocol(id: "0") { winningTicketCount } }';
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await post(query));

    expect(responses.map((r) => r.status)).toEqual([502, 429, 200, 200]);
    expect(await responses[0].text()).toContain("Bad Gateway");
    expect(responses[1].headers.get("retry-after")).toBe("7");
    await responses[1].text();
    expect(await responses[2].json()).toEqual({ errors: [{ message: "bad indexers: {0xbd..: Timeout}" }] });
    expect(((await responses[3].json()) as { data: unknown }).data).toEqual({ protocol: { winningTicketCount: expect.any(Number) } });
    expect(subgraph.requests.slice(-4).map((r) => [r.status, r.query])).toEqual([502, 429, 200, 200].map((status) => [status, query]));
  });
});
