import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { DemoBanner, FreshnessBadge } from "~/components/freshness";
import { RouteErrorBoundary } from "~/components/route-error";
import { dbFrom } from "~/lib/context.server";
import { useNonce } from "~/lib/nonce";
import { pageMeta } from "~/lib/meta";
import { getFreshness } from "~/lib/status.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = (args) =>
  pageMeta("Livepeer AI fees", "Open analytics for the Livepeer network's AI video compute fees, from the chain's winning tickets.", args);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const f = await getFreshness(dbFrom(context));
  // The badge's lag in whole minutes: the page stays the same (one ETag) within a minute.
  const freshness = { ...f, lagSeconds: f.lagSeconds === null ? null : Math.floor(f.lagSeconds / 60) * 60 };
  // The origin as this request reached us: embed snippets and og:url use it.
  return { freshness, origin: new URL(request.url).origin };
}

/** True when the matched route is an embed (/embed/*): no navigation, header or footer. */
function useEmbed(): boolean {
  return useMatches().some((m) => (m.handle as { embed?: boolean } | undefined)?.embed === true);
}

const NAV = [
  { to: "/", label: "Overview", end: true },
  { to: "/fees", label: "Fees", end: false },
  { to: "/orchestrators", label: "Orchestrators", end: false },
  { to: "/pipelines", label: "Pipelines", end: false },
  { to: "/network", label: "Network", end: false },
  { to: "/live", label: "Live video", end: false },
  { to: "/leaderboard", label: "Leaderboard", end: false },
  { to: "/cloud", label: "vs Cloud", end: false },
  { to: "/reports", label: "Reports", end: false },
  { to: "/programs", label: "Programs", end: false },
  { to: "/alerts", label: "Alerts", end: false },
  { to: "/status", label: "Status", end: false },
];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const f = data?.freshness;
  const embed = useEmbed();
  // The CSP nonce (security headers, including frame-ancestors, come from server/security-headers.ts).
  const nonce = useNonce();
  if (embed) {
    return (
      <html lang="en" className="embed-doc">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <Meta />
          <Links />
        </head>
        <body className="embed-body">
          {f?.demo ? <DemoBanner /> : null}
          <main id="main" className="embed-main">
            {children}
          </main>
          <Scripts nonce={nonce} />
        </body>
      </html>
    );
  }
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container header-row">
            <NavLink to="/" className="brand" end>
              Observatory
            </NavLink>
            <nav aria-label="Main">
              {NAV.map((n) => (
                <NavLink key={n.to} to={n.to} end={n.end} prefetch="intent">
                  {n.label}
                </NavLink>
              ))}
            </nav>
            {f ? <FreshnessBadge f={f} /> : null}
          </div>
        </header>
        {f?.demo ? <DemoBanner /> : null}
        <main id="main" className="container">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              Data source:{" "}
              {f?.demo
                ? "a synthetic demo network generated locally, served in the shape of the Livepeer subgraph."
                : "the Livepeer subgraph on Arbitrum One (The Graph): realized fees are the face values of winning tickets redeemed on chain."}{" "}
              Fees are not split by pipeline: on-chain tickets cannot tell AI jobs from transcoding. Times are UTC.
            </p>
            <p>
              Observatory is open source. Every chart and table links its data as CSV and JSON (<a href="/api/fees">/api/fees</a>).
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
