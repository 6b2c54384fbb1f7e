/**
 * Leader Cloud orders: list (per stage), by id, of an account or an invoice, items and
 * execution status, and the purchase flow: create a Draft (POST /api/orders), add items
 * (POST /api/orders/{id}/items, one per line), check out (POST …/checkout, 202: the vendor
 * executes the order asynchronously; poll `status` / `executionStatus`). Writes are never
 * retried; each answers the order as read after it.
 */
import { UpstreamError, badUserInput } from '../../errors.js';
import type { OrderModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { ListFilter, OrderLine, OrderOps } from '../types.js';
import { GUID, filteredPage, matchesFilter } from '../shared.js';
import { ENDPOINTS, VENDOR, type J, type LeaderCloudCore } from './core.js';
import type { SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

export function ordersPart(core: LeaderCloudCore, loaders: SessionLoaders): OrderOps {
  const { http } = core;

  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<OrderModel>> {
    if (filter.customerVendorId) {
      const mine = await loaders.ordersByAccount.load(filter.customerVendorId);
      return filteredPage(mine, offset, limit, filter);
    }
    // Draft is a stage, not a status: drafts come from stage=Draft, every other status from stage=Confirmed.
    const stage: map.OrderStage = filter.orderStatus === 'DRAFT' ? 'Draft' : filter.orderStatus ? 'Confirmed' : 'All';
    const mapper = (o: J) => map.toOrder(o, stage);
    const inGraph = filter.number || filter.createdFrom || filter.createdTo;
    if ((filter.orderStatus && filter.orderStatus !== 'DRAFT') || inGraph) {
      // Order.status is an object: no documented filter reaches its type; number and dates are matched here too.
      const items = (await loaders.all(ENDPOINTS.orders, { stage })).map(mapper).filter((o) => matchesFilter(o, filter));
      return pageOfArray(items, offset, limit);
    }
    const page = await core.range(ENDPOINTS.orders, { stage }, offset, limit);
    return { ...page, items: page.items.map(mapper) };
  }

  /**
   * The OrderItemCreate of a line. Reads what it needs first (the product's units when
   * `unitId` is absent or a unit name, its characteristics when parameters name them), so
   * a line the vendor could not take is a user error before anything is written.
   */
  async function itemBody(line: OrderLine): Promise<Record<string, unknown>> {
    const productId = line.productVendorId.toLowerCase();
    const body: Record<string, unknown> = { productId, unitId: await unitOf(productId, line.unitId), quantity: line.quantity };
    if (line.customEndDate) body.customEndDate = line.customEndDate;
    if (line.subscriptionVendorId) body.relatedSubscriptionId = line.subscriptionVendorId;
    if (line.billingFrequencyOptionId) body.billingFrequencyOptionId = line.billingFrequencyOptionId;
    if (line.parameters?.length) body.characteristics = await characteristicsOf(productId, line.parameters);
    return body;
  }

  /** The unit: a GUID as given; a unit name, or nothing when the product is sold in one unit only, from its pricing. */
  async function unitOf(productId: string, unit: string | null | undefined): Promise<string> {
    if (unit && GUID.test(unit)) return unit;
    const pricing = await loaders.pricing.load(productId);
    if (!pricing) throw badUserInput(`Leader Cloud product ${productId} was not found.`, { argument: 'productId' });
    const units = new Map<string, string>();
    for (const price of pricing.prices ?? []) for (const u of price.units ?? []) if (u.id) units.set(String(u.id), String(u.name ?? u.id));
    const listed = [...units].map(([id, name]) => `${name} (${id})`).join(', ') || 'none';
    if (unit) {
      const match = [...units].find(([, name]) => name.toLowerCase() === unit.toLowerCase());
      if (!match) throw badUserInput(`unitId "${unit}" is not a unit of product ${productId}; its units: ${listed}.`, { argument: 'unitId' });
      return match[0];
    }
    if (units.size === 1) return [...units.keys()][0]!;
    throw badUserInput(`Product ${productId} is sold in several units: give unitId (a unit id or name): ${listed}.`, { argument: 'unitId' });
  }

  /** Parameters as order characteristics: by characteristic id (a GUID) or by name. */
  async function characteristicsOf(productId: string, parameters: Array<{ name: string; value: string }>) {
    const named = parameters.some((p) => !GUID.test(p.name));
    const known = named ? map.toCharacteristics(await loaders.productCharacteristics.load(productId)) : [];
    return parameters.map((p) => {
      if (GUID.test(p.name)) return { id: p.name, value: p.value };
      const found = known.find((c) => c.name.toLowerCase() === p.name.toLowerCase());
      if (!found?.id) throw badUserInput(`Product ${productId} has no characteristic "${p.name}"; it has: ${known.map((c) => c.name).join(', ') || 'none'}.`, { argument: 'parameters' });
      return { id: found.id, value: p.value };
    });
  }

  /** After a write: the order (and its items) as the vendor has it now. */
  async function reread(vendorId: string): Promise<OrderModel> {
    const key = vendorId.toLowerCase();
    loaders.orders.clear(key);
    loaders.orderItems.clear(key);
    loaders.executionStatus.clear(key);
    loaders.ordersByAccount.clearAll();
    loaders.forgetPages(ENDPOINTS.orders);
    const order = await loaders.orders.load(key);
    if (!order) throw new UpstreamError(VENDOR, 404, 'UPSTREAM_BAD_REQUEST', `order ${vendorId} was written but cannot be read back`);
    return order;
  }

  const addItem = (orderId: string, body: Record<string, unknown>) => http.send<J>('POST', ENDPOINTS.orderItems(orderId), body);
  const checkout = (orderId: string) => http.send('POST', ENDPOINTS.orderCheckout(orderId));

  return {
    get: (vendorId) => loaders.orders.load(vendorId.toLowerCase()),
    list,
    ofCustomer: (c) => loaders.ordersByAccount.load(c.vendorId),
    /** `GET /api/invoices/{id}/orders` answers LiteOrder stubs ({id, code}): the orders themselves come through the order loader. */
    async ofInvoice(i) {
      const stubs = await loaders.invoiceOrders.load(i.vendorId.toLowerCase());
      const ids = stubs.map((o) => String(o.id ?? '').toLowerCase()).filter((id) => GUID.test(id));
      const orders = await Promise.all(ids.map((id) => loaders.orders.load(id)));
      return orders.filter((o): o is OrderModel => o !== null);
    },
    async items(o) {
      if (o.items) return o.items;
      const currency = (o.raw as J)?.currency ?? o.total?.currency;
      return (await loaders.orderItems.load(o.vendorId.toLowerCase())).map((i) => map.toOrderItem(i, currency));
    },
    async executionStatus(o) {
      // A draft has not been sent for execution (the vendor answers its status with a 400).
      if (o.status === 'DRAFT') return map.DRAFT_EXECUTION;
      const body = await loaders.executionStatus.load(o.vendorId.toLowerCase());
      return body ? map.toExecutionStatus(body) : null;
    },
    async create(input) {
      // Every line is checked (and its unit found) before the draft is created.
      const bodies = await Promise.all(input.items.map(itemBody));
      const { body: draft } = await http.send<J>('POST', ENDPOINTS.orders, { accountId: Number(input.customerVendorId) });
      const id = String(draft?.id ?? '');
      if (!GUID.test(id)) throw new UpstreamError(VENDOR, null, 'UPSTREAM_ERROR', 'the created order has no id');
      for (const [i, body] of bodies.entries()) {
        try {
          await addItem(id, body);
        } catch (error) {
          throw partial(error, `Order ${draft.code ?? id} (${id}) was created as a draft with ${i} of ${bodies.length} items; item ${i + 1} failed`);
        }
      }
      if (input.checkout) {
        try {
          await checkout(id);
        } catch (error) {
          throw partial(error, `Order ${draft.code ?? id} (${id}) was created as a draft with its ${bodies.length} items; the checkout failed`);
        }
      }
      return reread(id);
    },
    async addItem(orderVendorId, line) {
      await addItem(orderVendorId, await itemBody(line));
      return reread(orderVendorId);
    },
    async checkout(orderVendorId) {
      await checkout(orderVendorId);
      return reread(orderVendorId);
    },
  };
}

/** A failure partway through a multi-call write: the same error, saying what was already done. */
function partial(error: unknown, done: string): unknown {
  if (!(error instanceof UpstreamError)) return error;
  const detail = error.message.replace(/^[^:]*\(([^)]*)\):\s*/, '');
  return new UpstreamError(error.vendor, error.status, error.upstreamCode, `${done}: ${detail}`, error.retryAfterSeconds);
}
