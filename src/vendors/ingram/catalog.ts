/**
 * The Ingram catalogue: products (`GET /products`, filters `name`, `mpn`, `serviceName`,
 * `vendor` pushed down) and service plans (`GET /plans`, `GET /plans/{id}`).
 *
 * A product's vendorId is its **MPN**: subscriptions and order lines name products by MPN,
 * orders are placed by MPN, and `/products?mpn=` is the API's only product lookup (1.15
 * has no `GET /products/{id}`), so a product by id comes from the catalogue, read once per
 * request. A product is also found by its catalogue id (`PRD326501`), but the ids the graph
 * hands out always carry the MPN. A subscription's product comes from the subscription's own
 * product line (name, MPN, vendor): the catalogue is read for it only when a query selects
 * what the line lacks (description, term, prices, raw).
 */
import type { ProductModel } from '../../model.js';
import type { PlanOps, ProductOps } from '../types.js';
import { ENDPOINTS, pushDown, type IngramCore } from './core.js';
import type { IngramLoaders } from './loaders.js';
import * as map from './mappers.js';

export function productOps(core: IngramCore, l: IngramLoaders): ProductOps {
  const get = async (id: string) => (await l.catalogue.get()).byKey.get(id.toLowerCase()) ?? null;
  /** The catalogue's form of a product a subscription named (`lacks`): the catalogue is read only then. */
  const detail = async (p: ProductModel) => (p.lacks?.length ? get(p.vendorId) : p);
  return {
    get,
    detail,
    /** Prices of a product a subscription named (the catalogue has them); others carry theirs. */
    prices: async (p) => (await detail(p))?.prices ?? [],
    async list(offset, limit, filter) {
      const query = pushDown({ name: filter.name, mpn: filter.sku, serviceName: filter.serviceName, vendor: filter.publisher });
      const raw = await core.range(ENDPOINTS.products(), query, offset, limit);
      return { ...raw, items: raw.items.map(map.toProduct) };
    },
  };
}

export function planOps(core: IngramCore, l: IngramLoaders): PlanOps {
  return {
    get: (id) => l.plans.load(id),
    async list(offset, limit) {
      const raw = await core.range(ENDPOINTS.plans(), {}, offset, limit);
      const items = raw.items.map(map.toServicePlan);
      for (const p of items) l.plans.prime(p.vendorId, p);
      return { ...raw, items };
    },
  };
}
