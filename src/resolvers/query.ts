import type { MutationResolvers, NodeResolvers, QueryResolvers, VendorInfoResolvers } from '../generated/graphql.js';
import { checkVendorPath, checkVendorQuery } from '../http/path.js';
import { MAX_GENERIC_PAGES } from '../http/generic.js';
import type { EntityModel, VendorName } from '../model.js';
import { VENDOR_LABEL, badUserInput } from '../errors.js';
import { VENDOR_ORDER } from '../vendors/registry.js';
import { loadNode, route, vendorChecked } from './common.js';
import { typeName } from '../ids.js';
import { mutate } from './mutation.js';
import { forbidden } from '../auth.js';

const MAX_NODES = 100;

export const Node: NodeResolvers = {
  __resolveType: (m) => typeName((m as EntityModel).kind),
};

export const VendorInfo: VendorInfoResolvers = {
  vendor: (v) => v.adapter.vendor,
  name: (v) => VENDOR_LABEL[v.adapter.vendor as VendorName],
  baseUrl: (v, _args, ctx) => {
    // Where the vendor lives is deployment detail: admins only.
    if (!ctx.principal.scopes.has('admin')) throw forbidden('admin', 'vendors { baseUrl }');
    return v.adapter.baseUrl;
  },
  simulated: (v) => v.adapter.simulated,
  health: async (v) => {
    // The breaker as this request found it (the probe below may close a half-open one).
    const circuit = v.adapter.circuit();
    return { ...(await v.adapter.health()), circuit };
  },
  supports: (v) =>
    v.adapter.supports.map((k) => k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()) as never,
};

/** The vendor's reserved paths plus the checks every generic request gets; no upstream call on bad input. */
function genericTarget(ctx: Parameters<typeof vendorChecked>[0], vendor: VendorName, path: string, query: unknown) {
  const adapter = ctx.adapters.get(vendorChecked(ctx, vendor))!;
  return { path: checkVendorPath(path, adapter.reservedPaths), query: checkVendorQuery(query) };
}

export const rootQueries: Pick<QueryResolvers, 'node' | 'nodes' | 'vendors' | 'vendorRequest'> = {
  node: (_root, args, ctx) => loadNode(ctx, args.id),
  nodes: (_root, args, ctx) => {
    if (args.ids.length > MAX_NODES) throw badUserInput(`At most ${MAX_NODES} ids per nodes() call.`, { argument: 'ids' });
    // Validate every id first, so one bad id fails the field before any upstream call.
    for (const id of args.ids) route(ctx, id);
    return Promise.all(args.ids.map((id) => loadNode(ctx, id)));
  },
  vendors: (_root, _args, ctx) =>
    VENDOR_ORDER.filter((v) => ctx.adapters.has(v)).map((v) => ({ adapter: ctx.adapters.get(v)! })),
  vendorRequest: async (_root, args, ctx) => {
    const { path, query } = genericTarget(ctx, args.vendor, args.path, args.query);
    const maxPages = args.maxPages ?? 10;
    if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > MAX_GENERIC_PAGES) {
      throw badUserInput(`maxPages must be from 1 to ${MAX_GENERIC_PAGES}.`, { argument: 'maxPages' });
    }
    const request = ctx.session(args.vendor).request;
    if (args.paginate) {
      const page = await request.paginate(path, query, maxPages);
      return { vendor: args.vendor, status: page.status, body: page.items, pages: page.pages, truncated: page.truncated };
    }
    const answer = await request.send('GET', path, query, undefined);
    return { vendor: args.vendor, status: answer.status, body: answer.body, pages: 1, truncated: false };
  },
};

export const rootMutations: Pick<MutationResolvers, 'sendVendorRequest'> = {
  sendVendorRequest: (_root, { input }, ctx) =>
    mutate(async () => {
      const { path, query } = genericTarget(ctx, input.vendor, input.path, input.query);
      if (input.method === 'GET' && input.body !== null && input.body !== undefined) throw badUserInput('A GET request has no body.', { argument: 'input.body' });
      const answer = await ctx.session(input.vendor).request.send(input.method, path, query, input.body ?? undefined);
      return { response: { vendor: input.vendor, status: answer.status, body: answer.body, pages: 1, truncated: false } };
    }),
};
