/**
 * Runs the demo network as a local subgraph: `npm run demo-subgraph -- [--port 8000] [--seed 42]`.
 * Point the indexer's subgraph URL at the printed address; the demo gateway's
 * /getNetworkCapabilities (GATEWAY_CAPABILITIES_URL) is served on a second loopback port.
 */
import { parseArgs } from "node:util";
import { startDemoGateway } from "./gateway";
import { generateDemoNetwork } from "./generate";
import { startDemoSubgraph } from "./subgraph-server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8000" },
    seed: { type: "string", default: "42" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const port = Number(values.port);
const seed = Number(values.seed);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0..65535, got ${values.port}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);

const network = generateDemoNetwork({ seed });
const subgraph = await startDemoSubgraph({ network, port, host: values.host });
const gateway = await startDemoGateway({ network, host: values.host });
const { meta } = network;

console.log(`Demo subgraph (seed ${seed}, ${meta.startDay} .. ${meta.endDay}, ${network.tickets.length} tickets)`);
console.log(`Free-tier subsidy: ${meta.subsidizedGateway} from ${meta.subsidy.from} to ${meta.subsidy.to}`);
console.log(subgraph.url);
console.log(gateway.url);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void Promise.all([subgraph.close(), gateway.close()]).then(() => process.exit(0)));
}
