/**
 * Products (catalogue by MPN), service plans, and POST /validation/parameters.
 */
import type { FastifyInstance } from 'fastify';
import type { SimControl } from '../shared/control.js';
import type { Currency } from '../shared/world.js';
import { badRequest, containsCi, isObject, jsonBody, notFound, optEnum, optString, page, paging, queryString, reqString, type Json } from './http.js';
import { DEFAULT_LIMIT, ORDER_TYPES, formatUnits, type Period, type ProductRecord, type ServicePlanRecord } from './model.js';
import type { IngramStore } from './store.js';

const CURRENCIES: Currency[] = ['USD', 'EUR', 'AUD'];

export function renderPeriod(p: Period): Json {
  return { type: p.type, duration: p.duration };
}

export function renderProduct(p: ProductRecord): Json {
  const priceList = (table: Record<Currency, number>) =>
    CURRENCIES.map((currency) => ({
      currency,
      amount: formatUnits(table[currency]),
      type: p.usageBased ? 'overuse' : 'recurring',
      model: 'FLAT',
    }));
  return {
    mpn: p.mpn,
    vendor: p.vendor,
    id: p.id,
    serviceName: p.serviceName,
    name: p.name,
    minimumQuantity: String(p.minimumQuantity),
    maximumQuantity: String(p.maximumQuantity),
    prices: priceList(p.price),
    costs: priceList(p.cost),
    billingPeriod: renderPeriod(p.billingPeriod),
    subscriptionPeriod: renderPeriod(p.subscriptionPeriod),
    billingModel: p.billingModel,
    ...(p.dependsOn.length > 0 ? { dependsOn: p.dependsOn.map((d) => ({ ...d })) } : {}),
    coterming: { required: p.dependsOn.length > 0 ? 'MANDATORY' : 'ALLOWED', type: 'SUBSCRIPTION' },
  };
}

function renderPlan(plan: ServicePlanRecord): Json {
  return {
    id: plan.id,
    name: plan.name,
    shortDescription: plan.shortDescription,
    longDescription: plan.longDescription,
    published: plan.published,
    subscriptionPeriods: plan.subscriptionPeriods.map((p) => ({ ...renderPeriod(p), trial: false, active: true })),
    billingPeriod: renderPeriod(plan.billingPeriod),
    billingModel: plan.billingModel,
  };
}

function renderPlanDetailed(plan: ServicePlanRecord, store: IngramStore): Json {
  // Switches to the other plans of the same family with the same subscription period (upgrades/downgrades). [I]
  const source = plan.subscriptionPeriods[0];
  const switches = [...store.plans.values()]
    .filter(
      (other) =>
        other.id !== plan.id &&
        other.family === plan.family &&
        other.billingModel === plan.billingModel &&
        other.subscriptionPeriods.some((p) => source && p.type === source.type && p.duration === source.duration),
    )
    .slice(0, 5)
    .map((other) => ({
      planId: Number(other.id),
      ...(source ? { subscriptionPeriod: renderPeriod(source), sourceSubscriptionPeriod: renderPeriod(source) } : {}),
      billingPolicy: 'prorate_keeping_exp_date',
      whenEffective: 'immediately',
    }));
  return { ...renderPlan(plan), planSwitches: switches };
}

const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateParameter(name: string, value: unknown): { result: 'success' | 'error'; message: string } {
  const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : JSON.stringify(value);
  if (text === '') return { result: 'error', message: `A value is required for ${name}.` };
  if (/domain/i.test(name)) {
    return DOMAIN.test(text)
      ? { result: 'success', message: 'Domain available to purchase.' }
      : { result: 'error', message: `'${text}' is not a valid domain name.` };
  }
  if (/e-?mail/i.test(name)) {
    return EMAIL.test(text)
      ? { result: 'success', message: 'The email address is valid.' }
      : { result: 'error', message: `'${text}' is not a valid email address.` };
  }
  return { result: 'success', message: 'The value is valid.' };
}

export function registerCatalogRoutes(scope: FastifyInstance, store: IngramStore, control: SimControl): void {
  const { profile } = control;
  scope.get('/products', async (request) => {
    const p = paging(request, profile);
    const name = queryString(request, 'name');
    const serviceName = queryString(request, 'serviceName')?.toLowerCase();
    const mpn = queryString(request, 'mpn')?.toLowerCase();
    const vendor = queryString(request, 'vendor')?.toLowerCase();
    const items = store.products.filter(
      (x) =>
        (name === undefined || containsCi(x.name, name)) &&
        (serviceName === undefined || x.serviceName.toLowerCase() === serviceName) &&
        (mpn === undefined || x.mpn.toLowerCase() === mpn) &&
        (vendor === undefined || x.vendor.toLowerCase() === vendor),
    );
    return page(items, p, renderProduct);
  });

  scope.get('/plans', async (request) => {
    const p = paging(request, profile);
    return page([...store.plans.values()], p, renderPlan);
  });

  scope.get('/plans/:id', async (request) => {
    const { id } = request.params as { id: string };
    const plan = store.plans.get(id);
    if (!plan) throw notFound(`Service plan with id '${id}' was not found.`);
    return renderPlanDetailed(plan, store);
  });

  scope.post('/validation/parameters', async (request) => {
    const body = jsonBody(request);
    const customerId = reqString(body, 'customerId');
    if (!store.customers.has(customerId)) throw badRequest(`Customer with id '${customerId}' was not found.`);
    optEnum(body, 'type', ORDER_TYPES);
    const products = body.products;
    if (!Array.isArray(products) || products.length === 0) throw badRequest('products is required and must be a non-empty array.');
    const results = products.map((item, i) => {
      const label = `products[${i}]`;
      if (!isObject(item)) throw badRequest(`${label} must be an object.`);
      const product = store.findProduct(item);
      if (!product) throw badRequest(`${label}: no product with mpn '${String(item.mpn ?? '')}' or id '${String(item.id ?? '')}'.`);
      const parameters = item.parameters;
      if (!Array.isArray(parameters)) throw badRequest(`${label}.parameters is required and must be an array.`);
      const draftRequestId = optString(item, 'draftRequestId', `${label}.draftRequestId`);
      return {
        id: product.id,
        mpn: product.mpn,
        vendor: product.vendor,
        billingPeriod: renderPeriod(product.billingPeriod),
        subscriptionPeriod: renderPeriod(product.subscriptionPeriod),
        ...(draftRequestId ? { draftRequestId } : {}),
        parameters: parameters.map((param, j) => {
          if (!isObject(param)) throw badRequest(`${label}.parameters[${j}] must be an object.`);
          const name = reqString(param, 'name', `${label}.parameters[${j}].name`);
          const value = param.value ?? param.structured_value;
          const { result, message } = validateParameter(name, value);
          return {
            name,
            result,
            message,
            ...(value === undefined || value === null ? {} : { value: typeof value === 'string' ? value : JSON.stringify(value) }),
            ...(result === 'error' ? { valueError: message } : {}),
            phase: 'ordering',
            reconciliation: false,
            type: 'string',
          };
        }),
      };
    });
    return { data: results, pagination: { offset: 0, limit: Math.max(DEFAULT_LIMIT, results.length), total: results.length } };
  });
}
