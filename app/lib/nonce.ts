// This response's Content-Security-Policy nonce (server/security-headers.ts makes one per request;
// entry.server.tsx provides it). Every inline script the document renders carries it. In the
// browser the value is empty: browsers hide nonces from the DOM, and hydration keeps the server's
// attributes (Remix's scripts suppress the hydration warning).
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
