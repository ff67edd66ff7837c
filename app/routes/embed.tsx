// /embed/*: one chart per page for an <iframe> on another site. Minimal chrome (the root layout drops
// navigation, header and footer for routes with handle.embed), its own small stylesheet, and the only
// pages any site may frame: Content-Security-Policy frame-ancestors * (every other page sends
// frame-ancestors 'self'; both from server/security-headers.ts, by path). Errors (unknown chart 404,
// bad parameters 400) render here with the same headers.
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useRouteError } from "@remix-run/react";
import { pageMeta } from "~/lib/meta";
import embedStyles from "~/styles/embed.css";

export const handle = { embed: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: embedStyles }];

export const meta: MetaFunction = (args) => pageMeta("Embeddable charts", "Live Livepeer fee and job charts for an iframe.", args);

export default function EmbedLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "This chart could not be shown";
  let reason = "Try again in a moment.";
  if (isRouteErrorResponse(error)) {
    const d = error.data as unknown;
    reason = d && typeof d === "object" && "error" in d ? String((d as { error: unknown }).error) : typeof d === "string" && d ? d : error.statusText;
    title = error.status === 404 ? "No such chart" : error.status === 400 ? "This embed link has a problem" : `Error ${error.status}`;
  }
  return (
    <section className="embed embed-error" role="alert">
      <h1>{title}</h1>
      <p className="error-reason">{reason}</p>
      <p>
        <a href="/embed" target="_blank" rel="noopener">
          Embeddable charts
        </a>{" "}
        ·{" "}
        <a href="/" target="_blank" rel="noopener">
          Observatory
        </a>
      </p>
    </section>
  );
}
