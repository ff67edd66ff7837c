// GET /api/network/orchestrators?at=[&format=csv]: every orchestrator node (address and service URL)
// as advertised at the newest capabilities poll at or before `at` (app/lib/network.server.ts):
// address, hotWallet, url, version, since (when this state began), lastSeenAt, its GPUs (once per id:
// name, memoryGb in whole GiB) and its models with the exact price (priceWeiPerUnit = pricePerUnit /
// pixelsPerUnit), warm state and capacity. The CSV has one row per node and model (a node without
// models: one row with empty model cells) and its GPUs as "name (memory GiB)" joined by "; ".
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { loadNetworkNodes, parseAt } from "~/lib/network.server";

export const loader = apiLoader(async ({ request, context }) => {
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const n = await loadNetworkNodes(dbFrom(context), parseAt(url));
  if (csv) {
    const rows = n.orchestrators.flatMap((o) => {
      const gpus = o.gpus.map((g) => `${g.name}${g.memoryGb === null ? "" : ` (${g.memoryGb} GiB)`}`).join("; ");
      const head = [n.asOf, o.address, o.hotWallet, o.url, o.version, o.gpus.length, gpus];
      if (!o.models.length) return [[...head, null, null, null, null, null, null, null, null]];
      return o.models.map((m) => [...head, m.pipeline, m.modelId, m.priceWeiPerUnit, m.pricePerUnit, m.pixelsPerUnit, m.warm, m.capacity, m.capacityInUse]);
    });
    return csvResponse(
      `network-orchestrators-${(n.asOf ?? "none").replace(/[:.]/g, "-")}.csv`,
      ["as_of", "address", "hot_wallet", "url", "version", "gpu_count", "gpus", "pipeline", "model_id", "price_wei_per_unit", "price_per_unit", "pixels_per_unit", "warm", "capacity", "capacity_in_use"],
      rows,
    );
  }
  return jsonResponse(n);
});
