// The friendly error shown by every route's ErrorBoundary: bad links say what is wrong with them.
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

export function RouteErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "The page could not be loaded. Try again in a moment; the status page shows whether the indexer is healthy.";
  if (isRouteErrorResponse(error)) {
    const d = error.data as unknown;
    const reason =
      d && typeof d === "object" && "error" in d ? String((d as { error: unknown }).error) : typeof d === "string" && d ? d : error.statusText;
    if (error.status === 400) title = "This link has a problem";
    else if (error.status === 404) title = "Not found";
    else title = `Error ${error.status}`;
    message = reason || message;
    if (error.status === 404 && /No route matches/.test(message)) message = "There is no page at this address.";
  }
  return (
    <section className="panel error-panel" role="alert">
      <h1>{title}</h1>
      <p className="error-reason">{message}</p>
      <p>
        <Link to="/">Go to the overview</Link> or <Link to="/status">check the indexer status</Link>.
      </p>
    </section>
  );
}
