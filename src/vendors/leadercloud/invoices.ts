/** Leader Cloud invoices (read-only): list, by id, of an account, items and custom fields. */
import type { Query } from '../../http/client.js';
import type { InvoiceModel } from '../../model.js';
import { pageOfArray, type PageResult } from '../../paging.js';
import type { InvoiceOps, ListFilter } from '../types.js';
import { filteredPage } from '../shared.js';
import { ENDPOINTS, datetimeLiteral, type LeaderCloudCore } from './core.js';
import type { SessionLoaders } from './loaders.js';
import * as map from './mappers.js';

type DateRange = NonNullable<ListFilter['invoiceDate']>;

/**
 * The documented `$filter` of an invoice date range: `invoiceDate` is a property of the
 * swagger's Invoice DTO and `datetime'…'` the literal a public client uses (the same form
 * as the accounts' `updatedAt` filter), so both profiles take it.
 */
function dateClauses(range: DateRange | null | undefined): string[] {
  const clauses: string[] = [];
  if (range?.from) clauses.push(`invoiceDate ge ${datetimeLiteral(range.from)}`);
  if (range?.to) clauses.push(`invoiceDate lt ${datetimeLiteral(range.to)}`);
  return clauses;
}

/** The same range applied in the graph (to a customer's invoices, read by account). */
function dated(range: DateRange | null | undefined): (i: InvoiceModel) => boolean {
  if (!range?.from && !range?.to) return () => true;
  const from = range.from ? Date.parse(range.from) : -Infinity;
  const to = range.to ? Date.parse(range.to) : Infinity;
  return (i) => {
    const at = Date.parse(i.invoiceDate ?? '');
    return at >= from && at < to;
  };
}

export function invoicesPart(core: LeaderCloudCore, loaders: SessionLoaders): InvoiceOps {
  async function list(offset: number, limit: number, filter: ListFilter): Promise<PageResult<InvoiceModel>> {
    if (filter.customerVendorId) {
      const mine = (await loaders.invoicesByAccount.load(filter.customerVendorId)).filter(dated(filter.invoiceDate));
      return filteredPage(mine, offset, limit, filter);
    }
    const clauses = dateClauses(filter.invoiceDate);
    const query: Query = clauses.length ? { $filter: clauses.join(' and ') } : {};
    if (filter.invoiceStatus) {
      // Invoice.status is an object: no documented filter reaches its type. The dates still go to the vendor.
      const items = (await loaders.all(ENDPOINTS.invoices, query)).map(map.toInvoice).filter((i) => i.status === filter.invoiceStatus);
      return pageOfArray(items, offset, limit);
    }
    const page = await core.range(ENDPOINTS.invoices, query, offset, limit);
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
