// Whether React runs in the browser yet: charts, image downloads and embed snippets appear only after
// hydration, so the server render and the first client render agree.
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** false during server render and hydration, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
