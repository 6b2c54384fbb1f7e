/**
 * Cloudmore products: the products of the reseller services' price lists.
 *
 * Subscription.product: the price lists of the services the subscription's list says its
 * product is on (`loaders.productServices`: its custom service, or the services of its
 * Microsoft kind), each `GET R/services/{serviceId}/pricelist` read lazily, at most once per
 * request (a DataLoader per service over the path-keyed `gets`), so a page of subscriptions
 * costs one price list per service among them. A product found in none of them, or asked
 * for by id, is looked up in every service's price list: `GET R/services` (shared with the
 * subscriptions) + one per service (k), indexed by product id and by item code (Microsoft
 * CSP price lists are keyed by ItemCode).
 * `ofCustomerService` ("Organization price list"): `GET
 * R/organizations/{organizationId}/services/{serviceId}/pricelist`, the organization's own
 * prices (its currency first).
 */
import DataLoader from 'dataloader';
import type { CustomerServiceModel, ProductModel } from '../../model.js';
import { filteredPage } from '../shared.js';
import type { ProductOps } from '../types.js';
import { MEMO, asError, type CloudmoreCore, type SessionLoaders } from './core.js';
import * as map from './mappers.js';

interface ProductIndex {
  list: ProductModel[];
  /** By product id and by item-code key. */
  byId: Map<string, ProductModel>;
}

/** A price-list item as a product, with its item-code key. */
interface Entry {
  product: ProductModel;
  code: string | null;
}

/** Adds price-list products to an index: the first product of an id wins, and of an item code. */
function addProducts(index: ProductIndex, entries: readonly Entry[]): ProductIndex {
  for (const { product, code } of entries) {
    if (index.byId.has(product.vendorId)) continue;
    index.byId.set(product.vendorId, product);
    index.list.push(product);
    // Microsoft CSP price lists are keyed by item code [C, index]: subscriptions without a productId find their product by it.
    if (code && !index.byId.has(code)) index.byId.set(code, product);
  }
  return index;
}

const emptyIndex = (): ProductIndex => ({ list: [], byId: new Map() });

export function productsPart(core: CloudmoreCore, loaders: SessionLoaders): ProductOps {
  const { paths } = core;

  /** One reseller service's price list (`GET R/services/{serviceId}/pricelist`): its products, and indexed. */
  const priceLists = new DataLoader<string, { entries: Entry[]; index: ProductIndex }>(async (serviceIds) => {
    const { byId } = await loaders.serviceSets();
    return Promise.all(
      serviceIds.map((serviceId) =>
        loaders.getList(paths.servicePriceList(serviceId)).then((items) => {
          const entries = items.map((item) => ({
            product: map.toProduct(item, byId.get(serviceId)),
            code: item?.itemCode ? map.itemCodeKey(String(item.itemCode)) : null,
          }));
          return { entries, index: addProducts(emptyIndex(), entries) };
        }, asError),
      ),
    );
  });

  /** Every product of every reseller service's price list: services (1) + one per service (k). */
  const index = (): Promise<ProductIndex> =>
    loaders.memo.get(MEMO.productIndex, async () => {
      const services = await loaders.services();
      const lists = await Promise.all(services.map((s) => priceLists.load(map.serviceId(s))));
      const out = emptyIndex();
      for (const { entries } of lists) addProducts(out, entries);
      return out;
    });

  /** A product by id or item-code key: from the price lists its subscriptions point at, else from every price list. */
  async function get(vendorId: string): Promise<ProductModel | null> {
    const key = map.idKey(vendorId);
    // Only reseller services have a reseller price list (an organization may have a service the reseller no longer lists).
    const { all } = await loaders.serviceSets();
    const hinted = loaders.productServices.of(key).filter((serviceId) => all.has(serviceId));
    for (const { index: own } of await Promise.all(hinted.map((serviceId) => priceLists.load(serviceId)))) {
      const product = own.byId.get(key);
      if (product) return product;
    }
    return (await index()).byId.get(key) ?? null;
  }

  return {
    get,
    async list(offset, limit, filter) {
      let list = (await index()).list;
      // A product's service is the reseller service whose price list it is on (see `map.toProduct`).
      const service = filter.serviceName?.toLowerCase();
      if (service) list = list.filter((p) => String((p.raw as { service?: { name?: unknown } } | null)?.service?.name ?? '').toLowerCase().includes(service));
      return filteredPage(list, offset, limit, filter);
    },
    prices: async (product) => product.prices ?? (await get(product.vendorId))?.prices ?? [],
    async ofCustomerService(service: CustomerServiceModel) {
      const organizationId = map.idKey(service.customerVendorId);
      const serviceId = map.idKey(service.serviceVendorId ?? service.vendorId);
      const items = await loaders.getList(paths.organizationServicePriceList(organizationId, serviceId));
      // The organization service row names the service's vendor (publisher) [U]: no extra call.
      return items.map((item) => map.toProduct(item, service.raw));
    },
  };
}
