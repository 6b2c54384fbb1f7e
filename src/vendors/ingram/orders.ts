/**
 * Ingram orders: lists with every filter of GET /orders pushed down (`customerId`,
 * `subscriptionId`, `orderNumber`, `status`, `creationTimeFrom/To`, `statusCode`), by-id
 * loads (OrderDetailed, with its product lines), a customer's and a reseller's orders, and
 * the writes: POST /orders (placed at once by MPN; the vendor carries it out
 * asynchronously: submitted → processing → completed, poll `order(id) { status }`),
 * PATCH /orders/{id} (`creditCheck`, `statusCode`), POST /orders/estimate and
 * POST /validation/parameters (neither changes anything).
 */
import { badUserInput } from '../../errors.js';
import { pageOfArray } from '../../paging.js';
import type { OrderModel } from '../../model.js';
import type { OrderCreate, OrderOps } from '../types.js';
import { EMPTY, ENDPOINTS, isoOf, pushDown, type IngramCore, type J } from './core.js';
import type { IngramLoaders } from './loaders.js';
import * as map from './mappers.js';

/** Line fields only Leader Cloud has: refused before any call rather than dropped. */
const LEADER_CLOUD_ONLY = ['billingFrequencyOptionId', 'unitId', 'customEndDate'] as const;

function checkLines(input: OrderCreate): void {
  input.items.forEach((line, i) => {
    for (const field of LEADER_CLOUD_ONLY) {
      if (line[field]) throw badUserInput(`${field} applies to Leader Cloud orders only.`, { argument: `input.items.${i}.${field}` });
    }
  });
}

export function orderOps(core: IngramCore, l: IngramLoaders): OrderOps {
  const { range, write } = core;

  /** After a write: the answer (an OrderDetailed) replaces what this request had, and lists holding it are dropped. */
  function remember(body: J): OrderModel {
    const o = map.toOrder(body);
    l.orders.clear(o.vendorId).prime(o.vendorId, o);
    if (o.customerVendorId) l.ordersByCustomer.clear(o.customerVendorId);
    l.allOrders.clear();
    l.resellerOrders.clearAll();
    return o;
  }

  return {
    get: (id) => l.orders.load(id),

    async list(offset, limit, filter) {
      let status: string | undefined;
      if (filter.orderStatus) {
        status = map.ORDER_STATUS_VENDOR[filter.orderStatus];
        if (!status) return EMPTY;
      }
      const query = pushDown({
        customerId: filter.customerVendorId,
        subscriptionId: filter.subscriptionVendorId,
        orderNumber: filter.number,
        status,
        creationTimeFrom: filter.createdFrom ? isoOf(filter.createdFrom) : null,
        creationTimeTo: filter.createdTo ? isoOf(filter.createdTo) : null,
        statusCode: filter.vendorStatusCode,
      });
      // Filtered by status alone, from the start: with other statuses of this tick, maybe one whole-list read.
      const listed = () => range(ENDPOINTS.orders(), query, offset, limit);
      const read = status && offset === 0 && Object.keys(query).length === 1 ? l.ordersOfStatus.load(status).then((rows) => (rows ? pageOfArray(rows, 0, limit) : listed())) : listed();
      const raw = await l.listingOrders(read);
      return { ...raw, items: raw.items.map(map.toOrder) };
    },

    ofCustomer: (c) => l.ordersByCustomer.load(c.vendorId),
    ofReseller: (resellerId) => l.resellerOrders.load(resellerId),

    /** List items carry no product lines: those come from OrderDetailed (GET /orders/{id}). */
    async items(o) {
      if (o.items) return o.items;
      return (await l.orders.load(o.vendorId))?.items ?? [];
    },

    async create(input) {
      checkLines(input);
      return remember(await write('POST', ENDPOINTS.orders(), map.orderBody(input)));
    },

    async update(id, input) {
      const body: J = {};
      if (input.creditCheck !== null && input.creditCheck !== undefined) body.creditCheck = input.creditCheck;
      if (input.statusCode) body.statusCode = input.statusCode;
      return remember(await write('PATCH', ENDPOINTS.order(id), body));
    },

    async estimate(input) {
      checkLines(input);
      return map.toEstimate(await write('POST', ENDPOINTS.estimate(), map.orderBody(input)));
    },

    async validateParameters(input) {
      checkLines(input);
      return map.toActivationResult(await write('POST', ENDPOINTS.validateParameters(), map.validationBody(input)));
    },
  };
}
