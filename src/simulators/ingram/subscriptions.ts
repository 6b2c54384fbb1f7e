/**
 * Subscriptions: list (filters, newest first), get, PATCH {products (pricing), attributes,
 * renewalStatus}, and POST specialPricing.
 */
import type { FastifyInstance } from 'fastify';
import type { SimControl } from '../shared/control.js';
import { renderPeriod } from './catalog.js';
import { renderParameter } from './orders.js';
import {
  DAY_MS,
  SUBSCRIPTION_STATUSES,
  isoDate,
  money,
  periodMonths,
  toUnits,
  type ParameterValueRecord,
  type SubscriptionLine,
  type SubscriptionRecord,
} from './model.js';
import {
  badRequest,
  isObject,
  jsonBody,
  moneyInput,
  notFound,
  optAttributes,
  optBoolean,
  page,
  paging,
  queryDate,
  queryEnum,
  queryString,
  type Json,
} from './http.js';
import type { IngramStore } from './store.js';

export function renderSubscription(s: SubscriptionRecord): Json {
  return {
    id: s.id,
    name: s.name,
    customerId: s.customerId,
    status: s.status,
    attributes: { ...s.attributes },
    renewalStatus: s.renewalStatus,
    creationDate: isoDate(s.createdAt),
    renewalDate: isoDate(s.renewalDate),
    lastModifiedDate: isoDate(s.lastModified),
    expirationDate: isoDate(s.expirationDate),
    billingModel: s.billingModel,
    billingPeriod: renderPeriod(s.billingPeriod),
    subscriptionPeriod: renderPeriod(s.subscriptionPeriod),
  };
}

export function renderSubscriptionDetailed(s: SubscriptionRecord): Json {
  // Billing periods per subscription period (12 for a 1-year term billed monthly).
  const periods = Math.max(1, Math.round(periodMonths(s.subscriptionPeriod) / periodMonths(s.billingPeriod)));
  const sum = (f: (l: SubscriptionLine) => number) => s.lines.reduce((total, l) => total + f(l) * l.quantity, 0);
  const c = s.currency;
  return {
    ...renderSubscription(s),
    totalPrice: money(sum((l) => l.unitPrice), c),
    totalSubscriptionPrice: money(sum((l) => l.unitPrice) * periods, c),
    totalSubscriptionCost: money(sum((l) => l.unitCost) * periods, c),
    totalSubscriptionProviderCost: money(sum((l) => l.unitProviderCost) * periods, c),
    products: s.lines.map((l) => ({
      mpn: l.product.mpn,
      vendor: l.product.vendor,
      id: l.product.id,
      quantity: l.quantity,
      name: l.product.name,
      unitPrice: money(l.unitPrice, c),
      unitCost: money(l.unitCost, c),
      unitProviderCost: money(l.unitProviderCost, c),
      extendedPrice: money(l.unitPrice * l.quantity, c),
      vendorSubscriptionId: l.vendorSubscriptionId,
      totalSubscriptionPrice: money(l.unitPrice * l.quantity * periods, c),
      totalSubscriptionCost: money(l.unitCost * l.quantity * periods, c),
      totalSubscriptionProviderCost: money(l.unitProviderCost * l.quantity * periods, c),
    })),
    orderParameters: s.orderParameters.map(requiredValue),
    fulfillmentParameters: s.fulfillmentParameters.map(requiredValue),
    planId: s.planId,
  };
}

/** OrderParameterValue / FulfilmentParameterValue require `value` (an object, see renderParameter). */
function requiredValue(p: ParameterValueRecord): Json {
  const rendered = renderParameter(p);
  return { ...rendered, value: rendered.value ?? {} };
}

type PriceChange = { line: SubscriptionLine; unitPrice?: number; unitCost?: number; unitProviderCost?: number };

/** Parses SubscriptionProductUpdate[] against a subscription, without changing anything. */
function parsePriceUpdates(value: unknown, s: SubscriptionRecord): PriceChange[] {
  if (!Array.isArray(value)) throw badRequest('products must be an array.');
  return value.map((item, i) => {
    const label = `products[${i}]`;
    if (!isObject(item)) throw badRequest(`${label} must be an object.`);
    if (item.quantity !== undefined) {
      throw badRequest(`${label}.quantity cannot be changed here: place an order of type 'change' with this subscriptionId.`);
    }
    const line = s.lines.find(
      (l) =>
        (typeof item.mpn === 'string' && l.product.mpn.toLowerCase() === item.mpn.toLowerCase()) ||
        (typeof item.id === 'string' && l.product.id === item.id),
    );
    if (!line) throw badRequest(`${label}: subscription ${s.id} has no product with mpn '${String(item.mpn ?? '')}' or id '${String(item.id ?? '')}'.`);
    const change: PriceChange = { line };
    for (const field of ['unitPrice', 'unitCost', 'unitProviderCost'] as const) {
      if (item[field] === undefined || item[field] === null) continue;
      const m = moneyInput(item[field], `${label}.${field}`);
      if (m.currency !== s.currency) throw badRequest(`${label}.${field}.currency must be ${s.currency}, the subscription's currency.`);
      change[field] = toUnits(m.amount);
    }
    return change;
  });
}

function applyPriceUpdates(changes: PriceChange[]): void {
  for (const { line, unitPrice, unitCost, unitProviderCost } of changes) {
    if (unitPrice !== undefined) line.unitPrice = unitPrice;
    if (unitCost !== undefined) line.unitCost = unitCost;
    if (unitProviderCost !== undefined) line.unitProviderCost = unitProviderCost;
  }
}

export function registerSubscriptionRoutes(scope: FastifyInstance, store: IngramStore, control: SimControl): void {
  const { profile } = control;
  const subscription = (id: string) => {
    const found = store.subscriptions.get(id);
    if (!found) throw notFound(`Subscription with id '${id}' was not found.`);
    return found;
  };

  scope.get('/subscriptions', async (request) => {
    const p = paging(request, profile);
    const customerId = queryString(request, 'customerId');
    const status = queryEnum(request, 'status', SUBSCRIPTION_STATUSES);
    const from = queryDate(request, 'creationDateFrom');
    const to = queryDate(request, 'creationDateTo');
    const items = [...store.subscriptions.values()]
      .filter(
        (s) =>
          (customerId === undefined || s.customerId === customerId) &&
          (status === undefined || s.status === status) &&
          (from === undefined || s.createdAt >= from) &&
          (to === undefined || s.createdAt < to + DAY_MS),
      )
      .sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id));
    return page(items, p, renderSubscription);
  });

  scope.get('/subscriptions/:id', async (request) => renderSubscriptionDetailed(subscription((request.params as { id: string }).id)));

  scope.patch('/subscriptions/:id', async (request) => {
    const s = subscription((request.params as { id: string }).id);
    const body = jsonBody(request);
    const renewalStatus = optBoolean(body, 'renewalStatus');
    const attributes = optAttributes(body);
    const changes = body.products === undefined || body.products === null ? [] : parsePriceUpdates(body.products, s);
    if (renewalStatus === true && (s.status === 'terminated' || s.status === 'removed')) {
      throw badRequest(`Subscription ${s.id} is ${s.status}: auto-renewal cannot be turned on.`);
    }
    applyPriceUpdates(changes);
    if (renewalStatus !== undefined) s.renewalStatus = renewalStatus;
    if (attributes) s.attributes = { ...s.attributes, ...attributes };
    s.lastModified = control.now();
    return renderSubscriptionDetailed(s);
  });

  scope.post('/subscriptions/:id/specialPricing', async (request) => {
    const s = subscription((request.params as { id: string }).id);
    const body = jsonBody(request);
    if (!Array.isArray(body.products) || body.products.length === 0) throw badRequest('products is required and must be a non-empty array.');
    applyPriceUpdates(parsePriceUpdates(body.products, s));
    s.lastModified = control.now();
    return renderSubscriptionDetailed(s);
  });
}
