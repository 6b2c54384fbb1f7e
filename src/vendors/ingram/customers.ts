/**
 * Ingram customers and resellers (both SimpleAPI `Account`s): lists with the filters the API
 * has (`name`, `email`, `externalId`, and `resellerId` for customers) pushed down and the
 * others (status, sort) applied in the graph, by-id loads, detail reads of thin list rows,
 * a reseller's customers, and the writes: POST /customers (or POST /resellers/{id}/customers
 * under a reseller), PATCH /customers/{id}, POST /resellers, PATCH /resellers/{id}.
 *
 * List rows are documented as "basic details" (the docs' one example has `id, externalId,
 * name, status`); address, contacts, language and reseller id come from the detail GET. A
 * model mapped from a row that lacks them says so (`lacks`), and `detail()` reads the
 * detail only when a query selects such a field.
 *
 * The API needs a full address and contact list on create and replaces both whole on
 * update, so an update that changes either reads the account first and merges.
 */
import { UpstreamError, badUserInput, unsupported } from '../../errors.js';
import type { CustomerModel, ResellerModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { CustomerCreate, CustomerOps, CustomerWrite, ListFilter, ResellerOps } from '../types.js';
import { ENDPOINTS, pushDown, type IngramCore, type J } from './core.js';
import type { IngramLoaders } from './loaders.js';
import * as map from './mappers.js';

/** Refuses before any call what the API cannot take; `field` names the input. */
function refuse(message: string, field = 'input'): never {
  throw badUserInput(message, { argument: field });
}

/** The body of a create, or BAD_USER_INPUT naming what the API requires and the input lacks. */
function createBody(input: CustomerCreate, what: string): J {
  const { body, missing } = map.accountCreateBody(input);
  if (missing.length) refuse(`Ingram Micro needs ${missing.join(', ')} to create a ${what}.`);
  return body;
}

/**
 * The body of an account PATCH. The API replaces the address and the contact list whole, so
 * when the input changes either, the account is read first (`current`) and merged. An
 * account gone by then is the NOT_FOUND userError the PATCH would have given.
 */
async function updateBody(input: CustomerWrite, current: () => Promise<{ raw: unknown } | null>, what: string): Promise<J> {
  if (input.ingram?.attributes && Object.keys(input.ingram.attributes).length) refuse('Ingram Micro account attributes can only be set when the account is created.', 'input.ingram.attributes');
  let raw: J = null;
  if (map.updateNeedsCurrent(input)) {
    const found = await current();
    if (!found) throw new UpstreamError('INGRAM', 404, 'UPSTREAM_BAD_REQUEST', `${what} was not found`);
    raw = found.raw;
  }
  const body = map.accountUpdateBody(input, raw);
  if (Object.keys(body).length === 0) refuse('Nothing to change: give name, externalId, email, phone, address, contact or ingram.taxRegId.');
  return body;
}

/** Orders customers in the graph (the API has no sort): by name, or by creation (ids grow with it). */
function sortCustomers(items: CustomerModel[], sort: NonNullable<ListFilter['sort']>): CustomerModel[] {
  if (sort.field === 'UPDATED_AT') throw unsupported('INGRAM', 'sorting customers by update time');
  const dir = sort.direction === 'DESC' ? -1 : 1;
  const key = sort.field === 'NAME' ? (a: CustomerModel, b: CustomerModel) => a.name.localeCompare(b.name) : (a: CustomerModel, b: CustomerModel) => Number(a.vendorId) - Number(b.vendorId);
  return [...items].sort((a, b) => dir * key(a, b));
}

export function customerOps(core: IngramCore, l: IngramLoaders): CustomerOps {
  const { all, range, write } = core;

  /** After a write: the fresh customer replaces what this request had loaded, and lists holding it are dropped. */
  function remember(c: CustomerModel): CustomerModel {
    l.customers.clear(c.vendorId).prime(c.vendorId, c);
    l.customerDetails.clear(c.vendorId).prime(c.vendorId, c);
    l.clearCustomerLists();
    l.resellerCustomers.clearAll();
    return c;
  }

  return {
    get: (id) => l.customers.load(id),

    async list(offset, limit, filter): Promise<PageResult<CustomerModel>> {
      if (filter.updatedSince || filter.billingAddressUpdatedSince) throw unsupported('INGRAM', 'filtering customers by update time');
      const query = pushDown({ name: filter.name, email: filter.email, externalId: filter.externalId, resellerId: filter.resellerVendorId });
      let page: PageResult<CustomerModel>;
      if (filter.customerStatus || filter.sort) {
        // No status filter or sort upstream: read the (otherwise filtered) list and finish here.
        let rows = (await all(ENDPOINTS.customers(), query)).map(map.toCustomerRow);
        if (filter.customerStatus) rows = rows.filter((c) => c.status === filter.customerStatus);
        if (filter.sort) rows = sortCustomers(rows, filter.sort);
        page = pageOfArray(rows, offset, limit);
      } else {
        const raw = await range(ENDPOINTS.customers(), query, offset, limit);
        page = { ...raw, items: raw.items.map(map.toCustomerRow) };
      }
      for (const c of page.items) l.customers.prime(c.vendorId, c);
      return page;
    },

    /** The full form of a list row that lacks detail-only fields: `GET /customers/{id}`, deduplicated, ≤ 8 at once. */
    detail: async (c) => (c.lacks?.length ? l.customerDetails.load(c.vendorId) : c),

    ofReseller: (resellerId, filter) => l.resellerCustomers.load(l.resellerCustomersKey(resellerId, filter)),

    async create(input) {
      const body = createBody({ ...input, currency: null }, 'customer');
      const path = input.resellerVendorId ? ENDPOINTS.resellerCustomers(input.resellerVendorId) : ENDPOINTS.customers();
      return remember(map.toCustomer(await write('POST', path, body)));
    },

    update: async (id, input) =>
      remember(map.toCustomer(await write('PATCH', ENDPOINTS.customer(id), await updateBody(input, () => l.customerDetails.load(id), `Customer ${id}`)))),
  };
}

export function resellerOps(core: IngramCore, l: IngramLoaders): ResellerOps {
  const { range, write } = core;

  function remember(r: ResellerModel): ResellerModel {
    l.resellers.clear(r.vendorId).prime(r.vendorId, r);
    l.resellerDetails.clear(r.vendorId).prime(r.vendorId, r);
    return r;
  }

  return {
    get: (id) => l.resellers.load(id),

    async list(offset, limit, filter) {
      const raw = await range(ENDPOINTS.resellers(), pushDown({ name: filter.name, email: filter.email, externalId: filter.externalId }), offset, limit);
      const items = raw.items.map(map.toResellerRow);
      for (const r of items) l.resellers.prime(r.vendorId, r);
      return { ...raw, items };
    },

    detail: async (r) => (r.lacks?.length ? l.resellerDetails.load(r.vendorId) : r),

    async create(input) {
      if (!input.currency) refuse('Ingram Micro needs the currency of a new reseller (e.g. USD).', 'input.currency');
      return remember(map.toReseller(await write('POST', ENDPOINTS.resellers(), createBody(input, 'reseller'))));
    },

    update: async (id, input) =>
      remember(map.toReseller(await write('PATCH', ENDPOINTS.reseller(id), await updateBody(input, () => l.resellerDetails.load(id), `Reseller ${id}`)))),
  };
}
