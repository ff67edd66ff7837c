// "Embed": the <iframe> snippet for an /embed/<chart> URL, with this site's origin (as the request
// reached the server), in a <details> that works without JavaScript; "Copy" appears after hydration.
import { useRouteLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useHydrated } from "~/components/charts/use-hydrated";
import { embedHeight, type EmbedChartName } from "~/components/embed-catalogue";

/** The site's origin from the root loader ("" before it is known). */
export function useOrigin(): string {
  const root = useRouteLoaderData("root") as { origin?: string } | undefined;
  return typeof root?.origin === "string" ? root.origin : "";
}

/** Escapes a value for a double-quoted HTML attribute in the snippet the user copies. */
export function htmlAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function iframeSnippet(src: string, title: string, height: number): string {
  return `<iframe src="${htmlAttr(src)}" title="${htmlAttr(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
}

/** The snippet's height: given, else the chart's suggested height (from its /embed/<chart> path). */
const heightOf = (path: string, height?: number) => height ?? embedHeight((/^\/embed\/([a-z-]+)/.exec(path)?.[1] ?? "") as EmbedChartName);

export function EmbedSnippet({ path, title, height }: { path: string; title: string; height?: number }) {
  const origin = useOrigin();
  const hydrated = useHydrated();
  const [copied, setCopied] = useState<string | null>(null);
  const code = iframeSnippet(`${origin}${path}`, title, heightOf(path, height));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("Copied.");
    } catch {
      setCopied("Select the text and copy it.");
    }
  };
  return (
    <details className="embed-snippet">
      <summary>Embed</summary>
      <div className="embed-snippet-body">
        <label>
          Paste this HTML into a page or forum post to show the live chart:
          <textarea readOnly rows={3} value={code} onFocus={(e) => e.currentTarget.select()} data-testid="embed-code" />
        </label>
        <div className="embed-snippet-actions">
          {hydrated ? (
            <button type="button" onClick={copy}>
              Copy
            </button>
          ) : null}
          <a href={path} target="_blank" rel="noopener">
            Preview
          </a>
          <span className="muted" aria-live="polite">
            {copied}
          </span>
        </div>
      </div>
    </details>
  );
}
