import { describe, expect, it } from "vitest";
import { parseRulesFile, RulesFileError, windowMs } from "./rules";

const A = "0x" + "ab".repeat(20);
const good = {
  targets: { ops: { type: "webhook", url: "https://example.org/hook", secret: "s3cret-key" }, chat: { type: "discord", url: "https://discord.com/api/webhooks/1/x" } },
  rules: [
    { name: "slow-startup", subject: "all", when: { metric: "live.startupP95Ms", above: 8000, window: "6h", minSamples: 20 }, for: 2, notify: ["ops", "chat"] },
    { name: "my-node", subject: { orchestrators: [A.toUpperCase().replace("0X", "0x")] }, when: { metric: "jobs.latencyP95Ms", aboveMedianTimes: 2, window: "24h", minSamples: 20 }, notify: ["ops"] },
  ],
};

function problems(doc: unknown, file = "alerts.json"): string[] {
  try {
    parseRulesFile(file, JSON.stringify(doc));
  } catch (e) {
    expect(e).toBeInstanceOf(RulesFileError);
    expect((e as Error).message).toContain(file);
    return (e as RulesFileError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe("alert rules file", () => {
  it("reads the issue's example, with defaults", () => {
    const f = parseRulesFile("alerts.json", JSON.stringify(good));
    expect([...f.targets.keys()]).toEqual(["ops", "chat"]);
    expect(f.targets.get("ops")).toEqual({ name: "ops", type: "webhook", url: "https://example.org/hook", secret: "s3cret-key" });
    const [a, b] = f.rules;
    expect(a).toMatchObject({ name: "slow-startup", metric: "live.startupP95Ms", subject: { kind: "all" }, windowMs: 6 * 3_600_000, minSamples: 20, for: 2, notify: ["ops", "chat"] });
    expect(a.condition).toEqual({ kind: "above", value: 8000, clear: 8000 });
    expect(b.subject).toEqual({ kind: "orchestrators", addresses: [A] });
    expect(b.condition).toEqual({ kind: "aboveMedianTimes", value: 2, clear: 2 });
    expect(b.for).toBe(1);
  });

  it("reads YAML too", () => {
    const f = parseRulesFile("alerts.yaml", "targets: {}\nrules:\n  - name: lag\n    subject: {sources: [subgraph]}\n    when: {metric: source.lagSeconds, above: 7200}\n  - name: failing\n    when: {metric: source.failing}\n");
    expect(f.rules.map((r) => [r.name, r.metric, r.condition.kind, r.condition.value])).toEqual([["lag", "source.lagSeconds", "above", 7200], ["failing", "source.failing", "above", 0]]);
    expect(f.rules[0].subject).toEqual({ kind: "sources", names: ["subgraph"] });
    // An unquoted 0x address stays an address (YAML would read it as a hexadecimal integer).
    const g = parseRulesFile("a.yml", `rules:\n  - {name: r, subject: {orchestrators: [${A}]}, when: {metric: reward.roundsBehind, above: 16}}\n`);
    expect(g.rules[0].subject).toEqual({ kind: "orchestrators", addresses: [A] });
  });

  it("names the file, the path and what is wrong, for every problem at once", () => {
    const bad = {
      targets: { ops: { type: "pager", url: "ftp://x" }, chat: { type: "slack", url: "https://hooks.slack.com/x", secret: "abcdefgh" } },
      rules: [
        { name: "x", when: { metric: "jobs.latencyP95", above: 1 }, notify: ["ops"] },
        { name: "y", subject: "0x12", when: { metric: "jobs.successRate", below: "0.9", window: "3 weeks" }, notify: ["nobody"] },
        { name: "z", when: { metric: "fees.daysWithout", aboveMedianTimes: 2 } },
        { name: "z", when: { metric: "jobs.latencyP95Ms", above: 1000, clear: 2000, minSamples: 0 }, for: 0 },
        { name: "w", when: { metric: "source.lagSeconds", above: 1, window: "6h" } },
      ],
    };
    expect(problems(bad)).toEqual([
      "targets.ops.type: must be webhook, slack or discord, got \"pager\"",
      "targets.ops.url: must be an http(s) URL, got \"ftp://x\"",
      "targets.chat.secret: only a webhook target is signed",
      expect.stringMatching(/^rules\[0\]\.when\.metric: unknown metric "jobs.latencyP95" \(one of jobs.latencyP95Ms, /),
      expect.stringMatching(/^rules\[1\]\.subject: must be "all", one orchestrator's 0x address/),
      "rules[1].when.below: must be a number, got \"0.9\"",
      expect.stringMatching(/^rules\[1\]\.when\.window: must be minutes, hours or days/),
      "rules[1].notify[0]: no target named \"nobody\" in \"targets\" (ops, chat)",
      expect.stringMatching(/^rules\[2\]\.when\.aboveMedianTimes: fees.daysWithout has no network median/),
      "rules[3].when.clear: must be at most the threshold 1000 (an alert resolves once the value is back past it)",
      "rules[3].when.minSamples: must be a whole number of at least 1",
      "rules[3].for: must be a whole number of evaluations from 1 to 1000, got 0",
      "rules[4].when.window: source.lagSeconds is the latest state and takes no window",
    ]);
    expect(problems({ targets: {}, rules: [{ name: "a", when: { metric: "source.failing" } }, { name: "a", when: { metric: "source.failing" } }] })).toEqual([
      "rules[1].name: \"a\" is used by an earlier rule (names must be unique)",
    ]);
  });

  it("refuses text that is not JSON, or not an object", () => {
    expect(() => parseRulesFile("/etc/obs/alerts.json", "{ nope")).toThrow(/Alert rules file \/etc\/obs\/alerts.json is not valid[\s\S]*\(file\): cannot be parsed as JSON/);
    expect(problems([])).toEqual(['(file): must be an object with "targets" and "rules", got []'.replace("(file)", "")]);
    expect(problems({ rules: {} })).toEqual(["rules: must be a list of rules, got {}"]);
  });

  it("windows: minutes, hours and days up to 90 days", () => {
    expect([windowMs("30m"), windowMs("6h"), windowMs("7d"), windowMs("90d"), windowMs("91d"), windowMs("0h"), windowMs("1w")]).toEqual([
      1_800_000, 21_600_000, 604_800_000, 7_776_000_000, null, null, null,
    ]);
  });
});
