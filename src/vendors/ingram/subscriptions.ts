/**
 * Ingram subscriptions: lists with `customerId`, `status` and `creationDateFrom/To` pushed
 * down, by-id loads (SubscriptionDetailed: the only form with products, quantity and
 * prices, so every list row is completed with its detail GET), a customer's subscriptions,
 * and the writes of SimpleAPI 1.15: PATCH /subscriptions/{id} (`renewalStatus`,
 * `attributes`) and POST /subscriptions/{id}/specialPricing. Quantities change through a
 * `change` order (createOrder), not here.
 */
import { UpstreamError, badUserInput } from '../../errors.js';
import type { SubscriptionModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { SubscriptionOps } from '../types.js';
import { EMPTY, ENDPOINTS, coveringDates, createdWithin, pushDown, type IngramCore, type J } from './core.js';
import type { IngramLoaders } from './loaders.js';
import * as map from './mappers.js';

/** The API's own order for subscriptions: creation date, then id, newest first. */
function newestFirst(a: J, b: J): number {
  const byDate = String(b.creationDate ?? '').localeCompare(String(a.creationDate ?? ''));
  return byDate !== 0 ? byDate : Number(b.id) - Number(a.id);
}

export function subscriptionOps(core: IngramCore, l: IngramLoaders): SubscriptionOps {
  const { all, range, write } = core;
  const path = ENDPOINTS.subscriptions();

  /** After a write: the answer (a SubscriptionDetailed) replaces what this request had, and lists holding it are dropped. */
  function remember(body: J): SubscriptionModel {
    const s = map.toSubscription(body);
    l.subscriptions.clear(s.vendorId).prime(s.vendorId, s);
    if (s.customerVendorId) l.subscriptionsByCustomer.clear(s.customerVendorId);
    l.clearSubscriptionLists();
    return s;
  }
  const patch = async (id: string, body: J) => remember(await write('PATCH', ENDPOINTS.subscription(id), body));

  return {
    get: (id) => l.subscriptions.load(id),

    async list(offset, limit, filter): Promise<PageResult<SubscriptionModel>> {
      const statuses = filter.subscriptionStatus ? map.SUB_STATUS_VENDOR[filter.subscriptionStatus] : undefined;
      if (statuses?.length === 0) return EMPTY;
      const dates = coveringDates(filter);
      const query = { customerId: filter.customerVendorId, creationDateFrom: dates.from, creationDateTo: dates.to };
      let raw: PageResult<J>;
      if (!dates.from && !dates.to && (statuses?.length ?? 1) === 1) {
        raw = await range(path, pushDown({ ...query, status: statuses?.[0] }), offset, limit);
      } else {
        // One `status` per call, and day-precision dates: read each list, merge newest first, bound exactly here.
        const lists = await Promise.all((statuses ?? [undefined]).map((status) => all(path, pushDown({ ...query, status }))));
        const rows = lists.flat().filter((r) => createdWithin(r.creationDate, filter));
        raw = pageOfArray(statuses && statuses.length > 1 ? rows.sort(newestFirst) : rows, offset, limit);
      }
      return { ...raw, items: await l.detailed(raw.items) };
    },

    ofCustomer: (c, status) => l.subscriptionsByCustomer.load(c.vendorId, status),

    setAutoRenewal: (id, enabled) => patch(id, { renewalStatus: enabled }),

    async update(id, input) {
      const body: J = {};
      if (input.attributes) {
        const attributes = map.attributesBody(input.attributes);
        if (!attributes) throw badUserInput('Ingram Micro subscription attributes are text: give string, number or boolean values.', { argument: 'input.attributes' });
        body.attributes = attributes;
      }
      if (input.autoRenew !== null && input.autoRenew !== undefined) body.renewalStatus = input.autoRenew;
      return patch(id, body);
    },

    async updatePricing(id, products) {
      let currency: string | null = null;
      if (products.some((p) => !p.currency)) {
        // Prices are in the subscription's currency: read it when the input does not say.
        const current = await l.subscriptions.load(id);
        if (!current) throw new UpstreamError('INGRAM', 404, 'UPSTREAM_BAD_REQUEST', `Subscription ${id} was not found`);
        currency = current.price?.currency ?? null;
      }
      return remember(await write('POST', ENDPOINTS.specialPricing(id), { products: map.priceUpdatesBody(products, currency) }));
    },
  };
}
