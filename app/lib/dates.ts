// UTC days for the app: the definitions live in core/dates.ts (pure, shared with db/queries and the
// indexer); this re-export keeps `~/lib/dates` imports working.
export * from "../../core/dates";
