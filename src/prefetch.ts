/**
 * Logins on the way: as an operation's execution starts (it was parsed, validated, found
 * within the limits and the caller's scopes, and no cache answered it: Apollo's
 * `executionDidStart`), the vendors it names start their login if they hold no token
 * (VendorHttp.prefetchToken), so that the token is on its way while the operation is
 * compiled and its resolvers reach their first call. A cold graph's first dashboard then
 * waits for the login round trip, not for the login after everything before its first call.
 *
 * Only the vendors the root fields name: a `vendor` argument (left out or null on a field
 * that has one: every vendor that lists what the field lists), or the global ids of an
 * `id`, `ids` or `representations` argument (well formed for its vendor), in root fields
 * not skipped by `@skip` / `@include`. Anything else (ids inside inputs, host-graph references,
 * `vendors`) starts nothing here, and logs in on its first call as before: a query for
 * one vendor never logs in to another, and a refused or cached one to none.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLIncludeDirective, GraphQLSkipDirective, getDirectiveValues, valueFromASTUntyped, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { GraphContext } from './context.js';
import { KINDS, VENDORS, fromGlobalId } from './ids.js';
import { namesOf } from './join/namespace.js';
import type { EntityKind, VendorName } from './model.js';
import { fragmentsOf, namedTypeOf, rootFieldsOf, variablesWithDefaults } from './operation.js';
import type { VendorAdapter } from './vendors/types.js';

const isVendor = (value: unknown): value is VendorName => typeof value === 'string' && (VENDORS as readonly string[]).includes(value);

/** The configured vendors an operation's root fields name (see the module comment). */
export function vendorsNamed(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  adapters: ReadonlyMap<VendorName, VendorAdapter>,
): Set<VendorAdapter> {
  const named = new Set<VendorAdapter>();
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : null;
  if (!root) return named;
  const fields = root.getFields();
  const names = namesOf(schema);
  const values = variablesWithDefaults(operation, variables);
  const add = (vendor: VendorName) => {
    const adapter = adapters.get(vendor);
    if (adapter) named.add(adapter);
  };
  const byId = (id: unknown) => {
    if (typeof id !== 'string') return;
    try {
      const { vendor, kind, vendorId } = fromGlobalId(id);
      // A malformed id is refused before any call (BAD_USER_INPUT): no login for it either.
      if (adapters.get(vendor)?.isValidId(kind, vendorId)) add(vendor);
    } catch {
      // Not a channelgraph id: refused by its resolver, with no call.
    }
  };
  for (const field of rootFieldsOf(operation.selectionSet, fragmentsOf(document))) {
    const definition = fields[field.name.value];
    if (!definition) continue;
    if (getDirectiveValues(GraphQLSkipDirective, field, values)?.if === true || getDirectiveValues(GraphQLIncludeDirective, field, values)?.if === false) continue;
    const args = new Map((field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, values)]));
    if (definition.args.some((a) => a.name === 'vendor')) {
      const vendor = args.get('vendor');
      if (isVendor(vendor)) add(vendor);
      else if (vendor === undefined || vendor === null) {
        // Every vendor that lists what the field lists (`CustomerConnection`: every vendor with customer lists).
        const kind = names.originalType(namedTypeOf(definition.type)?.name ?? '').replace(/Connection$/, '');
        for (const adapter of adapters.values()) if (!(KINDS as readonly string[]).includes(kind) || adapter.listable.includes(kind as EntityKind)) named.add(adapter);
      }
    }
    byId(args.get('id'));
    for (const list of [args.get('ids'), args.get('representations')]) {
      if (Array.isArray(list)) for (const item of list) byId(item && typeof item === 'object' ? (item as { id?: unknown }).id : item);
    }
  }
  return named;
}

export const prefetchPlugin: ApolloServerPlugin<GraphContext> = {
  async requestDidStart() {
    return {
      async executionDidStart({ schema, document, operation, request, contextValue }) {
        // Most requests find every token held: nothing to read in the operation then.
        if (![...contextValue.adapters.values()].some((adapter) => adapter.needsLogin())) return;
        let named: Set<VendorAdapter>;
        try {
          named = vendorsNamed(schema, document, operation, request.variables ?? {}, contextValue.adapters);
        } catch {
          // Variables not yet coerced (a missing `$skip`): execution answers them as it always has; no login is started here.
          return;
        }
        for (const adapter of named) if (adapter.prefetch()) contextValue.awaitsLogin = true;
      },
    };
  },
};
