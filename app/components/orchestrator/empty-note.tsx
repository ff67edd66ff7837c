// The text of an empty block on an orchestrator's page: what is missing and which source feeds it
// (GATEWAY_CAPABILITIES_URL, gateway events, job logs), so an empty block reads as a setup step.
import type { ReactNode } from "react";

export function EmptyNote({ children }: { children: ReactNode }) {
  return (
    <p className="empty-note" data-testid="empty-note">
      {children}
    </p>
  );
}
