import type { QueryResolvers, ServiceSubscriptionResolvers } from '../generated/graphql.js';
import type { SubscriptionModel } from '../model.js';
import { customerFilter, entityFields, listAcross, loadNode, related } from './common.js';

export const ServiceSubscription: ServiceSubscriptionResolvers = {
  ...entityFields<SubscriptionModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Subscription'),
  customer: (s, _args, ctx) => related(ctx, s.vendor, 'Customer', s.customerVendorId),
  product: (s, _args, ctx) => related(ctx, s.vendor, 'Product', s.productVendorId),
  addons: (s, _args, ctx) => ctx.session(s.vendor).subscriptionAddons(s),
};

export const subscriptionQueries: Pick<QueryResolvers, 'subscription' | 'subscriptions'> = {
  subscription: (_root, args, ctx) => loadNode(ctx, args.id, 'Subscription'),
  subscriptions: (_root, args, ctx, info) => {
    const { vendor, customerVendorId } = customerFilter(ctx, args.vendor, args.filter?.customerId);
    return listAcross(ctx, info, 'Subscription', { ...args, vendor }, { customerVendorId, subscriptionStatus: args.filter?.status });
  },
};
