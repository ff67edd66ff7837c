// GET /api/network?at=[&format=csv&table=pipelines|gpus|history]: the network as orchestrators
// advertise it (app/lib/network.server.ts), at the newest capabilities poll at or before `at` (an
// ISO instant, or a UTC day meaning its end; default: the newest poll). `asOf` is that poll (null
// without data); `orchestrators` distinct addresses; `gpus` by name (count of distinct address and
// GPU id, memoryGb in whole GiB, the most common size); `pipelines` per pipeline and model:
// orchestrators, gpus, warm, capacity, priceWeiPerUnit {min,median,max} over the nodes' offers and,
// for live-video-to-video, usdPerVideoSecond {min,median,max} (null without a USD rate); `history`
// one point per day (the day's last poll) over the year before asOf.
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { loadNetwork, NETWORK_TABLES, parseAt } from "~/lib/network.server";
import { parseChoice } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context }) => {
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", NETWORK_TABLES, "pipelines");
  const query = parseAt(url);
  const n = await loadNetwork(dbFrom(context), query, { history: !csv || table === "history" });
  if (csv) {
    const stamp = (n.asOf ?? "none").replace(/[:.]/g, "-");
    if (table === "gpus")
      return csvResponse(`network-gpus-${stamp}.csv`, ["as_of", "name", "count", "memory_gb", "memory_bytes"], n.gpus.map((g) => [n.asOf, g.name, g.count, g.memoryGb, g.memoryBytes]));
    if (table === "history")
      return csvResponse(
        `network-history-${stamp}.csv`,
        ["day", "at", "orchestrators", "gpus", "live_offers", "live_wei_per_pixel_min", "live_wei_per_pixel_median", "live_wei_per_pixel_max", "live_usd_per_video_hour_min", "live_usd_per_video_hour_median", "live_usd_per_video_hour_max"],
        n.history.map((h) => [
          h.day, h.at, h.orchestrators, h.gpus, h.liveOffers,
          h.livePriceWeiPerPixel.min, h.livePriceWeiPerPixel.median, h.livePriceWeiPerPixel.max,
          h.liveUsdPerVideoHour?.min, h.liveUsdPerVideoHour?.median, h.liveUsdPerVideoHour?.max,
        ]),
      );
    return csvResponse(
      `network-pipelines-${stamp}.csv`,
      ["as_of", "pipeline", "model_id", "orchestrators", "nodes", "gpus", "warm", "capacity", "capacity_in_use", "priced_offers", "unit",
        "price_wei_per_unit_min", "price_wei_per_unit_median", "price_wei_per_unit_max",
        "usd_per_video_second_min", "usd_per_video_second_median", "usd_per_video_second_max", "usd_per_eth", "usd_rate_date"],
      n.pipelines.map((p) => [
        n.asOf, p.pipeline, p.modelId, p.orchestrators, p.nodes, p.gpus, p.warm, p.capacity, p.capacityInUse, p.pricedOffers, p.unit,
        p.priceWeiPerUnit.min, p.priceWeiPerUnit.median, p.priceWeiPerUnit.max,
        p.usdPerVideoSecond?.min, p.usdPerVideoSecond?.median, p.usdPerVideoSecond?.max,
        p.usdPerVideoSecond ? n.usdRate?.usdPerEth : null, p.usdPerVideoSecond ? n.usdRate?.rateDate : null,
      ]),
    );
  }
  return jsonResponse(n);
});
