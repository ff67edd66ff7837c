// Fair queueing of renders: at most `limit` page or API reads are being answered at a time (the
// loaders, the render and making the answer: its ETag and compression; not streaming it to the
// client), and the rest wait their turn in arrival order. Without it, 50 concurrent requests
// interleave their queries in the database's one queue (PGlite runs every query on the server's
// thread) and their rendering on the event loop, so each finishes when the crowd does and a request
// that came first can come last: at 50 connections PGlite's p99 was 2.2-4.8x the mean. In order, a
// request waits for those before it and no more (bench/load.ts). Cache hits, pushes and other writes
// do not queue here. The queue itself is core/slots.ts.
import { Slots } from "../core/slots";

export class RenderGate extends Slots {}
