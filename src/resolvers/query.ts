import type { NodeResolvers, QueryResolvers, VendorInfoResolvers } from '../generated/graphql.js';
import type { EntityKind, EntityModel, VendorName } from '../model.js';
import { VENDOR_LABEL, badUserInput } from '../errors.js';
import { VENDOR_ORDER } from '../vendors/registry.js';
import { loadNode, route } from './common.js';

const MAX_NODES = 100;

/** The GraphQL type of a model kind (Subscription is ServiceSubscription in the schema). */
export function typeName(kind: EntityKind) {
  return kind === 'Subscription' ? 'ServiceSubscription' : kind;
}

export const Node: NodeResolvers = {
  __resolveType: (m) => typeName((m as EntityModel).kind),
};

export const VendorInfo: VendorInfoResolvers = {
  vendor: (v) => v.adapter.vendor,
  name: (v) => VENDOR_LABEL[v.adapter.vendor as VendorName],
  baseUrl: (v) => v.adapter.baseUrl,
  simulated: (v) => v.adapter.simulated,
  health: (v) => v.adapter.health(),
  supports: (v) =>
    v.adapter.supports.map((k) => k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()) as never,
};

export const rootQueries: Pick<QueryResolvers, 'node' | 'nodes' | 'vendors'> = {
  node: (_root, args, ctx) => loadNode(ctx, args.id),
  nodes: (_root, args, ctx) => {
    if (args.ids.length > MAX_NODES) throw badUserInput(`At most ${MAX_NODES} ids per nodes() call.`, { argument: 'ids' });
    // Validate every id first, so one bad id fails the field before any upstream call.
    for (const id of args.ids) route(ctx, id);
    return Promise.all(args.ids.map((id) => loadNode(ctx, id)));
  },
  vendors: (_root, _args, ctx) =>
    VENDOR_ORDER.filter((v) => ctx.adapters.has(v)).map((v) => ({ adapter: ctx.adapters.get(v)! })),
};
