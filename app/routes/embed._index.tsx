// /embed: what can be embedded and with which parameters.
import type { MetaFunction } from "@remix-run/node";
import { EMBED_CHARTS } from "~/components/embed-catalogue";
import { pageMeta } from "~/lib/meta";

export const meta: MetaFunction = (args) =>
  pageMeta("Embeddable charts", `Live Livepeer charts for an iframe: ${EMBED_CHARTS.map((c) => c.name).join(", ")}.`, args);

export default function EmbedIndex() {
  return (
    <article className="embed">
      <h1>Embeddable charts</h1>
      <p>
        Each chart page on Observatory has an “Embed” button with the iframe snippet. The charts are served at <code>/embed/&lt;chart&gt;</code>:
      </p>
      <ul>
        {EMBED_CHARTS.map((c) => (
          <li key={c.name}>
            <a href={`/embed/${c.name}`}>
              <code>/embed/{c.name}</code>
            </a>
            : {c.title}. Parameters: {c.params}.
          </li>
        ))}
      </ul>
      <p>
        <a href="/" target="_blank" rel="noopener">
          Observatory
        </a>
      </p>
    </article>
  );
}
