import type { MetaDescriptor } from "@remix-run/node";

export const SITE = "Livepeer Observatory";

/** Title, description and their Open Graph twins for a route. */
export function pageMeta(title: string, description: string): MetaDescriptor[] {
  const full = `${title} · ${SITE}`;
  return [
    { title: full },
    { name: "description", content: description },
    { property: "og:title", content: full },
    { property: "og:description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: SITE },
  ];
}
