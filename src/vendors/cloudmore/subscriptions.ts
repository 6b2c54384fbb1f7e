/**
 * Cloudmore subscriptions, from the per-kind endpoints of the endpoint index (Microsoft CSP
 * NCE, legacy CSP, Azure, Azure plan, custom services), each row typed by the endpoint it
 * came from (`serviceType`).
 *
 * Which customer a row belongs to must be documented: the organization-level endpoints say
 * it in their path; the reseller-level ones (`R/services/csp/nce/subscriptions`,
 * `R/services/csp/Subscriptions`, `R/services/azure/Subscriptions`,
 * `R/services/{serviceId}/subscriptions`) say it only if their rows carry an organization
 * id, which no source names. So the reseller-level lists are an InferredShortcut
 * ("reseller-level subscription rows name their organization"):
 * - shortcut (rows name their organization, as in the `extended` simulator): `GET
 *   R/services` (1) + the three typed reseller lists (3) + one per custom service (c),
 *   shared by all customers, + `GET R/organizations/{id}/services/azureplan/subscriptions`
 *   per customer (Azure plan has organization-level endpoints only): 4 + c + N;
 * - documented form (after a refusal, or with `shortcuts: off`): `GET R/services` (1) + per
 *   customer its four typed lists (`…/csp/nce/subscriptions`, `…/csp/subscriptions`,
 *   `…/azure/subscriptions`, `…/azureplan/subscriptions`), its services (`GET
 *   R/organizations/{id}/services`) and one `…/services/{serviceId}/subscriptions` per custom
 *   service it has: 1 + N × 5 + Σ custom services.
 * In `auto` the shortcut is tried until a reseller-level row without an organization is seen
 * once (its reseller-level lists were then read in vain, once per adapter); then the
 * documented form is used for the adapter's lifetime. A subscription by id, or the list of
 * every subscription, reads every organization that way (plus `GET R/Organizations`).
 *
 * `ofCustomerService` ("Organization service subscriptions", including cancelled): `GET
 * R/organizations/{id}/services/{serviceId}/subscriptions` for a custom service; a Microsoft
 * service's subscriptions live on their typed endpoints (the custom-service endpoint does
 * not know them), so they are the organization's subscriptions of those kinds.
 */
import type { CustomerServiceModel, SubscriptionModel } from '../../model.js';
import { filteredPage } from '../shared.js';
import type { SubscriptionOps } from '../types.js';
import { MEMO, OwnerUnknown, type CloudmoreCore, type J, type ServiceSets, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

/** The Microsoft kinds with a reseller-level list, in the order rows are merged. */
const RESELLER_KINDS = ['nce', 'csp', 'azure'] as const;
/** Every Microsoft kind with an organization-level list (Azure plan has no reseller-level one). */
const ORGANIZATION_KINDS = ['nce', 'csp', 'azure', 'azureplan'] as const;

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
  const { memo } = loaders;

  const rowsOf = (kind: map.SubscriptionKind, organizationId: string, path: string, read?: (b: J) => J[]) =>
    loaders.listOrNone(path, read).then((rows) => rows.map((row) => map.toSubscription(row, { kind, organizationId })));

  /** The reseller-level subscriptions grouped by organization (the shortcut), or null for the documented form. */
  const resellerLevel = (): Promise<Map<string, OwnedRows> | null> =>
    memo.get(MEMO.resellerRows, () =>
      resellerRows.run(
        () => readResellerLevel(),
        async () => null,
      ),
    );

  async function readResellerLevel(): Promise<Map<string, OwnedRows>> {
    const { custom } = await loaders.serviceSets();
    const sources = [
      ...RESELLER_KINDS.map((kind) => ({ kind: kind as map.SubscriptionKind, path: paths.resellerSubscriptions[kind] })),
      ...custom.map((serviceId) => ({ kind: 'custom' as map.SubscriptionKind, path: paths.serviceSubscriptions(serviceId) })),
    ];
    const lists = await Promise.all(sources.map((source) => loaders.listOrNone(source.path)));
    const byOrganization = new Map<string, OwnedRows>();
    sources.forEach((source, i) => {
      for (const row of lists[i] ?? []) {
        const organizationId = map.rowOrganizationId(row);
        if (!organizationId) throw new OwnerUnknown(source.path);
        let owned = byOrganization.get(organizationId);
        if (!owned) byOrganization.set(organizationId, (owned = { typed: [], custom: [] }));
        (source.kind === 'custom' ? owned.custom : owned.typed).push(map.toSubscription(row, { kind: source.kind, organizationId }));
      }
    });
    return byOrganization;
  }

  /** Custom-service subscriptions of one organization: its services, then one list per custom service it has. */
  async function organizationCustom(id: string, services: ServiceSets): Promise<SubscriptionModel[]> {
    const ids = (await loaders.listOrNone(paths.organizationServices(id))).map(map.organizationServiceId);
    // A row without a service id: read every custom service (a 404 is an empty list).
    const wanted = ids.some((s) => s === null)
      ? services.custom
      : [...services.custom.filter((s) => ids.includes(s)), ...(ids as string[]).filter((s) => !services.all.has(s))];
    const lists = await Promise.all(wanted.map((serviceId) => rowsOf('custom', id, paths.organizationServiceSubscriptions(id, serviceId))));
    return lists.flat();
  }

  /** Every subscription of one organization, in a fixed order: NCE, legacy CSP, Azure, Azure plan, custom services. */
  const ofOrganization = (id: string): Promise<SubscriptionModel[]> =>
    memo.get(MEMO.organizationSubscriptions(id), async () => {
      const [services, reseller] = await Promise.all([loaders.serviceSets(), resellerLevel()]);
      const typedKinds = reseller ? (['azureplan'] as const) : ORGANIZATION_KINDS;
      const [typed, custom] = await Promise.all([
        Promise.all(typedKinds.map((kind) => rowsOf(kind, id, paths.organizationSubscriptions[kind](id), kind === 'azureplan' ? map.listOrOne : undefined))),
        reseller ? Promise.resolve(reseller.get(id)?.custom ?? []) : organizationCustom(id, services),
      ]);
      const owned = reseller?.get(id)?.typed ?? [];
      return distinct([...owned, ...typed.flat(), ...custom]);
    });

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
      return rowsOf('custom', organizationId, paths.organizationServiceSubscriptions(organizationId, serviceId));
    },
  };
}
