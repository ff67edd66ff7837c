// The demo subgraph's GraphQL schema, built from the entity table as graph-node builds it: one object
// type per entity, its `<Entity>_filter` and `_orderBy` inputs, the single and collection root
// fields with their `block` argument, BigInt/BigDecimal/Bytes scalars and `_meta`. Blocks above the
// request's head get graph-node's "not yet available" error.
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type GraphQLFieldConfig,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type ValueNode,
} from "graphql";
import { ENTITIES, ENTITY_NAMES, fieldTypeOf, isList, isRelation, type EntityName, type ScalarName } from "./subgraph-entities";
import { operatorsFor, queryCollection, type CollectionArgs } from "./subgraph-filters";
import type { Bound, Snapshot, Value } from "./subgraph-snapshots";

/** The dashboard shows this name to label demo data. */
export const DEPLOYMENT = "observatory-demo-network";

export interface BlockArg {
  number?: number | null;
  number_gte?: number | null;
}

export interface RequestContext {
  /** Resolves a `block` argument against this request's head; throws The Graph's error above it. */
  snapshotFor(block: BlockArg | undefined): Snapshot;
  metaFor(block: BlockArg | undefined): { block: { number: number; hash: string; timestamp: number } };
}

function decimalScalar(name: "BigInt" | "BigDecimal", pattern: RegExp): GraphQLScalarType {
  // The Graph sends both as JSON strings; inputs may be strings or number literals.
  const parse = (value: unknown): string => {
    const text = typeof value === "number" || typeof value === "string" ? String(value) : "";
    if (!pattern.test(text)) throw new TypeError(`${name} cannot represent ${JSON.stringify(value)}`);
    return name === "BigInt" ? BigInt(text).toString() : new Decimal(text).toFixed();
  };
  return new GraphQLScalarType({
    name,
    serialize: (value) => String(value),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) throw new TypeError(`${name} cannot represent a ${ast.kind}`);
      return parse(ast.value);
    },
  });
}

const BigIntScalar = decimalScalar("BigInt", /^-?\d+$/);
const BigDecimalScalar = decimalScalar("BigDecimal", /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/);
const BytesScalar = new GraphQLScalarType({ name: "Bytes", serialize: (value) => String(value) });

/** `without`: entities whose query roots are left out, as in a deployment older than them (the treasury before LIP-89). */
export function buildSchema(without: readonly EntityName[] = []): GraphQLSchema {
  const scalars: Record<ScalarName, GraphQLInputType & GraphQLOutputType> = {
    ID: GraphQLID,
    String: GraphQLString,
    Int: GraphQLInt,
    Boolean: GraphQLBoolean,
    BigInt: BigIntScalar,
    BigDecimal: BigDecimalScalar,
    Bytes: BytesScalar,
    TranscoderStatus: new GraphQLEnumType({ name: "TranscoderStatus", values: { NotRegistered: {}, Registered: {} } }),
    TreasuryVoteSupport: new GraphQLEnumType({ name: "TreasuryVoteSupport", values: { Against: {}, For: {}, Abstain: {} } }),
  };
  const objectTypes = new Map<EntityName, GraphQLObjectType>();
  const entityType = (name: EntityName) => objectTypes.get(name)!;

  for (const name of ENTITY_NAMES) {
    const spec = ENTITIES[name];
    objectTypes.set(
      name,
      new GraphQLObjectType({
        name,
        fields: () =>
          Object.fromEntries(
            Object.keys(spec.fields).map((field) => {
              const type = fieldTypeOf(spec, field);
              const list = isList(spec, field);
              const nullable = !list && Array.isArray(spec.fields[field]);
              const graphqlType = isRelation(type) ? entityType(type) : scalars[type];
              const config: GraphQLFieldConfig<Bound, RequestContext> = {
                type: list
                  ? new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(graphqlType)))
                  : nullable
                    ? graphqlType
                    : new GraphQLNonNull(graphqlType),
                resolve: isRelation(type) ? ({ row, snap }) => follow(snap, type, row.values[field]) : ({ row }) => row.values[field],
              };
              return [field, config];
            }),
          ),
      }),
    );
  }

  const orderDirection = new GraphQLEnumType({ name: "OrderDirection", values: { asc: {}, desc: {} } });
  const blockHeight = new GraphQLInputObjectType({
    name: "Block_height",
    fields: { number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
  });
  const blockChangedFilter = new GraphQLInputObjectType({
    name: "BlockChangedFilter",
    fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } },
  });

  const filterType = (name: EntityName): GraphQLInputObjectType => {
    const spec = ENTITIES[name];
    const filter: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: `${name}_filter`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {};
        for (const field of Object.keys(spec.fields)) {
          if (isList(spec, field)) continue;
          const type = fieldTypeOf(spec, field);
          // Relations filter on the target's id, as a string.
          const inputType = isRelation(type) ? GraphQLString : scalars[type];
          for (const op of operatorsFor(type)) {
            fields[`${field}${op}`] = { type: op.endsWith("_in") ? new GraphQLList(new GraphQLNonNull(inputType)) : inputType };
          }
        }
        fields._change_block = { type: blockChangedFilter };
        fields.and = { type: new GraphQLList(filter) };
        fields.or = { type: new GraphQLList(filter) };
        return fields;
      },
    });
    return filter;
  };

  const queryFields: Record<string, GraphQLFieldConfig<unknown, RequestContext>> = {};
  for (const name of ENTITY_NAMES) {
    if (without.includes(name)) continue;
    const spec = ENTITIES[name];
    const [single, plural] = spec.roots;
    queryFields[single] = {
      type: entityType(name),
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, block: { type: blockHeight } },
      resolve: (_root, args: { id: string; block?: BlockArg }, ctx) => follow(ctx.snapshotFor(args.block), name, args.id),
    };
    queryFields[plural] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(entityType(name)))),
      args: {
        skip: { type: GraphQLInt, defaultValue: 0 },
        first: { type: GraphQLInt, defaultValue: 100 },
        orderBy: {
          type: new GraphQLEnumType({ name: `${name}_orderBy`, values: Object.fromEntries(Object.keys(spec.fields).filter((f) => !isList(spec, f)).map((f) => [f, {}])) }),
        },
        orderDirection: { type: orderDirection },
        where: { type: filterType(name) },
        block: { type: blockHeight },
      },
      resolve: (_root, args: CollectionArgs & { block?: BlockArg }, ctx): Bound[] => {
        const snap = ctx.snapshotFor(args.block);
        return queryCollection(snap.rows[name], spec, args).map((row) => ({ row, snap }));
      },
    };
  }

  const blockType = new GraphQLObjectType({
    name: "_Block_",
    fields: { hash: { type: BytesScalar }, number: { type: new GraphQLNonNull(GraphQLInt) }, timestamp: { type: GraphQLInt } },
  });
  queryFields._meta = {
    type: new GraphQLObjectType({
      name: "_Meta_",
      fields: {
        block: { type: new GraphQLNonNull(blockType) },
        deployment: { type: new GraphQLNonNull(GraphQLString), resolve: () => DEPLOYMENT },
        hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean), resolve: () => false },
      },
    }),
    args: { block: { type: blockHeight } },
    resolve: (_root, args: { block?: BlockArg }, ctx) => ctx.metaFor(args.block),
  };

  return new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: queryFields }) });
}

function follow(snap: Snapshot, entity: EntityName, id: Value): Bound | null {
  const row = typeof id === "string" ? snap.byId[entity].get(id) : undefined;
  return row ? { row, snap } : null;
}

/** Thrown for a block above the head; the request then gets graph-node's whole-query answer. */
export class BlockNotYetAvailableError extends GraphQLError {}

/**
 * graph-node's wording, so clients that recognise it behave the same against the demo: its
 * `QueryExecutionError::ValueParseError("block.number", ...)` (graphql/src/store/resolver.rs) shown as
 * "Failed to decode `{}` value: `{}`" (graph/src/data/query/error.rs).
 */
function blockNotYetAvailable(requested: number, head: number): GraphQLError {
  return new BlockNotYetAvailableError(
    `Failed to decode \`block.number\` value: \`subgraph ${DEPLOYMENT} has only indexed up to block number ${head} ` +
      `and data for block number ${requested} is therefore not yet available\``,
  );
}

export function resolveBlock(arg: BlockArg | undefined, head: number): number {
  if (arg?.number != null) {
    if (arg.number > head) throw blockNotYetAvailable(arg.number, head);
    return arg.number;
  }
  if (arg?.number_gte != null && arg.number_gte > head) throw blockNotYetAvailable(arg.number_gte, head);
  return head;
}

export function blockHash(block: number): string {
  return `0x${createHash("sha256").update(`${DEPLOYMENT}:${block}`).digest("hex")}`;
}
