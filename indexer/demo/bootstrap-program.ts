// The demo's orchestrator bootstrapping program (issue 14 part 3): a live video program over the
// last 7 days of the demo network, funded through the treasury grant's recipient (the free tier's
// program multisig, indexer/demo/programs.ts), with criteria from its gateway events (sessions,
// startup, frame rates, delivered seconds) and advertised GPUs (the demo's probes cover batch
// pipelines, not live video). The demo's AI orchestrators differ in speed, reliability and GPUs, so some are
// eligible and others are not, for different reasons. Labelled as demo data in its name and label.
import fs from "node:fs";
import path from "node:path";
import { addDays } from "../../core/dates";
import type { DemoNetwork } from "./generate";
import { demoProgramsOf } from "./programs";

export const DEMO_PROGRAM_NAME = "demo-live-video-bootstrap";

export function demoBootstrapProgram(network: DemoNetwork) {
  const to = network.meta.endDay;
  return {
    name: DEMO_PROGRAM_NAME,
    label: "Live video bootstrapping (demo network)",
    from: addDays(to, -6),
    to,
    pipelines: ["live-video-to-video"],
    budgetLpt: "5000",
    recipient: demoProgramsOf(network).multisig,
    criteria: {
      minServed: { value: 20, evidence: "events" },
      minSuccessRate: { value: 0.9, evidence: "events" },
      maxLatencyVsMedian: { value: 1.5, evidence: "events", minSamples: 20 },
      minFpsRatio: 0.87,
      gpuClasses: ["RTX 5090"],
    },
    split: "delivered-seconds",
  };
}

/** Writes the demo's programs file into `dir`; returns its path (what PROGRAMS_FILE names). */
export function writeDemoProgramsFile(dir: string, network: DemoNetwork): string {
  const file = path.join(dir, "programs.json");
  fs.writeFileSync(file, `${JSON.stringify({ programs: [demoBootstrapProgram(network)] }, null, 2)}\n`);
  return file;
}
