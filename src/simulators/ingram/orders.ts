/**
 * Orders: list (filters, newest first), a reseller's orders, create (async lifecycle on the
 * simulated clock), get, PATCH {creditCheck, statusCode}, and POST /orders/estimate.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { renderPeriod } from './catalog.js';
import {
  badRequest,
  isObject,
  jsonBody,
  notFound,
  optAttributes,
  optBoolean,
  optEnum,
  optString,
  page,
  paging,
  queryDateTime,
  queryEnum,
  queryString,
  reqString,
  type Json,
} from './http.js';
import {
  ORDER_STATUSES,
  ORDER_STATUS_CODES,
  ORDER_TYPES,
  isoDateTime,
  money,
  type CustomerRecord,
  type OrderLine,
  type OrderRecord,
  type OrderType,
  type ParameterValueRecord,
  type ProductRecord,
  type SubscriptionRecord,
} from './model.js';
import type { IngramStore } from './store.js';

// ---- rendering ----------------------------------------------------------------------

const DETAIL_TYPE: Record<OrderType, string> = {
  sales: 'recurring',
  migration: 'recurring',
  change: 'recurring',
  renewal: 'renew',
  cancellation: 'cancellation',
  unknown: 'unknown',
};
const LINE_TYPE: Record<OrderType, string> = {
  sales: 'CREATE',
  migration: 'MIGRATION',
  change: 'UPGRADE',
  renewal: 'RENEW',
  cancellation: 'CANCEL',
  unknown: 'CREATE',
};

function orderTotal(lines: OrderLine[]): number {
  return lines.reduce((sum, l) => sum + l.unitPrice * l.chargedQuantity, 0);
}

/**
 * The spec types ParameterValue.value as `object` although its description allows any JSON
 * value; objects pass through and other values are wrapped as `{"value": …}` to follow the schema.
 */
export function renderParameter(p: ParameterValueRecord): Json {
  const wrap = (v: unknown) => (isObject(v) ? v : { value: v });
  return {
    name: p.name,
    ...(p.value !== undefined ? { value: wrap(p.value) } : {}),
    ...(p.structured_value !== undefined ? { structured_value: wrap(p.structured_value) } : {}),
  };
}

function renderDetails(type: OrderType, lines: OrderLine[], currency: string): Json[] {
  return lines.map((l) => ({
    type: DETAIL_TYPE[type],
    mpn: l.product.mpn,
    productId: l.product.id,
    duration: renderPeriod(l.product.billingPeriod),
    description: `${l.product.name}: ${DETAIL_TYPE[type]} fee`,
    quantity: l.chargedQuantity,
    unitPrice: money(l.unitPrice, currency),
    extendedPrice: money(l.unitPrice * l.chargedQuantity, currency),
  }));
}

function renderLines(type: OrderType, lines: OrderLine[], currency: string): Json[] {
  return lines.map((l) => ({
    mpn: l.product.mpn,
    vendor: l.product.vendor,
    id: l.product.id,
    billingPeriod: renderPeriod(l.product.billingPeriod),
    subscriptionPeriod: renderPeriod(l.product.subscriptionPeriod),
    name: l.product.name,
    quantity: l.quantity,
    extendedPrice: money(l.unitPrice * l.chargedQuantity, currency),
    ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}),
    ...(l.parameters.length > 0 ? { parameters: l.parameters.map(renderParameter) } : {}),
    type: LINE_TYPE[type],
  }));
}

export function renderOrder(o: OrderRecord): Json {
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    type: o.type,
    customerId: o.customerId,
    ...(o.poNumber !== undefined ? { poNumber: o.poNumber } : {}),
    creationDate: isoDateTime(o.createdAt),
    ...(o.provisionedAt !== undefined ? { provisioningDate: isoDateTime(o.provisionedAt) } : {}),
    status: o.status,
    statusCode: ORDER_STATUS_CODES[o.status],
    total: money(orderTotal(o.lines), o.currency),
    details: renderDetails(o.type, o.lines, o.currency),
    attributes: { ...o.attributes },
    creditCheck: o.creditCheck,
  };
}

export function renderOrderDetailed(o: OrderRecord): Json {
  return {
    ...renderOrder(o),
    products: renderLines(o.type, o.lines, o.currency),
    ...(o.subscriptionId !== undefined ? { subscriptionId: o.subscriptionId } : {}),
    ...(o.lines[0] ? { billingModel: o.lines[0].product.billingModel } : {}),
  };
}

// ---- input --------------------------------------------------------------------------

interface OrderDraft {
  type: OrderType;
  customer: CustomerRecord;
  subscription?: SubscriptionRecord;
  lines: OrderLine[];
  poNumber?: string;
  attributes: Record<string, string>;
}

function parseParameters(value: unknown, label: string): ParameterValueRecord[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`${label} must be an array.`);
  return value.map((p, i) => {
    if (!isObject(p)) throw badRequest(`${label}[${i}] must be an object.`);
    return {
      name: reqString(p, 'name', `${label}[${i}].name`),
      ...(p.value !== undefined ? { value: p.value } : {}),
      ...(p.structured_value !== undefined ? { structured_value: p.structured_value } : {}),
    };
  });
}

function parseQuantity(value: unknown, product: ProductRecord, label: string): number {
  if (value === undefined || value === null) return product.usageBased ? 1 : product.minimumQuantity;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest(`${label}.quantity must be a whole number.`);
  if (value < product.minimumQuantity || value > product.maximumQuantity) {
    throw badRequest(`${label}.quantity ${value} is out of range for ${product.mpn}: ${product.minimumQuantity} to ${product.maximumQuantity}.`);
  }
  return value;
}

function parseOrder(body: Json, store: IngramStore): OrderDraft {
  const type = optEnum(body, 'type', ORDER_TYPES) ?? 'sales';
  if (type === 'unknown') throw badRequest("Orders of type 'unknown' cannot be placed.");
  const customerId = reqString(body, 'customerId');
  const customer = store.customers.get(customerId);
  if (!customer) throw badRequest(`Customer with id '${customerId}' was not found.`);
  if (type !== 'cancellation' && customer.status !== 'active') {
    throw badRequest(`Customer ${customer.id} is in status '${customer.status}' and cannot place orders.`);
  }
  const poNumber = optString(body, 'poNumber');
  const attributes = optAttributes(body) ?? {};
  const rawProducts = body.products;
  if (rawProducts !== undefined && rawProducts !== null && !Array.isArray(rawProducts)) throw badRequest('products must be an array.');
  const items = (rawProducts ?? []) as unknown[];

  let subscriptionId = optString(body, 'subscriptionId');
  if (!subscriptionId) {
    const first = items[0];
    if (isObject(first) && typeof first.subscriptionId === 'string') subscriptionId = first.subscriptionId;
  }
  let subscription: SubscriptionRecord | undefined;
  if (type === 'change' || type === 'renewal' || type === 'cancellation') {
    if (!subscriptionId) throw badRequest(`subscriptionId is required for ${type} orders.`);
    subscription = store.subscriptions.get(subscriptionId);
    if (!subscription) throw badRequest(`Subscription with id '${subscriptionId}' was not found.`);
    if (subscription.customerId !== customer.id) {
      throw badRequest(`Subscription ${subscription.id} does not belong to customer ${customer.id}.`);
    }
    if (subscription.status === 'terminated' || subscription.status === 'removed') {
      throw badRequest(`Subscription ${subscription.id} is ${subscription.status}.`);
    }
  }
  if ((type === 'sales' || type === 'migration' || type === 'change') && items.length === 0) {
    throw badRequest(`products is required for ${type} orders and must not be empty.`);
  }

  const lines: OrderLine[] = items.map((item, i) => {
    const label = `products[${i}]`;
    if (!isObject(item)) throw badRequest(`${label} must be an object.`);
    const product = store.findProduct(item);
    if (!product) {
      throw badRequest(`${label}: no product with mpn '${String(item.mpn ?? '')}' or id '${String(item.id ?? '')}' in the catalog.`);
    }
    const quantity = parseQuantity(item.quantity, product, label);
    const parameters = parseParameters(item.parameters, `${label}.parameters`);
    const unitPrice = product.price[customer.currency];
    if (subscription) {
      const existing = subscription.lines.find((l) => l.product === product);
      if (type === 'change' && !existing && !product.dependsOn.some((d) => subscription.lines.some((l) => l.product.mpn === d.mpn))) {
        throw badRequest(`${label}: ${product.mpn} is not part of subscription ${subscription.id}.`);
      }
      const price = existing?.unitPrice ?? unitPrice;
      const charged = type === 'change' ? Math.max(0, quantity - (existing?.quantity ?? 0)) : type === 'renewal' ? quantity : 0;
      return { product, quantity, unitPrice: price, chargedQuantity: charged, subscriptionId: subscription.id, parameters };
    }
    return { product, quantity, unitPrice, chargedQuantity: quantity, parameters };
  });

  if (subscription && lines.length === 0) {
    // Renewal and cancellation orders default to every product of the subscription.
    for (const l of subscription.lines) {
      lines.push({
        product: l.product,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        chargedQuantity: type === 'renewal' ? l.quantity : 0,
        subscriptionId: subscription.id,
        parameters: [],
      });
    }
  }

  if (!subscription) {
    // "If a product that other products depend on was not included in the order request,
    // it will be added by the platform" (spec, DependsOnItem) unless the customer has it.
    for (const line of [...lines]) {
      for (const dep of line.product.dependsOn) {
        const inOrder = lines.some((l) => l.product.mpn === dep.mpn);
        const held = [...store.subscriptions.values()].some(
          (s) => s.customerId === customer.id && s.status === 'active' && s.lines.some((l) => l.product.mpn === dep.mpn),
        );
        const primary = store.findProduct({ mpn: dep.mpn });
        if (!inOrder && !held && primary) {
          lines.push({
            product: primary,
            quantity: line.quantity,
            unitPrice: primary.price[customer.currency],
            chargedQuantity: line.quantity,
            parameters: [],
          });
        }
      }
    }
  }

  return {
    type,
    customer,
    ...(subscription ? { subscription } : {}),
    lines,
    ...(poNumber ? { poNumber } : {}),
    attributes,
  };
}

function filterOrders(request: FastifyRequest, items: OrderRecord[]): OrderRecord[] {
  const customerId = queryString(request, 'customerId');
  const subscriptionId = queryString(request, 'subscriptionId');
  const orderNumber = queryString(request, 'orderNumber');
  const status = queryEnum(request, 'status', ORDER_STATUSES);
  const from = queryDateTime(request, 'creationTimeFrom');
  const to = queryDateTime(request, 'creationTimeTo');
  const statusCode = queryString(request, 'statusCode');
  return items.filter(
    (o) =>
      (customerId === undefined || o.customerId === customerId) &&
      (subscriptionId === undefined || o.subscriptionId === subscriptionId || o.lines.some((l) => l.subscriptionId === subscriptionId)) &&
      (orderNumber === undefined || o.orderNumber === orderNumber) &&
      (status === undefined || o.status === status) &&
      (from === undefined || o.createdAt >= from) &&
      (to === undefined || o.createdAt <= to) &&
      (statusCode === undefined || ORDER_STATUS_CODES[o.status] === statusCode),
  );
}

function newestFirst(store: IngramStore): OrderRecord[] {
  return [...store.orders.values()].sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id));
}

// ---- routes -------------------------------------------------------------------------

export function registerOrderRoutes(scope: FastifyInstance, store: IngramStore, control: SimControl): void {
  const { profile } = control;
  const order = (id: string) => {
    const found = store.orders.get(id);
    if (!found) throw notFound(`Order with id '${id}' was not found.`);
    return found;
  };

  scope.get('/orders', async (request) => {
    const p = paging(request, profile);
    return page(filterOrders(request, newestFirst(store)), p, renderOrder);
  });

  scope.get('/resellers/:id/orders', async (request) => {
    const { id } = request.params as { id: string };
    if (!store.resellers.has(id)) throw notFound(`Reseller with id '${id}' was not found.`);
    const p = paging(request, profile);
    const mine = newestFirst(store).filter((o) => store.customers.get(o.customerId)?.resellerId === id);
    return page(filterOrders(request, mine), p, renderOrder);
  });

  scope.post('/orders', async (request) => {
    const draft = parseOrder(jsonBody(request), store);
    const now = control.now();
    const { id, orderNumber } = store.orderIds();
    const record: OrderRecord = {
      id,
      orderNumber,
      type: draft.type,
      customerId: draft.customer.id,
      ...(draft.poNumber ? { poNumber: draft.poNumber } : {}),
      createdAt: now,
      status: 'submitted',
      live: true,
      startedAt: now,
      creditCheck: true,
      attributes: draft.attributes,
      ...(draft.subscription ? { subscriptionId: draft.subscription.id } : {}),
      currency: draft.customer.currency,
      lines: draft.lines,
    };
    store.addOrder(record);
    return renderOrderDetailed(record);
  });

  scope.post('/orders/estimate', async (request) => {
    const draft = parseOrder(jsonBody(request), store);
    const currency = draft.customer.currency;
    return {
      type: draft.type,
      customerId: draft.customer.id,
      ...(draft.poNumber ? { poNumber: draft.poNumber } : {}),
      total: money(orderTotal(draft.lines), currency),
      details: renderDetails(draft.type, draft.lines, currency),
      products: renderLines(draft.type, draft.lines, currency),
      ...(draft.subscription ? { subscriptionId: draft.subscription.id } : {}),
      ...(draft.lines[0] ? { billingModel: draft.lines[0].product.billingModel } : {}),
    };
  });

  scope.get('/orders/:id', async (request) => renderOrderDetailed(order((request.params as { id: string }).id)));

  scope.patch('/orders/:id', async (request) => {
    const record = order((request.params as { id: string }).id);
    const body = jsonBody(request);
    const creditCheck = optBoolean(body, 'creditCheck');
    const statusCode = optString(body, 'statusCode');
    if (statusCode !== undefined && statusCode !== ORDER_STATUS_CODES[record.status]) {
      if (statusCode === ORDER_STATUS_CODES.cancelled) {
        if (record.status === 'completed') throw badRequest(`Order ${record.orderNumber} is completed and cannot be cancelled.`);
        store.cancelOrder(record);
      } else if (statusCode === ORDER_STATUS_CODES.submitted) {
        if (record.status !== 'error') throw badRequest(`Only orders in error can be resubmitted; ${record.orderNumber} is ${record.status}.`);
        store.resubmitOrder(record, control.now());
      } else {
        const known = Object.values(ORDER_STATUS_CODES);
        throw badRequest(
          known.includes(statusCode)
            ? `statusCode '${statusCode}' cannot be set through the API; use CL to cancel or OP to resubmit an order in error.`
            : `Unknown statusCode '${statusCode}'. Known codes: ${known.join(', ')}.`,
        );
      }
    }
    if (creditCheck !== undefined) record.creditCheck = creditCheck;
    return renderOrderDetailed(record);
  });
}
