/**
 * Cloudmore subscription routes, one set per kind of service, each on the paths the
 * endpoint index publishes (R = /api/resellers/{resellerId}):
 *
 * | kind      | reseller level                          | organization level (R/organizations/{organizationId}/…) |
 * |-----------|-----------------------------------------|----------------------------------------------------------|
 * | nce       | GET R/services/csp/nce/subscriptions    | GET services/csp/nce/subscriptions[/{id}]                |
 * | csp       | GET R/services/csp/Subscriptions        | GET services/csp/subscriptions[/{id}]                    |
 * | azure     | GET R/services/azure/Subscriptions      | GET services/azure/subscriptions                         |
 * | azureplan | —                                       | GET services/azureplan/subscriptions[/{id}]              |
 * | custom    | GET R/services/{serviceId}/subscriptions | GET/POST services/{serviceId}/subscriptions, GET/PUT/DELETE …/{subscriptionId} |
 *
 * Profiles (see README.md, "Subscriptions"):
 * - `documented`: rows carry no owner fields (organizationId, organizationName, serviceId:
 *   no source names them); the custom-service endpoints know custom services only, a
 *   Microsoft CSP or Azure service id there is 404 (those subscriptions live on their own
 *   endpoints).
 * - `extended`: rows carry the owner fields, and the custom-service endpoints also serve
 *   the Microsoft subscriptions of a Microsoft service (the simulator's earlier behaviour).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originOf } from '../shared/server.js';
import type { SimControl } from '../shared/control.js';
import { azurePlanView, subscriptionView, type CloudmoreStore, type OrganizationRecord, type ServiceRecord, type SubscriptionRecord } from './data.js';
import { ModelValidator, invalid, jsonBody, notFound } from './errors.js';
import type { SubscriptionKind } from './models.js';
import { findOrgService, findOrganization, findService, params, resellerRouter } from './routes.js';

/** The typed (Microsoft) kinds and their path under `…/services/`, spelled as in the index. */
const TYPED: ReadonlyArray<{ kind: Exclude<SubscriptionKind, 'custom'>; reseller: string | null; organization: string; byId: boolean }> = [
  { kind: 'nce', reseller: '/services/csp/nce/subscriptions', organization: 'csp/nce/subscriptions', byId: true },
  { kind: 'csp', reseller: '/services/csp/Subscriptions', organization: 'csp/subscriptions', byId: true },
  { kind: 'azure', reseller: '/services/azure/Subscriptions', organization: 'azure/subscriptions', byId: false },
  { kind: 'azureplan', reseller: null, organization: 'azureplan/subscriptions', byId: true },
];

/** The kind a subscription created on a custom-service endpoint gets (extended allows Microsoft services there). */
function createdKind(service: ServiceRecord): SubscriptionKind {
  if (service.type === 'MicrosoftCsp') return 'nce';
  if (service.type === 'MicrosoftAzure') return 'azure';
  return 'custom';
}

export function registerSubscriptionRoutes(app: FastifyInstance, control: SimControl, store: CloudmoreStore): void {
  const route = resellerRouter(app, control);
  const profile = control.profile;
  const now = () => new Date(control.now());
  const view = (s: SubscriptionRecord) => (s.kind === 'azureplan' ? azurePlanView(store, s, profile) : subscriptionView(store, s, profile));

  // ---- Microsoft kinds: reseller level (every organization) and organization level
  for (const t of TYPED) {
    if (t.reseller) {
      route('GET', t.reseller, async () => {
        const out = [];
        for (const org of store.organizations.values()) for (const s of org.subscriptions) if (s.kind === t.kind) out.push(view(s));
        return out;
      });
    }
    const O = `/organizations/:organizationId/services/${t.organization}`;
    route('GET', O, async (request) => {
      const org = findOrganization(store, params(request).organizationId);
      return org.subscriptions.filter((s) => s.kind === t.kind).map(view);
    });
    if (t.byId) {
      route('GET', `${O}/:id`, async (request) => {
        const org = findOrganization(store, params(request).organizationId);
        const id = (params(request).id ?? '').toLowerCase();
        const sub = org.subscriptions.find((s) => s.id === id && s.kind === t.kind);
        if (!sub) throw notFound(`Subscription '${params(request).id}' was not found.`);
        return view(sub);
      });
    }
  }

  // ---- custom services
  /** Is this service's subscriptions served on the custom-service endpoints in this profile? */
  const onCustomEndpoints = (service: ServiceRecord): boolean => profile === 'extended' || service.type === 'Custom';
  /** Which subscriptions of the service those endpoints show. */
  const shown = (s: SubscriptionRecord, service: ServiceRecord): boolean => s.serviceId === service.id && (profile === 'extended' || s.kind === 'custom');
  const customService = (service: ServiceRecord): ServiceRecord => {
    if (!onCustomEndpoints(service)) throw notFound(`Service '${service.id}' is not a custom service.`);
    return service;
  };

  route('GET', '/services/:serviceId/subscriptions', async (request) => {
    const service = customService(findService(store, params(request).serviceId));
    const out = [];
    for (const org of store.organizations.values()) for (const s of org.subscriptions) if (shown(s, service)) out.push(view(s));
    return out;
  });

  const S = '/organizations/:organizationId/services/:serviceId/subscriptions';
  const orgAndService = (request: FastifyRequest): { org: OrganizationRecord; service: ServiceRecord } => {
    const org = findOrganization(store, params(request).organizationId);
    const { service } = findOrgService(store, org, params(request).serviceId);
    return { org, service: customService(service) };
  };
  const findSubscription = (org: OrganizationRecord, service: ServiceRecord, id: string | undefined): SubscriptionRecord => {
    const sub = org.subscriptions.find((s) => s.id === (id ?? '').toLowerCase() && shown(s, service));
    if (!sub) throw notFound(`Subscription '${id}' was not found.`);
    return sub;
  };

  route('GET', S, async (request) => {
    const { org, service } = orgAndService(request);
    return org.subscriptions.filter((s) => shown(s, service)).map(view);
  });

  route('POST', S, async (request, reply) => {
    const { org, service } = orgAndService(request);
    const body = jsonBody(request);
    const v = new ModelValidator();
    const productId = v.string(body, 'productId', 'ProductId', { required: true, max: 36 });
    const quantity = v.integer(body, 'quantity', 'Quantity', { required: true, min: 1, max: 100_000 });
    const name = v.string(body, 'name', 'Name', { max: 200 });
    const autoRenew = v.boolean(body, 'autoRenew', 'AutoRenew');
    v.throwIfInvalid();
    const product = store.productsById.get((productId ?? '').toLowerCase());
    if (!product || product.serviceId !== service.id) {
      throw invalid(`Product '${productId}' is not in the price list of service '${service.name}'.`);
    }
    const created = now();
    const term = product.catalog.term === 'annual' ? 365 : 30;
    const sub: SubscriptionRecord = {
      id: store.ids.guid(),
      kind: createdKind(service),
      organizationId: org.id,
      serviceId: service.id,
      productId: product.id,
      name: name ?? product.catalog.name,
      quantity: quantity ?? 1,
      status: 'Active',
      autoRenew: autoRenew ?? true,
      startDate: created,
      renewalDate: new Date(created.getTime() + term * 86_400_000),
      cancelledDate: null,
      createdDate: created,
      modifiedDate: created,
    };
    org.subscriptions.push(sub);
    store.subscriptions.set(sub.id, sub);
    const { resellerId } = params(request);
    void reply
      .code(201)
      .header('location', `${originOf(request)}/api/resellers/${resellerId}/organizations/${org.id}/services/${service.id}/subscriptions/${sub.id}`);
    return view(sub);
  });

  route('GET', `${S}/:subscriptionId`, async (request) => {
    const { org, service } = orgAndService(request);
    return view(findSubscription(org, service, params(request).subscriptionId));
  });

  route('PUT', `${S}/:subscriptionId`, async (request) => {
    const { org, service } = orgAndService(request);
    const sub = findSubscription(org, service, params(request).subscriptionId);
    const body = jsonBody(request);
    const v = new ModelValidator();
    const quantity = v.integer(body, 'quantity', 'Quantity', { required: true, min: 1, max: 100_000 });
    const name = v.string(body, 'name', 'Name', { max: 200 });
    const autoRenew = v.boolean(body, 'autoRenew', 'AutoRenew');
    v.throwIfInvalid();
    if (sub.status === 'Cancelled') throw invalid(`Subscription '${sub.id}' is cancelled and cannot be changed.`, 'SubscriptionCancelled');
    if (quantity !== undefined) sub.quantity = quantity;
    if (name) sub.name = name;
    if (autoRenew !== undefined) sub.autoRenew = autoRenew;
    sub.modifiedDate = now();
    return view(sub);
  });

  // DELETE cancels (idempotent [U]); the subscription stays listed with status Cancelled.
  route('DELETE', `${S}/:subscriptionId`, async (request, reply) => {
    const { org, service } = orgAndService(request);
    const sub = findSubscription(org, service, params(request).subscriptionId);
    if (sub.status !== 'Cancelled') {
      const at = now();
      sub.status = 'Cancelled';
      sub.cancelledDate = at;
      sub.renewalDate = null;
      sub.modifiedDate = at;
    }
    return reply.code(204).send();
  });
}
