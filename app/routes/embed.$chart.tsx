// /embed/<anything else>: 404 naming the charts that exist (rendered by the embed layout's boundary).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { EMBED_NAMES } from "~/components/embed-catalogue";
import { notFound, pageData } from "~/lib/http.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const name = (params.chart ?? "").slice(0, 40);
    throw notFound(`There is no embeddable chart "${name}". Charts: ${EMBED_NAMES.join(", ")}.`);
  });
}

export default function UnknownEmbed() {
  return null;
}
