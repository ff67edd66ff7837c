// The `capabilities` source, on when GATEWAY_CAPABILITIES_URL is set: each run reads a gateway's
// /getNetworkCapabilities (docs/gateway-events.md section 2) and stores what changed as history
// (store.ts). Rows written are the new versions. The subgraph's service URIs are refreshed as
// aliases first, so events name their orchestrators even where no capabilities list them.
import { parseNetworkCapabilities } from "../../../core/gateway/capabilities";
import { EventFieldError } from "../../../core/gateway/fields";
import { UpstreamPermanentError, getJson } from "../../http-json";
import type { Source } from "../source";
import { applyCapabilities, syncSubgraphAliases } from "./store";

export const CAPABILITIES_SOURCE = "capabilities";

export const capabilitiesSource: Source = {
  name: CAPABILITIES_SOURCE,
  kind: "data",
  configured: (config) => Boolean(config.capabilities),
  async run(db, config) {
    const c = config.capabilities!;
    const body = await getJson(c.url, {
      what: "gateway's /getNetworkCapabilities",
      timeoutMs: c.timeoutMs,
      retry: c.retry,
      onRetry: (attempt, delay, e) => config.log(`[${CAPABILITIES_SOURCE}] ${e.message}; retry ${attempt} in ${delay} ms`),
    });
    let states;
    try {
      states = parseNetworkCapabilities(body);
    } catch (e) {
      if (e instanceof EventFieldError) throw new UpstreamPermanentError(`The gateway's capabilities answer is not usable: ${e.message}`);
      throw e;
    }
    const observedAt = new Date().toISOString();
    const r = await db.tx(async (q) => {
      await syncSubgraphAliases(q);
      return applyCapabilities(q, states, observedAt, { origin: "endpoint", complete: true });
    });
    config.log(`[${CAPABILITIES_SOURCE}] ${r.orchestrators} orchestrator nodes, ${r.changed} changed, ${r.gone} gone`);
    return { rowsWritten: r.changed, block: null };
  },
};
