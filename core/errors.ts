// What can fail, and is it retried? Every error the product raises on purpose is one of three kinds,
// and carries what a process exits with and what an HTTP answer says:
//
//   kind        meaning                                   retried?                     exit  HTTP
//   retryable   the world is briefly unavailable          yes, with backoff, then      1     503
//               (network, timeouts, 429/5xx, an indexer   the run fails and shows it
//               behind the pinned block, a busy renderer)
//   permanent   retrying cannot help (a query the         no: the run fails at once    1     500
//               subgraph rejects, a file that cannot be   and the status page says why
//               read, a render that failed)
//   bad-input   what we were given is wrong (a request    no: the caller is told why   1/2   4xx
//               parameter, a job line, a configuration    (400/413/422, a reject row
//               variable, a catalogue row)                with its offset, a message
//                                                         naming the variable)
//
// Plus one condition that is not a failure: `busy` (another process holds the writer lock or the
// PGlite directory): exit 3, nothing done.
//
// Where each lives, its kind, and what raises it. Exit is exitCodeOf's; HTTP is httpStatus, the
// kind's unless the class refines it (only HttpError, the PDF errors and GarbageBatchError answer
// requests; the routes that turn them into answers are app/lib/http.server.ts apiLoader/pageData,
// app/routes/reports.$id[.pdf].ts and indexer/sources/joblogs/push.ts):
//
//   class                  file                                  kind       exit HTTP  raised when
//   HttpError              app/lib/http.server.ts                bad-input  1    status a route refuses the request (its `status`):
//                                                                                        badRequest 400, notFound 404, 403, 413, 429
//   PdfUnavailableError    app/lib/pdf.server.ts                 permanent  1    501    no Chromium / playwright-core (says what to install)
//   PdfRenderError         app/lib/pdf.server.ts                 retryable  1    503    render failed, timed out or too many at once
//                                                                                        (the route adds Retry-After: 30)
//   ConfigError            core/settings.ts (re-exported by      bad-input  1    400    an environment variable: named, expected form
//                          indexer/config.ts)
//   CsvSyntaxError         core/catalogue.ts                     bad-input  1    400    a catalogue CSV cannot be parsed (becomes a problem
//                                                                                        of the CatalogueError)
//   CatalogueError         core/catalogue.ts                     bad-input  1    400    catalogue rows without their source (also thrown by
//                                                                                        db/catalogue.ts, indexer/sources/prices/load.ts):
//                                                                                        the prices run fails, the old catalogue is kept
//   DirectoryLockedError   db/pglite-lock.ts (re-exported by     busy       3    409    another process has the PGlite directory open
//                          db/client.ts)
//   NoSourcesError         indexer/run.ts                        bad-input  1    400    no source configured
//   LockedError            indexer/run.ts                        busy       3    409    another indexer holds the Postgres writer lock
//   GarbageBatchError      indexer/sources/joblogs/batch.ts      bad-input  1    422    a batch mostly garbage: a push is answered 422,
//                                                                                        a file run stops with its checkpoint kept
//   FileReadError          indexer/batch-reader.ts               permanent  1    500    a log file cannot be read: recorded as a rejected
//                                                                                        file (or left to the next run if it moved away)
//   TransientError         indexer/sources/subgraph/client.ts    retryable  1    503    network, timeout, 429/5xx, HTTP 200 with indexer
//                                                                                        errors or "not yet available": retried, then fails
//   PermanentError         indexer/sources/subgraph/client.ts    permanent  1    500    a query the subgraph rejects, other 4xx, an
//                          (extends core's PermanentError)                               unexpected answer: not retried
//   UpstreamTransientError indexer/http-json.ts                  retryable  1    503    a gateway or the leaderboard: network, timeout,
//                                                                                        429/5xx (Retry-After honoured): retried, then fails
//   UpstreamPermanentError indexer/http-json.ts                  permanent  1    500    other 4xx, a body that is not JSON or not usable:
//                                                                                        not retried; the source's run fails and shows it
//   LeaderboardPartialError indexer/sources/leaderboard/index.ts retryable 1   503    some orchestrators' probe queries failed after
//                                                                                        their retries: the rest is stored, their cursors
//                                                                                        stay, the run fails naming them (next run retries)
//   RulesFileError         core/alerts/rules.ts                  bad-input  1    400    ALERTS_FILE cannot be read or is not valid: every
//                                                                                        problem with its path; nothing of it is used, the
//                                                                                        log, /status and /alerts say why, the rest serves
//   ProgramsFileError      core/programs/bootstrap-file.ts       bad-input  1    400    PROGRAMS_FILE has problems: each with its line and
//                                                                                        path; those programs are left out, the others and
//                                                                                        the rest serve; the log, /status and /programs say why
//
// Not part of the vocabulary, on purpose:
//   Invalid                    indexer/sources/joblogs/validate.ts  internal to the validator, never escapes (a bad
//                                                                   line becomes a reject row); a plain Error on the
//                                                                   ingest hot path
//   EventFieldError            core/gateway/fields.ts               internal to the event parser, never escapes (a bad
//                                                                   envelope becomes a reject row with this reason)
//   RowError                   core/probes/raw.ts                   internal to the leaderboard row reader, never escapes (a bad
//                                                                   row is counted as rejected with this reason)
//   BadRequest                 indexer/demo/leaderboard-server.ts   the leaderboard stand-in's own 400 (it answers as the real
//                                                                   API does, with its texts); never seen by product code
//   BlockNotYetAvailableError  indexer/demo/subgraph-schema.ts      extends GraphQLError so graphql-js answers it as
//                                                                   graph-node does; the client sees a TransientError

export type ErrorKind = "retryable" | "permanent" | "bad-input" | "busy";

const EXIT: Record<ErrorKind, number> = { retryable: 1, permanent: 1, "bad-input": 1, busy: 3 };
const HTTP: Record<ErrorKind, number> = { retryable: 503, permanent: 500, "bad-input": 400, busy: 409 };

/** The base of every error the product raises on purpose. */
export abstract class ObservatoryError extends Error {
  abstract readonly kind: ErrorKind;
  /** HTTP status when this error answers a request (subclasses may refine it, e.g. 404, 413). */
  get httpStatus(): number {
    return HTTP[this.kind];
  }
  /** Exit code when this error ends a command. */
  get exitCode(): number {
    return EXIT[this.kind];
  }
  get retryable(): boolean {
    return this.kind === "retryable";
  }
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Goes away on its own: retried with backoff, then reported. */
export class RetryableError extends ObservatoryError {
  readonly kind = "retryable" as const;
}

/** Retrying cannot help: fail now, say why. */
export class PermanentError extends ObservatoryError {
  readonly kind = "permanent" as const;
}

/** What we were given is wrong; the message says what and how to fix it. */
export class BadInputError extends ObservatoryError {
  readonly kind = "bad-input" as const;
}

/** Another process is doing this right now; nothing was done (exit 3). */
export class BusyError extends ObservatoryError {
  readonly kind = "busy" as const;
}

/** Exit code for anything thrown out of a command: ours by kind, anything else 1. */
export function exitCodeOf(e: unknown): number {
  return e instanceof ObservatoryError ? e.exitCode : 1;
}

/** Whether a failure is worth retrying: ours by kind; anything else is not. */
export function isRetryable(e: unknown): boolean {
  return e instanceof ObservatoryError && e.retryable;
}
