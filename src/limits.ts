/**
 * What one GraphQL request may cost, checked before anything executes (so a rejected
 * request costs no upstream call):
 * - parse: at most `tokens` lexical tokens (graphql-js `maxTokens`);
 * - validation (GraphQL Armor rules): depth, aliases, directives;
 * - once variables are known (an Apollo plugin): a cost limit that multiplies list sizes
 *   down the nesting (`first`, `ids`, `representations`; lists without a size count as
 *   LIST_GUESS) and weighs fields that cost upstream calls of their own; `_entities`
 *   capped like `nodes`; every `first` in [0, 500] at any depth; filter strings bounded.
 *
 * Every rejection names the limit, its value and what the request asked for.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode, type ValidationRule } from 'graphql';
import { MAX_PAGE } from './paging.js';
import { namesOf } from './join/namespace.js';
import { fragmentsOf, namedTypeOf, variablesWithDefaults } from './operation.js';

export interface QueryLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
  /** `_entities` representations per request (like `nodes(ids:)`). */
  entities: number;
  /** Characters of one filter string. */
  filterLength: number;
}

export const DEFAULT_LIMITS: QueryLimits = { depth: 10, aliases: 30, directives: 20, tokens: 3000, cost: 250_000, entities: 100, filterLength: 200 };

/** Lists with no size argument (items, prices, add-ons...) are assumed this long. */
const LIST_GUESS = 10;
/** Fields that cost upstream calls of their own, beyond the objects they return. */
const FIELD_WEIGHT: Record<string, number> = {
  'VendorInfo.health': 200,
  'Query.vendorRequest': 500,
  'Mutation.sendVendorRequest': 500,
};

function limitError(limit: string, max: number, found: number, extra = ''): GraphQLError {
  return new GraphQLError(`Query ${limit} limit of ${max} exceeded: this request has ${found}${extra}.`, {
    extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit, max, found, http: { status: 400 } },
  });
}

/** Validation rules (no variables needed): depth, aliases, directives. */
export function validationRules(limits: QueryLimits): ValidationRule[] {
  // Report (do not throw) so Apollo answers 400 GRAPHQL_VALIDATION_FAILED with the message.
  const common = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    maxDepthRule({ ...common, n: limits.depth, ignoreIntrospection: true, flattenFragments: true }) as unknown as ValidationRule,
    maxAliasesRule({ ...common, n: limits.aliases }) as unknown as ValidationRule,
    maxDirectivesRule({ ...common, n: limits.directives }) as unknown as ValidationRule,
  ];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the schema is walked duck-typed: @apollo/subgraph builds it with its own copy of graphql-js */
type AnyType = any;

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  }
}

const isList = (type: AnyType): boolean => String(type).includes('[');

interface Walk {
  schema: AnyType;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  limits: QueryLimits;
  /** The cost of each fragment per parent type (and `sized`), worked out once: spreading one twice in each of 30 fragments is 2^30 visits otherwise. */
  fragmentCosts: Map<string, number>;
}

/** Every string inside a filter value (nested input objects and lists included). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** The cost so far, or the cost limit's error once it is over the limit. */
function withinCost(w: Walk, cost: number): number {
  if (cost > w.limits.cost) throw limitError('cost', w.limits.cost, Math.ceil(cost), ' (or more)');
  return cost;
}

/**
 * The cost of a selection set for one object of `parent` (a list multiplies it by its size);
 * throws the first limit it breaks. `sized`: this selection set belongs to a connection whose
 * size `first` already counted.
 */
function costOf(w: Walk, parent: AnyType, set: SelectionSetNode, seen: Set<string>, sized = false): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typed = selection.typeCondition ? w.schema.getType(selection.typeCondition.name.value) : parent;
      cost += costOf(w, typed ?? parent, selection.selectionSet, seen, sized);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = w.fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      const typed = w.schema.getType(fragment.typeCondition.name.value) ?? parent;
      const key = `${name} ${String(typed?.name)} ${sized}`;
      let fragmentCost = w.fragmentCosts.get(key);
      if (fragmentCost === undefined) {
        fragmentCost = costOf(w, typed, fragment.selectionSet, new Set([...seen, name]), sized);
        w.fragmentCosts.set(key, fragmentCost);
      }
      cost = withinCost(w, cost + fragmentCost);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__')) continue;
    const fields = parent?.getFields?.() ?? {};
    const def = fields[name];
    const args: Record<string, unknown> = {};
    for (const a of def?.args ?? []) if (a.defaultValue !== undefined) args[a.name] = a.defaultValue;
    for (const a of selection.arguments ?? []) args[a.name.value] = valueOf(a.value, w.variables);

    if ('first' in args && args.first !== null && args.first !== undefined) {
      const first = args.first as number;
      if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
        throw new GraphQLError(`"first" must be between 0 and ${MAX_PAGE} (${name} asks for ${String(first)}).`, { extensions: { code: 'BAD_USER_INPUT', argument: 'first', http: { status: 400 } } });
      }
    }
    if (args.filter && typeof args.filter === 'object') {
      for (const text of strings(args.filter)) {
        // eslint-disable-next-line no-control-regex -- control characters are refused
        if (text.length > w.limits.filterLength || /[\u0000-\u001f\u007f]/.test(text)) {
          throw new GraphQLError(`Filter values must be at most ${w.limits.filterLength} characters of text (${name}).`, { extensions: { code: 'BAD_USER_INPUT', argument: 'filter', http: { status: 400 } } });
        }
      }
    }
    if (name === '_entities' && Array.isArray(args.representations) && args.representations.length > w.limits.entities) {
      throw limitError('entities', w.limits.entities, args.representations.length, ' representations');
    }
    // A representation of no entity type would fail inside @apollo/subgraph as an internal error.
    if (name === '_entities' && args.representations !== undefined && args.representations !== null) {
      const entities = new Set(((w.schema.getType('_Entity')?.getTypes?.() ?? []) as Array<{ name: string }>).map((t) => t.name));
      // A single value where the list is expected is coerced to a list of one.
      for (const representation of Array.isArray(args.representations) ? args.representations : [args.representations]) {
        const typename = (representation as { __typename?: unknown } | null)?.__typename;
        if (typeof typename !== 'string' || !entities.has(typename)) {
          throw new GraphQLError(`Every representation's "__typename" must name an entity type: ${[...entities].join(', ')}.`, { extensions: { code: 'BAD_USER_INPUT', argument: 'representations', http: { status: 400 } } });
        }
      }
    }

    // Weights are keyed by the original names (CHANNELGRAPH_TYPE_PREFIX / _ROOT_FIELD_PREFIX rename them).
    const served = namesOf(w.schema);
    const typeName = served.originalType(String(parent?.name));
    const fieldName = typeName === 'Query' || typeName === 'Mutation' ? served.originalRootField(typeName, name) : name;
    cost = withinCost(w, cost + 1 + (FIELD_WEIGHT[`${typeName}.${fieldName}`] ?? 0));
    if (!selection.selectionSet) continue;

    let size = 1;
    const connection = typeof args.first === 'number';
    if (connection) size = Math.max(1, args.first as number);
    else if (Array.isArray(args.ids)) size = Math.max(1, args.ids.length);
    else if (Array.isArray(args.representations)) size = Math.max(1, args.representations.length);
    else if (sized && (name === 'nodes' || name === 'edges')) size = 1; // the connection's `first` counted them
    else if (def && isList(def.type)) size = LIST_GUESS;
    cost = withinCost(w, cost + size * costOf(w, namedTypeOf(def?.type), selection.selectionSet, seen, connection));
  }
  return cost;
}

/** The cost of an operation with its variables (throws the limit it breaks first). */
export function checkCost(schema: AnyType, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>, limits: QueryLimits): number {
  const fragments = fragmentsOf(document);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const w: Walk = { schema, fragments, variables: variablesWithDefaults(operation, variables), limits, fragmentCosts: new Map() };
  return costOf(w, root, operation.selectionSet, new Set());
}

/** The Apollo plugin: checks cost and input bounds once the operation and its variables are known. */
export function limitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          checkCost(schema, document, operationName, request.variables ?? {}, limits);
        },
      };
    },
  };
}
