import type { MetaDescriptor } from "@remix-run/node";

export const SITE = "Livepeer Observatory";

/** What a route's meta function receives that pageMeta uses (a subset of Remix's MetaArgs). */
export interface MetaArgsLike {
  location?: { pathname: string; search: string };
  matches?: ReadonlyArray<{ id: string; data?: unknown }>;
}

/** The site's origin as the root loader saw it (the request's scheme and host). */
export function originFrom(matches: MetaArgsLike["matches"]): string | null {
  const root = matches?.find((m) => m.id === "root")?.data as { origin?: unknown } | undefined;
  return typeof root?.origin === "string" ? root.origin : null;
}

/** Absolute URL of the current page (path and query: the permalink), or null without an origin. */
export function pageUrl(args: MetaArgsLike): string | null {
  const origin = originFrom(args.matches);
  if (!origin || !args.location) return null;
  return `${origin}${args.location.pathname}${args.location.search}`;
}

/** One line, no control characters, at most `max` characters (descriptions from data stay readable). */
export function metaText(s: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Title, description, Open Graph and Twitter card tags for a route. Values become attributes
 * rendered by React (<Meta />), so they are escaped; never pass them to `dangerouslySetInnerHTML`
 * or a "script:ld+json" descriptor. Pass the route's meta args to get og:url.
 */
export function pageMeta(title: string, description: string, args?: MetaArgsLike & { type?: "website" | "article" }): MetaDescriptor[] {
  const full = metaText(`${title} · ${SITE}`, 200);
  const desc = metaText(description);
  const url = args ? pageUrl(args) : null;
  return [
    { title: full },
    { name: "description", content: desc },
    { property: "og:title", content: full },
    { property: "og:description", content: desc },
    { property: "og:type", content: args?.type ?? "website" },
    { property: "og:site_name", content: SITE },
    ...(url ? [{ property: "og:url", content: url }] : []),
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: full },
    { name: "twitter:description", content: desc },
  ];
}
