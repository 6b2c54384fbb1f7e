/**
 * Cloudmore products: the products of the reseller services' price lists.
 *
 * By id, listed, Subscription.product and prices: `GET R/services` (shared with the
 * subscriptions) + `GET R/services/{serviceId}/pricelist` per service (k), indexed by
 * product id and by item code (Microsoft CSP price lists are keyed by ItemCode).
 * `ofCustomerService` ("Organization price list"): `GET
 * R/organizations/{organizationId}/services/{serviceId}/pricelist`, the organization's own
 * prices (its currency first).
 */
import type { CustomerServiceModel, ProductModel } from '../../model.js';
import { filteredPage } from '../shared.js';
import type { ProductOps } from '../types.js';
import { MEMO, type CloudmoreCore, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

interface ProductIndex {
  list: ProductModel[];
  byId: Map<string, ProductModel>;
}

export function productsPart(core: CloudmoreCore, loaders: SessionLoaders): ProductOps {
  const { paths } = core;

  /** Every product of every reseller service's price list: services (1) + one per service (k). */
  const index = (): Promise<ProductIndex> =>
    loaders.memo.get(MEMO.productIndex, async () => {
      const services = await loaders.services();
      const lists = await Promise.all(services.map((s) => loaders.getList(paths.servicePriceList(map.serviceId(s)))));
      const byId = new Map<string, ProductModel>();
      const list: ProductModel[] = [];
      services.forEach((service, i) => {
        for (const item of lists[i] ?? []) {
          const product = map.toProduct(item, service);
          if (byId.has(product.vendorId)) continue;
          byId.set(product.vendorId, product);
          list.push(product);
          // Microsoft CSP price lists are keyed by item code [C, index]: subscriptions without a productId find their product by it.
          const code = item?.itemCode ? map.itemCodeKey(String(item.itemCode)) : null;
          if (code && !byId.has(code)) byId.set(code, product);
        }
      });
      return { list, byId };
    });

  return {
    get: async (vendorId) => (await index()).byId.get(map.idKey(vendorId)) ?? null,
    async list(offset, limit, filter) {
      let list = (await index()).list;
      // A product's service is the reseller service whose price list it is on (see `map.toProduct`).
      const service = filter.serviceName?.toLowerCase();
      if (service) list = list.filter((p) => String((p.raw as { service?: { name?: unknown } } | null)?.service?.name ?? '').toLowerCase().includes(service));
      return filteredPage(list, offset, limit, filter);
    },
    prices: async (product) => product.prices ?? (await index()).byId.get(map.idKey(product.vendorId))?.prices ?? [],
    async ofCustomerService(service: CustomerServiceModel) {
      const organizationId = map.idKey(service.customerVendorId);
      const serviceId = map.idKey(service.serviceVendorId ?? service.vendorId);
      const items = await loaders.getList(paths.organizationServicePriceList(organizationId, serviceId));
      // The organization service row names the service's vendor (publisher) [U]: no extra call.
      return items.map((item) => map.toProduct(item, service.raw));
    },
  };
}
