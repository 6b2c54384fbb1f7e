/**
 * Cloudmore subscriptions, from the per-kind endpoints of the endpoint index (Microsoft CSP
 * NCE, legacy CSP, Azure, Azure plan, custom services), each row typed by the endpoint it
 * came from (`serviceType`).
 *
 * Which customer a row belongs to must be documented: the organization-level endpoints say
 * it in their path; the reseller-level ones (`R/services/csp/nce/subscriptions`,
 * `R/services/csp/Subscriptions`, `R/services/azure/Subscriptions`,
 * `R/services/{serviceId}/subscriptions`) say it only if their rows carry an organization
 * id, which no source names. Two plans, for the organizations resolved in one tick (N,
 * batched by a DataLoader), after `GET R/services` (1: which service is which kind, by its
 * `type` [I]):
 * - documented (per organization): its services (`GET R/organizations/{id}/services`, 1)
 *   and then only the lists they need: a Microsoft 365 (CSP) service → `…/csp/nce/subscriptions`
 *   and `…/csp/subscriptions`, an Azure service → `…/azure/subscriptions` and
 *   `…/azureplan/subscriptions`, each custom service → `…/services/{serviceId}/subscriptions`
 *   (a service whose type says neither, or a row naming no service: every list; with
 *   `CLOUDMORE_SHORTCUTS=off` every typed list, since that the organization's services name
 *   its Microsoft ones is inferred [I]). Its cost
 *   is 1 + those lists per organization, at least 2 when it has any service. (Reading every
 *   list without asking, 4 + custom services, is cheaper only for an organization with
 *   every service, by one call, and the graph cannot know that beforehand.)
 * - reseller level, an InferredShortcut ("reseller-level subscription rows name their
 *   organization", as in the `extended` simulator): the three typed reseller lists and one
 *   per custom service (3 + c, shared by all organizations of the request) + each
 *   organization's `…/azureplan/subscriptions` (no reseller-level one exists): 3 + c + N.
 *   Used when it is cheaper than the documented plan's least cost (N > 3 + c, 2 per
 *   organization), or when this request has read those lists already (then N).
 * In `auto` the shortcut is tried until a reseller-level row without an organization is seen
 * once (its reseller-level lists were then read in vain, once per adapter); then the
 * documented plan is used for the adapter's lifetime. A subscription by id, or the list of
 * every subscription, reads every organization that way (plus `GET R/Organizations`).
 *
 * Each row tells the products part which services' price lists hold its product
 * (`loaders.productServices`): the custom service of its list, or the services of its kind.
 *
 * `ofCustomerService` ("Organization service subscriptions", including cancelled): `GET
 * R/organizations/{id}/services/{serviceId}/subscriptions` for a custom service; a Microsoft
 * service's subscriptions live on their typed endpoints (the custom-service endpoint does
 * not know them), so they are the organization's subscriptions of those kinds.
 */
import DataLoader from 'dataloader';
import type { CustomerServiceModel, SubscriptionModel } from '../../model.js';
import { filteredPage } from '../shared.js';
import type { SubscriptionOps } from '../types.js';
import { MEMO, OwnerUnknown, asError, type CloudmoreCore, type J, type ServiceSets, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

/** The Microsoft kinds with a reseller-level list, in the order rows are merged. */
const RESELLER_KINDS = ['nce', 'csp', 'azure'] as const;
/** Every Microsoft kind with an organization-level list (Azure plan has no reseller-level one), in the order rows are merged. */
const ORGANIZATION_KINDS = ['nce', 'csp', 'azure', 'azureplan'] as const;
type TypedKind = (typeof ORGANIZATION_KINDS)[number];
/** The least the documented plan costs per organization with any service: its services and one list. */
const DOCUMENTED_LEAST = 2;

/** One subscription list to read: its kind, path, and the reseller services whose subscriptions it holds. */
interface Source {
  kind: map.SubscriptionKind;
  path: string;
  services: readonly string[];
}

/** The reseller-level subscriptions of one organization (shortcut): Microsoft rows, then custom-service rows. */
interface OwnedRows {
  typed: SubscriptionModel[];
  custom: SubscriptionModel[];
}

interface SubscriptionIndex {
  list: SubscriptionModel[];
  byId: Map<string, SubscriptionModel>;
}

/** Keeps the first subscription of each id (Microsoft kinds come before custom services). */
function distinct(subscriptions: SubscriptionModel[]): SubscriptionModel[] {
  const seen = new Set<string>();
  return subscriptions.filter((s) => (seen.has(s.vendorId) ? false : (seen.add(s.vendorId), true)));
}

export function subscriptionsPart(core: CloudmoreCore, loaders: SessionLoaders): SubscriptionOps {
  const { paths, resellerRows } = core;
  const { memo, productServices } = loaders;

  /** A row → Subscription, telling the products part which price lists hold its product. */
  const toSubscription = (row: J, source: Source, organizationId: string): SubscriptionModel => {
    const subscription = map.toSubscription(row, { kind: source.kind, organizationId });
    productServices.add(subscription.productVendorId, source.services);
    return subscription;
  };

  /** One organization-level list (a 404 is an empty list). */
  const rowsOf = (source: Source, organizationId: string) =>
    loaders
      .listOrNone(source.path, source.kind === 'azureplan' ? map.listOrOne : undefined)
      .then((rows) => rows.map((row) => toSubscription(row, source, organizationId)));

  const typedSource = (kind: TypedKind, organizationId: string, services: ServiceSets): Source => ({
    kind,
    path: paths.organizationSubscriptions[kind](organizationId),
    services: services.ofKind(kind),
  });
  const customSource = (organizationId: string, serviceId: string): Source => ({
    kind: 'custom',
    path: paths.organizationServiceSubscriptions(organizationId, serviceId),
    services: [serviceId],
  });

  /** The reseller-level subscriptions grouped by organization (the shortcut), or null for the documented plan. */
  const resellerLevel = (): Promise<Map<string, OwnedRows> | null> =>
    memo.get(MEMO.resellerRows, () =>
      resellerRows.run(
        () => readResellerLevel(),
        async () => null,
      ),
    );

  async function readResellerLevel(): Promise<Map<string, OwnedRows>> {
    const services = await loaders.serviceSets();
    const sources: Source[] = [
      ...RESELLER_KINDS.map((kind) => ({ kind, path: paths.resellerSubscriptions[kind], services: services.ofKind(kind) })),
      ...services.custom.map((serviceId) => ({ kind: 'custom' as const, path: paths.serviceSubscriptions(serviceId), services: [serviceId] })),
    ];
    const lists = await Promise.all(sources.map((source) => loaders.listOrNone(source.path)));
    const byOrganization = new Map<string, OwnedRows>();
    sources.forEach((source, i) => {
      for (const row of lists[i] ?? []) {
        const organizationId = map.rowOrganizationId(row);
        if (!organizationId) throw new OwnerUnknown(source.path);
        let owned = byOrganization.get(organizationId);
        if (!owned) byOrganization.set(organizationId, (owned = { typed: [], custom: [] }));
        (source.kind === 'custom' ? owned.custom : owned.typed).push(toSubscription(row, source, organizationId));
      }
    });
    return byOrganization;
  }

  /** The reseller-level plan for this many organizations, when it is the cheaper one (and the vendor has not refused it). */
  async function resellerPlanFor(organizations: number, services: ServiceSets): Promise<Map<string, OwnedRows> | null> {
    if (!resellerRows.enabled) return null;
    const shared = RESELLER_KINDS.length + services.custom.length;
    const read = memo.has(MEMO.resellerRows);
    if (!read && shared + organizations >= DOCUMENTED_LEAST * organizations) return null;
    return resellerLevel();
  }

  /** Whether the reseller-level plan could be the cheaper one for this many organizations (with no custom service it costs the least). */
  const resellerPlanPossible = (organizations: number): boolean =>
    resellerRows.enabled && (memo.has(MEMO.resellerRows) || RESELLER_KINDS.length + organizations < DOCUMENTED_LEAST * organizations);

  /** The lists an organization's services call for (documented plan), in merge order: the typed kinds, then its custom services. */
  async function organizationSources(id: string, services: ServiceSets): Promise<Source[]> {
    const serviceIds = (await loaders.listOrNone(paths.organizationServices(id))).map(map.organizationServiceId);
    const kinds = new Set<map.SubscriptionKind>();
    const custom = new Set<string>();
    for (const serviceId of serviceIds) {
      // A row naming no service: every list (a custom-service list of a service it lacks is a 404, an empty list).
      if (serviceId === null) {
        for (const kind of ORGANIZATION_KINDS) kinds.add(kind);
        for (const s of services.custom) custom.add(s);
        continue;
      }
      // Not a reseller service: its own custom-service list; a type that says neither: that and every typed list.
      const of = services.all.has(serviceId) ? services.kinds.get(serviceId) : ['custom' as const];
      for (const kind of of ?? [...ORGANIZATION_KINDS, 'custom' as const]) {
        if (kind === 'custom') custom.add(serviceId);
        else kinds.add(kind);
      }
    }
    // That an organization's services name its Microsoft ones is inferred: with shortcuts off, every typed list.
    if (core.config.shortcuts === 'off') for (const kind of ORGANIZATION_KINDS) kinds.add(kind);
    return [
      ...ORGANIZATION_KINDS.filter((kind) => kinds.has(kind)).map((kind) => typedSource(kind, id, services)),
      ...services.custom.filter((s) => custom.has(s)).map((s) => customSource(id, s)),
      ...[...custom].filter((s) => !services.all.has(s)).map((s) => customSource(id, s)),
    ];
  }

  /** One organization's subscriptions, documented plan. */
  async function viaOrganization(id: string, services: ServiceSets): Promise<SubscriptionModel[]> {
    const sources = await organizationSources(id, services);
    return distinct((await Promise.all(sources.map((source) => rowsOf(source, id)))).flat());
  }

  /** One organization's subscriptions, reseller-level plan: its rows of the shared lists and its own Azure plan list. */
  async function viaReseller(id: string, owned: OwnedRows | undefined, services: ServiceSets): Promise<SubscriptionModel[]> {
    const plan = await rowsOf(typedSource('azureplan', id, services), id);
    return distinct([...(owned?.typed ?? []), ...plan, ...(owned?.custom ?? [])]);
  }

  /** The organizations whose subscriptions one tick asks for, by the cheaper plan for that many (memoised per organization). */
  const organizationBatch = new DataLoader<string, SubscriptionModel[]>(
    async (ids) => {
      // Too few organizations for the reseller-level plan to be cheaper, whatever the
      // services: each one's services list is read along with the reseller's, not after it.
      if (!resellerPlanPossible(ids.length)) for (const id of ids) void loaders.listOrNone(paths.organizationServices(id)).catch(() => undefined);
      const services = await loaders.serviceSets();
      const reseller = await resellerPlanFor(ids.length, services);
      return Promise.all(ids.map((id) => (reseller ? viaReseller(id, reseller.get(id), services) : viaOrganization(id, services)).catch(asError)));
    },
    { cache: false },
  );

  /** Every subscription of one organization, in a fixed order: NCE, legacy CSP, Azure, Azure plan, custom services. */
  const ofOrganization = (id: string): Promise<SubscriptionModel[]> => memo.get(MEMO.organizationSubscriptions(id), () => organizationBatch.load(id));

  /** Every subscription of every organization, in organization order. */
  const index = (): Promise<SubscriptionIndex> =>
    memo.get(MEMO.subscriptionIndex, async () => {
      const organizations = await loaders.organizations();
      const lists = await Promise.all(organizations.map((o) => ofOrganization(o.vendorId)));
      const list = distinct(lists.flat());
      return { list, byId: new Map(list.map((s) => [s.vendorId, s])) };
    });

  return {
    get: async (vendorId) => (await index()).byId.get(map.idKey(vendorId)) ?? null,

    async list(offset, limit, filter) {
      // Vendor ids in filters come from global ids: compare them in Cloudmore's (lower) case.
      const f = filter.customerVendorId ? { ...filter, customerVendorId: map.idKey(filter.customerVendorId) } : filter;
      // One customer's subscriptions need only that organization's lists.
      const source = f.customerVendorId ? await ofOrganization(f.customerVendorId) : (await index()).list;
      return filteredPage(source, offset, limit, f);
    },

    ofCustomer: (customer) => ofOrganization(map.idKey(customer.vendorId)),

    async ofCustomerService(service: CustomerServiceModel) {
      const organizationId = map.idKey(service.customerVendorId);
      const serviceId = map.idKey(service.serviceVendorId ?? service.vendorId);
      const reseller = (await loaders.serviceSets()).byId.get(serviceId);
      if (reseller && map.isMicrosoftService(reseller)) {
        const kinds = new Set(map.microsoftKinds(reseller).map((k) => map.SERVICE_TYPE[k]));
        return (await ofOrganization(organizationId)).filter((s) => s.serviceType && kinds.has(s.serviceType));
      }
      return rowsOf(customSource(organizationId, serviceId), organizationId);
    },
  };
}
