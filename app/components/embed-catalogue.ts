// The charts /embed/<chart> serves, with their parameters (all optional unless marked), for the
// /embed index page and the 404 of an unknown chart, and the iframe height the snippet suggests
// (the whole embed fits at 800 px wide: tests/embed-browser.test.ts).
export const EMBED_CHARTS = [
  {
    name: "fees",
    title: "Fees per day, week or month (subsidised and organic)",
    params: "from, to (YYYY-MM-DD; default the last 90 indexed days), interval=day|week|month, unit=eth|usd, mode=period|cumulative",
    source: "subgraph",
    height: 480,
  },
  {
    name: "growth",
    title: "Fee growth against a baseline",
    params: "baselineFrom, baselineTo, from, to (default: the subsidy window vs the days before it)",
    source: "subgraph",
    height: 520,
  },
  {
    name: "orchestrator-latency",
    title: "An orchestrator's latency percentiles with the network median",
    params: "address (required), from, to, interval=day|hour, pipeline, model",
    source: "joblogs",
    height: 560,
  },
  {
    name: "pipelines",
    title: "Jobs per pipeline and model (succeeded and failed)",
    params: "from, to",
    source: "joblogs",
    height: 520,
  },
] as const;

export type EmbedChartName = (typeof EMBED_CHARTS)[number]["name"];

export const EMBED_NAMES: readonly string[] = EMBED_CHARTS.map((c) => c.name);

/** Suggested iframe height of a chart's embed. */
export const embedHeight = (name: EmbedChartName): number => EMBED_CHARTS.find((c) => c.name === name)?.height ?? 480;
