// The demo's alerts: a rules file with a few rules over the demo data (one of which fires and
// recovers while the demo runs: the stand-in subgraph is made to fail one scheduled run), a local
// webhook receiver that prints what it is sent (and whether the signature verifies), and the feed.
import fs from "node:fs";
import path from "node:path";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";
import type { DemoSubgraph } from "./subgraph-server";

const SECRET = "demo-webhook-secret";

export async function startDemoAlerts(dataDir: string, dashboardUrl: string | null): Promise<{ file: string; receiver: WebhookReceiver }> {
  const receiver = await startWebhookReceiver({
    secret: SECRET,
    onDelivery: (d) => {
      const b = d.json as { rule?: string; state?: string; subject?: string; message?: string } | null;
      console.log(`[demo webhook] ${String(b?.state).toUpperCase()} ${b?.rule}: ${b?.message} (signature ${d.verified ? "verified" : "NOT verified"})`);
    },
  });
  const file = path.join(dataDir, "alerts.json");
  const rules = {
    ...(dashboardUrl ? { dashboardUrl } : {}),
    targets: { "demo-webhook": { type: "webhook", url: `${receiver.url}/observatory`, secret: SECRET } },
    rules: [
      // Fires when the staged outage makes a run fail, recovers on the next run.
      { name: "demo-subgraph-failing", subject: "subgraph", when: { metric: "source.failing" }, notify: ["demo-webhook"] },
      { name: "indexer-lag", subject: "all", when: { metric: "source.lagSeconds", above: 7200 }, for: 2, notify: ["demo-webhook"] },
      // Feed only (see /alerts and /alerts.atom): orchestrators well off the network's pace.
      { name: "slow-startup", subject: "all", when: { metric: "live.startupP95Ms", aboveMedianTimes: 2, window: "24h", minSamples: 20 } },
      { name: "slow-jobs", subject: "all", when: { metric: "jobs.latencyP95Ms", aboveMedianTimes: 2, window: "24h", minSamples: 20 } },
      { name: "probe-success", subject: "all", when: { metric: "probes.successRate", below: 0.8, clear: 0.85, window: "24h", minSamples: 20 } },
      { name: "pricey", subject: "all", when: { metric: "price.ratioToMedian", above: 3 } },
    ],
  };
  fs.writeFileSync(file, JSON.stringify(rules, null, 2));
  return { file, receiver };
}

/** Makes the stand-in subgraph fail the next run outright (every retry answers 503). */
export function stageSubgraphOutage(subgraph: DemoSubgraph, retries: number): void {
  subgraph.injectFaults(Array.from({ length: retries + 1 }, () => ({ status: 503, retryAfter: 0 })));
}
