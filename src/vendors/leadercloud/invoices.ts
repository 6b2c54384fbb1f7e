/** Leader Cloud invoices (read-only): list, by id, of an account, items and custom fields. */
import type { InvoiceModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { InvoiceOps, ListFilter } from '../types.js';
import { filteredPage } from '../shared.js';
import { ENDPOINTS, type LeaderCloudCore } from './core.js';
import type { SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

export function invoicesPart(core: LeaderCloudCore, loaders: SessionLoaders): InvoiceOps {
  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<InvoiceModel>> {
    if (filter.customerVendorId) {
      const mine = await loaders.invoicesByAccount.load(filter.customerVendorId);
      return filteredPage(mine, offset, limit, filter);
    }
    if (filter.invoiceStatus) {
      // Invoice.status is an object: no documented filter reaches its type.
      const items = (await loaders.all(ENDPOINTS.invoices)).map(map.toInvoice).filter((i) => i.status === filter.invoiceStatus);
      return pageOfArray(items, offset, limit);
    }
    const page = await core.range(ENDPOINTS.invoices, {}, offset, limit);
    return { ...page, items: page.items.map(map.toInvoice) };
  }

  return {
    get: (vendorId) => loaders.invoices.load(vendorId.toLowerCase()),
    list,
    ofCustomer: (c) => loaders.invoicesByAccount.load(c.vendorId),
    async items(i) {
      if (i.items) return i.items;
      const currency = i.total?.currency;
      return (await loaders.invoiceItems.load(i.vendorId.toLowerCase())).map((it) => map.toInvoiceItem(it, currency));
    },
    async customFields(i) {
      return map.toCustomFields(await loaders.invoiceCustomFields.load(i.vendorId.toLowerCase()));
    },
  };
}
