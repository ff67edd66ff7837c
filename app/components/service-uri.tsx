import { safeHttpUrl } from "~/lib/format";

/** A service URI from the chain: a link only when it parses as http(s); otherwise plain text. */
export function ServiceUri({ uri }: { uri: string | null }) {
  if (!uri) return <span className="muted">—</span>;
  const href = safeHttpUrl(uri);
  return href ? (
    <a href={href} rel="nofollow noopener noreferrer" target="_blank">
      {uri}
    </a>
  ) : (
    <span className="mono">{uri}</span>
  );
}
