// What the /cloud panels share: the comparison's types, offers split by status, and how an offer, a
// number of seconds and a price unit are written.
import type { cheapestByClass, CloudComparison, Offer } from "~/lib/cost.server";
import { groupThousands, roundDecimal } from "~/lib/format";

export type { CloudComparison, Offer };

/** The cheapest compared offer of one class (cheapestByClass()). */
export type ClassCheapest = ReturnType<typeof cheapestByClass>[number];

/** A pipeline and model the page can compare instead. */
export interface CloudChoice {
  pipeline: string;
  modelId: string;
  jobs: number;
  output: string;
}

/** The request's parameters, for the CSV and JSON links. */
export interface CloudParams {
  from: string;
  to: string;
  pipeline: string | null;
  model: string | null;
  utilization: string;
  [key: string]: string | null;
}

/** Offers compared with Livepeer, Livepeer's own published prices (references), and those left out. */
export function offersByStatus(offers: Offer[]) {
  return {
    compared: offers.filter((o) => o.status === "compared"),
    references: offers.filter((o) => o.status === "reference"),
    excluded: offers.filter((o) => o.status === "excluded"),
  };
}

export const offerName = (o: Offer) => `${o.provider} · ${o.offering}${o.gpu ? ` (${o.gpu})` : ""}`;
export const seconds = (s: string | null) => (s === null ? "—" : groupThousands(roundDecimal(s, 1).replace(/\.0$/, "")));
export const metricUnit = { usd_per_video_second: "video second", usd_per_image: "image", usd_per_megapixel: "megapixel" } as const;
