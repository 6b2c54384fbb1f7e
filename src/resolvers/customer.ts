import type { CustomerResolvers, ResellerResolvers, QueryResolvers } from '../generated/graphql.js';
import type { CustomerModel, ResellerModel } from '../model.js';
import { detailFields, entityFields, listAcross, loadNode, related, relationConnection } from './common.js';

export const Customer: CustomerResolvers = {
  ...entityFields<CustomerModel>(),
  ...detailFields<CustomerModel, 'email' | 'phone' | 'externalId' | 'address' | 'contacts' | 'createdAt' | 'updatedAt' | 'vendorStatus'>(
    'email',
    'phone',
    'externalId',
    'address',
    'contacts',
    'createdAt',
    'updatedAt',
    'vendorStatus',
  ),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Customer'),
  reseller: async (c, _args, ctx) => {
    const full = c.lacks?.includes('resellerVendorId') ? await ctx.session(c.vendor).detail(c) : c;
    return related(ctx, c.vendor, 'Reseller', full?.resellerVendorId);
  },
  customFields: (c, _args, ctx) => ctx.session(c.vendor).customFields(c),
  subscriptions: async (c, args, ctx) => {
    const all = await ctx.session(c.vendor).subscriptionsOf(c);
    const items = args.status ? all.filter((s) => s.status === args.status) : all;
    return relationConnection(`subs:${c.vendorId}:${args.status ?? ''}`, items, args.first, args.after);
  },
  orders: async (c, args, ctx) =>
    relationConnection(`orders:${c.vendorId}`, await ctx.session(c.vendor).ordersOf(c), args.first, args.after),
  invoices: async (c, args, ctx) =>
    relationConnection(`invoices:${c.vendorId}`, await ctx.session(c.vendor).invoicesOf(c), args.first, args.after),
};

export const Reseller: ResellerResolvers = {
  ...entityFields<ResellerModel>(),
  ...detailFields<ResellerModel, 'externalId' | 'currency' | 'address' | 'contacts' | 'vendorStatus'>('externalId', 'currency', 'address', 'contacts', 'vendorStatus'),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Reseller'),
  customers: async (r, args, ctx) =>
    relationConnection(`reseller:${r.vendorId}`, await ctx.session(r.vendor).customersOfReseller(r.vendorId), args.first, args.after),
};

export const customerQueries: Pick<QueryResolvers, 'customer' | 'customers' | 'reseller' | 'resellers'> = {
  customer: (_root, args, ctx) => loadNode(ctx, args.id, 'Customer'),
  customers: (_root, args, ctx, info) =>
    listAcross(ctx, info, 'Customer', args, {
      name: args.filter?.name,
      externalId: args.filter?.externalId,
      email: args.filter?.email,
      customerStatus: args.filter?.status,
    }),
  reseller: (_root, args, ctx) => loadNode(ctx, args.id, 'Reseller'),
  resellers: (_root, args, ctx, info) => listAcross(ctx, info, 'Reseller', args),
};
