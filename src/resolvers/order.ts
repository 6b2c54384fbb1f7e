import type { OrderItemResolvers, OrderResolvers, QueryResolvers } from '../generated/graphql.js';
import type { OrderModel } from '../model.js';
import { customerFilter, entityFields, listAcross, loadNode, related } from './common.js';

export const Order: OrderResolvers = {
  ...entityFields<OrderModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Order'),
  customer: (o, _args, ctx) => related(ctx, o.vendor, 'Customer', o.customerVendorId),
  items: async (o, _args, ctx) => {
    const items = await ctx.session(o.vendor).orderItems(o);
    // Items carry no vendor of their own: remember it for their product/subscription.
    return items.map((item) => Object.assign(item, { vendor: o.vendor }));
  },
};

type WithVendor = { vendor?: OrderModel['vendor'] };

export const OrderItem: OrderItemResolvers = {
  product: (i, _args, ctx) => related(ctx, (i as WithVendor).vendor!, 'Product', i.productVendorId),
  subscription: (i, _args, ctx) => related(ctx, (i as WithVendor).vendor!, 'Subscription', i.subscriptionVendorId),
};

export const orderQueries: Pick<QueryResolvers, 'order' | 'orders'> = {
  order: (_root, args, ctx) => loadNode(ctx, args.id, 'Order'),
  orders: (_root, args, ctx, info) => {
    const { vendor, customerVendorId } = customerFilter(ctx, args.vendor, args.filter?.customerId);
    return listAcross(ctx, info, 'Order', { ...args, vendor }, { customerVendorId, orderStatus: args.filter?.status });
  },
};
