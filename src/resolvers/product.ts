import type { ProductResolvers, QueryResolvers, ServicePlanResolvers } from '../generated/graphql.js';
import type { ProductModel, ServicePlanModel } from '../model.js';
import { entityFields, listAcross, loadNode } from './common.js';

export const Product: ProductResolvers = {
  ...entityFields<ProductModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Product'),
  prices: (p, _args, ctx) => p.prices ?? ctx.session(p.vendor).productPrices(p.vendorId),
};

export const ServicePlan: ServicePlanResolvers = {
  ...entityFields<ServicePlanModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'ServicePlan'),
};

export const productQueries: Pick<QueryResolvers, 'product' | 'products' | 'servicePlan' | 'servicePlans'> = {
  product: (_root, args, ctx) => loadNode(ctx, args.id, 'Product'),
  products: (_root, args, ctx, info) => listAcross(ctx, info, 'Product', args, { name: args.filter?.name, sku: args.filter?.sku }),
  servicePlan: (_root, args, ctx) => loadNode(ctx, args.id, 'ServicePlan'),
  servicePlans: (_root, args, ctx, info) => listAcross(ctx, info, 'ServicePlan', args),
};
