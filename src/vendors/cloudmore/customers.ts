/**
 * Cloudmore organizations as customers: reads, CRUD, the organization's services and its
 * Estore.
 *
 * Reads: `GET R/Organizations` (one call) serves every list page and any number of by-id
 * loads. When one tick asks for at most DETAIL_LIMIT (2) organizations by id and the list
 * has not been requested in this request, each is read with `GET R/Organizations/{id}`
 * instead. List rows lack contact, address and e-mail (`lacks`): selecting those fields
 * costs one `GET R/Organizations/{id}` per organization shown (`detail`, deduplicated).
 *
 * Writes (never retried; a 4xx reaches the resolver, which makes it a userError):
 * - create: `POST R/Organizations` (201 + the detail) → primes the by-id loaders;
 * - update: `GET R/Organizations/{id}` (the current detail: Cloudmore's PUT replaces the
 *   organization) + `PUT R/Organizations/{id}`;
 * - delete: `DELETE R/Organizations/{id}` (204);
 * - addService: `POST R/organizations/{id}/services` `{serviceId, customProperties?}` (201);
 * - removeService: `DELETE R/organizations/{id}/services/{serviceId}` (204; Cloudmore
 *   refuses it while the service has subscriptions that are not cancelled).
 * Each drops the request's stale entries (organization list, detail, services, Estore,
 * subscriptions) so a read in the same request shows the change.
 */
import DataLoader from 'dataloader';
import { UpstreamError, badUserInput, isNotFound, unsupported } from '../../errors.js';
import type { CustomerModel, CustomerServiceModel, VendorServiceModel } from '../../model.js';
import { GUID, filteredPage } from '../shared.js';
import type { CustomerCreate, CustomerOps, CustomerWrite } from '../types.js';
import { MEMO, VENDOR, asError, type CloudmoreCore, type J, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

/** By-id organization loads of one tick up to this many use the detail GET, more use the list. */
const DETAIL_LIMIT = 2;

/** A service id in a path must be a GUID: a word there names another endpoint (`services/Azure`, `services/Csp`). */
function serviceIdChecked(serviceVendorId: string): string {
  if (!GUID.test(serviceVendorId)) throw badUserInput('serviceId is not a Cloudmore service id (a GUID).', { argument: 'serviceId' });
  return map.idKey(serviceVendorId);
}

export function customersPart(core: CloudmoreCore, loaders: SessionLoaders): CustomerOps {
  const { http, paths } = core;
  const { gets, memo } = loaders;

  /** Organization details (`GET R/Organizations/{id}`): complete customers, null when gone. */
  const details = new DataLoader<string, CustomerModel | null>((ids) =>
    Promise.all(
      ids.map((id) =>
        gets.load(paths.organization(id)).then(
          (body) => map.toCustomer(body),
          (error: unknown) => (isNotFound(error) ? null : asError(error)),
        ),
      ),
    ),
  );

  const byId = new DataLoader<string, CustomerModel | null>(async (ids) => {
    if (ids.length <= DETAIL_LIMIT && !memo.has(MEMO.organizations)) return details.loadMany(ids);
    const index = await loaders.organizationIndex();
    return ids.map((id) => index.get(id) ?? null);
  });

  /** After a write: the organization as Cloudmore answered it, in every loader of this request. */
  const remember = (id: string, body: J | null): CustomerModel | null => {
    const key = map.idKey(id);
    gets.clear(paths.organization(key));
    details.clear(key);
    byId.clear(key);
    loaders.organizationsChanged();
    if (!body || typeof body !== 'object') return null;
    gets.prime(paths.organization(key), body);
    const customer = map.toCustomer(body);
    details.prime(key, customer);
    byId.prime(key, customer);
    return customer;
  };

  /** The organization's detail after a write that answered without one. */
  const reread = async (id: string): Promise<CustomerModel> => {
    const customer = await details.load(map.idKey(id));
    if (!customer) throw new UpstreamError(VENDOR, null, 'UPSTREAM_ERROR', `organization ${id} was not found after the write`);
    return customer;
  };

  return {
    get: (vendorId) => byId.load(map.idKey(vendorId)),

    async list(offset, limit, filter) {
      if (filter.email && !map.ORGANIZATION_LIST_HAS_EMAIL) throw unsupported(VENDOR, 'filtering customers by e-mail');
      if (filter.billingAddressUpdatedSince) throw unsupported(VENDOR, 'filtering customers by billing address changes');
      const all = await loaders.organizations();
      // List rows without a modification date cannot answer `updatedSince` (one detail GET per organization would).
      if (filter.updatedSince && all.some((c) => c.lacks?.includes('updatedAt'))) throw unsupported(VENDOR, 'filtering customers by updatedSince');
      return filteredPage(all, offset, limit, filter);
    },

    /** An organization list row lacks contact, address and e-mail: its detail GET has them (batched, deduplicated). */
    async detail(entity) {
      if (!entity.lacks?.length) return entity;
      return details.load(map.idKey(entity.vendorId));
    },

    async services(customer): Promise<CustomerServiceModel[]> {
      const rows = await loaders.getList(paths.organizationServices(map.idKey(customer.vendorId)));
      return rows.map((row) => map.toCustomerService(row, customer.vendorId));
    },

    async estore(customer): Promise<VendorServiceModel[]> {
      return (await loaders.getList(paths.estore(map.idKey(customer.vendorId)))).map(map.toVendorService);
    },

    async create(input: CustomerCreate) {
      const { body, headers } = await http.send<J>('POST', paths.organizations, map.organizationCreateBody(input));
      const id = body?.id ? String(body.id) : map.guidOfLocation(headers.location);
      if (!id) throw new UpstreamError(VENDOR, null, 'UPSTREAM_ERROR', 'the organization was created but Cloudmore did not say its id');
      return remember(id, body?.id ? body : null) ?? reread(id);
    },

    async update(vendorId: string, input: CustomerWrite) {
      const id = map.idKey(vendorId);
      const current = await gets.load(paths.organization(id));
      const { body } = await http.send<J>('PUT', paths.organization(id), map.organizationUpdateBody(current, input));
      return remember(id, body?.id ? body : null) ?? reread(id);
    },

    async delete(vendorId: string) {
      const id = map.idKey(vendorId);
      await http.send('DELETE', paths.organization(id));
      remember(id, null);
      details.prime(id, null);
      byId.prime(id, null);
      loaders.organizationServicesChanged(id);
    },

    async addService(customerVendorId, serviceVendorId, properties) {
      const id = map.idKey(customerVendorId);
      const service = serviceIdChecked(serviceVendorId);
      const { body } = await http.send<J>('POST', paths.organizationServices(id), map.organizationServiceAddBody(service, properties));
      loaders.organizationServicesChanged(id, service);
      if (body && typeof body === 'object' && (body.id || body.serviceId)) return map.toCustomerService(body, id);
      // No body: the service as the organization's list now shows it.
      const rows = await loaders.getList(paths.organizationServices(id));
      const row = rows.find((r) => map.organizationServiceId(r) === service);
      return map.toCustomerService(row ?? { id: service, serviceId: service }, id);
    },

    async removeService(customerVendorId, serviceVendorId) {
      const id = map.idKey(customerVendorId);
      const service = serviceIdChecked(serviceVendorId);
      await http.send('DELETE', paths.organizationService(id, service));
      loaders.organizationServicesChanged(id, service);
    },
  };
}
