/**
 * What every resolver module shares: loading by global id (validated before any upstream
 * call), the common entity fields, and list fields that span vendors under one cursor.
 */
import { GraphQLError, valueFromASTUntyped, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import type { GraphContext } from '../context.js';
import { badUserInput, unsupported, vendorNotConfigured } from '../errors.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import type { EntityByKind, EntityKind, EntityModel, VendorName } from '../model.js';
import { checkFirst, connectionAcross, connectionFromArray, listSize, type ConnectionModel, type PageResult } from '../paging.js';
import { VENDOR_ORDER } from '../vendors/registry.js';
import { DOMAIN_OF, type Domain, type ListFilter, type RelationSelection, type VendorAdapter, type VendorSession } from '../vendors/types.js';

/**
 * A domain part of a vendor's session (`customers`, `orders`, ...), or VENDOR_UNSUPPORTED:
 * the one place that error is raised for a missing domain.
 */
export function ops<D extends Domain>(ctx: GraphContext, vendor: VendorName, domain: D, what: string = domain): NonNullable<VendorSession[D]> {
  const part = ctx.session(vendor)[domain];
  if (!part) throw unsupported(vendor, what);
  return part as NonNullable<VendorSession[D]>;
}

type Part<D extends Domain> = NonNullable<VendorSession[D]>;
type Method<D extends Domain, M extends keyof Part<D>> = NonNullable<Part<D>[M]>;

/**
 * One operation of a domain, bound to its part, or VENDOR_UNSUPPORTED when the vendor
 * lacks the domain or the operation (`what` names it in the message, e.g. "order checkout").
 */
export function op<D extends Domain, M extends keyof Part<D>>(ctx: GraphContext, vendor: VendorName, domain: D, method: M, what: string): Method<D, M> {
  const part = ops(ctx, vendor, domain, what) as unknown as Record<string | number | symbol, unknown>;
  const fn = part[method as string | number | symbol];
  if (typeof fn !== 'function') throw unsupported(vendor, what);
  return (fn as (...args: unknown[]) => unknown).bind(part) as Method<D, M>;
}

/** Like `op`, but null when the vendor lacks the operation (for optional vendor-only fields). */
export function maybeOp<D extends Domain, M extends keyof Part<D>>(ctx: GraphContext, vendor: VendorName, domain: D, method: M): Method<D, M> | null {
  const part = ctx.session(vendor)[domain] as Record<string | number | symbol, unknown> | undefined;
  const fn = part?.[method as string | number | symbol];
  return typeof fn === 'function' ? ((fn as (...args: unknown[]) => unknown).bind(part) as Method<D, M>) : null;
}

/** Loads one entity by kind and vendor id through its domain's loader. */
export function getEntity<K extends EntityKind>(ctx: GraphContext, vendor: VendorName, kind: K, vendorId: string): Promise<EntityByKind[K] | null> {
  const part = ops(ctx, vendor, DOMAIN_OF[kind], `${kind} objects`) as { get(id: string): Promise<unknown> };
  return part.get(vendorId) as Promise<EntityByKind[K] | null>;
}

/** The complete form of a list-row model that `lacks` fields. */
export function detailOf<M extends EntityModel>(ctx: GraphContext, m: M): Promise<M | null> {
  const part = ops(ctx, m.vendor, DOMAIN_OF[m.kind]) as { get(id: string): Promise<unknown>; detail?(e: unknown): Promise<unknown> };
  return (part.detail ? part.detail(m) : part.get(m.vendorId)) as Promise<M | null>;
}

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
  return getEntity(ctx, gid.vendor, gid.kind as K, gid.vendorId);
}

/** Loads a related entity of the same vendor by its vendor id (null when unknown). */
export function related<K extends EntityKind>(ctx: GraphContext, vendor: VendorName, kind: K, vendorId: string | null | undefined) {
  if (!vendorId) return null;
  return getEntity(ctx, vendor, kind, vendorId);
}

/**
 * Resolvers for the fields every entity has: `id` is made from the model; `vendor`,
 * `vendorId` and `raw` are the model's own properties, read by the default resolver (which
 * graphql-jit inlines as a property read: no call, no resolve info, per row).
 */
export function entityFields<T extends EntityModel>() {
  return {
    id: (m: T) => toGlobalId(m.vendor, m.kind, m.vendorId),
  };
}

/**
 * Resolvers for fields a vendor's list rows may lack (see `EntityModel.lacks`): read from
 * the model when it has them, else from the entity's detail, loaded only when selected.
 */
export function detailFields<T extends EntityModel, F extends keyof T & string>(...fields: F[]) {
  type Value<P extends F> = undefined extends T[P] ? Exclude<T[P], undefined> | null : T[P];
  type Resolvers = { [P in F]: (m: T, args: unknown, ctx: GraphContext) => Value<P> | Promise<Value<P>> };
  const out: Partial<Record<F, (m: T, args: unknown, ctx: GraphContext) => unknown>> = {};
  for (const field of fields) {
    // A detail may lack fields a further read has (a reference in another payload → the
    // list row → its sub-resource): read on while the field is lacking. A detail that is
    // gone since the list was read: keep what the row had.
    const read = async (m: T, ctx: GraphContext) => {
      let source = m;
      for (let step = 0; step < 3 && source.lacks?.includes(field); step++) {
        const next = await detailOf(ctx, source);
        if (!next || next === source) break;
        source = next;
      }
      return source[field] ?? null;
    };
    // What the model holds is answered as it is: no promise per row and field (a page of
    // customers asks for `externalId` of every one).
    out[field] = (m: T, _args: unknown, ctx: GraphContext) => (m.lacks?.includes(field) ? read(m, ctx) : (m[field] ?? null));
  }
  return out as Resolvers;
}

function canList(adapter: VendorAdapter, kind: EntityKind): boolean {
  return adapter.listable.includes(kind);
}

/** Did the query ask for `totalCount` on this connection? (It can cost an extra call per vendor.) */
function wantsTotal(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    node.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === 'totalCount'),
  );
}

const RELATIONS = new Set(['subscriptions', 'orders', 'invoices']);

/**
 * The customer relations selected at `depth` 1 of these selections (`subscriptions(status:
 * ACTIVE)`, `orders`, `invoices`), with their arguments; `depth` 0 is a connection, whose
 * rows are under `nodes` or `edges { node }`.
 */
function relationsIn(info: GraphQLResolveInfo, depth: 0 | 1): RelationSelection[] {
  const found = new Map<string, RelationSelection>();
  const visit = (selections: readonly SelectionNode[] | undefined, level: number) => {
    for (const s of selections ?? []) {
      if (s.kind === 'Field') {
        if (level > 0 && RELATIONS.has(s.name.value)) {
          // As written (enum values by name): no schema lookup (@apollo/subgraph builds the schema with its own graphql-js).
          const args = Object.fromEntries((s.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, info.variableValues)]));
          found.set(`${s.name.value}${JSON.stringify(args)}`, { name: s.name.value, args });
        } else if (level === 0 && (s.name.value === 'nodes' || s.name.value === 'edges')) visit(s.selectionSet?.selections, 1);
        else if (level === 1 && s.name.value === 'node') visit(s.selectionSet?.selections, 1);
      } else if (s.kind === 'InlineFragment') visit(s.selectionSet.selections, level);
      else if (s.kind === 'FragmentSpread') visit(info.fragments[s.name.value]?.selectionSet.selections, level);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet?.selections, depth);
  return [...found.values()];
}

/** The customer relations a connection's rows select (`nodes { subscriptions(status: ACTIVE) }`, `edges { node { orders } }`), with their arguments. */
const selectedRelations = (info: GraphQLResolveInfo) => relationsIn(info, 0);

/**
 * Lookahead for one customer by id (`customer(id:)`): the relations it selects are asked
 * for at once, with the customer's own read, instead of after it: their loaders are keyed
 * by the customer's vendor id, which the global id already holds, so the later field
 * resolvers get the same promises (no extra call, one round trip less). Nothing happens for
 * an id that is not a customer's of a configured vendor (the customer's read says why).
 */
export function prefetchCustomerRelations(ctx: GraphContext, id: string, info: GraphQLResolveInfo): void {
  const relations = relationsIn(info, 1);
  if (relations.length === 0) return;
  let gid: ReturnType<typeof route>;
  try {
    gid = route(ctx, id, 'Customer');
  } catch {
    return;
  }
  const customer = { kind: 'Customer', vendor: gid.vendor, vendorId: gid.vendorId } as EntityByKind['Customer'];
  for (const { name, args } of relations) {
    const domain = name as 'subscriptions' | 'orders' | 'invoices';
    const load = maybeOp(ctx, gid.vendor, domain, 'ofCustomer') as ((c: typeof customer, status?: unknown) => Promise<unknown>) | null;
    if (load) void load(customer, domain === 'subscriptions' ? (args.status ?? undefined) : undefined).catch(() => undefined);
  }
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
  if (kind === 'Customer') {
    const relations = selectedRelations(info);
    const page = single ? { first, fromStart: !args.after } : undefined;
    if (relations.length) for (const vendor of vendors) ctx.session(vendor).customers?.lookahead?.(relations, page);
  }
  const scope = `${kind}:${vendors.join(',')}:${JSON.stringify(filter ?? {})}`.slice(0, 200);
  return connectionAcross<EntityByKind[K]>({
    scope,
    first,
    after: args.after,
    wantTotal: wantsTotal(info),
    segments: vendors.map((vendor) => ({
      vendor,
      // Remembered per adapter: one credential set and tenant.
      size: single ? undefined : listSize(ctx.adapters.get(vendor) as object, `${vendor}:${scope}`),
      fetch: (offset, limit) => {
        const part = ops(ctx, vendor, DOMAIN_OF[kind], `${kind} lists`) as { list?(o: number, l: number, f: ListFilter): Promise<PageResult<EntityByKind[K]>> };
        if (!part.list) throw unsupported(vendor, `${kind} lists`);
        return part.list(offset, limit, filter ?? {});
      },
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
  const found = idFilter(ctx, vendor, customerId, 'Customer', 'filter.customerId');
  return { vendor: found.vendor, customerVendorId: found.vendorId };
}

/** Decodes an optional global id filter of `kind` into the vendor's own id (and that vendor). */
export function idFilter(ctx: GraphContext, vendor: VendorName | null | undefined, id: string | null | undefined, kind: EntityKind, argument: string) {
  if (!id) return { vendor, vendorId: null };
  const gid = route(ctx, id, kind);
  if (vendor && vendor !== gid.vendor) throw badUserInput(`${argument} belongs to another vendor than the vendor argument.`, { argument });
  return { vendor: gid.vendor, vendorId: gid.vendorId };
}

/** A vendor named in an argument or input: VENDOR_NOT_CONFIGURED when this graph does not talk to it. */
export function vendorChecked(ctx: GraphContext, vendor: VendorName): VendorName {
  if (!ctx.adapters.has(vendor)) throw vendorNotConfigured(vendor);
  return vendor;
}
