// The Graph's collection arguments over a snapshot's rows: `where` compiled to a predicate (every
// operator graph-node offers per type, `and`/`or`, `_change_block`), `orderBy`/`orderDirection` with
// its NULL order and id tie-break, and the `first`/`skip` limits with graph-node's errors.
import Decimal from "decimal.js";
import { GraphQLError } from "graphql";
import { fieldTypeOf, type EntitySpec, type FieldType } from "./subgraph-entities";
import { byId, type Row } from "./subgraph-snapshots";

const MAX_FIRST = 1000;
const MAX_SKIP = 5000;

type SortKey = number | string | bigint | Decimal;
type Filter = Record<string, unknown>;

export interface CollectionArgs {
  first: number;
  skip: number;
  orderBy?: string;
  orderDirection?: "asc" | "desc";
  where?: Filter;
}

/** Numbers compare numerically (exactly, for BigInt/BigDecimal); ids, strings and relations as strings. */
function sortKeyOf(type: FieldType, value: unknown): SortKey | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "Int":
      return value as number;
    case "BigInt":
      return BigInt(value as string);
    case "BigDecimal":
      return new Decimal(value as string);
    case "Boolean":
      return value ? 1 : 0;
    default:
      return value as string;
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a instanceof Decimal) return a.cmp(b as Decimal);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Postgres order: NULL sorts after every value ascending, so before them descending. */
function compareNullsLast(a: SortKey | null, b: SortKey | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareKeys(a, b);
}

const COMPARISONS = {
  "": (c: number) => c === 0,
  _not: (c: number) => c !== 0,
  _gt: (c: number) => c > 0,
  _gte: (c: number) => c >= 0,
  _lt: (c: number) => c < 0,
  _lte: (c: number) => c <= 0,
} as const;
type Operator = keyof typeof COMPARISONS | "_in" | "_not_in";
/** Booleans and enums have no ordering operators in The Graph. */
const EQUALITY_OPERATORS: Operator[] = ["", "_not", "_in", "_not_in"];
const ALL_OPERATORS: Operator[] = ["", "_not", "_gt", "_gte", "_lt", "_lte", "_in", "_not_in"];
/** Longest first, so `x_not_in` is not read as `x_not` + `_in`. */
const SUFFIXES = [...ALL_OPERATORS].sort((a, b) => b.length - a.length);

export function operatorsFor(type: FieldType): Operator[] {
  return type === "Boolean" || type === "TranscoderStatus" || type === "TreasuryVoteSupport" ? EQUALITY_OPERATORS : ALL_OPERATORS;
}

type Predicate = (row: Row) => boolean;

function compileFilter(spec: EntitySpec, filter: Filter): Predicate {
  const predicates = Object.entries(filter).map(([key, value]) => compileCondition(spec, key, value));
  return (row) => predicates.every((p) => p(row));
}

function compileCondition(spec: EntitySpec, key: string, value: unknown): Predicate {
  if (key === "and" || key === "or") {
    const parts = ((value ?? []) as Filter[]).map((f) => compileFilter(spec, f));
    return key === "and" ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }
  if (key === "_change_block") {
    const since = (value as { number_gte: number }).number_gte;
    return (row) => row.changedAt >= since;
  }
  // The input type only has keys `<field><operator>`, so one suffix always leaves a real field.
  const operator = SUFFIXES.find((s) => key.endsWith(s) && key.slice(0, key.length - s.length) in spec.fields)!;
  const field = key.slice(0, key.length - operator.length);
  const type = fieldTypeOf(spec, field);
  const keyOfRow = (row: Row) => sortKeyOf(type, row.values[field]);

  if (operator === "_in" || operator === "_not_in") {
    const wanted = ((value ?? []) as unknown[]).map((v) => sortKeyOf(type, v)).filter((k) => k !== null);
    const negate = operator === "_not_in";
    return (row) => {
      const k = keyOfRow(row);
      return k !== null && wanted.some((w) => compareKeys(k, w) === 0) !== negate;
    };
  }
  const wanted = sortKeyOf(type, value);
  // graph-node reads `field: null` as IS NULL and `field_not: null` as IS NOT NULL.
  if (wanted === null) {
    if (operator === "") return (row) => row.values[field] === null;
    if (operator === "_not") return (row) => row.values[field] !== null;
    return () => false;
  }
  const accept = COMPARISONS[operator];
  // As in SQL, a NULL column matches no comparison.
  return (row) => {
    const k = keyOfRow(row);
    return k !== null && accept(compareKeys(k, wanted));
  };
}

function sortRows(rows: Row[], spec: EntitySpec, orderBy: string, direction: "asc" | "desc"): Row[] {
  const type = fieldTypeOf(spec, orderBy);
  const sign = direction === "desc" ? -1 : 1;
  // Keys are computed once per row: parsing a Decimal inside the comparator would do it n log n times.
  const keyed = rows.map((row) => ({ row, key: sortKeyOf(type, row.values[orderBy]) }));
  // Ties break on id, in the same direction, as graph-node does.
  keyed.sort((a, b) => sign * (compareNullsLast(a.key, b.key) || byId(a.row, b.row)));
  return keyed.map((k) => k.row);
}

export function queryCollection(rows: Row[], spec: EntitySpec, args: CollectionArgs): Row[] {
  if (args.first < 0 || args.first > MAX_FIRST) {
    throw new GraphQLError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${args.first}`);
  }
  if (args.skip < 0 || args.skip > MAX_SKIP) {
    throw new GraphQLError(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${args.skip}`);
  }
  const direction = args.orderDirection ?? "asc";
  let result = args.where ? rows.filter(compileFilter(spec, args.where)) : rows;
  if (args.orderBy) result = sortRows(result, spec, args.orderBy, direction);
  else if (direction === "desc") result = [...result].reverse();
  return result.slice(args.skip, args.skip + args.first);
}
