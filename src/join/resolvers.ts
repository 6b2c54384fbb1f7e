/**
 * The join resolvers: the host organisation's vendor customers, subscriptions, licence
 * summary and reconciliation; the mapping and its mutations; unmapped customers with
 * suggested organisations; the same company at other distributors. Everything upstream goes
 * through the vendor sessions' loaders, so N organisations in one `_entities` call cost the
 * calls of one list of their customers.
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Decimal } from 'decimal.js';
import type { GraphContext } from '../context.js';
import type {
  BilledQuantityInput,
  CustomerMappingResolvers,
  CustomerResolvers,
  MutationResolvers,
  OrganizationCandidateInput,
  OrganizationResolvers,
  QueryResolvers,
} from '../generated/graphql.js';
import { VENDOR_LABEL, badUserInput, vendorNotConfigured } from '../errors.js';
import { toGlobalId } from '../ids.js';
import { logger } from '../logger.js';
import type { CustomerModel, MoneyModel, SubscriptionModel, SubscriptionStatusModel, VendorName } from '../model.js';
import { checkFirst, connectionFromArray } from '../paging.js';
import { detailOf, getEntity, op, relationConnection, vendorChecked } from '../resolvers/common.js';
import { InputCheck, InputErrors, mutate } from '../resolvers/mutation.js';
import { VENDOR_ORDER } from '../vendors/registry.js';
import { SkuAliases } from './aliases.js';
import { monthlyCost, sumByCurrency } from './cost.js';
import { combine, match, profile, WEIGHT, type MatchReason, type Profile } from './match.js';
import type { MappingModel, OrganizationModel, SuggestionModel, UnmappedCustomerModel } from './model.js';
import type { JoinRuntime } from './schema.js';

/** Subscriptions that count as licences held: still paid for. */
export const BILLABLE: ReadonlySet<SubscriptionStatusModel> = new Set(['ACTIVE', 'PENDING_CANCELLATION']);
const MAX_CANDIDATES = 1000;
const MAX_BILLED = 1000;
const MAX_ORGANIZATIONS = 500;
const MAX_SUGGESTIONS = 5;
/** Pages of 500 read per vendor for a whole customer list, at most. */
const MAX_LIST_PAGES = 100;

function runtime(info: GraphQLResolveInfo): JoinRuntime {
  const rt = (info.schema.extensions as { channelgraphJoin?: JoinRuntime }).channelgraphJoin;
  if (!rt) throw new Error('the schema was built without the join runtime (src/join/schema.ts)');
  return rt;
}

/** A vendor that failed: named in an error next to the other vendors' data. */
function warn(ctx: GraphContext, vendor: VendorName, error: unknown): void {
  if (error instanceof GraphQLError) {
    ctx.warnings.push(error);
    return;
  }
  logger.error({ vendor, err: error instanceof Error ? error.message : String(error) }, 'join: vendor read failed');
  ctx.warnings.push(new GraphQLError(`Reading from ${VENDOR_LABEL[vendor]} failed.`, { extensions: { code: 'INTERNAL_SERVER_ERROR', vendor } }));
}

const isSome = <T>(x: T | null | undefined): x is T => x !== null && x !== undefined;

// ---- an organisation's customers and subscriptions -------------------------------------

async function mappedCustomers(ctx: GraphContext, records: MappingModel[]): Promise<CustomerModel[]> {
  const loaded = await Promise.all(
    records.map(async (r) => {
      try {
        if (!ctx.adapters.has(r.vendor)) throw vendorNotConfigured(r.vendor);
        return await getEntity(ctx, r.vendor, 'Customer', r.vendorId);
      } catch (error) {
        warn(ctx, r.vendor, error);
        return null;
      }
    }),
  );
  return loaded.filter(isSome);
}

function customersOf(ctx: GraphContext, rt: JoinRuntime, org: OrganizationModel): Promise<CustomerModel[]> {
  return mappedCustomers(ctx, rt.mapping.customersOf(org.key, ctx.tenant));
}

async function subscriptionsOf(ctx: GraphContext, customers: CustomerModel[]): Promise<SubscriptionModel[]> {
  const lists = await Promise.all(
    customers.map(async (c) => {
      try {
        return await op(ctx, c.vendor, 'subscriptions', 'ofCustomer', 'subscriptions')(c);
      } catch (error) {
        warn(ctx, c.vendor, error);
        return [];
      }
    }),
  );
  return lists.flat();
}

// ---- licence summary and reconciliation ------------------------------------------------

export interface SummaryLine {
  key: string;
  name: string | null;
  skus: string[];
  vendors: VendorName[];
  quantity: number;
  subscriptionCount: number;
  monthlyCost: MoneyModel[];
  unpricedSubscriptions: number;
}

/** The product a subscription is for, in vendor terms: its SKU/MPN, else its product id. */
const productCode = (s: SubscriptionModel) => s.sku ?? s.productVendorId ?? s.name ?? s.vendorId;

export function summarize(aliases: SkuAliases, subscriptions: SubscriptionModel[]): SummaryLine[] {
  const lines = new Map<string, { key: string; name: string | null; skus: Set<string>; vendors: Set<VendorName>; quantity: number; count: number; costs: Array<{ currency: string; amount: Decimal }>; unpriced: number }>();
  for (const s of subscriptions) {
    if (!BILLABLE.has(s.status)) continue;
    const code = productCode(s);
    const key = aliases.key(code);
    const id = SkuAliases.norm(key);
    let line = lines.get(id);
    if (!line) {
      line = { key, name: null, skus: new Set(), vendors: new Set(), quantity: 0, count: 0, costs: [], unpriced: 0 };
      lines.set(id, line);
    }
    line.name ??= s.name ?? null;
    line.skus.add(code);
    line.vendors.add(s.vendor);
    line.quantity += s.quantity ?? 0;
    line.count += 1;
    const cost = monthlyCost(s);
    if (cost) line.costs.push(cost);
    else line.unpriced += 1;
  }
  return [...lines.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((l) => ({
      key: l.key,
      name: l.name,
      skus: [...l.skus].sort(),
      vendors: VENDOR_ORDER.filter((v) => l.vendors.has(v)),
      quantity: l.quantity,
      subscriptionCount: l.count,
      monthlyCost: sumByCurrency(l.costs),
      unpricedSubscriptions: l.unpriced,
    }));
}

export interface ReconciliationLineModel {
  key: string;
  name: string | null;
  skus: string[];
  vendorQuantity: number;
  billedQuantity: number;
  difference: number;
  direction: 'UNDER_BILLED' | 'OVER_BILLED' | 'MATCHED';
}

function checkBilled(billed: readonly BilledQuantityInput[], argument: string): void {
  if (billed.length > MAX_BILLED) throw badUserInput(`At most ${MAX_BILLED} billed quantities.`, { argument });
  for (const b of billed) {
    // eslint-disable-next-line no-control-regex -- control characters are refused
    if (!b.sku.trim() || b.sku.length > 200 || /[\u0000-\u001f\u007f]/.test(b.sku)) throw badUserInput('A billed sku must be 1 to 200 characters of text.', { argument });
    if (!Number.isInteger(b.quantity) || b.quantity < 0 || b.quantity > 10_000_000) throw badUserInput('A billed quantity must be a whole number from 0 to 10000000.', { argument });
  }
}

export function reconcile(aliases: SkuAliases, summary: SummaryLine[], billed: readonly BilledQuantityInput[]): ReconciliationLineModel[] {
  const lines = new Map<string, { key: string; name: string | null; skus: Set<string>; vendor: number; billed: number }>();
  const line = (key: string) => {
    const id = SkuAliases.norm(key);
    let l = lines.get(id);
    if (!l) {
      l = { key, name: null, skus: new Set(), vendor: 0, billed: 0 };
      lines.set(id, l);
    }
    return l;
  };
  for (const s of summary) {
    const l = line(s.key);
    l.name ??= s.name;
    l.vendor += s.quantity;
    for (const sku of s.skus) l.skus.add(sku);
  }
  for (const b of billed) {
    const l = line(aliases.key(b.sku));
    l.billed += b.quantity;
    l.skus.add(b.sku.trim());
  }
  return [...lines.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((l) => {
      const difference = l.vendor - l.billed;
      return {
        key: l.key,
        name: l.name,
        skus: [...l.skus].sort(),
        vendorQuantity: l.vendor,
        billedQuantity: l.billed,
        difference,
        direction: difference > 0 ? 'UNDER_BILLED' : difference < 0 ? 'OVER_BILLED' : 'MATCHED',
      };
    });
}

async function reconciliationOf(ctx: GraphContext, rt: JoinRuntime, org: OrganizationModel, billed: readonly BilledQuantityInput[]) {
  const subscriptions = await subscriptionsOf(ctx, await customersOf(ctx, rt, org));
  return reconcile(rt.aliases, summarize(rt.aliases, subscriptions), billed);
}

// ---- whole customer lists, matching ----------------------------------------------------

const CUSTOMER_LISTS = Symbol('the whole customer lists of a request');

/** Every customer of a vendor, read once per request in pages of 500. */
function allCustomers(ctx: GraphContext, vendor: VendorName): Promise<CustomerModel[]> {
  const lists = ctx.memo(CUSTOMER_LISTS, () => new Map<VendorName, Promise<CustomerModel[]>>());
  let list = lists.get(vendor);
  if (!list) {
    list = (async () => {
      const part = ctx.session(vendor).customers;
      if (!part?.list) return [];
      const out: CustomerModel[] = [];
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const result = await part.list(out.length, 500, {});
        out.push(...result.items);
        if (!result.hasMore || result.items.length === 0) break;
      }
      return out;
    })();
    lists.set(vendor, list);
  }
  return list;
}

/** The vendors whose customers can be listed, in the graph's order. */
const listingVendors = (ctx: GraphContext) => VENDOR_ORDER.filter((v) => ctx.adapters.get(v)?.listable.includes('Customer'));

/** The customer with the fields matching reads, from its detail where its list row lacks them. */
async function complete(ctx: GraphContext, c: CustomerModel): Promise<CustomerModel> {
  if (!c.lacks?.some((f) => f === 'email' || f === 'externalId' || f === 'contacts')) return c;
  return (await detailOf(ctx, c)) ?? c;
}

const customerProfile = (c: CustomerModel): Profile =>
  profile({ name: c.name, externalId: c.externalId, emails: [c.email, ...(c.contacts ?? []).map((x) => x.email)] });

function checkCandidates(candidates: readonly OrganizationCandidateInput[]): void {
  if (candidates.length > MAX_CANDIDATES) throw badUserInput(`At most ${MAX_CANDIDATES} candidates.`, { argument: 'candidates' });
  for (const c of candidates) {
    for (const value of [c.id, c.name, c.domain, c.externalId]) {
      if (value !== null && value !== undefined && value.length > 200) throw badUserInput('Candidate values must be at most 200 characters.', { argument: 'candidates' });
    }
  }
}

const customerKey = (vendor: VendorName, vendorId: string) => `${vendor}:${vendorId.toLowerCase()}`;

// ---- resolvers -------------------------------------------------------------------------

export const Organization: OrganizationResolvers = {
  // The representation's key field is the configured one (HOST_ORGANIZATION_KEY).
  __resolveReference: (ref, _ctx, info) => ({ key: String((ref as Record<string, unknown>)[runtime(info).options.hostKey]) }),
  id: (o) => o.key,
  vendorCustomers: (o, _args, ctx, info) => customersOf(ctx, runtime(info), o),
  vendorSubscriptions: async (o, args, ctx, info) => {
    const all = await subscriptionsOf(ctx, await customersOf(ctx, runtime(info), o));
    const items = args.status ? all.filter((s) => s.status === args.status) : all;
    return relationConnection(`org-subs:${o.key}:${args.status ?? ''}`.slice(0, 200), items, args.first, args.after);
  },
  licenseSummary: async (o, _args, ctx, info) => {
    const rt = runtime(info);
    return summarize(rt.aliases, await subscriptionsOf(ctx, await customersOf(ctx, rt, o)));
  },
  reconciliation: (o, args, ctx, info) => {
    checkBilled(args.billed, 'billed');
    return reconciliationOf(ctx, runtime(info), o, args.billed);
  },
};

export const CustomerMapping: CustomerMappingResolvers = {
  organization: (m) => ({ key: m.organizationId }),
  customerId: (m) => toGlobalId(m.vendor, 'Customer', m.vendorId),
  customer: (m, _args, ctx) => (ctx.adapters.has(m.vendor) ? getEntity(ctx, m.vendor, 'Customer', m.vendorId) : null),
};

export const joinCustomerFields: Pick<CustomerResolvers, 'organizationId' | 'sameCompanyAt'> = {
  organizationId: (c, _args, ctx, info) => runtime(info).mapping.organizationOf(c.vendor, c.vendorId, ctx.tenant),
  sameCompanyAt: async (c, _args, ctx, info) => {
    const rt = runtime(info);
    const mine = customerProfile(await complete(ctx, c));
    const org = rt.mapping.organizationOf(c.vendor, c.vendorId, ctx.tenant);
    const sameOrg = new Set(org ? rt.mapping.customersOf(org, ctx.tenant).map((m) => customerKey(m.vendor, m.vendorId)) : []);
    const others = listingVendors(ctx).filter((v) => v !== c.vendor);
    const found = await Promise.all(
      others.map(async (vendor) => {
        let list: CustomerModel[];
        try {
          list = await allCustomers(ctx, vendor);
        } catch (error) {
          warn(ctx, vendor, error);
          return [];
        }
        const matches = await Promise.all(
          list.map(async (other) => {
            // A row that cannot match on what it carries is completed only if a domain could still match.
            const row = match(mine, customerProfile(other));
            const full = row || mine.domains.size === 0 ? other : await complete(ctx, other);
            const m = full === other ? row : match(mine, customerProfile(full));
            const mapped = sameOrg.has(customerKey(other.vendor, other.vendorId));
            const weights: Array<[MatchReason, number]> = mapped ? [['MAPPING', WEIGHT.MAPPING]] : [];
            const all = combine([...weights, ...(m?.weights ?? [])]);
            return all ? { customer: full, score: all.score, reasons: all.reasons } : null;
          }),
        );
        return matches.filter(isSome);
      }),
    );
    return found.flat().sort((a, b) => b.score - a.score);
  },
};

export const joinQueries: Pick<QueryResolvers, 'customerMappings' | 'unmappedCustomers' | 'reconciliationExceptions'> = {
  customerMappings: (_root, _args, ctx, info) => runtime(info).mapping.list(ctx.tenant),
  unmappedCustomers: async (_root, args, ctx, info) => {
    const rt = runtime(info);
    const first = checkFirst(args.first, 100);
    const candidates = args.candidates ?? [];
    checkCandidates(candidates);
    const vendors = args.vendor ? [vendorChecked(ctx, args.vendor)] : listingVendors(ctx);
    const lists = await Promise.all(
      vendors.map(async (vendor) => {
        try {
          return await allCustomers(ctx, vendor);
        } catch (error) {
          if (args.vendor) throw error;
          warn(ctx, vendor, error);
          return [];
        }
      }),
    );
    const unmapped = lists.flat().filter((c) => !rt.mapping.organizationOf(c.vendor, c.vendorId, ctx.tenant));
    const page = connectionFromArray(`unmapped:${args.vendor ?? ''}`, unmapped, first, args.after);
    const wanted = candidates.map((c) => ({ id: c.id, profile: profile({ name: c.name, externalId: c.externalId, domains: [c.domain] }) }));
    const nodes: UnmappedCustomerModel[] = await Promise.all(
      page.nodes.map(async (customer) => {
        if (!wanted.length) return { customer, suggestedOrganizations: [] };
        const mine = customerProfile(await complete(ctx, customer));
        const suggestions: SuggestionModel[] = wanted
          .map((w) => {
            const m = match(mine, w.profile);
            return m ? { organization: { key: w.id }, score: m.score, reasons: m.reasons } : null;
          })
          .filter(isSome)
          .sort((a, b) => b.score - a.score || a.organization.key.localeCompare(b.organization.key))
          .slice(0, MAX_SUGGESTIONS);
        return { customer, suggestedOrganizations: suggestions };
      }),
    );
    return { ...page, nodes, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i]! })), totalCount: unmapped.length };
  },
  reconciliationExceptions: async (_root, args, ctx, info) => {
    const rt = runtime(info);
    if (args.organizations.length > MAX_ORGANIZATIONS) throw badUserInput(`At most ${MAX_ORGANIZATIONS} organizations.`, { argument: 'organizations' });
    const billed = new Map<string, BilledQuantityInput[]>();
    for (const o of args.organizations) {
      checkBilled(o.billed, 'organizations');
      billed.set(o.organizationId, [...(billed.get(o.organizationId) ?? []), ...o.billed]);
    }
    const ids = [...new Set([...rt.mapping.list(ctx.tenant).map((m) => m.organizationId), ...billed.keys()])].sort();
    const perOrg = await Promise.all(
      ids.map(async (id) => {
        const lines = await reconciliationOf(ctx, rt, { key: id }, billed.get(id) ?? []);
        return lines.filter((l) => l.direction !== 'MATCHED').map((line) => ({ organizationId: id, organization: { key: id }, line }));
      }),
    );
    return perOrg.flat();
  },
};

function mappingInput(ctx: GraphContext, organizationId: string, customerId: string) {
  const check = new InputCheck();
  check.text(['organizationId'], organizationId, 200, true);
  const customer = check.id(ctx, ['customerId'], customerId, 'Customer');
  check.done();
  return customer!;
}

export const joinMutations: Pick<MutationResolvers, 'mapCustomer' | 'unmapCustomer'> = {
  mapCustomer: (_root, { organizationId, customerId }, ctx, info) =>
    mutate(async () => {
      const rt = runtime(info);
      const gid = mappingInput(ctx, organizationId, customerId);
      // Only customers the vendor has: one (batched) read.
      const customer = await getEntity(ctx, gid.vendor, 'Customer', gid.vendorId);
      if (!customer) throw new InputErrors([{ field: ['customerId'], message: `${VENDOR_LABEL[gid.vendor]} has no such customer.`, code: 'NOT_FOUND' }]);
      const result = rt.mapping.map(organizationId, customer.vendor, customer.vendorId, ctx.tenant);
      if (!result.ok) throw new InputErrors([{ field: result.code === 'ALREADY_MAPPED' ? ['customerId'] : null, message: result.message, code: result.code }]);
      return { mapping: result.mapping };
    }),
  unmapCustomer: (_root, { organizationId, customerId }, ctx, info) =>
    mutate(async () => {
      const rt = runtime(info);
      const gid = mappingInput(ctx, organizationId, customerId);
      if (rt.mapping.problem) throw new InputErrors([{ field: null, message: `The mapping file cannot be used (${rt.mapping.problem}); fix it before changing the mapping.`, code: 'MAPPING_FILE_INVALID' }]);
      const removed = rt.mapping.unmap(organizationId, gid.vendor, gid.vendorId, ctx.tenant);
      if (!removed) throw new InputErrors([{ field: ['customerId'], message: `This customer is not mapped to organisation "${organizationId}".`, code: 'NOT_FOUND' }]);
      return { mapping: removed };
    }),
};
