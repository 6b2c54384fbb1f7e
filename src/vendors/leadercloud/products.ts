/**
 * Leader Cloud products: list (code and name pushed down where the vendor accepts them),
 * by id, and the sub-resources: pricing, add-ons, billing frequency options, external
 * prices, characteristics and custom fields (one GET each, through loaders).
 */
import type { ProductModel } from '../../model.js';
import type { PageResult } from '../../paging.js';
import type { ListFilter, ProductOps } from '../types.js';
import { filteredPage } from '../shared.js';
import { ENDPOINTS, quote, type Clause, type J, type LeaderCloudCore } from './core.js';
import type { SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

export function productsPart(core: LeaderCloudCore, loaders: SessionLoaders): ProductOps {
  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<ProductModel>> {
    const inGraph = { name: filter.name, sku: filter.sku, publisher: filter.publisher };
    if (filter.publisher) {
      // The publisher is the product group, a nested object: no documented filter reaches it.
      return filteredPage((await loaders.all(ENDPOINTS.products)).map(map.toProduct), offset, limit, inGraph);
    }
    const clauses: Clause[] = [];
    if (filter.sku) clauses.push({ text: `code eq ${quote(filter.sku)}`, shortcut: core.shortcuts.propertyFilter });
    if (filter.name) clauses.push({ text: `contains(name,${quote(filter.name)})`, shortcut: core.shortcuts.containsFilter });
    return loaders.filteredList(ENDPOINTS.products, {}, clauses, map.toProduct, inGraph, offset, limit);
  }

  return {
    get: (vendorId) => loaders.products.load(vendorId.toLowerCase()),
    list,
    async prices(p) {
      return map.toPrices(await loaders.pricing.load(p.vendorId.toLowerCase()));
    },
    async addons(p) {
      return (await loaders.productAddons.load(p.vendorId.toLowerCase())).map(map.toProductAddon);
    },
    async billingFrequencies(p) {
      return (await loaders.billingFrequencies.load(p.vendorId.toLowerCase())).map(map.toBillingFrequency);
    },
    /**
     * External prices need a unit and a currency: one GET per unit and currency of the
     * product's pricing, and none for a product whose pricing says it has no external pricing.
     */
    async externalPrices(p) {
      const id = p.vendorId.toLowerCase();
      const pricing = await loaders.pricing.load(id);
      if (!pricing || pricing.hasExternalPricing === false) return [];
      const wanted: Array<{ unit: { id: string; name: string | null }; currency: string }> = [];
      for (const price of pricing.prices ?? []) {
        for (const u of price.units ?? []) if (u.id && price.currency) wanted.push({ unit: { id: String(u.id), name: u.name ?? null }, currency: String(price.currency) });
      }
      const found = await Promise.all(wanted.map((w) => loaders.externalPrices.load(`${id} ${w.unit.id.toLowerCase()} ${w.currency}`)));
      return wanted.flatMap((w, i) => (found[i] ? [map.toExternalPrice(found[i] as J, p, w.unit, w.currency)] : []));
    },
    async characteristics(p) {
      return map.toCharacteristics(await loaders.productCharacteristics.load(p.vendorId.toLowerCase()));
    },
    async customFields(p) {
      return map.toCustomFields(await loaders.productCustomFields.load(p.vendorId.toLowerCase()));
    },
  };
}
