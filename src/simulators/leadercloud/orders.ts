/**
 * /api/orders: drafts, items, checkout and timed execution. Checkout moves a Draft to
 * Submitted; on the simulator clock it becomes Executing after ORDER_SUBMITTED_MS and
 * Executed after ORDER_EXECUTED_MS, when its items create subscriptions and add-ons (or
 * raise the quantity of the related subscription).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { applyCustomFieldValues } from './customfields.js';
import {
  ORDER_EXECUTED_MS,
  ORDER_SUBMITTED_MS,
  type LcOrder,
  type LcOrderItem,
  type LcProduct,
  type LcState,
  type LcSubscription,
} from './data.js';
import { orderFields } from './fields.js';
import { arrayBody, objectBody, paged, q, query, type RouteContext } from './http.js';
import { DAY_MS, badRequest, guidParam, lcError, notFound, parseGuid, parseInclude } from './util.js';
import { customFieldsDto, orderDto, orderItemCharacteristicsDto, orderItemDto } from './views.js';

const ORDER_INCLUDES = ['customFields'] as const;
const ITEM_INCLUDES = ['characteristics'] as const;

export function findOrder(state: LcState, raw: unknown): LcOrder {
  const id = guidParam(raw, 'orderId');
  const order = state.orderById.get(id);
  if (!order) throw notFound('OrderNotFoundError', 'Order', id);
  return order;
}

function requireDraft(order: LcOrder): void {
  if (order.status !== null) {
    throw lcError(400, 'OrderIsNotDraftError', `Order '${order.code}' is not a draft (its status is ${order.status}); only draft orders can be changed or checked out.`);
  }
}

function findItem(order: LcOrder, raw: unknown): LcOrderItem {
  const id = guidParam(raw, 'itemId');
  const item = order.items.find((i) => i.id === id);
  if (!item) throw lcError(404, 'OrderItemNotFoundError', `Order item with Id '${id}' was not found in order '${order.code}'.`);
  return item;
}

function parseCharacteristics(product: LcProduct, raw: unknown, into: Map<string, string>): void {
  if (!Array.isArray(raw)) throw badRequest('characteristics must be an array of {id, value}.');
  const allowed = product.characteristics.filter((c) => c.type !== 'Product Characteristic');
  const changes: Array<[string, string]> = [];
  for (const [index, entry] of raw.entries()) {
    const e = (entry ?? {}) as { id?: unknown; value?: unknown };
    const id = parseGuid(e.id);
    if (!id) throw badRequest(`characteristics[${index}].id must be a GUID.`);
    const def = allowed.find((c) => c.id === id);
    if (!def) {
      throw badRequest(`Characteristic '${id}' does not belong to product '${product.name}'. Valid ids: ${allowed.map((c) => `${c.name} (${c.id})`).join(', ') || '(none)'}.`, 'CharacteristicNotFoundError');
    }
    if (e.value !== undefined && e.value !== null && typeof e.value === 'object') throw badRequest(`characteristics[${index}].value must be a string.`);
    changes.push([id, e.value === undefined || e.value === null ? '' : String(e.value)]);
  }
  for (const [id, value] of changes) {
    if (value === '') into.delete(id);
    else into.set(id, value);
  }
}

function createItem(ctx: RouteContext, order: LcOrder, request: FastifyRequest): LcOrderItem {
  const { state } = ctx;
  requireDraft(order);
  const body = objectBody(request);
  if (body.productId === undefined || body.productId === null) throw badRequest('The productId field is required.');
  const productId = parseGuid(body.productId);
  if (!productId) throw badRequest(`productId '${String(body.productId)}' is not a valid GUID.`);
  const product = state.productById.get(productId);
  if (!product) throw lcError(400, 'ProductNotFoundError', `Product with Id '${productId}' was not found!`, { entity: 'Product', property: 'Id', value: productId });
  if (body.unitId === undefined || body.unitId === null) throw badRequest('The unitId field is required.');
  const unitId = parseGuid(body.unitId);
  if (!unitId) throw badRequest(`unitId '${String(body.unitId)}' is not a valid GUID.`);
  const unit = product.units.find((u) => u.id === unitId);
  if (!unit) {
    throw badRequest(`Unit '${unitId}' is not sold for product '${product.name}'. Units: ${product.units.map((u) => `${u.name} (${u.id})`).join(', ')}.`, 'InvalidUnitError');
  }
  const quantity = body.quantity;
  if (quantity === undefined || quantity === null) throw badRequest('The quantity field is required.');
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw badRequest('quantity must be a positive number.');
  if (product.catalog.usageBased && quantity !== 1) throw badRequest(`Product '${product.name}' is usage-based: quantity must be 1.`);
  if (!product.catalog.usageBased && !Number.isInteger(quantity)) throw badRequest(`quantity must be a whole number of ${product.catalog.unit.toLowerCase()}.`);
  if (body.customEndDate !== undefined && body.customEndDate !== null) {
    throw badRequest(`Product '${product.name}' does not allow a custom end date.`);
  }
  if (body.relatedAddonItemId !== undefined && body.relatedAddonItemId !== null && !parseGuid(body.relatedAddonItemId)) {
    throw badRequest('relatedAddonItemId must be a GUID.');
  }

  let related: LcSubscription | undefined;
  if (body.relatedSubscriptionId !== undefined && body.relatedSubscriptionId !== null) {
    const id = parseGuid(body.relatedSubscriptionId);
    if (!id) throw badRequest('relatedSubscriptionId must be a GUID.');
    related = state.subscriptionById.get(id);
    if (!related || related.accountId !== order.accountId) {
      throw lcError(400, 'SubscriptionNotFoundError', `Subscription with Id: '${id}' was not found for account ${order.accountId}.`);
    }
    if (related.status !== 'Active') throw badRequest(`Subscription '${id}' is ${related.status}; only active subscriptions can be changed by an order.`);
  }
  let relatedItem: LcOrderItem | undefined;
  if (body.relatedItemId !== undefined && body.relatedItemId !== null) {
    const id = parseGuid(body.relatedItemId);
    relatedItem = order.items.find((i) => i.id === id);
    if (!relatedItem) throw badRequest(`relatedItemId '${String(body.relatedItemId)}' is not an item of this order.`);
  }
  if (product.type === 'Addon') {
    const parentProduct = related?.productId ?? relatedItem?.productId;
    if (!parentProduct) {
      throw badRequest(`'${product.name}' is an add-on: give relatedSubscriptionId (a subscription of its base product) or relatedItemId (an item of this order).`);
    }
    if (parentProduct !== product.parentId) {
      const parent = state.productById.get(product.parentId ?? '');
      throw badRequest(`'${product.name}' is an add-on of '${parent?.name ?? 'another product'}'; the related subscription or item is for a different product.`);
    }
  } else if (related && related.productId !== product.id) {
    throw badRequest(`relatedSubscriptionId must be a subscription of '${product.name}' (a quantity increase).`);
  }

  let billingFrequencyOptionId: string | null = null;
  if (body.billingFrequencyOptionId !== undefined && body.billingFrequencyOptionId !== null) {
    const id = parseGuid(body.billingFrequencyOptionId);
    const option = product.billingFrequencyOptions.find((o) => o.id === id && o.unitId === unit.id);
    if (!option) throw badRequest(`billingFrequencyOptionId '${String(body.billingFrequencyOptionId)}' is not an option of this product and unit.`);
    billingFrequencyOptionId = option.id;
  }
  const characteristics = new Map<string, string>();
  if (body.characteristics !== undefined && body.characteristics !== null) parseCharacteristics(product, body.characteristics, characteristics);

  const price = state.price(product, unit, order.currency);
  const item: LcOrderItem = {
    id: state.rng.guid(),
    position: order.items.reduce((m, i) => Math.max(m, i.position), 0) + 1,
    productId: product.id,
    unitId: unit.id,
    quantity,
    unitPrice: price.sell,
    unitCost: price.cost,
    relatedSubscriptionId: related?.id ?? null,
    relatedItemId: relatedItem?.id ?? null,
    billingFrequencyOptionId,
    characteristics,
    subscriptionId: null,
  };
  order.items.push(item);
  order.updatedAt = ctx.control.now();
  return item;
}

/** What an executed order does to the account's subscriptions. */
function executeOrder(state: LcState, order: LcOrder, at: number): void {
  const items = [...order.items].sort((a, b) => a.position - b.position);
  for (const item of items) {
    const product = state.productById.get(item.productId);
    const unit = state.unitById.get(item.unitId);
    if (!product || !unit) continue;
    if (product.type === 'Addon') {
      const parentId = item.relatedSubscriptionId ?? order.items.find((i) => i.id === item.relatedItemId)?.subscriptionId ?? null;
      const parent = parentId ? state.subscriptionById.get(parentId) : undefined;
      if (!parent) continue;
      parent.addons.push({
        id: state.rng.guid(),
        productId: product.id,
        status: 'Active',
        orderId: order.id,
        activationDate: at,
        quantity: item.quantity,
        createdAt: at,
      });
      parent.updatedAt = at;
      item.subscriptionId = parent.id;
      continue;
    }
    if (item.relatedSubscriptionId) {
      const existing = state.subscriptionById.get(item.relatedSubscriptionId);
      if (existing) {
        existing.quantity += Math.round(item.quantity);
        existing.updatedAt = at;
        item.subscriptionId = existing.id;
      }
      continue;
    }
    const option = product.billingFrequencyOptions.find((o) => o.id === item.billingFrequencyOptionId);
    const sub: LcSubscription = {
      id: state.rng.guid(),
      name: product.name,
      status: 'Active',
      accountId: order.accountId,
      productId: product.id,
      unitId: unit.id,
      quantity: Math.round(item.quantity),
      currency: order.currency,
      orderId: order.id,
      startDate: at,
      endDate: at + (unit.months === 12 ? 365 : 30) * DAY_MS,
      activationDate: at,
      automaticRenewal: true,
      isUsageBased: product.catalog.usageBased,
      createdAt: at,
      updatedAt: at,
      characteristics: new Map(item.characteristics),
      customFields: new Map(),
      addons: [],
      billingFrequencyOptionId: option?.id ?? null,
      installmentPlanId: option ? state.rng.guid() : null,
    };
    state.addSubscription(sub);
    item.subscriptionId = sub.id;
  }
  order.updatedAt = at;
}

export function registerOrders(app: FastifyInstance, ctx: RouteContext): void {
  const { state, control } = ctx;
  const fields = orderFields(state);
  const order = (request: { params: unknown }) => findOrder(state, (request.params as { orderId: string }).orderId);

  app.get('/api/orders', async (request) => {
    const include = parseInclude(q(request, 'include'), ORDER_INCLUDES, 'orders');
    const stage = (q(request, 'stage') ?? 'Confirmed').trim().toLowerCase() || 'confirmed';
    if (!['confirmed', 'draft', 'all'].includes(stage)) {
      throw badRequest(`The value '${q(request, 'stage')}' is not valid for stage. Valid values: Confirmed, Draft, All.`, 'InvalidParameterError');
    }
    const inStage = state.orders.filter((o) => (stage === 'all' ? true : stage === 'draft' ? o.status === null : o.status !== null));
    return paged(request, query(ctx, request, inStage, fields, 'orders'), (o) => orderDto(state, o, include));
  });

  app.post('/api/orders', async (request, reply) => {
    const body = objectBody(request);
    const { accountId } = body;
    if (accountId === undefined || accountId === null) throw badRequest('The accountId field is required.');
    if (typeof accountId !== 'number' || !Number.isInteger(accountId) || accountId < 1 || accountId > 2147483647) {
      throw badRequest('accountId must be an integer between 1 and 2147483647.');
    }
    const account = state.accountById.get(accountId);
    if (!account) {
      throw lcError(400, 'AccountNotFoundError', `Account with Id '${accountId}' was not found!`, { entity: 'Account', property: 'Id', value: String(accountId) });
    }
    if (!account.flags.orderingEnabled) throw lcError(400, 'ServiceError', `Ordering is disabled for account ${accountId}.`);
    const customFields = new Map<number, string>();
    if (body.customFields !== undefined && body.customFields !== null) applyCustomFieldValues('order', customFields, body.customFields);
    const now = control.now();
    const created: LcOrder = {
      id: state.rng.guid(),
      code: state.nextOrderCode(),
      status: null,
      accountId,
      contactId: account.contacts[0]?.id ?? 0,
      orderDate: now,
      createdAt: now,
      updatedAt: now,
      currency: account.currency,
      items: [],
      customFields,
    };
    state.addOrder(created);
    void reply.code(201).header('location', `/api/orders/${created.id}`);
    return orderDto(state, created, new Set(['customFields']));
  });

  app.get('/api/orders/:orderId', async (request) => {
    const include = parseInclude(q(request, 'include'), ORDER_INCLUDES, 'orders');
    return orderDto(state, order(request), include);
  });

  app.post('/api/orders/:orderId/checkout', async (request, reply) => {
    const o = order(request);
    requireDraft(o);
    if (o.items.length === 0) throw lcError(400, 'ServiceError', `Order '${o.code}' has no items to check out.`);
    const now = control.now();
    o.status = 'Submitted';
    o.updatedAt = now;
    state.schedule(now + ORDER_SUBMITTED_MS, () => {
      if (o.status !== 'Submitted') return;
      o.status = 'Executing';
      o.updatedAt = now + ORDER_SUBMITTED_MS;
    });
    state.schedule(now + ORDER_EXECUTED_MS, () => {
      if (o.status !== 'Executing') return;
      o.status = 'Executed';
      executeOrder(state, o, now + ORDER_EXECUTED_MS);
    });
    return reply.code(202).send();
  });

  app.get('/api/orders/:orderId/execute/status', async (request) => {
    const o = order(request);
    if (o.status === null) throw lcError(400, 'OrderIsDraftError', `Order '${o.code}' is a draft: check it out first.`);
    return { status: o.status };
  });

  app.get('/api/orders/:orderId/items', async (request) => {
    const o = order(request);
    const include = parseInclude(q(request, 'include'), ITEM_INCLUDES, 'order items');
    return o.items.map((i) => orderItemDto(state, i, include));
  });

  app.post('/api/orders/:orderId/items', async (request, reply) => {
    const o = order(request);
    const item = createItem(ctx, o, request);
    void reply.code(201);
    return orderItemDto(state, item, new Set(['characteristics']));
  });

  app.get('/api/orders/:orderId/items/:itemId', async (request) => {
    const o = order(request);
    const include = parseInclude(q(request, 'include'), ITEM_INCLUDES, 'order items');
    return orderItemDto(state, findItem(o, (request.params as { itemId: string }).itemId), include);
  });

  app.delete('/api/orders/:orderId/items/:itemId', async (request, reply) => {
    const o = order(request);
    const item = findItem(o, (request.params as { itemId: string }).itemId);
    requireDraft(o);
    // Add-on items attached to the removed item go with it.
    const removed = new Set([item.id, ...o.items.filter((i) => i.relatedItemId === item.id).map((i) => i.id)]);
    const kept = o.items.filter((i) => !removed.has(i.id));
    o.items.splice(0, o.items.length, ...kept);
    o.updatedAt = control.now();
    return reply.code(204).send();
  });

  app.get('/api/orders/:orderId/items/:itemId/characteristics', async (request) => {
    const o = order(request);
    return orderItemCharacteristicsDto(state, findItem(o, (request.params as { itemId: string }).itemId));
  });

  app.put('/api/orders/:orderId/items/:itemId/characteristics', async (request) => {
    const o = order(request);
    const item = findItem(o, (request.params as { itemId: string }).itemId);
    requireDraft(o);
    const product = state.productById.get(item.productId);
    if (product) parseCharacteristics(product, arrayBody(request), item.characteristics);
    o.updatedAt = control.now();
    return orderItemCharacteristicsDto(state, item);
  });

  app.get('/api/orders/:orderId/customfields', async (request) => customFieldsDto('order', order(request).customFields));

  app.put('/api/orders/:orderId/customfields', async (request) => {
    const o = order(request);
    applyCustomFieldValues('order', o.customFields, request.body);
    o.updatedAt = control.now();
    return customFieldsDto('order', o.customFields);
  });
}
