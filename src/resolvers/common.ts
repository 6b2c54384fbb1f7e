/**
 * What every resolver module shares: loading by global id (validated before any upstream
 * call), the common entity fields, and list fields that span vendors under one cursor.
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput, unsupported, vendorNotConfigured } from '../errors.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import type { EntityByKind, EntityKind, EntityModel, VendorName } from '../model.js';
import { checkFirst, connectionAcross, connectionFromArray, type ConnectionModel } from '../paging.js';
import { VENDOR_ORDER } from '../vendors/registry.js';
import type { ListFilter, VendorAdapter } from '../vendors/types.js';

/** Decodes and validates a global id and routes it to its vendor: no upstream call on bad input. */
export function route(ctx: GraphContext, id: string, kinds?: EntityKind | readonly EntityKind[]) {
  const gid = fromGlobalId(id, kinds);
  const adapter = ctx.adapters.get(gid.vendor);
  if (!adapter) throw vendorNotConfigured(gid.vendor);
  if (!adapter.supports.includes(gid.kind)) throw unsupported(gid.vendor, `${gid.kind} objects`);
  if (!adapter.isValidId(gid.kind, gid.vendorId)) {
    throw badUserInput(`Invalid id: "${gid.vendorId}" is not a valid ${gid.kind} id for this vendor.`, { argument: 'id' });
  }
  return gid;
}

export async function loadNode<K extends EntityKind>(ctx: GraphContext, id: string, kinds?: K | readonly K[]): Promise<EntityByKind[K] | null> {
  const gid = route(ctx, id, kinds);
  return ctx.session(gid.vendor).get(gid.kind as K, gid.vendorId);
}

/** Loads a related entity of the same vendor by its vendor id (null when unknown). */
export function related<K extends EntityKind>(ctx: GraphContext, vendor: VendorName, kind: K, vendorId: string | null | undefined) {
  if (!vendorId) return null;
  return ctx.session(vendor).get(kind, vendorId);
}

/** Resolvers for the fields every entity has. */
export function entityFields<T extends EntityModel>() {
  return {
    id: (m: T) => toGlobalId(m.vendor, m.kind, m.vendorId),
    vendor: (m: T) => m.vendor,
    vendorId: (m: T) => m.vendorId,
    raw: (m: T) => m.raw,
  };
}

/**
 * Resolvers for fields a vendor's list rows may lack (see `EntityModel.lacks`): read from
 * the model when it has them, else from the entity's detail, loaded only when selected.
 */
export function detailFields<T extends EntityModel, F extends keyof T & string>(...fields: F[]) {
  type Value<P extends F> = undefined extends T[P] ? Exclude<T[P], undefined> | null : T[P];
  type Resolvers = { [P in F]: (m: T, args: unknown, ctx: GraphContext) => Promise<Value<P>> };
  const out: Partial<Record<F, (m: T, args: unknown, ctx: GraphContext) => Promise<unknown>>> = {};
  for (const field of fields) {
    out[field] = async (m: T, _args: unknown, ctx: GraphContext) => {
      // A detail that is gone since the list was read: keep what the row had.
      const source = m.lacks?.includes(field) ? ((await ctx.session(m.vendor).detail(m)) ?? m) : m;
      return source[field] ?? null;
    };
  }
  return out as Resolvers;
}

function canList(adapter: VendorAdapter, kind: EntityKind): boolean {
  return (adapter.listable ?? adapter.supports).includes(kind);
}

/** Did the query ask for `totalCount` on this connection? (It can cost an extra call per vendor.) */
function wantsTotal(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    node.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === 'totalCount'),
  );
}

export interface ListArgs {
  vendor?: VendorName | null;
  first?: number | null;
  after?: string | null;
}

/**
 * A root list field: one vendor when `vendor` is given, else every configured vendor that
 * has this entity family, in a fixed order, under one cursor. A vendor that fails is
 * skipped and named in an error next to the others' data.
 */
export async function listAcross<K extends EntityKind>(
  ctx: GraphContext,
  info: GraphQLResolveInfo,
  kind: K,
  args: ListArgs,
  filter?: ListFilter,
): Promise<ConnectionModel<EntityByKind[K]>> {
  const first = checkFirst(args.first);
  let vendors: VendorName[];
  if (args.vendor) {
    const adapter = ctx.adapters.get(args.vendor);
    if (!adapter) throw vendorNotConfigured(args.vendor);
    if (!canList(adapter, kind)) throw unsupported(args.vendor, `${kind} lists`);
    vendors = [args.vendor];
  } else {
    vendors = VENDOR_ORDER.filter((v) => {
      const adapter = ctx.adapters.get(v);
      return adapter !== undefined && canList(adapter, kind);
    });
  }
  const single = vendors.length === 1;
  return connectionAcross<EntityByKind[K]>({
    scope: `${kind}:${vendors.join(',')}:${JSON.stringify(filter ?? {})}`.slice(0, 200),
    first,
    after: args.after,
    wantTotal: wantsTotal(info),
    segments: vendors.map((vendor) => ({
      vendor,
      fetch: (offset, limit) => ctx.session(vendor).list(kind, offset, limit, filter),
    })),
    onError: (_vendor, error) => {
      // With one vendor there is nothing partial to return: the field fails.
      if (single) throw error;
      ctx.warnings.push(error instanceof GraphQLError ? error : new GraphQLError('A vendor list failed.', { extensions: { code: 'INTERNAL_SERVER_ERROR', vendor: _vendor } }));
    },
  });
}

/** A relation list (already loaded in full through a loader) as a connection. */
export function relationConnection<T>(scope: string, items: T[], first: number | null | undefined, after: string | null | undefined) {
  return connectionFromArray(scope, items, checkFirst(first, 50), after);
}

/** Decodes an optional global customer id filter into the vendor's own id. */
export function customerFilter(ctx: GraphContext, vendor: VendorName | null | undefined, customerId: string | null | undefined) {
  if (!customerId) return { vendor, customerVendorId: null };
  const gid = route(ctx, customerId, 'Customer');
  if (vendor && vendor !== gid.vendor) throw badUserInput('filter.customerId belongs to another vendor than the vendor argument.', { argument: 'filter.customerId' });
  return { vendor: gid.vendor, customerVendorId: gid.vendorId };
}
