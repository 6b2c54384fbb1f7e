import type { MutationResolvers, OrderEstimateResolvers, OrderItemInput, OrderItemResolvers, OrderResolvers, QueryResolvers, CreateOrderInput } from '../generated/graphql.js';
import type { GraphContext } from '../context.js';
import type { OrderModel, VendorName } from '../model.js';
import type { OrderCreate, OrderLine } from '../vendors/types.js';
import { customerFilter, entityFields, idFilter, listAcross, loadNode, maybeOp, op, related } from './common.js';
import { InputCheck, idempotent, mutate } from './mutation.js';

type WithVendor = { vendor?: OrderModel['vendor'] };

/** Items carry no vendor of their own: remember it for their product/subscription. */
/** Items with their vendor, as copies: a model may be shared (read from the cross-request cache). */
const withVendor = <T extends object>(items: T[], vendor: VendorName) => items.map((item) => ({ ...item, vendor }));

export const Order: OrderResolvers = {
  ...entityFields<OrderModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Order'),
  // Rows that name their customer (Leader Cloud `account {id, name}`) serve `customer { id name }` without a call.
  customer: (o, _args, ctx) => o.customerStub ?? related(ctx, o.vendor, 'Customer', o.customerVendorId),
  items: async (o, _args, ctx) => {
    const load = maybeOp(ctx, o.vendor, 'orders', 'items');
    return withVendor(load ? await load(o) : (o.items ?? []), o.vendor);
  },
  executionStatus: (o, _args, ctx) => op(ctx, o.vendor, 'orders', 'executionStatus', 'order execution status')(o),
};

export const OrderItem: OrderItemResolvers = {
  product: (i, _args, ctx) => related(ctx, (i as WithVendor).vendor!, 'Product', i.productVendorId),
  subscription: (i, _args, ctx) => related(ctx, (i as WithVendor).vendor!, 'Subscription', i.subscriptionVendorId),
};

export const OrderEstimate: OrderEstimateResolvers = {
  items: (e) => withVendor(e.items, e.vendor),
};

export const orderQueries: Pick<QueryResolvers, 'order' | 'orders'> = {
  order: (_root, args, ctx) => loadNode(ctx, args.id, 'Order'),
  orders: (_root, args, ctx, info) => {
    const customer = customerFilter(ctx, args.vendor, args.filter?.customerId);
    const subscription = idFilter(ctx, customer.vendor, args.filter?.subscriptionId, 'Subscription', 'filter.subscriptionId');
    return listAcross(ctx, info, 'Order', { ...args, vendor: subscription.vendor }, {
      customerVendorId: customer.customerVendorId,
      orderStatus: args.filter?.status,
      subscriptionVendorId: subscription.vendorId,
      number: args.filter?.number,
      createdFrom: args.filter?.createdFrom,
      createdTo: args.filter?.createdTo,
      vendorStatusCode: args.filter?.vendorStatusCode,
    });
  },
};

const MAX_LINES = 100;

/** Checks order lines: products and subscriptions of the order's vendor, sane quantities. */
function orderLine(check: InputCheck, ctx: GraphContext, field: string[], vendor: VendorName, item: OrderItemInput): OrderLine {
  const product = check.id(ctx, [...field, 'productId'], item.productId, 'Product', vendor);
  const subscription = check.id(ctx, [...field, 'subscriptionId'], item.subscriptionId, 'Subscription', vendor);
  check.int([...field, 'quantity'], item.quantity, 1, 1_000_000);
  check.text([...field, 'billingFrequencyOptionId'], item.billingFrequencyOptionId, 64);
  check.text([...field, 'unitId'], item.unitId, 64);
  if ((item.parameters?.length ?? 0) > 100) check.fail([...field, 'parameters'], 'At most 100 parameters.');
  item.parameters?.forEach((p, i) => {
    check.text([...field, 'parameters', String(i), 'name'], p.name, 100, true);
    check.text([...field, 'parameters', String(i), 'value'], p.value, 1000, true);
  });
  return {
    productVendorId: product?.vendorId ?? '',
    quantity: item.quantity,
    billingFrequencyOptionId: item.billingFrequencyOptionId,
    unitId: item.unitId,
    subscriptionVendorId: subscription?.vendorId ?? null,
    customEndDate: item.customEndDate,
    parameters: item.parameters,
  };
}

/** Checks a whole order input; the vendor is the customer's. */
function orderInput(check: InputCheck, ctx: GraphContext, input: CreateOrderInput): { vendor: VendorName; order: OrderCreate } | null {
  const customer = check.id(ctx, ['input', 'customerId'], input.customerId, 'Customer');
  if (!customer) return null;
  const items = input.items ?? [];
  if (items.length > MAX_LINES) check.fail(['input', 'items'], `At most ${MAX_LINES} items.`);
  if (input.checkout && items.length === 0) check.fail(['input', 'items'], 'An order to check out needs at least one item.');
  check.text(['input', 'poNumber'], input.poNumber, 50);
  const lines = items.map((item, i) => orderLine(check, ctx, ['input', 'items', String(i)], customer.vendor, item));
  return {
    vendor: customer.vendor,
    order: { customerVendorId: customer.vendorId, items: lines, checkout: input.checkout ?? false, type: input.type?.toLowerCase() ?? null, poNumber: input.poNumber },
  };
}

export const orderMutations: Pick<MutationResolvers, 'createOrder' | 'addOrderItem' | 'checkoutOrder' | 'updateOrder' | 'estimateOrder' | 'validateActivationParameters'> = {
  createOrder: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const parsed = orderInput(check, ctx, input);
      check.done();
      const { vendor, order } = parsed!;
      const create = op(ctx, vendor, 'orders', 'create', 'placing orders');
      const { idempotencyKey, ...fingerprint } = input;
      return { order: await idempotent(ctx, vendor, 'createOrder', idempotencyKey, fingerprint, () => create(order)) };
    }),
  addOrderItem: (_root, { orderId, item, idempotencyKey }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const order = check.id(ctx, ['orderId'], orderId, 'Order');
      check.done();
      const line = orderLine(check, ctx, ['item'], order!.vendor, item);
      check.done();
      const add = op(ctx, order!.vendor, 'orders', 'addItem', 'adding order items');
      return { order: await idempotent(ctx, order!.vendor, 'addOrderItem', idempotencyKey, { orderId, item }, () => add(order!.vendorId, line)) };
    }),
  checkoutOrder: (_root, { id, idempotencyKey }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const order = check.id(ctx, ['id'], id, 'Order');
      check.done();
      const checkout = op(ctx, order!.vendor, 'orders', 'checkout', 'order checkout');
      return { order: await idempotent(ctx, order!.vendor, 'checkoutOrder', idempotencyKey, { id }, () => checkout(order!.vendorId)) };
    }),
  updateOrder: (_root, { id, input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const order = check.id(ctx, ['id'], id, 'Order');
      check.text(['input', 'statusCode'], input.statusCode, 50);
      if ((input.creditCheck === null || input.creditCheck === undefined) && !input.statusCode) check.fail(['input'], 'Give creditCheck or statusCode.');
      check.done();
      return { order: await op(ctx, order!.vendor, 'orders', 'update', 'updating orders')(order!.vendorId, input) };
    }),
  estimateOrder: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const parsed = orderInput(check, ctx, input);
      if (parsed && parsed.order.items.length === 0) check.fail(['input', 'items'], 'An estimate needs at least one item.');
      check.done();
      return { estimate: await op(ctx, parsed!.vendor, 'orders', 'estimate', 'order estimates')(parsed!.order) };
    }),
  validateActivationParameters: (_root, { input }, ctx) =>
    mutate(async () => {
      const check = new InputCheck();
      const parsed = orderInput(check, ctx, { customerId: input.customerId, items: input.items, type: input.type });
      if (input.items.length === 0) check.fail(['input', 'items'], 'Give at least one item.');
      check.done();
      return { result: await op(ctx, parsed!.vendor, 'orders', 'validateParameters', 'activation parameter validation')(parsed!.order) };
    }),
};
