import type { ProductAddonResolvers, ProductResolvers, QueryResolvers, ServicePlanResolvers } from '../generated/graphql.js';
import type { ProductModel, ServicePlanModel } from '../model.js';
import { detailFields, entityFields, listAcross, loadNode, maybeOp, op, related } from './common.js';

export const Product: ProductResolvers = {
  ...entityFields<ProductModel>(),
  // A product named inside another payload (a subscription's) lacks these until loaded.
  ...detailFields<ProductModel, 'publisher' | 'description' | 'term' | 'raw'>('publisher', 'description', 'term', 'raw'),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'Product'),
  prices: async (p, _args, ctx) => {
    if (p.prices) return p.prices;
    const load = maybeOp(ctx, p.vendor, 'products', 'prices');
    return load ? load(p) : [];
  },
  addons: (p, _args, ctx) => op(ctx, p.vendor, 'products', 'addons', 'product add-ons')(p),
  billingFrequencies: (p, _args, ctx) => op(ctx, p.vendor, 'products', 'billingFrequencies', 'billing frequency options')(p),
  externalPrices: (p, _args, ctx) => op(ctx, p.vendor, 'products', 'externalPrices', 'external prices')(p),
  characteristics: (p, _args, ctx) => op(ctx, p.vendor, 'products', 'characteristics', 'product characteristics')(p),
  customFields: (p, _args, ctx) => op(ctx, p.vendor, 'products', 'customFields', 'product custom fields')(p),
};

export const ProductAddon: ProductAddonResolvers = {
  product: (a, _args, ctx) => related(ctx, a.vendor, 'Product', a.productVendorId),
};

export const ServicePlan: ServicePlanResolvers = {
  ...entityFields<ServicePlanModel>(),
  __resolveReference: (ref, ctx) => loadNode(ctx, String(ref.id), 'ServicePlan'),
};

export const productQueries: Pick<QueryResolvers, 'product' | 'products' | 'servicePlan' | 'servicePlans'> = {
  product: (_root, args, ctx) => loadNode(ctx, args.id, 'Product'),
  products: (_root, args, ctx, info) =>
    listAcross(ctx, info, 'Product', args, {
      name: args.filter?.name,
      sku: args.filter?.sku,
      serviceName: args.filter?.serviceName,
      publisher: args.filter?.publisher,
    }),
  servicePlan: (_root, args, ctx) => loadNode(ctx, args.id, 'ServicePlan'),
  servicePlans: (_root, args, ctx, info) => listAcross(ctx, info, 'ServicePlan', args),
};
