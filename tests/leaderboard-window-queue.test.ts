// The order of a poll's windows (indexer/sources/leaderboard/window-queue.ts): each orchestrator's in
// order and only after the previous one is done, earliest round first, no barrier between rounds.
import { describe, expect, it } from "vitest";
import { Slots } from "../core/slots";
import { WindowQueue } from "../indexer/sources/leaderboard/window-queue";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("WindowQueue", () => {
  it("hands out every first window, then an orchestrator's next one only once its previous one is done", async () => {
    const q = new WindowQueue(["a", "b", "c"]);
    expect(await q.take()).toEqual({ item: "a", round: 0 });
    expect(await q.take()).toEqual({ item: "b", round: 0 });
    // a's round 1 is ready before c's round 0 is taken: c still goes first (earliest round).
    q.done({ item: "a", round: 1 });
    expect(await q.take()).toEqual({ item: "c", round: 0 });
    // No barrier: a's round 1 is handed out while b and c's round 0 are still under way.
    expect(await q.take()).toEqual({ item: "a", round: 1 });
    q.done({ item: "c", round: 1 });
    q.done({ item: "b", round: 1 });
    // Same round: in the order they became ready.
    expect(await q.take()).toEqual({ item: "c", round: 1 });
    expect(await q.take()).toEqual({ item: "b", round: 1 });
  });

  it("a take with nothing ready waits for a window under way, and ends (null) once none is", async () => {
    const q = new WindowQueue(["a"]);
    await q.take();
    let got: unknown = "pending";
    const waiting = q.take().then((w) => (got = w));
    await tick();
    expect(got).toBe("pending");
    q.done({ item: "a", round: 1 });
    await waiting;
    expect(got).toEqual({ item: "a", round: 1 });
    const last = q.take();
    q.done(); // a failed or last window: nothing follows
    expect(await last).toBeNull();
    expect(await q.take()).toBeNull();
  });

  it("close() ends every take, waiting or not", async () => {
    const q = new WindowQueue(["a", "b"]);
    await q.take();
    await q.take();
    const waiting = q.take();
    q.close();
    expect(await waiting).toBeNull();
    q.done({ item: "a", round: 1 });
    expect(await q.take()).toBeNull();
  });
});

describe("Slots", () => {
  it("admits at most `limit` holders, the next when one releases", async () => {
    const s = new Slots(2);
    await s.acquire();
    await s.acquire();
    let third = false;
    const p = s.acquire().then(() => (third = true));
    await tick();
    expect(third).toBe(false);
    s.release();
    await p;
    expect(third).toBe(true);
  });
});
