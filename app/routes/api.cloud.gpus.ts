// GET /api/cloud/gpus?from=&to=&at=[&format=csv&table=gpus|offers]: the cloud comparison by GPU. For
// every GPU model in the capabilities at `at` (default the newest poll): orchestrators, nodes and
// GPUs; for live video, the advertised price per hour of video (min/median/max over the nodes'
// offers: wei per pixel x 27,648,000 x 3600 / 1e18 x the subgraph's USD/ETH of the poll's day), the
// streams one GPU carries (one unless capacity says more) and the realized price per hour over
// from..to (payments' fees over billable seconds, each day at its rate); and every GPU-time offer of
// the catalogue for the GPU's gpu_key, per GPU-hour and per stream-hour, with source, as_of and the
// ratio (offer / Livepeer: above 1, Livepeer is cheaper). A GPU without a dated price says so.
import { CLOUD_GPUS_SOURCE, loadCloudGpus } from "~/lib/cloud-gpus.server";
import { DEMO_SOURCE, provenance } from "~/lib/download-provenance.server";
import { dbFrom } from "~/lib/context.server";
import { apiLoader, csvResponse, jsonResponse, wantsCsv } from "~/lib/http.server";
import { asOf } from "~/lib/index-state.server";
import { parseChoice } from "~/lib/params.server";

export const loader = apiLoader(async ({ request, context }) => {
  const url = new URL(request.url);
  const csv = wantsCsv(url);
  const table = parseChoice(url, "table", ["gpus", "offers"] as const, "gpus");
  const { state, gpus: c } = await loadCloudGpus(dbFrom(context), url);
  const name = `cloud-gpus-${c.range.from}_${c.range.to}`;
  if (csv && table === "offers")
    return csvResponse(
      `cloud-gpu-offers-${c.range.from}_${c.range.to}.csv`,
      ["gpu", "gpu_key", "provider", "offering", "offer_gpu", "class", "unit", "usd_per_unit", "gpus_per_instance", "usd_per_gpu_hour", "streams_per_gpu",
        "usd_per_stream_hour", "advertised_usd_per_video_hour_median", "ratio_to_advertised", "realized_usd_per_video_hour", "ratio_to_realized",
        "variant_differences", "historical", "source", "as_of", "basis"],
      c.gpus.flatMap((g) =>
        g.rentals.map((r) => [g.name, g.gpuKey, r.provider, r.offering, r.gpu, r.class, r.unit, r.usdPerUnit, r.gpus, r.usdPerGpuHour, g.live?.streamsPerGpu ?? "1",
          r.usdPerStreamHour, g.live?.usdPerVideoHour?.median ?? null, r.ratioToAdvertised, g.realized?.usdPerVideoHour ?? null, r.ratioToRealized,
          r.variantDifferences.join("; "), r.historical, r.source, r.asOf, r.basis]),
      ),
    );
  if (csv)
    return csvResponse(
      `${name}.csv`,
      ["gpu", "gpu_key", "orchestrators", "nodes", "gpus", "live_orchestrators", "live_gpus", "live_offers", "advertised_wei_per_pixel_min",
        "advertised_wei_per_pixel_median", "advertised_wei_per_pixel_max", "advertised_usd_per_video_hour_min", "advertised_usd_per_video_hour_median",
        "advertised_usd_per_video_hour_max", "streams_per_gpu", "realized_payments", "realized_billable_seconds", "realized_eth_per_video_hour",
        "realized_usd_per_video_hour", "rentals", "cheapest_provider", "cheapest_offering", "cheapest_usd_per_gpu_hour", "cheapest_usd_per_stream_hour",
        "cheapest_ratio_to_advertised", "cheapest_ratio_to_realized", "cheapest_source", "cheapest_as_of", "note"],
      c.gpus.map((g) => {
        const l = g.live;
        const r = g.cheapest;
        return [g.name, g.gpuKey, g.orchestrators, g.nodes, g.gpus, l?.orchestrators ?? 0, l?.gpus ?? 0, l?.offers ?? 0, l?.priceWeiPerPixel?.min ?? null,
          l?.priceWeiPerPixel?.median ?? null, l?.priceWeiPerPixel?.max ?? null, l?.usdPerVideoHour?.min ?? null, l?.usdPerVideoHour?.median ?? null,
          l?.usdPerVideoHour?.max ?? null, l?.streamsPerGpu ?? null, g.realized?.payments ?? 0, g.realized?.billableSeconds ?? null,
          g.realized?.ethPerVideoHour ?? null, g.realized?.usdPerVideoHour ?? null, g.rentals.length, r?.provider ?? null, r?.offering ?? null,
          r?.usdPerGpuHour ?? null, r?.usdPerStreamHour ?? null, r?.ratioToAdvertised ?? null, r?.ratioToRealized ?? null, r?.source ?? null,
          r?.asOf ?? null, g.noPrice ?? (l ? l.streamsBasis : "serves no live video")];
      }),
    );
  const p = provenance(url, { source: "cost", name, range: c.range, state });
  return jsonResponse({
    from: c.range.from,
    to: c.range.to,
    at: c.at,
    capabilitiesAsOf: c.asOf,
    usdRate: c.usdRate,
    gpus: c.gpus,
    liveOffersWithoutGpu: c.liveOffersWithoutGpu,
    unattributedPayments: c.unattributed,
    catalogue: c.catalogue,
    asOf: asOf(state),
    provenance: { ...p, source: p.demo ? `${DEMO_SOURCE}; ${CLOUD_GPUS_SOURCE}` : CLOUD_GPUS_SOURCE },
  });
});
